"""Names every service and the gateway share with the clients (API.md): enterprise types and
the filing businesses, with their Chinese labels."""

ENTERPRISE_TYPES = {
    "construction": "施工", "supervision": "监理", "survey": "勘察", "design": "设计",
    "quality_testing": "工程质量检测", "bidding_agency": "招标代理", "cost_consulting": "造价咨询",
}
COST_CONSULTING = "cost_consulting"

FIRST_FILING = "first_filing"
PERSONNEL_FILING = "personnel_filing"
BASIC_CHANGE = "basic_change"
MANAGER_CHANGE = "manager_change"
TECH_MANAGER_CHANGE = "tech_manager_change"
QUALIFICATION_CHANGE = "qualification_change"
PERSONNEL_CHANGE = "personnel_change"
EXTENSION = "extension"
COST_PROJECT = "cost_project"

BUSINESSES = {
    FIRST_FILING: "首次信息报送", PERSONNEL_FILING: "人员证书信息报送", BASIC_CHANGE: "基本信息变更",
    MANAGER_CHANGE: "进疆负责人变更", TECH_MANAGER_CHANGE: "进疆技术负责人变更",
    QUALIFICATION_CHANGE: "资质信息变更", PERSONNEL_CHANGE: "人员证书信息变更",
    EXTENSION: "进疆信息公示延期", COST_PROJECT: "造价企业进疆承揽业务备案",
}

# what a fresh face check (人脸核身) may be started for, besides real-name verification itself:
# identity-svc issues the ticket, the service doing the action consumes it
FACE_PURPOSE_EMPLOYMENT_ACCEPT = "employment.accept"
FACE_PURPOSES = (FACE_PURPOSE_EMPLOYMENT_ACCEPT,)

# the kinds of a person's certificate (cert-svc owns the rules; the gateway, the public pages and
# the booklet show them with these labels)
REGISTERED = "registered"
TITLE = "title"
TECH_WORKER = "tech_worker"
SPECIAL_OPERATION = "special_operation"
POST = "post"
SAFETY = "safety"
ENTERED_KINDS = (TECH_WORKER, SPECIAL_OPERATION, POST, SAFETY)  # entered by the enterprise itself
CERTIFICATE_KINDS = (REGISTERED, TITLE) + ENTERED_KINDS
CERTIFICATE_KIND_LABELS = {REGISTERED: "注册证书", TITLE: "职称证书", TECH_WORKER: "技术工人",
                           SPECIAL_OPERATION: "特种作业", POST: "岗位/现场管理人员", SAFETY: "安管人员"}
