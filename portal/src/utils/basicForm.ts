// Rules of the enterprise's basic information (gateway/schemas/filings.py FilingBasic): every field
// but the Xinjiang office is required for a first filing; a change checks only what it changes.
import type { FormItemRule } from 'element-plus'
import { checkMobile } from './validators'

type Rules = Record<string, FormItemRule[]>

export const BASIC_FIELDS = ['name', 'legal_representative', 'registered_address', 'registered_capital_wan', 'established_on',
  'contact_name', 'contact_phone', 'xj_office_address'] as const
export type BasicField = (typeof BASIC_FIELDS)[number]
/** The form items' props: the fields under `basic`. */
export const BASIC_PROPS = BASIC_FIELDS.map((field) => `basic.${field}`)

const MAX_LENGTH: Record<string, number> = { name: 100, legal_representative: 30, registered_address: 200, contact_name: 30, xj_office_address: 200 }

export function isCapital(value: string): boolean {
  return /^(0|[1-9]\d{0,11})(\.\d{1,6})?$/.test(value.trim()) && Number(value) > 0
}

export function basicRules(required: boolean): Rules {
  const rules: Rules = {}
  const need = (message: string): FormItemRule[] => (required ? [{ required: true, message, trigger: 'blur' }] : [])
  const text = (field: string, message: string) => {
    rules[`basic.${field}`] = [...need(message), { max: MAX_LENGTH[field], message: `长度不能超过${MAX_LENGTH[field]}个字符`, trigger: 'blur' }]
  }
  text('name', '请填写企业名称')
  text('legal_representative', '请填写法定代表人')
  text('registered_address', '请填写注册地址')
  text('contact_name', '请填写联系人')
  rules['basic.xj_office_address'] = [{ max: 200, message: '长度不能超过200个字符', trigger: 'blur' }]
  rules['basic.registered_capital_wan'] = [...need('请填写注册资本'), {
    trigger: 'blur',
    validator: (_rule, value: string, callback) => (!value || isCapital(String(value)) ? callback() : callback(new Error('注册资本（万元）应为大于0的数字'))),
  }]
  rules['basic.established_on'] = need('请选择成立日期')
  rules['basic.contact_phone'] = [...need('请填写联系人手机号码'), {
    trigger: 'blur',
    validator: (_rule, value: string, callback) => {
      const problem = value ? checkMobile(value.trim()) : null
      if (problem) callback(new Error(problem))
      else callback()
    },
  }]
  return rules
}
