// Dates are shown YYYY-MM-DD and instants YYYY-MM-DD HH:mm, in Beijing time (the platform's
// calendar), whatever time zone the user's PC is set to.

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000

function pad(value: number): string {
  return String(value).padStart(2, '0')
}

/** A Date as its calendar day in Asia/Shanghai. */
export function shanghaiDay(date: Date): string {
  const shifted = new Date(date.getTime() + SHANGHAI_OFFSET_MS)
  return `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`
}

/** `2026-11-25` or `2026-11-25T12:00:00+08:00` → `2026-11-25`; empty for nothing. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return ''
  if (value instanceof Date) return shanghaiDay(value)
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value
  const parsed = new Date(value)
  return Number.isNaN(parsed.getTime()) ? value : shanghaiDay(parsed)
}

/** An instant → `2026-11-25 12:00` (Beijing time). */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return ''
  const parsed = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(parsed.getTime())) return String(value)
  const shifted = new Date(parsed.getTime() + SHANGHAI_OFFSET_MS)
  return `${shanghaiDay(parsed)} ${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}`
}

/** File sizes as people read them: 512 B, 12.3 KB, 4.5 MB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** Days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400000)
}

/** The 20 December from which a registration ending on `validUntil` may be extended (延续). */
export function extensionOpensOn(validUntil: string): string {
  return `${validUntil.slice(0, 4)}-12-20`
}

export function extensionOpen(validUntil: string | null | undefined, today: string): boolean {
  return !!validUntil && today >= extensionOpensOn(validUntil)
}
