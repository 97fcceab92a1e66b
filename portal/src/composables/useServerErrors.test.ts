import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/errors'
import { useServerErrors } from './useServerErrors'

describe('the server\'s words land on the form field they concern', () => {
  const props = ['basic.name', 'basic.contact_phone', 'certificate_ids']

  it('maps a 422\'s field paths (data.… stripped) onto form items; the rest is listed above the form', () => {
    const errors = useServerErrors(() => props)
    const refused = new ApiError(422, 'VALIDATION_FAILED', '提交的数据有误', {
      'data.basic.contact_phone': ['手机号码格式不正确'], 'data.unknown': ['不允许提交此字段'],
    })
    expect(errors.fromError(refused)).toBe(true)
    expect(errors.errorOf('basic.contact_phone')).toBe('手机号码格式不正确')
    expect(errors.errorOf('basic.name')).toBe('')
    expect(errors.unplaced.value).toEqual(['不允许提交此字段'])
  })

  it('puts a rejected case\'s indexed reasons on their list field', () => {
    const errors = useServerErrors(() => props)
    errors.fromReasons([
      { error: 'HOLDER_NOT_EMPLOYED', message: '持证人不是本企业在职人员', field: 'certificate_ids.1' },
      { error: 'NAME_MISMATCH', message: '企业名称与全国平台不一致', field: 'basic.name' },
      { error: 'NO_VALID_QUALIFICATION', message: '没有有效资质' },
    ])
    expect(errors.errorOf('certificate_ids')).toBe('持证人不是本企业在职人员')
    expect(errors.byPath['certificate_ids.1']).toEqual(['持证人不是本企业在职人员'])
    expect(errors.errorOf('basic.name')).toBe('企业名称与全国平台不一致')
    expect(errors.unplaced.value).toEqual(['没有有效资质'])
  })

  it('ignores errors that carry no field', () => {
    const errors = useServerErrors(() => props)
    expect(errors.fromError(new ApiError(503, 'SERVICE_UNAVAILABLE', '服务暂时不可用'))).toBe(false)
  })
})
