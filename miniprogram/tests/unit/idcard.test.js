/**
 * The phone's ID-number check mirrors the server's (services/xjkit/validators.py): both answer
 * tests/fixtures/idcard-samples.json, whose expected answers the Python side produces and
 * services/tests/unit/test_validators_idcard_samples.py pins.
 */
const idcard = require('../../utils/idcard')
const { samples, today } = require('../fixtures/idcard-samples.json')

const todayCompact = today.replace(/-/g, '')

describe('GB 11643 on the phone', () => {
  test.each(samples.map((s) => [s.note, s]))('%s: answered as the server answers', (_, sample) => {
    const normalized = idcard.normalize(sample.input)
    expect(normalized).toBe(sample.normalized)
    expect(idcard.check(normalized, todayCompact)).toBe(sample.problem)
  })

  test('the check character of 17 digits is the ISO 7064 MOD 11-2 one', () => {
    expect(idcard.checkChar('11010519491231002')).toBe('X')
    expect(() => idcard.checkChar('1101051949123100')).toThrow()
  })

  test('today in Asia/Shanghai is the next day from 16:00 UTC', () => {
    expect(idcard.todayInShanghai(new Date('2026-11-25T15:59:59Z'))).toBe('20261125')
    expect(idcard.todayInShanghai(new Date('2026-11-25T16:00:00Z'))).toBe('20261126')
  })

  test('a masked number shows the first six and the last four characters only', () => {
    expect(idcard.mask('11010519491231002x')).toBe('110105********002X')
    expect(idcard.mask('123')).toBe('')
  })
})
