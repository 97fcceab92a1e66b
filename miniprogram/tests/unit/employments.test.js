const { unitApp, loggedIn, offer } = require('../support/unit-app')

describe('聘用邀请详情', () => {
  test('shows the enterprise, the contract period and the contract file', async () => {
    const setup = loggedIn(unitApp())
    setup.gateway.state.employments = [offer()]
    await setup.app.launch('/pages/employments/detail?id=e1')
    expect(setup.app.text('#enterprise-name')).toBe('四川黄河建设集团有限公司')
    expect(setup.app.text('#contract-period')).toBe('2026-12-01 至 2027-11-30')
    expect(setup.app.text('#status')).toBe('待确认')
    await setup.app.tap('#contract')
    expect(setup.record.documents).toHaveLength(1)
    expect(setup.record.documents[0].fileType).toBe('pdf')
    const download = setup.record.requests.find((r) => r.url.endsWith('/mp/employments/e1/contract'))
    expect(download.headers.authorization).toBe(`Bearer ${setup.gateway.state.token}`)
  })

  test('同意 runs a face check bound to this offer, then accepts with its verify_id', async () => {
    const setup = loggedIn(unitApp())
    setup.gateway.state.employments = [offer(), offer({ id: 'e2', enterprise_name: '另一家企业' })]
    await setup.app.launch('/pages/employments/detail?id=e1')
    await setup.app.tap('#accept')
    const calls = setup.gateway.state.calls.filter((c) => c.method === 'POST')
    expect(calls.map((c) => c.path)).toEqual(['/mp/face', '/mp/employments/e1/accept'])
    expect(calls[0].json).toEqual({ purpose: 'employment.accept', target_id: 'e1' })
    expect(setup.record.faceChecks).toEqual(['verify-e1'])
    expect(calls[1].json).toEqual({ verify_id: 'verify-e1' })
    expect(calls[1].headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/)
    expect(setup.app.text('#status')).toBe('在职')
    expect(setup.app.exists('#accept')).toBe(false)
    expect(setup.record.toasts).toContain('已接受聘用')
  })

  test('a face scan the person did not finish accepts nothing', async () => {
    const setup = loggedIn(unitApp({ facialVerify: () => ({ errCode: 90100 }) }))
    setup.gateway.state.employments = [offer()]
    await setup.app.launch('/pages/employments/detail?id=e1')
    await setup.app.tap('#accept')
    expect(setup.gateway.state.calls.some((c) => c.path.endsWith('/accept'))).toBe(false)
    expect(setup.record.toasts).toContain('人脸核身未完成，未接受聘用')
    expect(setup.app.text('#status')).toBe('待确认')
  })

  test('a face check that did not pass is shown and the offer stays pending', async () => {
    const setup = loggedIn(unitApp())
    setup.gateway.state.employments = [offer()]
    setup.gateway.state.faceVerdict = 90002
    await setup.app.launch('/pages/employments/detail?id=e1')
    await setup.app.tap('#accept')
    expect(setup.record.toasts).toContain('人脸核身未通过，请重新进行人脸识别')
    expect(setup.app.text('#status')).toBe('待确认')
  })

  test('an offer withdrawn meanwhile answers 409: the message is shown and the page shows why', async () => {
    const setup = loggedIn(unitApp())
    setup.gateway.state.employments = [offer()]
    await setup.app.launch('/pages/employments/detail?id=e1')
    Object.assign(setup.gateway.state.employments[0], { status: 'cancelled', end_reason: 'accepted_elsewhere' })
    setup.gateway.failNext('POST', '/mp/employments/e1/accept', setup.gateway.apiError(409, 'EMPLOYMENT_STATE_CONFLICT',
      '聘用记录当前为“已撤销”，只有“待确认”状态可以进行此操作'))
    await setup.app.tap('#accept')
    expect(setup.record.toasts).toContain('聘用记录当前为“已撤销”，只有“待确认”状态可以进行此操作')
    expect(setup.app.text('#end-reason')).toBe('您已接受其他企业的聘用，此邀请已失效')
    expect(setup.app.exists('#accept')).toBe(false)
  })

  test('拒绝 sends the optional reason', async () => {
    const setup = loggedIn(unitApp({ modal: () => ({ confirm: true, cancel: false, content: ' 已有工作安排 ' }) }))
    setup.gateway.state.employments = [offer()]
    await setup.app.launch('/pages/employments/detail?id=e1')
    await setup.app.tap('#reject')
    expect(setup.record.modals[0].editable).toBe(true)
    const rejected = setup.gateway.state.calls.find((c) => c.path === '/mp/employments/e1/reject')
    expect(rejected.json).toEqual({ reason: '已有工作安排' })
    expect(setup.app.text('#status')).toBe('已拒绝')
  })

  test('拒绝 without a reason sends none; cancelling the dialog sends nothing', async () => {
    let answer = { confirm: false, cancel: true, content: '' }
    const setup = loggedIn(unitApp({ modal: () => answer }))
    setup.gateway.state.employments = [offer()]
    await setup.app.launch('/pages/employments/detail?id=e1')
    await setup.app.tap('#reject')
    expect(setup.gateway.state.calls.some((c) => c.path.endsWith('/reject'))).toBe(false)
    answer = { confirm: true, cancel: false, content: '' }
    await setup.app.tap('#reject')
    expect(setup.gateway.state.calls.find((c) => c.path.endsWith('/reject')).json).toEqual({})
  })

  test('an unknown offer says so', async () => {
    const setup = loggedIn(unitApp())
    await setup.app.launch('/pages/employments/detail?id=nope')
    expect(setup.app.text('#missing')).toContain('聘用记录不存在')
  })
})

describe('我的聘用', () => {
  test('states that one person has one employer at a time, and shows current, offers and history', async () => {
    const setup = loggedIn(unitApp())
    setup.gateway.state.employments = [
      offer({ id: 'e1', status: 'active' }),
      offer({ id: 'e2', enterprise_name: '乙公司' }),
      offer({ id: 'e3', enterprise_name: '丙公司', status: 'cancelled', end_reason: 'cancelled_by_enterprise' }),
    ]
    await setup.app.launch('/pages/employments/index')
    expect(setup.app.text('#one-employer')).toContain('一个人同一时间只能在一家企业在职')
    expect(setup.app.text('#current-name')).toBe('四川黄河建设集团有限公司')
    expect(setup.app.text('#offer-e2')).toContain('乙公司')
    expect(setup.app.text('#history-e3')).toContain('企业撤回了聘用邀请')
    await setup.app.tap('#offer-e2')
    expect(setup.app.route).toBe('pages/employments/detail')
  })

  test('解除聘用 asks first, then ends the current employment', async () => {
    const setup = loggedIn(unitApp())
    setup.gateway.state.employments = [offer({ status: 'active' })]
    await setup.app.launch('/pages/employments/index')
    await setup.app.tap('#leave')
    expect(setup.record.modals[0].content).toContain('确定解除与四川黄河建设集团有限公司的聘用关系')
    expect(setup.gateway.state.calls.some((c) => c.path === '/mp/employments/e1/terminate')).toBe(true)
    expect(setup.app.exists('#no-employer')).toBe(true)
  })
})
