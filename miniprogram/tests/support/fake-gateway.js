/**
 * For unit tests of the pages only: the person's side of the gateway (API.md) kept in memory, so
 * that each page can be rendered and driven without a platform. `failNext(method, path, answer)`
 * makes the next matching call answer an error (an API.md body, a proxy's page, or a dead network).
 * The flow tests run the same pages against the real platform instead.
 */
function apiError(status, error, message, errors) {
  return { status, json: { code: status, error, message, ...(errors ? { errors } : {}) } }
}

function createGateway() {
  const state = {
    token: 'token-1',
    person: {
      person_id: 'p1', name: null, id_card_masked: null, realname_status: 'unverified', phone_masked: null,
      education: null, address: null, employment: null,
    },
    messages: [],
    employments: [],
    certificates: [],
    templates: [
      { template_id: 'tmpl-decision', kinds: ['employment_cancelled', 'employment_withdrawn'] },
      { template_id: 'tmpl-offer', kinds: ['employment_offer'] },
      { template_id: 'tmpl-title', kinds: ['title_confirmed', 'title_revoked'] },
    ],
    grants: { 'tmpl-decision': 0, 'tmpl-offer': 0, 'tmpl-title': 0 },
    files: {},
    faceVerdict: 10000,
    calls: [],
  }
  const failures = []

  function failNext(method, path, answer) {
    failures.push({ method, path, answer })
  }

  function me() {
    const employment = state.employments.find((e) => e.status === 'active') || null
    return { ...state.person, employment }
  }

  function handle(req) {
    state.calls.push({ method: req.method, path: req.path, json: req.json, headers: req.headers })
    const failure = failures.findIndex((f) => f.method === req.method && (f.path instanceof RegExp ? f.path.test(req.path) : f.path === req.path))
    if (failure >= 0) {
      const [{ answer }] = failures.splice(failure, 1)
      if (answer === 'network') throw new Error('ECONNREFUSED')
      return answer
    }
    if (req.path !== '/mp/auth/login' && req.headers.authorization !== `Bearer ${state.token}`) {
      return apiError(401, 'TOKEN_INVALID', '登录凭证无效或已过期，请重新登录')
    }
    const route = `${req.method} ${req.path}`
    let match
    if (route === 'POST /mp/auth/login') {
      return { json: { token: state.token, expires_at: '2026-11-25T14:00:00+08:00', person: me() } }
    }
    if (route === 'GET /mp/me') return { json: me() }
    if (route === 'PUT /mp/me') {
      if (req.json.phone) state.person.phone_masked = `${req.json.phone.slice(0, 3)}****${req.json.phone.slice(7)}`
      if (req.json.education) state.person.education = req.json.education
      if (req.json.address) state.person.address = req.json.address
      return { json: me() }
    }
    if (route === 'POST /mp/realname') {
      state.pendingRealname = req.json
      return { json: { verify_id: 'verify-realname', expires_in: 3600 } }
    }
    if (route === 'POST /mp/realname/complete') {
      if (state.faceVerdict !== 10000) {
        return apiError(422, 'FACE_NOT_PASSED', '人脸核身未通过，请重新进行人脸识别', { verify_id: [`人脸核身结果：${state.faceVerdict}`] })
      }
      const { name, id_card_no: id } = state.pendingRealname
      Object.assign(state.person, { name, id_card_masked: `${id.slice(0, 6)}********${id.slice(14)}`, realname_status: 'verified' })
      return { json: me() }
    }
    if (route === 'POST /mp/face') return { json: { verify_id: `verify-${req.json.target_id}`, expires_in: 3600 } }
    if (route === 'GET /mp/messages') {
      const page = Number(req.query.page || 1)
      const perPage = Number(req.query.per_page || 20)
      return { json: { items: state.messages.slice((page - 1) * perPage, page * perPage), total: state.messages.length, page, per_page: perPage } }
    }
    if ((match = /^POST \/mp\/messages\/([^/]+)\/read$/.exec(route))) {
      const message = state.messages.find((m) => m.id === match[1])
      if (!message) return apiError(404, 'MESSAGE_NOT_FOUND', '消息不存在')
      message.read = true
      return { json: message }
    }
    if (route === 'GET /mp/employments') return { json: { items: state.employments } }
    if ((match = /^GET \/mp\/employments\/([^/]+)\/contract$/.exec(route))) {
      return { status: 200, headers: { 'content-type': 'application/pdf' }, body: '%PDF-1.7\n%%EOF\n' }
    }
    if ((match = /^POST \/mp\/employments\/([^/]+)\/(accept|reject|terminate)$/.exec(route))) {
      const employment = state.employments.find((e) => e.id === match[1])
      if (!employment) return apiError(404, 'EMPLOYMENT_NOT_FOUND', '聘用记录不存在')
      const action = match[2]
      if (action === 'accept') {
        if (req.json.verify_id !== `verify-${employment.id}`) return apiError(422, 'VALIDATION_FAILED', '提交的数据有误')
        if (state.faceVerdict !== 10000) {
          return apiError(422, 'FACE_NOT_PASSED', '人脸核身未通过，请重新进行人脸识别', { verify_id: [`人脸核身结果：${state.faceVerdict}`] })
        }
        employment.status = 'active'
        state.employments.forEach((e) => {
          if (e !== employment && e.status === 'pending') Object.assign(e, { status: 'cancelled', end_reason: 'accepted_elsewhere' })
        })
      } else if (action === 'reject') {
        employment.status = 'rejected'
        employment.reject_reason = req.json.reason
      } else {
        Object.assign(employment, { status: 'terminated', end_reason: 'terminated_by_person' })
      }
      return { json: employment }
    }
    if (route === 'GET /mp/certificates') return { json: { items: state.certificates } }
    if (route === 'POST /mp/certificates/titles') {
      const certificate = {
        id: `c${state.certificates.length + 1}`, kind: 'title', type: req.json.name, level: req.json.level,
        specialties: [req.json.specialty], cert_no: req.json.cert_no, issued_on: req.json.issued_on, issuer: req.json.issuer,
        status: 'pending_confirmation', filed: false, file_id: req.json.file_id || null, valid_until: null,
      }
      state.certificates.push(certificate)
      return { status: 201, json: certificate }
    }
    if ((match = /^PUT \/mp\/certificates\/titles\/([^/]+)$/.exec(route))) {
      const certificate = state.certificates.find((c) => c.id === match[1])
      if (certificate.status !== 'revoked') return apiError(409, 'CERTIFICATE_STATE_CONFLICT', '当前状态不允许变更')
      Object.assign(certificate, {
        type: req.json.name, level: req.json.level, specialties: [req.json.specialty], cert_no: req.json.cert_no,
        status: 'pending_confirmation', file_id: req.json.file_id || null,
      })
      return { json: certificate }
    }
    if (route === 'POST /mp/files') {
      const fileId = `f${Object.keys(state.files).length + 1}`.padEnd(32, '0')
      state.files[fileId] = req.body
      return { status: 201, json: { file_id: fileId, content_type: 'image/jpeg', size: req.body.length } }
    }
    if ((match = /^GET \/mp\/files\/([^/]+)$/.exec(route))) {
      return { status: 200, headers: { 'content-type': 'image/jpeg' }, body: '\xff\xd8\xff' }
    }
    if (route === 'GET /mp/subscriptions') return { json: { templates: state.templates, subscribe_grants: state.grants } }
    if (route === 'POST /mp/subscriptions') {
      req.json.template_ids.forEach((id) => { state.grants[id] += 1 })
      return { json: { subscribe_grants: state.grants } }
    }
    return apiError(404, 'NOT_FOUND', '请求的资源不存在')
  }

  return { state, handle, failNext, apiError, me }
}

module.exports = { createGateway, apiError }
