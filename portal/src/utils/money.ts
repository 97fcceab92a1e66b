// Amounts are typed in 元 (up to 2 decimals) and sent in 分 (integer fen), without floating point:
// 0.1 + 0.2 must not turn 18800000.10 元 into 1880000009 分.

const YUAN = /^(0|[1-9][0-9]{0,14})(?:\.([0-9]{1,2}))?$/

/** `"18,800,000.5"` → 1880000050; null when it is not an amount in 元 with at most 2 decimals. */
export function yuanToFen(text: string): number | null {
  const compact = text.normalize('NFKC').replace(/[,，\s]/g, '').replace(/元$/, '')
  const match = YUAN.exec(compact)
  if (!match) return null
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
  return Number.isSafeInteger(fen) ? fen : null
}

/** 1880000050 → `"18,800,000.50"`. */
export function fenToYuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return ''
  const negative = fen < 0
  const absolute = Math.abs(Math.trunc(fen))
  const yuan = Math.floor(absolute / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '-' : ''}${yuan}.${String(absolute % 100).padStart(2, '0')}`
}

/** 1880000000 → `"1880万元"` style shorthand for large amounts (display only). */
export function fenToWanYuan(fen: number): string {
  const wan = fen / 100 / 10000
  return `${Number.isInteger(wan) ? wan : wan.toFixed(2)}万元`
}
