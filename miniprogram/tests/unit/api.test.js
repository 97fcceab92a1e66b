/** The one API module: token, Idempotency-Key, the API.md error body → toast or field, 401 → login. */
const { createWx, routeTransport } = require('../support/fake-wx')
const { MiniApp } = require('../support/miniapp')

function setup(handler) {
  const fake = createWx({ transport: routeTransport(handler) })
  const app = new MiniApp(fake)
  fake.wx.setStorageSync('xj.session', { token: 'tok', person: null })
  jest.isolateModules(() => { setup.api = require('../../utils/api') })
  return { fake, app, api: setup.api }
}

const body = (status, error, message, errors) => ({ status, json: { code: status, error, message, ...(errors ? { errors } : {}) } })

describe('utils/api', () => {
  test('sends the token, JSON, and a fresh Idempotency-Key with each POST', async () => {
    const seen = []
    const { api } = setup((req) => { seen.push(req); return { json: { ok: true } } })
    await expect(api.post('/mp/messages/m1/read', {})).resolves.toEqual({ ok: true })
    await api.post('/mp/messages/m1/read', {})
    await api.get('/mp/me')
    expect(seen[0].headers.authorization).toBe('Bearer tok')
    expect(seen[0].headers['content-type']).toBe('application/json')
    expect(seen[0].headers['idempotency-key']).not.toBe(seen[1].headers['idempotency-key'])
    expect(seen[2].headers['idempotency-key']).toBeUndefined()
  })

  test('a caller retrying one action reuses its Idempotency-Key', async () => {
    const seen = []
    const { api } = setup((req) => { seen.push(req.headers['idempotency-key']); return { json: {} } })
    await api.post('/x', {}, { idempotencyKey: 'k-1' })
    await api.post('/x', {}, { idempotencyKey: 'k-1' })
    expect(seen).toEqual(['k-1', 'k-1'])
  })

  test('an error body becomes an ApiError with the Chinese message as a toast', async () => {
    const { api, fake } = setup(() => body(409, 'OFFER_EXISTS', '已向该人员发出聘用邀请，请等待其确认'))
    const error = await api.post('/x', {}).catch((e) => e)
    expect(error).toBeInstanceOf(api.ApiError)
    expect([error.status, error.code]).toEqual([409, 'OFFER_EXISTS'])
    await fake.idle()
    expect(fake.record.toasts).toEqual(['已向该人员发出聘用邀请，请等待其确认'])
  })

  test('field errors the page shows itself are not toasted; others name the field in the toast', async () => {
    const { api, fake } = setup(() => body(422, 'VALIDATION_FAILED', '提交的数据有误', { phone: ['手机号码格式不正确'] }))
    const shownByPage = await api.put('/mp/me', {}, { fields: ['phone'] }).catch((e) => e)
    expect(shownByPage.field('phone')).toBe('手机号码格式不正确')
    await api.put('/mp/me', {}, { fields: ['address'] }).catch(() => null)
    await fake.idle()
    expect(fake.record.toasts).toEqual(['提交的数据有误：手机号码格式不正确'])
  })

  test('401 ends the session and goes back to the login page', async () => {
    const { api, fake, app } = setup(() => body(401, 'TOKEN_INVALID', '登录凭证无效或已过期，请重新登录'))
    const error = await api.get('/mp/me').catch((e) => e)
    await fake.idle()
    expect(error.status).toBe(401)
    expect(fake.wx.getStorageSync('xj.session')).toBe('')
    expect(app.route).toBe('pages/login/index')
    expect(fake.record.toasts).toEqual(['登录凭证无效或已过期，请重新登录'])
  })

  test('503 with the API body toasts its message', async () => {
    const { api, fake } = setup(() => body(503, 'SERVICE_UNAVAILABLE', '服务暂时不可用，请稍后重试'))
    expect((await api.get('/mp/me').catch((e) => e)).status).toBe(503)
    await fake.idle()
    expect(fake.record.toasts).toEqual(['服务暂时不可用，请稍后重试'])
  })

  test('503 from a proxy in front of the gateway (an HTML page) still toasts in Chinese', async () => {
    const { api, fake } = setup(() => ({ status: 503, body: '<html><body>503 Service Temporarily Unavailable</body></html>' }))
    const error = await api.get('/mp/me').catch((e) => e)
    await fake.idle()
    expect([error.status, error.code]).toEqual([503, 'HTTP_503'])
    expect(fake.record.toasts).toEqual(['服务暂时不可用，请稍后重试'])
  })

  test('no network: status 0 and a toast that says so', async () => {
    const { api, fake } = setup(() => { throw new Error('ECONNREFUSED') })
    const error = await api.get('/mp/me').catch((e) => e)
    await fake.idle()
    expect([error.status, error.code]).toEqual([0, 'NETWORK'])
    expect(fake.record.toasts).toEqual(['网络连接失败，请检查网络后重试'])
  })

  test('quiet calls leave every message to the page', async () => {
    const { api, fake } = setup(() => body(422, 'FACE_NOT_PASSED', '人脸核身未通过，请重新进行人脸识别'))
    await api.post('/mp/realname/complete', {}, { quiet: true }).catch(() => null)
    await fake.idle()
    expect(fake.record.toasts).toEqual([])
  })

  test('a download that answers an error reads the API body from the saved file', async () => {
    const { api, fake } = setup(() => body(404, 'EMPLOYMENT_NOT_FOUND', '聘用记录不存在'))
    const error = await api.download('/mp/employments/x/contract').catch((e) => e)
    await fake.idle()
    expect([error.status, error.code]).toEqual([404, 'EMPLOYMENT_NOT_FOUND'])
    expect(fake.record.toasts).toEqual(['聘用记录不存在'])
  })
})
