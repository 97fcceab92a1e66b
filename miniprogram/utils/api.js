/**
 * The one way pages talk to the gateway (API.md): wx.request, wx.uploadFile and wx.downloadFile
 * with the person's token. Errors come back as ApiError with the API.md body; unless the caller
 * handles a field's message itself, the user sees the Chinese message as a toast. A 401 ends the
 * session and sends the person back to the login page.
 */
const config = require('../config')
const session = require('./session')

const LOGIN_PAGE = '/pages/login/index'
const NETWORK_MESSAGE = '网络连接失败，请检查网络后重试'
const STATUS_MESSAGES = {
  400: '请求格式错误',
  401: '登录已失效，请重新登录',
  403: '无权进行此操作',
  404: '请求的内容不存在',
  409: '当前状态不允许此操作',
  413: '文件过大',
  415: '不支持的文件类型',
  422: '提交的内容有误，请检查后重试',
  429: '操作过于频繁，请稍后再试',
  500: '系统繁忙，请稍后重试',
  502: '服务暂时不可用，请稍后重试',
  503: '服务暂时不可用，请稍后重试',
  504: '服务响应超时，请稍后重试',
}

class ApiError extends Error {
  /** status 0: the request never got an answer (no network, timeout). */
  constructor(status, code, message, errors) {
    super(message)
    this.status = status
    this.code = code
    this.errors = errors || {}
  }

  /** The first message for a field path, or ''. */
  field(name) {
    const messages = this.errors[name]
    return messages && messages.length ? messages[0] : ''
  }
}

/** A version 4 UUID for Idempotency-Key (retries of one action reuse theirs). */
function newIdempotencyKey() {
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = Math.floor(Math.random() * 16)
    return (c === 'x' ? r : (r % 4) + 8).toString(16)
  })
}

function url(path) {
  return `${config.gatewayBaseUrl}/api/v1${path}`
}

function authHeader() {
  const token = session.token()
  return token ? { Authorization: `Bearer ${token}` } : {}
}

/** The API.md error body of an answer, whatever the server (or a proxy in front of it) sent. */
function errorOf(statusCode, body) {
  let parsed = body
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed)
    } catch (e) {
      parsed = null
    }
  }
  if (parsed && typeof parsed === 'object' && typeof parsed.message === 'string' && parsed.error) {
    return new ApiError(statusCode, parsed.error, parsed.message, parsed.errors)
  }
  return new ApiError(statusCode, `HTTP_${statusCode}`, STATUS_MESSAGES[statusCode] || `请求失败（${statusCode}）`)
}

function toast(message) {
  wx.showToast({ title: message, icon: 'none', duration: 3000 })
}

let leaving = false

/** The session is over: forget it and go back to the login page (once, however many calls fail). */
function backToLogin() {
  session.clear()
  if (leaving) return
  leaving = true
  wx.reLaunch({ url: LOGIN_PAGE, complete: () => { leaving = false } })
}

/**
 * What happens to a failed call before the page sees it. `options.fields`: field paths the page
 * shows next to its inputs; an error naming only those is not toasted. `options.quiet`: the page
 * shows every error itself (it still gets the 401 handling).
 */
function handleFailure(error, options) {
  if (error.status === 401 && !options.noAuth) {
    toast(error.message || STATUS_MESSAGES[401])
    backToLogin()
    return error
  }
  if (options.quiet) return error
  const shownByPage = options.fields || []
  const paths = Object.keys(error.errors)
  const allOnPage = paths.length > 0 && paths.every((path) => shownByPage.includes(path))
  if (!allOnPage) {
    const firstOther = paths.find((path) => !shownByPage.includes(path))
    const detail = error.status === 422 && firstOther ? error.field(firstOther) : ''
    toast(detail ? `${error.message}：${detail}` : error.message)
  }
  return error
}

function settle(resolve, reject, options) {
  return {
    success(res) {
      if (res.statusCode >= 200 && res.statusCode < 300) {
        resolve(res)
      } else {
        reject(handleFailure(errorOf(res.statusCode, res.data), options))
      }
    },
    fail() {
      reject(handleFailure(new ApiError(0, 'NETWORK', NETWORK_MESSAGE), options))
    },
  }
}

/**
 * request('GET', '/mp/me') → the parsed body. Options: data, idempotencyKey (POSTs get a fresh
 * one unless given), fields, quiet, noAuth.
 */
function request(method, path, options = {}) {
  const header = { ...(options.noAuth ? {} : authHeader()), 'Content-Type': 'application/json' }
  if (method === 'POST') header['Idempotency-Key'] = options.idempotencyKey || newIdempotencyKey()
  return new Promise((resolve, reject) => {
    const { success, fail } = settle((res) => resolve(res.data), reject, options)
    wx.request({
      url: url(path), method, data: options.data, header, dataType: 'json',
      timeout: config.requestTimeoutMs, success, fail,
    })
  })
}

/** wx.uploadFile of a local file as the multipart part `file`; resolves the parsed body. */
function upload(path, filePath, options = {}) {
  const header = { ...authHeader(), 'Idempotency-Key': options.idempotencyKey || newIdempotencyKey() }
  return new Promise((resolve, reject) => {
    const { success, fail } = settle((res) => {
      try {
        resolve(typeof res.data === 'string' ? JSON.parse(res.data) : res.data)
      } catch (e) {
        reject(handleFailure(new ApiError(res.statusCode, 'BAD_ANSWER', STATUS_MESSAGES[500]), options))
      }
    }, reject, options)
    wx.uploadFile({ url: url(path), filePath, name: 'file', header, timeout: config.requestTimeoutMs, success, fail })
  })
}

/** The error body a download saved instead of the file (wx.downloadFile keeps any answer as a file). */
function savedBody(tempFilePath) {
  try {
    return wx.getFileSystemManager().readFileSync(tempFilePath, 'utf8')
  } catch (e) {
    return null
  }
}

/** wx.downloadFile with the token; resolves the local temporary path. */
function download(path, options = {}) {
  return new Promise((resolve, reject) => {
    const { success, fail } = settle((res) => resolve(res.tempFilePath), reject, options)
    wx.downloadFile({
      url: url(path), header: authHeader(), timeout: config.requestTimeoutMs, fail,
      success(res) {
        const ok = res.statusCode >= 200 && res.statusCode < 300
        success(ok ? res : { statusCode: res.statusCode, data: savedBody(res.tempFilePath) })
      },
    })
  })
}

module.exports = {
  ApiError,
  LOGIN_PAGE,
  NETWORK_MESSAGE,
  newIdempotencyKey,
  request,
  get: (path, options) => request('GET', path, options),
  post: (path, data, options = {}) => request('POST', path, { ...options, data }),
  put: (path, data, options = {}) => request('PUT', path, { ...options, data }),
  upload,
  download,
  errorOf,
}
