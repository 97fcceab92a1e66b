// Chinese names of the API's codes (API.md), in one place.

export const ENTERPRISE_TYPES = {
  construction: '施工',
  supervision: '监理',
  survey: '勘察',
  design: '设计',
  quality_testing: '工程质量检测',
  bidding_agency: '招标代理',
  cost_consulting: '造价咨询',
} as const
export type EnterpriseType = keyof typeof ENTERPRISE_TYPES
export const ENTERPRISE_TYPE_KEYS = Object.keys(ENTERPRISE_TYPES) as EnterpriseType[]
/** The types that have a first filing (造价咨询 files projects only). */
export const FIRST_FILING_TYPES = ENTERPRISE_TYPE_KEYS.filter((type) => type !== 'cost_consulting')

export const BUSINESSES = {
  first_filing: '首次信息报送',
  personnel_filing: '人员证书信息报送',
  basic_change: '基本信息变更',
  manager_change: '进疆负责人变更',
  tech_manager_change: '进疆技术负责人变更',
  qualification_change: '资质信息变更',
  personnel_change: '人员证书信息变更',
  extension: '进疆信息公示延期',
  cost_project: '造价企业进疆承揽业务备案',
} as const
export type Business = keyof typeof BUSINESSES

export const CASE_STATUSES = { approved: '审核通过', rejected: '审核驳回' } as const
export const REGISTRATION_STATUSES = { valid: '有效', expired: '已过期' } as const

export const EMPLOYMENT_STATUSES = {
  pending: '待本人确认',
  active: '在职',
  rejected: '本人已拒绝',
  cancelled: '已撤销邀请',
  terminated: '已解除',
  expired: '合同已到期',
} as const
export type EmploymentStatus = keyof typeof EMPLOYMENT_STATUSES

export const CERTIFICATE_KINDS = {
  registered: '注册证书',
  title: '职称证书',
  tech_worker: '技术工人',
  special_operation: '特种作业',
  post: '岗位/现场管理人员',
  safety: '安管人员',
} as const
export type CertificateKind = keyof typeof CERTIFICATE_KINDS
export const ENTERED_KINDS = ['tech_worker', 'special_operation', 'post', 'safety'] as const
export type EnteredKind = (typeof ENTERED_KINDS)[number]

export const CERTIFICATE_STATUSES = {
  valid: '有效',
  expired: '已过期',
  detached: '已离职解绑',
  pending_confirmation: '待单位确认',
  confirmed: '已确认',
  revoked: '已撤销',
} as const

// the closed choices of the entered kinds (cert-svc's certs.domain.certificate)
export const TECH_WORKER_LEVELS = ['初级工', '中级工', '高级工', '技师', '高级技师']
export const POSTS = ['施工员', '质量员', '安全员', '标准员', '材料员', '机械员', '劳务员', '资料员']
export const SAFETY_CATEGORIES = ['A', 'B', 'C']

/** Element Plus tag types for a status. */
export function statusTagType(status: string | undefined): 'success' | 'warning' | 'danger' | 'info' | 'primary' {
  switch (status) {
    case 'approved':
    case 'valid':
    case 'active':
    case 'confirmed':
      return 'success'
    case 'pending':
    case 'pending_confirmation':
      return 'warning'
    case 'rejected':
    case 'expired':
    case 'revoked':
    case 'terminated':
      return 'danger'
    default:
      return 'info'
  }
}

export function label<T extends Record<string, string>>(table: T, key: string | null | undefined): string {
  if (!key) return ''
  return (table as Record<string, string>)[key] ?? key
}

/** Field paths of a filing's data (as the server's 422 errors and rejection reasons name them). */
export const FIELD_LABELS: Record<string, string> = {
  enterprise_type: '企业类型',
  business: '业务类型',
  basic: '企业基本信息',
  'basic.name': '企业名称',
  'basic.legal_representative': '法定代表人',
  'basic.registered_address': '注册地址',
  'basic.registered_capital_wan': '注册资本（万元）',
  'basic.established_on': '成立日期',
  'basic.contact_name': '联系人',
  'basic.contact_phone': '联系人手机号码',
  'basic.xj_office_address': '驻疆机构地址',
  manager_person_id: '进疆负责人',
  tech_manager_person_id: '进疆技术负责人',
  attachments: '附件',
  sync_qualifications: '企业资质',
  certificate_ids: '报送的证书',
  add: '增加的证书',
  remove: '移除的证书',
  project_name: '项目名称',
  location_code: '项目所在地',
  client_name: '委托方',
  contract_amount_fen: '合同金额',
  contract_signed_on: '合同签订日期',
  service_start: '服务开始日期',
  service_end: '服务结束日期',
  lead_person_id: '项目负责人',
  id_card_no: '身份证号码',
  contract_start: '合同开始日期',
  contract_end: '合同结束日期',
  contract_file_id: '劳动合同',
}

/** `data.certificate_ids.2` → `报送的证书（第3项）`. */
export function fieldLabel(path: string | null | undefined): string {
  if (!path) return ''
  const clean = path.replace(/^data\./, '')
  if (FIELD_LABELS[clean]) return FIELD_LABELS[clean]
  const indexed = /^(.*)\.(\d+)$/.exec(clean)
  if (indexed && FIELD_LABELS[indexed[1]]) return `${FIELD_LABELS[indexed[1]]}（第${Number(indexed[2]) + 1}项）`
  return clean
}

/** 新疆 (65…) and 兵团 (66…) administrative divisions for a project's location (GB/T 2260). */
export const XINJIANG_LOCATIONS: { code: string; name: string }[] = [
  { code: '650100', name: '乌鲁木齐市' },
  { code: '650102', name: '乌鲁木齐市天山区' },
  { code: '650103', name: '乌鲁木齐市沙依巴克区' },
  { code: '650104', name: '乌鲁木齐市新市区' },
  { code: '650105', name: '乌鲁木齐市水磨沟区' },
  { code: '650106', name: '乌鲁木齐市头屯河区' },
  { code: '650107', name: '乌鲁木齐市达坂城区' },
  { code: '650109', name: '乌鲁木齐市米东区' },
  { code: '650121', name: '乌鲁木齐县' },
  { code: '650200', name: '克拉玛依市' },
  { code: '650400', name: '吐鲁番市' },
  { code: '650500', name: '哈密市' },
  { code: '652300', name: '昌吉回族自治州' },
  { code: '652700', name: '博尔塔拉蒙古自治州' },
  { code: '652800', name: '巴音郭楞蒙古自治州' },
  { code: '652900', name: '阿克苏地区' },
  { code: '653000', name: '克孜勒苏柯尔克孜自治州' },
  { code: '653100', name: '喀什地区' },
  { code: '653200', name: '和田地区' },
  { code: '654000', name: '伊犁哈萨克自治州' },
  { code: '654200', name: '塔城地区' },
  { code: '654300', name: '阿勒泰地区' },
  { code: '659001', name: '石河子市（兵团第八师）' },
  { code: '659002', name: '阿拉尔市（兵团第一师）' },
  { code: '659003', name: '图木舒克市（兵团第三师）' },
  { code: '659004', name: '五家渠市（兵团第六师）' },
  { code: '659005', name: '北屯市（兵团第十师）' },
  { code: '659006', name: '铁门关市（兵团第二师）' },
  { code: '659007', name: '双河市（兵团第五师）' },
  { code: '659008', name: '可克达拉市（兵团第四师）' },
  { code: '659009', name: '昆玉市（兵团第十四师）' },
  { code: '659010', name: '胡杨河市（兵团第七师）' },
]

export function locationName(code: string | null | undefined): string {
  if (!code) return ''
  return XINJIANG_LOCATIONS.find((location) => location.code === code)?.name ?? code
}
