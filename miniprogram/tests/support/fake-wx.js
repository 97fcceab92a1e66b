/**
 * The WeChat client as the tests meet it: the `wx` API the pages call, with storage, toasts,
 * modals and navigation recorded. Network calls go through a transport: `httpTransport(base)`
 * forwards wx.request / wx.uploadFile / wx.downloadFile to a real gateway over Node's http
 * (flow tests), `routeTransport(handler)` answers in-process (unit tests). Callbacks are always
 * asynchronous, as WeChat's are.
 */
const fs = require('fs')
const http = require('http')
const os = require('os')
const path = require('path')
const crypto = require('crypto')

const TEMP_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'xj-mp-wx-'))
const EXTENSIONS = { 'application/pdf': '.pdf', 'image/jpeg': '.jpg', 'image/png': '.png', 'application/json': '.json' }

/** A transport to a real HTTP server; `state.down` makes it refuse like a dead network. */
function httpTransport(state = {}) {
  return (request) => new Promise((resolve, reject) => {
    if (state.down) {
      reject(new Error('ECONNREFUSED'))
      return
    }
    const target = new URL(request.url)
    const outgoing = http.request({
      hostname: target.hostname, port: target.port, path: target.pathname + target.search,
      method: request.method, headers: request.headers, timeout: request.timeout || 30000,
    }, (answer) => {
      const chunks = []
      answer.on('data', (chunk) => chunks.push(chunk))
      answer.on('end', () => resolve({ statusCode: answer.statusCode, headers: answer.headers, body: Buffer.concat(chunks) }))
    })
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')))
    outgoing.on('error', reject)
    if (request.body) outgoing.write(request.body)
    outgoing.end()
  })
}

/**
 * An in-process transport: handler({method, path, query, headers, json, body}) returns
 * {status, json} or {status, body, headers}, or throws to play a dead network.
 */
function routeTransport(handler) {
  return async (request) => {
    const target = new URL(request.url)
    const text = request.body ? request.body.toString('utf8') : ''
    let json
    try { json = text ? JSON.parse(text) : undefined } catch (e) { json = undefined }
    const answer = await handler({
      method: request.method, path: target.pathname.replace(/^\/api\/v1/, ''), query: Object.fromEntries(target.searchParams),
      headers: request.headers, json, body: request.body,
    })
    const isJson = answer.json !== undefined
    return {
      statusCode: answer.status || 200,
      headers: { 'content-type': isJson ? 'application/json' : 'application/octet-stream', ...(answer.headers || {}) },
      body: isJson ? Buffer.from(JSON.stringify(answer.json)) : Buffer.from(answer.body || ''),
    }
  }
}

function lowerCaseKeys(headers) {
  return Object.fromEntries(Object.entries(headers || {}).map(([k, v]) => [k.toLowerCase(), v]))
}

function multipart(name, filePath, formData) {
  const boundary = `----xjmp${crypto.randomBytes(8).toString('hex')}`
  const parts = []
  Object.entries(formData || {}).forEach(([key, value]) => {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`))
  })
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${path.basename(filePath)}"\r\n`
    + 'Content-Type: application/octet-stream\r\n\r\n'))
  parts.push(fs.readFileSync(filePath))
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`))
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` }
}

/**
 * createWx({transport, login, facialVerify, subscribe, chooseMedia, modal, sdkVersion}):
 * - login(): the code wx.login gives (default: a new dev-<random> code each call);
 * - facialVerify(verifyId): 'ok' (the scan finished; the server asks WeChat for the result) or
 *   {errCode, errMsg} for a scan the user did not finish;
 * - subscribe(tmplIds): {tmplId: 'accept'|'reject'|...} or {errCode, errMsg} for a fail;
 * - chooseMedia(): [{tempFilePath, size, fileType}] or null (the person closed the picker);
 * - modal(options): what wx.showModal answers ({confirm, cancel, content}).
 */
function createWx(options = {}) {
  const storage = new Map()
  const record = { toasts: [], modals: [], navigations: [], documents: [], previews: [], requests: [], faceChecks: [],
    subscribeRequests: [], navigationErrors: [] }
  let pending = 0
  let router = null

  function later(work) {
    pending += 1
    return Promise.resolve().then(work).finally(() => { pending -= 1 })
  }

  function callback(opts, outcome, value) {
    const handler = opts && opts[outcome]
    if (handler) handler(value)
    if (opts && opts.complete) opts.complete(value)
  }

  function send(request) {
    record.requests.push({ method: request.method, url: request.url, headers: request.headers })
    return options.transport(request)
  }

  const wx = {
    // --- storage -------------------------------------------------------------------------------
    getStorageSync: (key) => (storage.has(key) ? JSON.parse(JSON.stringify(storage.get(key))) : ''),
    setStorageSync: (key, value) => { storage.set(key, JSON.parse(JSON.stringify(value))) },
    removeStorageSync: (key) => { storage.delete(key) },
    clearStorageSync: () => storage.clear(),

    // --- network -------------------------------------------------------------------------------
    request(opts) {
      later(async () => {
        const method = (opts.method || 'GET').toUpperCase()
        const headers = lowerCaseKeys(opts.header)
        let body
        if (opts.data !== undefined && method !== 'GET') {
          body = Buffer.from(typeof opts.data === 'string' ? opts.data : JSON.stringify(opts.data))
          headers['content-type'] = headers['content-type'] || 'application/json'
        }
        try {
          const answer = await send({ method, url: opts.url, headers, body, timeout: opts.timeout })
          const text = answer.body.toString('utf8')
          let data = text
          if (opts.dataType !== 'text') {
            try { data = JSON.parse(text) } catch (e) { data = text }
          }
          callback(opts, 'success', { statusCode: answer.statusCode, data, header: answer.headers, errMsg: 'request:ok' })
        } catch (error) {
          callback(opts, 'fail', { errMsg: `request:fail ${error.message}`, errno: 5 })
        }
      })
      return { abort() {} }
    },

    uploadFile(opts) {
      later(async () => {
        try {
          const { body, contentType } = multipart(opts.name, opts.filePath, opts.formData)
          const headers = { ...lowerCaseKeys(opts.header), 'content-type': contentType, 'content-length': String(body.length) }
          const answer = await send({ method: 'POST', url: opts.url, headers, body, timeout: opts.timeout })
          callback(opts, 'success', { statusCode: answer.statusCode, data: answer.body.toString('utf8'), errMsg: 'uploadFile:ok' })
        } catch (error) {
          callback(opts, 'fail', { errMsg: `uploadFile:fail ${error.message}` })
        }
      })
      return { abort() {}, onProgressUpdate() {} }
    },

    downloadFile(opts) {
      later(async () => {
        try {
          const answer = await send({ method: 'GET', url: opts.url, headers: lowerCaseKeys(opts.header), timeout: opts.timeout })
          const type = String(answer.headers['content-type'] || '').split(';')[0].trim()
          const file = path.join(TEMP_DIR, `${crypto.randomBytes(6).toString('hex')}${EXTENSIONS[type] || '.tmp'}`)
          fs.writeFileSync(file, answer.body)
          callback(opts, 'success', { statusCode: answer.statusCode, tempFilePath: file, errMsg: 'downloadFile:ok' })
        } catch (error) {
          callback(opts, 'fail', { errMsg: `downloadFile:fail ${error.message}` })
        }
      })
      return { abort() {}, onProgressUpdate() {} }
    },

    getFileSystemManager: () => ({ readFileSync: (file, encoding) => fs.readFileSync(file, encoding) }),

    // --- open capabilities ---------------------------------------------------------------------
    login(opts) {
      later(() => {
        try {
          const code = options.login ? options.login() : `dev-${crypto.randomBytes(6).toString('hex')}`
          callback(opts, 'success', { code, errMsg: 'login:ok' })
        } catch (error) {
          callback(opts, 'fail', { errMsg: 'login:fail' })
        }
      })
    },

    requestFacialVerify(opts) {
      later(async () => {
        record.faceChecks.push(opts.verifyId)
        const outcome = options.facialVerify ? await options.facialVerify(opts.verifyId) : 'ok'
        if (outcome === 'ok') callback(opts, 'success', { errMsg: 'requestFacialVerify:ok', errCode: 0 })
        else callback(opts, 'fail', { errMsg: 'requestFacialVerify:fail', ...outcome })
      })
    },

    requestSubscribeMessage(opts) {
      later(async () => {
        record.subscribeRequests.push(opts.tmplIds)
        const answer = options.subscribe
          ? await options.subscribe(opts.tmplIds)
          : Object.fromEntries(opts.tmplIds.map((id) => [id, 'accept']))
        if (answer.errCode) callback(opts, 'fail', answer)
        else callback(opts, 'success', { errMsg: 'requestSubscribeMessage:ok', ...answer })
      })
    },

    chooseMedia(opts) {
      later(() => {
        const files = options.chooseMedia ? options.chooseMedia(opts) : null
        if (files) callback(opts, 'success', { tempFiles: files, type: 'image', errMsg: 'chooseMedia:ok' })
        else callback(opts, 'fail', { errMsg: 'chooseMedia:fail cancel' })
      })
    },

    canIUse: () => true,
    getAppBaseInfo: () => ({ SDKVersion: options.sdkVersion || '3.8.12' }),
    getSystemInfoSync: () => ({ SDKVersion: options.sdkVersion || '3.8.12' }),

    // --- interface -------------------------------------------------------------------------------
    showToast(opts) {
      record.toasts.push(opts.title)
      later(() => callback(opts, 'success', { errMsg: 'showToast:ok' }))
    },
    showLoading() {},
    hideLoading() {},
    showModal(opts) {
      record.modals.push(opts)
      later(() => {
        const answer = options.modal ? options.modal(opts) : { confirm: true, cancel: false, content: '' }
        callback(opts, 'success', { errMsg: 'showModal:ok', ...answer })
      })
    },
    previewImage(opts) { record.previews.push(opts) },
    openDocument(opts) {
      record.documents.push(opts)
      later(() => callback(opts, 'success', { errMsg: 'openDocument:ok' }))
    },
    setNavigationBarTitle() {},
    setTabBarBadge(opts) { later(() => callback(opts, 'success', {})) },
    removeTabBarBadge(opts) { later(() => callback(opts, 'success', {})) },
    stopPullDownRefresh() {},

    // --- navigation (the app harness routes) ---------------------------------------------------
    navigateTo: (opts) => navigate('navigateTo', opts),
    redirectTo: (opts) => navigate('redirectTo', opts),
    reLaunch: (opts) => navigate('reLaunch', opts),
    switchTab: (opts) => navigate('switchTab', opts),
    navigateBack: (opts = {}) => navigate('navigateBack', opts),
  }

  function navigate(kind, opts) {
    record.navigations.push({ kind, url: opts.url })
    later(async () => {
      try {
        if (router) await router(kind, opts)
      } catch (error) {
        record.navigationErrors.push(error.message)
        callback(opts, 'fail', { errMsg: error.message })
        return
      }
      callback(opts, 'success', { errMsg: `${kind}:ok` })
    })
  }

  return {
    wx,
    record,
    storage,
    setRouter: (fn) => { router = fn },
    pending: () => pending,
    /** Resolves once nothing the pages started is still under way. */
    async idle(timeoutMs = 20000) {
      const deadline = Date.now() + timeoutMs
      let quiet = 0
      while (quiet < 3) {
        if (Date.now() > deadline) throw new Error(`wx calls still pending after ${timeoutMs} ms`)
        await new Promise((resolve) => setTimeout(resolve, 5))
        quiet = pending === 0 ? quiet + 1 : 0
      }
    },
    lastToast: () => record.toasts[record.toasts.length - 1],
  }
}

module.exports = { createWx, httpTransport, routeTransport, TEMP_DIR }
