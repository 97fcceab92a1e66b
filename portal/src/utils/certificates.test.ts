import { describe, expect, it } from 'vitest'
import { errorsByRow, fileBlocker, filingContext } from './certificates'

describe('certificates in a filing', () => {
  it('puts a review\'s indexed reasons back on the rows submitted, by id', () => {
    const byPath = { 'add.1': ['证书已过期'], 'add.0': ['持证人不是本企业在职人员', '证书已注销'], remove: ['至少保留一张'], 'remove.0': ['x'] }
    expect(errorsByRow(byPath, 'add', ['c1', 'c2'])).toEqual({ c1: '持证人不是本企业在职人员；证书已注销', c2: '证书已过期' })
    expect(errorsByRow(byPath, 'certificate_ids', ['c1'])).toEqual({})
  })

  it('knows what is filed already, who is on the staff and the business date', () => {
    const context = filingContext([{ id: 'c1' }], [{ person_id: 'p1' }], '2026-11-25')
    expect(fileBlocker({ id: 'c1', person_id: 'p1', status: 'valid' }, context)).toBe('已报送')
    expect(fileBlocker({ id: 'c2', person_id: 'p2', status: 'valid' }, context)).toBe('持证人不是本企业在职人员')
    expect(fileBlocker({ id: 'c3', person_id: 'p1', status: 'valid', valid_until: '2026-11-24' }, context)).toBe('证书已于 2026-11-24 过期')
    expect(fileBlocker({ id: 'c4', person_id: 'p1', status: 'valid', valid_until: '2026-11-25' }, context)).toBeNull()
  })
})
