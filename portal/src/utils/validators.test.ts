import { describe, expect, it } from 'vitest'
import { checkIdCard, checkMobile, isValidUscc, normalizeCode } from './validators'

describe('the same input rules as the server', () => {
  it('accepts a GB 11643 ID number and names what is wrong with others', () => {
    expect(checkIdCard('11010519491231002X')).toBeNull()
    expect(checkIdCard('11010519491231002Y')).toBe('身份证号码格式不正确，应为17位数字加1位数字或X')
    expect(checkIdCard('110105194912310021')).toBe('身份证号码校验位错误')
    expect(checkIdCard('99010519491231002X')).toBe('身份证号码地区码无效')
    expect(checkIdCard('110105194902300028')).toBe('身份证号码出生日期无效')
    expect(checkIdCard('1101051949')).toBe('身份证号码应为18位')
  })

  it('refuses a birth date after the business date', () => {
    expect(checkIdCard('510100202701013330', '2026-11-25')).toBe('身份证号码出生日期无效')
  })

  it('normalises full-width input typed with a Chinese IME', () => {
    expect(normalizeCode(' １１０１０５１９４９１２３１００２ｘ ')).toBe('11010519491231002X')
  })

  it('checks a unified social credit code with GB 32100 and its GB 11714 body', () => {
    expect(isValidUscc('9151010029141777XB')).toBe(true)
    expect(isValidUscc('911101054728576191')).toBe(true)
    expect(isValidUscc('9151010029141777XA')).toBe(false)
    expect(isValidUscc('9151010029141777X')).toBe(false)
  })

  it('checks mainland mobile numbers', () => {
    expect(checkMobile('13800138000')).toBeNull()
    expect(checkMobile('12800138000')).toBe('手机号码格式不正确')
  })
})
