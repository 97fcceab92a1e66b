const { unitApp, loggedIn } = require('../support/unit-app')

describe('消息订阅', () => {
  test('asks WeChat for the platform templates and registers those the person accepted', async () => {
    const setup = loggedIn(unitApp({
      subscribe: (ids) => ({ [ids[0]]: 'reject', [ids[1]]: 'accept', [ids[2]]: 'accept' }),
    }))
    await setup.app.launch('/pages/subscriptions/index')
    expect(setup.app.text('#template-tmpl-offer')).toContain('聘用邀请')
    expect(setup.app.text('#template-tmpl-title')).toContain('职称证书确认')
    await setup.app.tap('#subscribe')
    expect(setup.record.subscribeRequests).toEqual([['tmpl-decision', 'tmpl-offer', 'tmpl-title']])
    const granted = setup.gateway.state.calls.find((c) => c.method === 'POST' && c.path === '/mp/subscriptions')
    expect(granted.json).toEqual({ template_ids: ['tmpl-offer', 'tmpl-title'] })
    expect(setup.app.text('#template-tmpl-offer')).toContain('剩余可接收 1 条')
    expect(setup.app.text('#subscribe-result')).toContain('已订阅2类通知')
  })

  test('nothing accepted, nothing registered', async () => {
    const setup = loggedIn(unitApp({ subscribe: (ids) => Object.fromEntries(ids.map((id) => [id, 'reject'])) }))
    await setup.app.launch('/pages/subscriptions/index')
    await setup.app.tap('#subscribe')
    expect(setup.gateway.state.calls.some((c) => c.method === 'POST' && c.path === '/mp/subscriptions')).toBe(false)
    expect(setup.app.text('#subscribe-result')).toContain('没有同意')
  })

  test('subscriptions switched off in WeChat are explained', async () => {
    const setup = loggedIn(unitApp({ subscribe: () => ({ errCode: 20004, errMsg: 'requestSubscribeMessage:fail' }) }))
    await setup.app.launch('/pages/subscriptions/index')
    await setup.app.tap('#subscribe')
    expect(setup.record.toasts).toContain('您已关闭订阅消息，请在小程序设置中开启')
  })
})
