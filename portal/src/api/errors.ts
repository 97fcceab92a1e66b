// Errors of the gateway, as API.md defines their body:
// {"code": <status>, "error": "<STABLE_CODE>", "message": "<中文>", "errors": {<field path>: [<中文>]}}
export const NETWORK_ERROR = 'NETWORK_ERROR'

export type FieldErrors = Record<string, string[]>

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly errors: FieldErrors
  /** Seconds the server asked to wait (429 Retry-After). */
  readonly retryAfter: number | null

  constructor(status: number, code: string, message: string, errors: FieldErrors = {}, retryAfter: number | null = null) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.errors = errors
    this.retryAfter = retryAfter
  }

  /** Worth trying again later: the server or a service was down or busy, or the network failed. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 503 || this.status === 502 || this.status === 504 || this.status === 429
  }
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: '请求格式错误',
  401: '登录已失效，请重新登录',
  403: '无权进行此操作',
  404: '请求的内容不存在',
  409: '当前状态不允许此操作',
  413: '提交的内容过大',
  415: '不支持的文件类型',
  422: '提交的数据有误，请按提示修改',
  429: '操作过于频繁，请稍后再试',
  500: '系统内部错误，请稍后重试',
  502: '服务暂时不可用，请稍后重试',
  503: '服务暂时不可用，请稍后重试',
  504: '服务响应超时，请稍后重试',
}

export function defaultMessage(status: number): string {
  return DEFAULT_MESSAGES[status] ?? `请求失败（${status}）`
}

export async function parseErrorBody(response: Response): Promise<ApiError> {
  let body: unknown = null
  try {
    body = await response.json()
  } catch {
    body = null
  }
  const retryAfterHeader = response.headers.get('Retry-After')
  const retryAfter = retryAfterHeader && /^\d+$/.test(retryAfterHeader) ? Number(retryAfterHeader) : null
  if (body && typeof body === 'object') {
    const record = body as { error?: unknown; message?: unknown; errors?: unknown }
    const errors: FieldErrors = {}
    if (record.errors && typeof record.errors === 'object') {
      for (const [path, messages] of Object.entries(record.errors as Record<string, unknown>)) {
        errors[path] = Array.isArray(messages) ? messages.map(String) : [String(messages)]
      }
    }
    return new ApiError(
      response.status,
      typeof record.error === 'string' ? record.error : `HTTP_${response.status}`,
      typeof record.message === 'string' && record.message ? record.message : defaultMessage(response.status),
      errors,
      retryAfter,
    )
  }
  return new ApiError(response.status, `HTTP_${response.status}`, defaultMessage(response.status), {}, retryAfter)
}

/** A message for the user, with what to do when the problem is temporary. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return error.message
    if (error.status === 429) {
      return error.retryAfter ? `操作过于频繁，请${error.retryAfter}秒后再试` : defaultMessage(429)
    }
    if (error.status === 503 || error.status === 502 || error.status === 504) {
      return `${error.message || defaultMessage(error.status)}（您填写的内容未丢失，请稍后点击重试）`
    }
    return error.message
  }
  return '操作失败，请稍后重试'
}
