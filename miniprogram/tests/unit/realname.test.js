const { unitApp, loggedIn } = require('../support/unit-app')

const VALID_ID = '11010519491231002X'

async function fillIn(app, name, idCardNo) {
  await app.launch('/pages/realname/index')
  await app.input('#name', name)
  await app.input('#id-card-no', idCardNo)
  await app.tap('#submit')
}

describe('实名认证', () => {
  test('renders the name and ID number form for an unverified person', async () => {
    const { app } = loggedIn(unitApp(), { verified: false })
    await app.launch('/pages/realname/index')
    expect(app.exists('#name') && app.exists('#id-card-no')).toBe(true)
    expect(app.text('#submit')).toBe('开始人脸核身')
  })

  test('a wrong check digit is refused on the phone and nothing is sent', async () => {
    const setup = loggedIn(unitApp(), { verified: false })
    await fillIn(setup.app, '张三', '110105194912310021')
    expect(setup.app.text('#id-card-no-error')).toBe('身份证号码校验位错误')
    expect(setup.gateway.state.calls.filter((c) => c.path.startsWith('/mp/realname'))).toEqual([])
    expect(setup.record.faceChecks).toEqual([])
  })

  test('an empty name is refused on the phone', async () => {
    const setup = loggedIn(unitApp(), { verified: false })
    await fillIn(setup.app, '  ', VALID_ID)
    expect(setup.app.text('#name-error')).toBe('请输入姓名')
  })

  test('getverifyid, the face scan with its verifyId, then queryverifyinfo: verified', async () => {
    const setup = loggedIn(unitApp(), { verified: false })
    await fillIn(setup.app, ' 张三 ', '１１０１０５１９４９１２３１００２ｘ')
    const started = setup.gateway.state.calls.find((c) => c.path === '/mp/realname')
    expect(started.json).toEqual({ name: '张三', id_card_no: VALID_ID })
    expect(setup.record.faceChecks).toEqual(['verify-realname'])
    const completed = setup.gateway.state.calls.find((c) => c.path === '/mp/realname/complete')
    expect(completed.json).toEqual({ verify_id: 'verify-realname' })
    expect(setup.app.text('#result-passed')).toContain('110105********002X')
    expect(setup.app.text()).not.toContain(VALID_ID)
  })

  test('a face check WeChat says did not pass shows the failure and a retry', async () => {
    const setup = loggedIn(unitApp(), { verified: false })
    setup.gateway.state.faceVerdict = 90002
    await fillIn(setup.app, '张三', VALID_ID)
    expect(setup.app.text('#result-failed')).toContain('人脸核身未通过，请重新进行人脸识别')
    await setup.app.tap('#retry')
    expect(setup.app.exists('#submit')).toBe(true)
  })

  test('a scan the person did not finish is not sent for a verdict', async () => {
    const setup = loggedIn(unitApp({ facialVerify: () => ({ errCode: 90100, errMsg: 'requestFacialVerify:fail cancel' }) }),
      { verified: false })
    await fillIn(setup.app, '张三', VALID_ID)
    expect(setup.app.text('#result-failed')).toContain('人脸核身未完成')
    expect(setup.gateway.state.calls.some((c) => c.path === '/mp/realname/complete')).toBe(false)
  })

  test('an ID number bound to another WeChat user is explained with what to do next', async () => {
    const setup = loggedIn(unitApp(), { verified: false })
    setup.gateway.failNext('POST', '/mp/realname',
      setup.gateway.apiError(409, 'IDCARD_BOUND', '该身份证号码已被其他微信用户实名绑定'))
    await fillIn(setup.app, '张三', VALID_ID)
    const text = setup.app.text('#result-bound')
    expect(text).toContain('已被其他微信号实名绑定')
    expect(text).toContain('用那个微信号登录')
    expect(text).toContain('申请核实解绑')
    await setup.app.tap('#back-to-form')
    expect(setup.app.exists('#id-card-no')).toBe(true)
  })

  test('a field the server refuses is shown next to its input', async () => {
    const setup = loggedIn(unitApp(), { verified: false })
    setup.gateway.failNext('POST', '/mp/realname', setup.gateway.apiError(422, 'VALIDATION_FAILED', '提交的数据有误',
      { name: ['长度应为1到30个字符'] }))
    await fillIn(setup.app, '张三', VALID_ID)
    expect(setup.app.text('#name-error')).toBe('长度应为1到30个字符')
    expect(setup.record.toasts).toEqual([])
  })

  test('a verified person sees the result, not the form', async () => {
    const { app } = loggedIn(unitApp())
    await app.launch('/pages/realname/index')
    expect(app.text('#result-passed')).toContain('实名认证已通过')
    await app.tap('#done')
    expect(app.route).toBe('pages/home/index')
  })
})
