// The user's local CA helper (新疆CA / BJCA 证书应用环境), as BJCA's xtxsync.js calls it:
//   POST http://127.0.0.1:21051/synctl  (https://127.0.0.1:21061/synctl when the page is on https)
//   {"url": location.href, "clsid": XTXAPP_CLSID, "func": "SOF_…", "param": [...], "token": "…"}
//   → {"retVal": <string | bool | number>, "token": "…"}
// A failing function answers "" / false / -1; SOF_GetLastError then names the GM/T 0020 or 0016 code.
// The login uses: SOF_GetUserList, SOF_ExportUserCert, SOF_Login, SOF_GetPinRetryCount,
// SOF_SetSignMethod and SOF_SignDataBase64 (SOF_SignData signs the text's bytes, but the gateway
// verifies the signature over the nonce's raw bytes, so the nonce goes in base64).
import { base64ToBytes, toPem } from './der'
import { parseCertificate, type CertificateInfo, type KeyAlgorithm } from './x509'

export const XTXAPP_CLSID = '3F367B74-92D9-4C5E-AB93-234F8A91D5E6'

// GM/T 0006 sign methods for SOF_SetSignMethod
export const SGD_SHA256_RSA = 0x00010004
export const SGD_SM3_SM2 = 0x00020201

// error codes of SOF_GetLastError that the login explains
export const SAR_PIN_INCORRECT = 0x0a000024
export const SAR_PIN_LOCKED = 0x0a000025
export const SOR_CERT_NOT_FOUND = 0x0b000310

const CALL_TIMEOUT_MS = 15_000
const PROBE_TIMEOUT_MS = 2_500

/** No helper answered on any of its addresses. */
export class HelperUnavailable extends Error {}

/** The helper answered, but a function failed; `code` is SOF_GetLastError's. */
export class HelperCallFailed extends Error {
  constructor(readonly func: string, readonly code: number, message: string) {
    super(message)
  }
}

export interface HelperCertificate {
  certId: string
  /** The name the helper lists (the certificate's CN). */
  name: string
  pem: string
  info: CertificateInfo | null
}

export class CaHelper {
  private baseUrl: string | null = null
  private token = ''

  constructor(private readonly candidates: string[]) {}

  get url(): string | null {
    return this.baseUrl
  }

  private async post(baseUrl: string, func: string, param: unknown[], timeout: number): Promise<unknown> {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), timeout)
    try {
      const body: Record<string, unknown> = { url: window.location.href, clsid: XTXAPP_CLSID, func, param }
      if (this.token) body.token = this.token
      const response = await fetch(`${baseUrl}/synctl`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
        signal: controller.signal, mode: 'cors', credentials: 'omit', cache: 'no-store',
      })
      if (!response.ok) {
        if (func === 'SOF_Login') this.token = ''
        throw new HelperCallFailed(func, -1, `CA助手返回错误（HTTP ${response.status}）`)
      }
      const answer = (await response.json()) as { retVal?: unknown; retValue?: unknown; token?: unknown }
      if (typeof answer.token === 'string') this.token = answer.token
      return answer.retValue !== undefined ? answer.retValue : answer.retVal
    } finally {
      clearTimeout(timer)
    }
  }

  /** Finds the helper: the first address whose SOF_GetVersion answers. */
  async connect(): Promise<string> {
    if (this.baseUrl) return this.baseUrl
    // a page on https may only use the helper's https address in older browsers: try it first there
    const ordered = [...this.candidates].sort((a, b) => {
      if (window.location.protocol !== 'https:') return 0
      return Number(b.startsWith('https:')) - Number(a.startsWith('https:'))
    })
    for (const candidate of ordered) {
      try {
        await this.post(candidate, 'SOF_GetVersion', [], PROBE_TIMEOUT_MS)
        this.baseUrl = candidate
        return candidate
      } catch {
        /* try the next address */
      }
    }
    throw new HelperUnavailable('未检测到CA证书应用环境')
  }

  async call(func: string, ...param: unknown[]): Promise<unknown> {
    const baseUrl = await this.connect()
    try {
      return await this.post(baseUrl, func, param, CALL_TIMEOUT_MS)
    } catch (error) {
      if (error instanceof HelperCallFailed) throw error
      this.baseUrl = null // the helper went away (stopped, restarted): look for it again next time
      throw new HelperUnavailable('CA证书应用环境没有响应')
    }
  }

  async lastError(): Promise<number> {
    const code = await this.call('SOF_GetLastError')
    return typeof code === 'number' ? code : Number(code) || -1
  }

  private async failed(func: string, fallback: string): Promise<HelperCallFailed> {
    const code = await this.lastError().catch(() => -1)
    let message = fallback
    try {
      const text = await this.call('SOF_GetLastErrMsg')
      if (typeof text === 'string' && text) message = `${fallback}：${text}`
    } catch {
      /* keep the fallback */
    }
    return new HelperCallFailed(func, code, message)
  }

  /** The certificates of the USB keys plugged in ("name||certId&&&…"). */
  async certificates(): Promise<HelperCertificate[]> {
    const listed = await this.call('SOF_GetUserList')
    const entries = typeof listed === 'string' ? listed.split('&&&').filter((entry) => entry.includes('||')) : []
    const result: HelperCertificate[] = []
    for (const entry of entries) {
      const separator = entry.indexOf('||')
      const name = entry.slice(0, separator)
      const certId = entry.slice(separator + 2)
      const exported = await this.call('SOF_ExportUserCert', certId)
      if (typeof exported !== 'string' || !exported) continue // pulled out meanwhile
      const der = base64ToBytes(exported.replace(/-----[A-Z ]+-----/g, ''))
      let info: CertificateInfo | null = null
      try {
        info = parseCertificate(der)
      } catch {
        info = null
      }
      result.push({ certId, name, pem: toPem('CERTIFICATE', der), info })
    }
    return result
  }

  /** SOF_Login with the PIN: true, or false with the tries left (0: locked). */
  async login(certId: string, pin: string): Promise<{ ok: true } | { ok: false; triesLeft: number; code: number }> {
    const answer = await this.call('SOF_Login', certId, pin)
    if (answer === true || answer === 'true') return { ok: true }
    const code = await this.lastError().catch(() => -1)
    const tries = await this.call('SOF_GetPinRetryCount', certId)
    const triesLeft = typeof tries === 'number' ? tries : Number(tries)
    return { ok: false, triesLeft: Number.isFinite(triesLeft) ? triesLeft : -1, code }
  }

  /** Signs raw bytes (given in base64) with the key's own algorithm; returns the base64 signature. */
  async sign(certId: string, algorithm: KeyAlgorithm | null, dataBase64: string): Promise<string> {
    if (algorithm === 'rsa' || algorithm === 'sm2') {
      const set = await this.call('SOF_SetSignMethod', algorithm === 'sm2' ? SGD_SM3_SM2 : SGD_SHA256_RSA)
      if (set !== 0 && set !== '0') throw await this.failed('SOF_SetSignMethod', 'CA锁不支持所需的签名算法')
    }
    const signature = await this.call('SOF_SignDataBase64', certId, dataBase64)
    if (typeof signature !== 'string' || !signature) throw await this.failed('SOF_SignDataBase64', 'CA锁签名失败')
    return signature
  }

  async logout(certId: string): Promise<void> {
    try {
      await this.call('SOF_Logout', certId)
    } finally {
      this.token = ''
    }
  }
}
