/**
 * 居民身份证号码 (GB 11643-1999), checked on the phone before anything is sent.
 *
 * This mirrors services/xjkit/validators.py (normalize_id_card, id_card_check_char,
 * check_id_card) rule for rule and message for message; tests/unit/idcard.test.js and
 * services/tests/unit/test_validators_idcard_samples.py check both against the same samples
 * (tests/fixtures/idcard-samples.json).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK_CHARS = '10X98765432' // index = weighted sum mod 11 (ISO 7064 MOD 11-2)
const SHAPE = /^[0-9]{17}[0-9Xx]$/
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
  50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91,
])
const EARLIEST_BIRTH = '19000101'

/** Canonical form: NFKC (full-width digits typed on phones become ASCII), trimmed, upper-case X. */
function normalize(value) {
  if (value === null || value === undefined) return ''
  return String(value).normalize('NFKC').trim().toUpperCase()
}

/** The GB 11643 check character for 17 ASCII digits. */
function checkChar(first17) {
  if (!/^[0-9]{17}$/.test(first17)) throw new Error('need exactly 17 digits')
  let sum = 0
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * WEIGHTS[i]
  return CHECK_CHARS[sum % 11]
}

/** Today in Asia/Shanghai as YYYYMMDD (the phone's clock, as the server uses its own). */
function todayInShanghai(now = new Date()) {
  const shanghai = new Date(now.getTime() + 8 * 3600 * 1000)
  const pad = (n) => String(n).padStart(2, '0')
  return `${shanghai.getUTCFullYear()}${pad(shanghai.getUTCMonth() + 1)}${pad(shanghai.getUTCDate())}`
}

function validBirth(yyyymmdd, today) {
  const year = Number(yyyymmdd.slice(0, 4))
  const month = Number(yyyymmdd.slice(4, 6))
  const day = Number(yyyymmdd.slice(6, 8))
  const date = new Date(Date.UTC(year, month - 1, day))
  // 19900230 and the like roll over into another date: not a real birth date
  if (year < 1 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return false
  }
  return yyyymmdd >= EARLIEST_BIRTH && yyyymmdd <= today
}

/**
 * null when valid, else why not (Chinese, as the server says it). Call normalize() first.
 * `today`: YYYYMMDD bounding the birth date (default: today in Asia/Shanghai).
 */
function check(value, today = todayInShanghai()) {
  if (value === null || value === undefined || value === '') return '身份证号码不能为空'
  if (typeof value !== 'string') return '身份证号码格式不正确'
  if ([...value].length !== 18) return '身份证号码应为18位'
  if (!SHAPE.test(value)) return '身份证号码格式不正确，应为17位数字加1位数字或X'
  if (!PROVINCES.has(Number(value.slice(0, 2)))) return '身份证号码地区码无效'
  if (!validBirth(value.slice(6, 14), today)) return '身份证号码出生日期无效'
  if (checkChar(value.slice(0, 17)) !== value[17].toUpperCase()) return '身份证号码校验位错误'
  return null
}

/** 110105********002X: what the platform shows of an ID number. */
function mask(value) {
  const text = normalize(value)
  return text.length === 18 ? `${text.slice(0, 6)}********${text.slice(14)}` : ''
}

module.exports = { normalize, checkChar, check, mask, todayInShanghai }
