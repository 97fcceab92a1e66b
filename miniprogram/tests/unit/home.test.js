const { unitApp, loggedIn, offer } = require('../support/unit-app')

function message(id, overrides = {}) {
  return {
    id, kind: 'employment_offer', title: '聘用邀请', body: '四川黄河建设集团有限公司邀请您入职', target_id: 'e1',
    created_at: '2026-11-25T10:00:00+08:00', read: false, ...overrides,
  }
}

describe('首页', () => {
  test('lists messages with unread ones first, newest first within each', async () => {
    const setup = loggedIn(unitApp())
    setup.gateway.state.messages = [
      message('m3', { read: true, title: '已读的新消息', created_at: '2026-11-25T11:00:00+08:00' }),
      message('m2', { title: '未读的较新消息', created_at: '2026-11-25T10:30:00+08:00' }),
      message('m1', { title: '未读的旧消息', kind: 'title_confirmed', target_id: 'c1' }),
    ]
    await setup.app.launch('/pages/home/index')
    expect(setup.app.data().messages.map((m) => m.id)).toEqual(['m2', 'm1', 'm3'])
    expect(setup.app.text('#unread-count')).toBe('2条未读')
    expect(setup.app.text('#message-m2')).toContain('查看')
    expect(setup.app.text('#message-m1')).not.toContain('查看')
  })

  test('查看 on an offer marks the message read and opens the offer', async () => {
    const setup = loggedIn(unitApp())
    setup.gateway.state.messages = [message('m1')]
    setup.gateway.state.employments = [offer()]
    await setup.app.launch('/pages/home/index')
    await setup.app.tap('#message-m1')
    expect(setup.gateway.state.messages[0].read).toBe(true)
    expect(setup.app.route).toBe('pages/employments/detail')
    expect(setup.app.page.query).toEqual({ id: 'e1' })
    expect(setup.app.text('#enterprise-name')).toBe('四川黄河建设集团有限公司')
  })

  test('a certificate notice opens 我的证书', async () => {
    const setup = loggedIn(unitApp())
    setup.gateway.state.messages = [message('m1', { kind: 'title_confirmed', title: '职称证书已确认', target_id: 'c1' })]
    await setup.app.launch('/pages/home/index')
    await setup.app.tap('#message-m1')
    expect(setup.app.route).toBe('pages/certificates/index')
  })

  test('an unverified person is asked to verify first', async () => {
    const setup = loggedIn(unitApp(), { verified: false })
    await setup.app.launch('/pages/home/index')
    expect(setup.app.text('#realname-banner')).toContain('尚未完成实名认证')
    await setup.app.tap('#realname-banner')
    expect(setup.app.route).toBe('pages/realname/index')
  })

  test('more messages load page by page', async () => {
    const setup = loggedIn(unitApp())
    setup.gateway.state.messages = Array.from({ length: 25 }, (_, i) => message(`m${i}`, { read: true }))
    await setup.app.launch('/pages/home/index')
    expect(setup.app.data().messages).toHaveLength(20)
    await setup.app.tap('#more')
    expect(setup.app.data().messages).toHaveLength(25)
    expect(setup.app.exists('#more')).toBe(false)
  })

  test('shows the current employer', async () => {
    const setup = loggedIn(unitApp())
    setup.gateway.state.employments = [offer({ status: 'active' })]
    await setup.app.launch('/pages/home/index')
    expect(setup.app.text('#employer')).toContain('在职：四川黄河建设集团有限公司')
  })
})
