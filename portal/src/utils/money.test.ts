import { describe, expect, it } from 'vitest'
import { fenToYuan, yuanToFen } from './money'

describe('amounts typed in 元 are sent in 分 without floating point', () => {
  it.each([
    ['18800000', 1880000000],
    ['18,800,000.5', 1880000050],
    ['18800000.10', 1880000010],
    ['0.29', 29],
    ['１２３４.５６', 123456],
    ['100元', 10000],
    ['1，000.01', 100001],
  ])('%s 元 is %i 分', (text, fen) => {
    expect(yuanToFen(text)).toBe(fen)
  })

  it.each(['', 'abc', '1.234', '-5', '01', '1e5', '1.', '.5', '99999999999999999'])('%s is not an amount', (text) => {
    expect(yuanToFen(text)).toBeNull()
  })

  it('shows fen as 元 with thousands separators and two decimals', () => {
    expect(fenToYuan(1880000050)).toBe('18,800,000.50')
    expect(fenToYuan(5)).toBe('0.05')
    expect(fenToYuan(null)).toBe('')
  })
})
