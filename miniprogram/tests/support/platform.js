/**
 * For the flow tests: the real platform a test run started (tests/test_miniprogram_journey.py
 * starts it and sets these variables), the enterprise side through its API, WeChat stubs'
 * control endpoints, and a front proxy that can fail like a network or a load balancer.
 *
 *   XJ_GATEWAY_URL     the gateway, e.g. http://127.0.0.1:8000
 *   XJ_STUBS_URL       the stubs of WeChat and face verification, e.g. http://127.0.0.1:8900
 *   XJ_BUSINESS_DATE   the platform's business date (XJ_FAKE_NOW), YYYY-MM-DD
 *   XJ_ENTERPRISES     JSON [{"token", "uscc", "name"}, ...]: enterprises logged in with the dev CA
 *   XJ_EXPIRED_TOKEN   a person token signed by the platform's key whose lifetime is over
 */
const crypto = require('crypto')
const fs = require('fs')
const http = require('http')
const os = require('os')
const path = require('path')
const idcard = require('../../utils/idcard')

function required(name) {
  const value = process.env[name]
  if (!value) {
    throw new Error(`${name} is not set: the flow tests run against a platform (see miniprogram/README.md, `
      + '"Tests"); run them through tests/test_miniprogram_journey.py or set the variables by hand')
  }
  return value
}

function settings() {
  return {
    gateway: required('XJ_GATEWAY_URL').replace(/\/$/, ''),
    stubs: required('XJ_STUBS_URL').replace(/\/$/, ''),
    businessDate: required('XJ_BUSINESS_DATE'),
    enterprises: JSON.parse(required('XJ_ENTERPRISES')),
    expiredToken: required('XJ_EXPIRED_TOKEN'),
  }
}

/** One HTTP exchange with a JSON (or raw) body; resolves {status, json, body, headers}. */
function call(method, url, { json, body, headers = {}, token } = {}) {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const payload = json !== undefined ? Buffer.from(JSON.stringify(json)) : body
    const sent = { ...headers }
    if (json !== undefined) sent['content-type'] = 'application/json'
    if (payload) sent['content-length'] = String(payload.length)
    if (token) sent.authorization = `Bearer ${token}`
    const request = http.request({ hostname: target.hostname, port: target.port, path: target.pathname + target.search,
      method, headers: sent, timeout: 30000 }, (answer) => {
      const chunks = []
      answer.on('data', (chunk) => chunks.push(chunk))
      answer.on('end', () => {
        const raw = Buffer.concat(chunks)
        let parsed
        try { parsed = JSON.parse(raw.toString('utf8')) } catch (e) { parsed = undefined }
        resolve({ status: answer.statusCode, json: parsed, body: raw, headers: answer.headers })
      })
    })
    request.on('timeout', () => request.destroy(new Error('timeout')))
    request.on('error', reject)
    if (payload) request.write(payload)
    request.end()
  })
}

function expectStatus(answer, status, what) {
  if (answer.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${answer.status} ${answer.body.toString('utf8').slice(0, 400)}`)
  }
  return answer.json
}

const CONTRACT_PDF = Buffer.from('%PDF-1.7\n% 劳动合同（测试）\n%%EOF\n')

/** An enterprise of the dev CA, logged in by the Python side, acting through the API as the portal would. */
class Enterprise {
  constructor(base, { token, uscc, name }) {
    Object.assign(this, { base, token, uscc, name })
  }

  async uploadContract() {
    const boundary = `----xjent${crypto.randomBytes(8).toString('hex')}`
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="劳动合同.pdf"\r\n`
        + 'Content-Type: application/pdf\r\n\r\n'),
      CONTRACT_PDF,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ])
    const answer = await call('POST', `${this.base}/api/v1/ent/files`, {
      body, token: this.token, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } })
    return expectStatus(answer, 201, 'contract upload').file_id
  }

  /** An offer to the person, with a contract starting six days after the business date, for a year. */
  async offer(idCardNo, businessDate) {
    const start = new Date(`${businessDate}T00:00:00Z`)
    start.setUTCDate(start.getUTCDate() + 6)
    const end = new Date(start)
    end.setUTCFullYear(end.getUTCFullYear() + 1)
    end.setUTCDate(end.getUTCDate() - 1)
    const answer = await call('POST', `${this.base}/api/v1/ent/employments`, {
      token: this.token,
      headers: { 'idempotency-key': crypto.randomUUID() },
      json: { id_card_no: idCardNo, contract_start: start.toISOString().slice(0, 10),
        contract_end: end.toISOString().slice(0, 10), contract_file_id: await this.uploadContract() },
    })
    return expectStatus(answer, 201, 'offer')
  }

  async titleOf(personId) {
    const answer = await call('GET', `${this.base}/api/v1/ent/certificates?kind=title&person_id=${personId}`, { token: this.token })
    return expectStatus(answer, 200, 'certificate list').items
  }

  async photoOf(certificateId) {
    return call('GET', `${this.base}/api/v1/ent/certificates/${certificateId}/file`, { token: this.token })
  }

  async confirm(certificateId) {
    const answer = await call('POST', `${this.base}/api/v1/ent/certificates/${certificateId}/confirm`, { token: this.token })
    return expectStatus(answer, 200, 'confirm')
  }
}

let sequence = 0

/** A new person: an openid nobody used and a valid ID number nobody bound (GB 11643, born 1980–1999). */
function newPerson(label) {
  sequence += 1
  const random = crypto.randomBytes(4).readUInt32BE(0)
  const birth = `19${80 + (random % 20)}${String(1 + (random % 12)).padStart(2, '0')}${String(1 + (random % 28)).padStart(2, '0')}`
  const first17 = `510104${birth}${String((random >>> 8) % 1000).padStart(3, '0')}`
  return {
    openid: `mp-${label}-${process.pid}-${sequence}-${crypto.randomBytes(3).toString('hex')}`,
    idCardNo: first17 + idcard.checkChar(first17),
    name: '张三',
  }
}

/** Face verification stub: the next queryverifyinfo of this ID number answers verify_ret. */
async function presetFace(stubs, idCardNo, verifyRet) {
  const answer = await call('POST', `${stubs}/stub/face/preset`, { json: { cert_no: idCardNo, verify_ret: verifyRet } })
  expectStatus(answer, 200, 'face preset')
}

async function subscribeMessagesSentTo(stubs, openid) {
  const answer = await call('GET', `${stubs}/stub/wechat/messages?touser=${encodeURIComponent(openid)}`)
  return expectStatus(answer, 200, 'stub messages').items
}

/**
 * A proxy in front of the gateway, as a phone meets it through the network and a load balancer:
 * mode 'pass' forwards; 'unavailable' answers 503 with the balancer's HTML page (the platform
 * behind it is down); 'lose-answer' forwards, then loses the answer (504), as a dropped
 * connection does; 'refuse' drops the connection (no network).
 */
function startProxy(target) {
  const upstream = new URL(target)
  const state = { mode: 'pass', forwarded: [] }
  const server = http.createServer((req, res) => {
    if (state.mode === 'refuse') {
      req.socket.destroy()
      return
    }
    if (state.mode === 'unavailable') {
      res.writeHead(503, { 'content-type': 'text/html' })
      res.end('<html><head><title>503 Service Temporarily Unavailable</title></head><body>nginx</body></html>')
      return
    }
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const forward = http.request({ hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method,
        headers: { ...req.headers, host: upstream.host } }, (answer) => {
        const parts = []
        answer.on('data', (chunk) => parts.push(chunk))
        answer.on('end', () => {
          state.forwarded.push({ method: req.method, url: req.url, status: answer.statusCode })
          if (state.mode === 'lose-answer') {
            res.writeHead(504, { 'content-type': 'text/html' })
            res.end('<html><body>504 Gateway Time-out</body></html>')
            return
          }
          res.writeHead(answer.statusCode, answer.headers)
          res.end(Buffer.concat(parts))
        })
      })
      forward.on('error', () => { res.writeHead(502); res.end() })
      forward.end(body)
    })
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}`, state, close: () => new Promise((done) => server.close(done)) })
    })
  })
}

/** A small real JPEG (SOI, JFIF APP0, EOI) on disk, as wx.chooseMedia hands a temporary file. */
function photoFile() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xj-mp-photo-')), 'title-certificate.jpg')
  fs.writeFileSync(file, Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
    crypto.randomBytes(2048),
    Buffer.from([0xff, 0xd9]),
  ]))
  return file
}

/** Polls `probe` until it returns something truthy. */
async function eventually(probe, what, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
}

module.exports = {
  settings, call, expectStatus, Enterprise, newPerson, presetFace, subscribeMessagesSentTo, startProxy, photoFile,
  eventually, CONTRACT_PDF,
}
