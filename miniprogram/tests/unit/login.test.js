const { unitApp, loggedIn, SESSION_KEY } = require('../support/unit-app')

describe('授权登录', () => {
  test('renders the WeChat login button', async () => {
    const { app } = unitApp()
    await app.launch('/pages/login/index')
    expect(app.text('#login')).toBe('微信授权登录')
  })

  test('wx.login code is exchanged for a session; an unverified person goes on to real-name', async () => {
    const { app, fake, gateway } = unitApp({ login: () => 'dev-alice' })
    await app.launch('/pages/login/index')
    await app.tap('#login')
    const call = gateway.state.calls.find((c) => c.path === '/mp/auth/login')
    expect(call.json).toEqual({ code: 'dev-alice' })
    expect(call.headers.authorization).toBeUndefined()
    expect(fake.wx.getStorageSync(SESSION_KEY).token).toBe(gateway.state.token)
    expect(app.route).toBe('pages/realname/index')
  })

  test('a verified person goes to the home page', async () => {
    const setup = unitApp()
    Object.assign(setup.gateway.state.person, { realname_status: 'verified', name: '张三' })
    await setup.app.launch('/pages/login/index')
    await setup.app.tap('#login')
    expect(setup.app.route).toBe('pages/home/index')
  })

  test('a refused code shows why and keeps the person on the login page', async () => {
    const { app, gateway } = unitApp()
    gateway.failNext('POST', '/mp/auth/login', gateway.apiError(401, 'WECHAT_CODE_INVALID', '微信登录凭证无效或已使用，请重新登录'))
    await app.launch('/pages/login/index')
    await app.tap('#login')
    expect(app.route).toBe('pages/login/index')
    expect(app.text('#login-error')).toBe('微信登录凭证无效或已使用，请重新登录')
  })

  test('a person with a session skips the login page', async () => {
    const setup = loggedIn(unitApp())
    await setup.app.launch('/pages/login/index')
    expect(setup.app.route).toBe('pages/home/index')
  })

  test('every other page sends a person without a session to the login page', async () => {
    const { app } = unitApp()
    await app.launch('/pages/certificates/index')
    expect(app.route).toBe('pages/login/index')
  })
})
