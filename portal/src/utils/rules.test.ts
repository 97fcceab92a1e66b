import { describe, expect, it } from 'vitest'
import { fileBlocker } from './certificates'
import { dueItems } from './due'
import { extensionOpen, extensionOpensOn, formatDate, formatDateTime } from './format'
import { fieldLabel } from './labels'

describe('dates are Beijing dates, shown YYYY-MM-DD', () => {
  it('formats instants in Asia/Shanghai whatever the PC zone', () => {
    expect(formatDate('2026-12-19T16:30:00+00:00')).toBe('2026-12-20')
    expect(formatDateTime('2026-11-25T04:00:00Z')).toBe('2026-11-25 12:00')
    expect(formatDate('2026-11-25')).toBe('2026-11-25')
  })

  it('opens the extension on 20 December of the year the registration ends, also after it ended', () => {
    expect(extensionOpensOn('2026-12-31')).toBe('2026-12-20')
    expect(extensionOpen('2026-12-31', '2026-12-19')).toBe(false)
    expect(extensionOpen('2026-12-31', '2026-12-20')).toBe(true)
    expect(extensionOpen('2026-12-31', '2027-03-01')).toBe(true)
  })
})

describe('what is due on the home page', () => {
  it('says the extension is open from 20 December and that an expired registration left the public list', () => {
    const items = dueItems([
      { enterprise_type: 'construction', status: 'valid', valid_until: '2026-12-31' },
      { enterprise_type: 'supervision', status: 'expired', valid_until: '2025-12-31' },
    ], '2026-12-21', 0, 0)
    expect(items.map((item) => item.level)).toEqual(['warning', 'error'])
    expect(items[0].text).toContain('自 2026-12-20 起可办理')
    expect(items[1].text).toContain('已不在进疆企业信息公示名单中')
  })

  it('asks for a first filing, pending titles and pending offers', () => {
    const items = dueItems([], '2026-11-25', 2, 1)
    expect(items.map((item) => item.to)).toEqual(['/filings/first', '/titles', '/employments'])
  })
})

describe('which certificates can be filed, and why not', () => {
  const context = { filedIds: new Set(['filed']), staffIds: new Set(['p1']), today: '2026-11-25' }
  it.each([
    [{ id: 'filed', person_id: 'p1', kind: 'registered', status: 'valid' }, '已报送'],
    [{ id: 'a', person_id: 'gone', kind: 'registered', status: 'valid' }, '持证人不是本企业在职人员'],
    [{ id: 'b', person_id: 'p1', kind: 'title', status: 'pending_confirmation' }, '职称证书尚未经本企业确认'],
    [{ id: 'c', person_id: 'p1', kind: 'registered', status: 'detached' }, '证书状态为“已离职解绑”'],
    [{ id: 'd', person_id: 'p1', kind: 'safety', status: 'valid', valid_until: '2026-11-24' }, '证书已于 2026-11-24 过期'],
    [{ id: 'e', person_id: 'p1', kind: 'title', status: 'confirmed' }, null],
  ])('%o → %s', (certificate, reason) => {
    expect(fileBlocker(certificate, context)).toBe(reason)
  })
})

describe('server field paths in Chinese', () => {
  it('names nested and indexed paths', () => {
    expect(fieldLabel('data.basic.contact_phone')).toBe('联系人手机号码')
    expect(fieldLabel('certificate_ids.2')).toBe('报送的证书（第3项）')
    expect(fieldLabel('unknown_field')).toBe('unknown_field')
  })
})
