// The same input rules as the server (xjkit.validators), so the form says what is wrong before
// anything is sent. The server checks again; its 422 messages land on the same fields.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK_CHARS = '10X98765432'
const PROVINCES = new Set([11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
  50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91])

/** Full-width digits and letters (typed with a Chinese IME) become ASCII; trimmed; upper case. */
export function normalizeCode(value: string): string {
  return value.normalize('NFKC').trim().toUpperCase()
}

/** GB 11643: null when valid, else why not (the server's words). `today` is the business date YYYY-MM-DD. */
export function checkIdCard(value: string, today?: string): string | null {
  if (!value) return '身份证号码不能为空'
  if (value.length !== 18) return '身份证号码应为18位'
  if (!/^[0-9]{17}[0-9X]$/.test(value)) return '身份证号码格式不正确，应为17位数字加1位数字或X'
  if (!PROVINCES.has(Number(value.slice(0, 2)))) return '身份证号码地区码无效'
  const year = Number(value.slice(6, 10))
  const month = Number(value.slice(10, 12))
  const day = Number(value.slice(12, 14))
  const born = new Date(Date.UTC(year, month - 1, day))
  const birth = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`
  if (born.getUTCFullYear() !== year || born.getUTCMonth() !== month - 1 || born.getUTCDate() !== day ||
      year < 1900 || (today && birth > today)) {
    return '身份证号码出生日期无效'
  }
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(value[i]) * ID_WEIGHTS[i]
  if (ID_CHECK_CHARS[sum % 11] !== value[17]) return '身份证号码校验位错误'
  return null
}

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]

/** GB 32100 with the GB 11714 organisation-code check, as the server applies it. */
export function isValidUscc(value: string): boolean {
  if (value.length !== 18 || [...value].some((c) => !USCC_CHARSET.includes(c))) return false
  if (!'123456789ANY'.includes(value[0]) || !'123456789'.includes(value[1]) || !/^[0-9]{6}$/.test(value.slice(2, 8))) return false
  let total = 0
  for (let i = 0; i < 17; i++) total += USCC_CHARSET.indexOf(value[i]) * USCC_WEIGHTS[i]
  if (USCC_CHARSET[(31 - (total % 31)) % 31] !== value[17]) return false
  const body = value.slice(8, 16)
  if (!/^[0-9A-Z]{8}$/.test(body)) return false
  let org = 0
  for (let i = 0; i < 8; i++) {
    const char = body[i]
    org += (/[0-9]/.test(char) ? Number(char) : char.charCodeAt(0) - 55) * ORG_WEIGHTS[i]
  }
  const check = 11 - (org % 11)
  return (check === 10 ? 'X' : check === 11 ? '0' : String(check)) === value[16]
}

export function checkMobile(value: string): string | null {
  if (!value) return '手机号码不能为空'
  return /^1[3-9][0-9]{9}$/.test(value) ? null : '手机号码格式不正确'
}
