const { unitApp, loggedIn } = require('../support/unit-app')

describe('完善个人信息', () => {
  test('shows the ID number masked and the profile form', async () => {
    const { app } = loggedIn(unitApp())
    await app.launch('/pages/profile/index')
    expect(app.text('#id-card-masked')).toBe('110105********002X')
    expect(app.exists('#phone') && app.exists('#education') && app.exists('#address')).toBe(true)
  })

  test('saves phone, education and address', async () => {
    const setup = loggedIn(unitApp())
    await setup.app.launch('/pages/profile/index')
    await setup.app.input('#phone', '13800138000')
    await setup.app.change('#education', 4)
    await setup.app.input('#address', ' 乌鲁木齐市天山区 ')
    await setup.app.tap('#save')
    const saved = setup.gateway.state.calls.find((c) => c.method === 'PUT')
    expect(saved.json).toEqual({ phone: '13800138000', education: '本科', address: '乌鲁木齐市天山区' })
    expect(setup.app.text('#phone-masked')).toBe('138****8000')
    expect(setup.record.toasts).toContain('已保存')
  })

  test('a wrong mobile number is refused on the phone', async () => {
    const setup = loggedIn(unitApp())
    await setup.app.launch('/pages/profile/index')
    await setup.app.input('#phone', '12345')
    await setup.app.tap('#save')
    expect(setup.app.text('#phone-error')).toBe('手机号码格式不正确')
    expect(setup.gateway.state.calls.some((c) => c.method === 'PUT')).toBe(false)
  })

  test('a field the server refuses is shown next to its input', async () => {
    const setup = loggedIn(unitApp())
    setup.gateway.failNext('PUT', '/mp/me', setup.gateway.apiError(422, 'VALIDATION_FAILED', '提交的数据有误',
      { address: ['地址不能为空且不超过200个字'] }))
    await setup.app.launch('/pages/profile/index')
    await setup.app.input('#address', '某地')
    await setup.app.tap('#save')
    expect(setup.app.text('#address-error')).toBe('地址不能为空且不超过200个字')
  })
})
