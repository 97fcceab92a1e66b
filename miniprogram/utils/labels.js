/** Chinese labels of the platform's codes (API.md), and small formatting helpers. */
const EMPLOYMENT_STATUS = {
  pending: '待确认',
  active: '在职',
  rejected: '已拒绝',
  cancelled: '已撤销',
  terminated: '已解除',
  expired: '已到期',
}

const END_REASONS = {
  cancelled_by_enterprise: '企业撤回了聘用邀请',
  accepted_elsewhere: '您已接受其他企业的聘用，此邀请已失效',
  terminated_by_enterprise: '企业解除了聘用关系',
  terminated_by_person: '本人解除了聘用关系',
  contract_ended: '劳动合同到期',
}

const CERTIFICATE_KIND = {
  registered: '注册证书',
  title: '职称证书',
  tech_worker: '技术工人',
  special_operation: '特种作业',
  post: '岗位/现场管理人员',
  safety: '安管人员',
}

const CERTIFICATE_STATUS = {
  valid: '有效',
  expired: '已过期',
  detached: '已离职脱离',
  pending_confirmation: '待单位确认',
  confirmed: '已确认',
  revoked: '已撤销',
}

const TITLE_LEVELS = ['初级', '中级', '副高级', '正高级']
const EDUCATION_LEVELS = ['初中及以下', '高中', '中专', '大专', '本科', '硕士研究生', '博士研究生']

const NOTICE_KINDS = {
  employment_offer: '聘用邀请',
  employment_cancelled: '聘用邀请撤回',
  employment_withdrawn: '聘用邀请失效',
  employment_terminated: '聘用关系解除',
  employment_expired: '劳动合同到期',
  title_confirmed: '职称证书确认',
  title_revoked: '职称证书撤销',
}

/** '2026-11-25T12:00:00+08:00' → '2026-11-25 12:00' (the platform sends Asia/Shanghai instants). */
function instant(value) {
  if (!value) return ''
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value)
  return match ? `${match[1]} ${match[2]}` : String(value)
}

module.exports = {
  EMPLOYMENT_STATUS, END_REASONS, CERTIFICATE_KIND, CERTIFICATE_STATUS, TITLE_LEVELS, EDUCATION_LEVELS,
  NOTICE_KINDS, instant,
}
