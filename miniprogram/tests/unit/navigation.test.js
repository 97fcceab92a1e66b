const { unitApp, loggedIn } = require('../support/unit-app')

describe('办事 and 我的', () => {
  test('办事 leads to 证书补登记 and 证书变更 under 辅助业务', async () => {
    const setup = loggedIn(unitApp())
    await setup.app.launch('/pages/services/index')
    expect(setup.app.text()).toContain('辅助业务')
    await setup.app.tap('#service-title-register')
    expect(setup.app.route).toBe('pages/certificates/register')
    await setup.app.launch('/pages/services/index')
    await setup.app.tap('#service-title-change')
    expect(setup.app.route).toBe('pages/certificates/change')
    expect(setup.record.navigationErrors).toEqual([])
  })

  test('我的 shows the person and links to every record', async () => {
    const setup = loggedIn(unitApp())
    await setup.app.launch('/pages/mine/index')
    expect(setup.app.text('#person-name')).toBe('张三')
    for (const [link, route] of [['#link-profile', 'pages/profile/index'], ['#link-employments', 'pages/employments/index'],
      ['#link-certificates', 'pages/certificates/index'], ['#link-subscriptions', 'pages/subscriptions/index']]) {
      await setup.app.launch('/pages/mine/index')
      await setup.app.tap(link)
      expect(setup.app.route).toBe(route)
    }
    expect(setup.record.navigationErrors).toEqual([])
  })

  test('退出登录 forgets the session and returns to the login page', async () => {
    const setup = loggedIn(unitApp())
    await setup.app.launch('/pages/mine/index')
    await setup.app.tap('#logout')
    expect(setup.fake.wx.getStorageSync('xj.session')).toBe('')
    expect(setup.app.route).toBe('pages/login/index')
  })
})
