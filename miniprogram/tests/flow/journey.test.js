/**
 * The person's journey through the real platform: every page request goes over HTTP to the
 * gateway that tests/test_miniprogram_journey.py started (its services, broker, store and the
 * WeChat / face-verification stubs), and the enterprise side acts through the enterprise API.
 * wx.login gives `dev-<openid>` codes; wx.requestFacialVerify finishes the scan as WeChat does,
 * and the face stub decides whether it passed (its preset endpoint), as WeChat's queryverifyinfo does.
 */
const fs = require('fs')
const config = require('../../config')
const { createWx, httpTransport } = require('../support/fake-wx')
const { MiniApp } = require('../support/miniapp')
const platform = require('../support/platform')

const env = platform.settings()
const [enterpriseA, enterpriseB] = env.enterprises.map((e) => new platform.Enterprise(env.gateway, e))
const FACE_FAILED = 90002 // WeChat's verify_ret when the user's face did not match

/** A phone with the mini-program, logged into WeChat as `person`, talking to `gateway`. */
function phone(person, { gateway = env.gateway, ...options } = {}) {
  config.gatewayBaseUrl = gateway
  const network = {}
  const fake = createWx({
    transport: httpTransport(network),
    login: () => `dev-${person.openid}`,
    chooseMedia: () => [{ tempFilePath: person.photo || (person.photo = platform.photoFile()), size: 2072, fileType: 'image' }],
    ...options,
  })
  const app = new MiniApp(fake)
  return { app, fake, record: fake.record, network }
}

async function loginAndVerify(device, person) {
  const { app } = device
  await app.launch('/pages/home/index')
  expect(app.route).toBe('pages/login/index')
  await app.tap('#login')
  expect(app.route).toBe('pages/realname/index')
  await app.input('#name', person.name)
  await app.input('#id-card-no', person.idCardNo)
  await app.tap('#submit')
}

/** A new person, logged in and real-name verified on their phone. */
async function verifiedPerson(tag) {
  const person = platform.newPerson(tag)
  const device = phone(person)
  await loginAndVerify(device, person)
  return { person, device }
}

/** The offer's page, loaded. */
async function openOffer(device, offer) {
  await device.app.navigate('navigateTo', { url: `/pages/employments/detail?id=${offer.id}` })
  await device.fake.idle()
}

function sessionToken(device) {
  return device.fake.wx.getStorageSync('xj.session').token
}

async function waitForMessage(app, predicate, what) {
  return platform.eventually(async () => {
    await app.refresh()
    return app.data().messages.find(predicate)
  }, what)
}

describe('the person journey against the real platform', () => {
  test('login → real-name → an offer arrives → accept with face → register a title → confirmed', async () => {
    const person = platform.newPerson('journey')
    const device = phone(person)
    const { app, record } = device

    // 授权登录 and 实名认证 (getverifyid → wx.requestFacialVerify → queryverifyinfo)
    await loginAndVerify(device, person)
    expect(app.text('#result-passed')).toContain(`${person.idCardNo.slice(0, 6)}********${person.idCardNo.slice(14)}`)
    expect(record.faceChecks).toHaveLength(1)

    // 订阅消息: the person agrees to offer and certificate notices
    await app.navigate('navigateTo', { url: '/pages/subscriptions/index' })
    await device.fake.idle()
    await app.tap('#subscribe')
    expect(app.text('#subscribe-result')).toContain('已订阅3类通知')

    // an offer arrives from enterprise A
    const offer = await enterpriseA.offer(person.idCardNo, env.businessDate)
    await app.navigate('switchTab', { url: '/pages/home/index' })
    await device.fake.idle()
    const message = await waitForMessage(app, (m) => m.kind === 'employment_offer' && m.target_id === offer.id, 'the offer message')
    expect(message.read).toBe(false)
    expect(message.body).toContain(enterpriseA.name)
    const notices = await platform.subscribeMessagesSentTo(env.stubs, person.openid)
    expect(notices.map((n) => n.template_id)).toContain('dev-tmpl-offer')
    expect(notices[0].page).toBe(`pages/employments/detail?id=${offer.id}`)

    // 查看: the offer, its contract period and its contract
    await app.tap(`#message-${message.id}`)
    expect(app.route).toBe('pages/employments/detail')
    expect(app.text('#enterprise-name')).toBe(enterpriseA.name)
    expect(app.text('#contract-period')).toBe(`${offer.contract_start} 至 ${offer.contract_end}`)
    await app.tap('#contract')
    expect(fs.readFileSync(record.documents[0].filePath)).toEqual(platform.CONTRACT_PDF)

    // 同意 with a fresh face check bound to this offer
    await app.tap('#accept')
    expect(record.faceChecks).toHaveLength(2)
    expect(app.text('#status')).toBe('在职')
    const read = await platform.call('GET', `${env.gateway}/api/v1/mp/messages`, { token: sessionToken(device) })
    expect(read.json.items.find((m) => m.id === message.id).read).toBe(true)

    // 办事 → 辅助业务 → 证书补登记, with a photo of the certificate
    await app.navigate('switchTab', { url: '/pages/services/index' })
    await device.fake.idle()
    await app.tap('#service-title-register')
    expect(app.text()).toContain(enterpriseA.name)
    await app.input('#name', '工程师')
    await app.change('#level', 1)
    await app.input('#specialty', '建筑工程')
    await app.input('#cert-no', `川职${person.openid.slice(-6)}`)
    await app.change('#issued-on', '2020-06-01')
    await app.input('#issuer', '四川省人力资源和社会保障厅')
    await app.tap('#choose-photo')
    expect(app.text('#photo-state')).toBe('已上传')
    await app.tap('#submit')
    expect(app.text('#result-status')).toBe('待单位确认')

    // the enterprise sees it, checks the photo, and confirms it
    const me = await platform.call('GET', `${env.gateway}/api/v1/mp/me`, { token: sessionToken(device) })
    const [title] = await enterpriseA.titleOf(me.json.person_id)
    expect([title.status, title.level, title.type]).toEqual(['pending_confirmation', '中级', '工程师'])
    const photo = await enterpriseA.photoOf(title.id)
    expect(photo.status).toBe(200)
    expect(photo.body).toEqual(fs.readFileSync(person.photo))
    await enterpriseA.confirm(title.id)

    // the person sees it confirmed, and is told so
    await app.tap('#to-certificates')
    expect(app.route).toBe('pages/certificates/index')
    await platform.eventually(async () => {
      await app.refresh()
      return app.text(`#certificate-${title.id}`).includes('已确认')
    }, 'the confirmed title in 我的证书')
    expect(app.text(`#certificate-${title.id}`)).toContain('未报送')
    await app.navigate('switchTab', { url: '/pages/home/index' })
    await device.fake.idle()
    await waitForMessage(app, (m) => m.kind === 'title_confirmed' && m.target_id === title.id, 'the confirmation notice')
    expect(record.navigationErrors).toEqual([])
  })

  test('a failed face check: real-name is refused, then passes once the face matches', async () => {
    const person = platform.newPerson('face')
    const device = phone(person)
    await platform.presetFace(env.stubs, person.idCardNo, FACE_FAILED)
    await loginAndVerify(device, person)
    expect(device.app.text('#result-failed')).toContain('人脸核身未通过')
    const me = await platform.call('GET', `${env.gateway}/api/v1/mp/me`, { token: sessionToken(device) })
    expect(me.json.realname_status).toBe('unverified')

    await platform.presetFace(env.stubs, person.idCardNo, 10000)
    await device.app.tap('#retry')
    await device.app.tap('#submit')
    expect(device.app.text('#result-passed')).toContain('实名认证已通过')
  })

  test('a failed face check when accepting an offer accepts nothing', async () => {
    const { person, device } = await verifiedPerson('face-accept')
    const offer = await enterpriseA.offer(person.idCardNo, env.businessDate)
    await platform.presetFace(env.stubs, person.idCardNo, FACE_FAILED)
    await openOffer(device, offer)
    await device.app.tap('#accept')
    expect(device.record.toasts).toContain('人脸核身未通过，请重新进行人脸识别')
    expect(device.app.text('#status')).toBe('待确认')
    const list = await platform.call('GET', `${env.gateway}/api/v1/mp/employments`, { token: sessionToken(device) })
    expect(list.json.items.find((e) => e.id === offer.id).status).toBe('pending')
  })

  test('an ID number bound to another WeChat user is explained', async () => {
    const { person: owner } = await verifiedPerson('owner')
    const other = { ...platform.newPerson('other'), idCardNo: owner.idCardNo }
    const device = phone(other)
    await loginAndVerify(device, other)
    expect(device.app.text('#result-bound')).toContain('已被其他微信号实名绑定')
  })

  test('an offer already taken by another employer cannot be accepted, and the page says why', async () => {
    const { person, device } = await verifiedPerson('taken')
    const offerA = await enterpriseA.offer(person.idCardNo, env.businessDate)
    const offerB = await enterpriseB.offer(person.idCardNo, env.businessDate)
    await openOffer(device, offerB)
    expect(device.app.text('#status')).toBe('待确认')

    // meanwhile the person accepts A (another device, or an earlier tap)
    const token = sessionToken(device)
    const face = await platform.call('POST', `${env.gateway}/api/v1/mp/face`, {
      token, json: { purpose: 'employment.accept', target_id: offerA.id } })
    const acceptedA = await platform.call('POST', `${env.gateway}/api/v1/mp/employments/${offerA.id}/accept`, {
      token, json: { verify_id: face.json.verify_id } })
    expect(acceptedA.status).toBe(200)

    await device.app.tap('#accept')
    const refusal = device.record.toasts[device.record.toasts.length - 1]
    expect(['您已接受其他企业的聘用，此聘用邀请已失效', '聘用记录当前为“已撤销”，只有“待确认”状态可以进行此操作'])
      .toContain(refusal)
    await platform.eventually(async () => {
      await device.app.page.instance.reload()
      await device.fake.idle()
      return device.app.exists('#end-reason')
    }, 'the withdrawn offer')
    expect(device.app.text('#end-reason')).toBe('您已接受其他企业的聘用，此邀请已失效')
    expect(device.app.exists('#accept')).toBe(false)
    const me = await platform.call('GET', `${env.gateway}/api/v1/mp/me`, { token })
    expect(me.json.employment.enterprise_uscc).toBe(enterpriseA.uscc)
  })

  test('the network down: 503 and no network are toasted, nothing changes, and a retry does it once', async () => {
    const person = platform.newPerson('network')
    const proxy = await platform.startProxy(env.gateway)
    try {
      const device = phone(person, { gateway: proxy.url })
      await loginAndVerify(device, person)
      const offer = await enterpriseA.offer(person.idCardNo, env.businessDate)
      const token = sessionToken(device)
      const face = await platform.call('POST', `${env.gateway}/api/v1/mp/face`, {
        token, json: { purpose: 'employment.accept', target_id: offer.id } })
      await platform.call('POST', `${env.gateway}/api/v1/mp/employments/${offer.id}/accept`, {
        token, json: { verify_id: face.json.verify_id } })

      // the platform behind the load balancer is down: 503
      await device.app.navigate('navigateTo', { url: '/pages/profile/index' })
      await device.fake.idle()
      proxy.state.mode = 'unavailable'
      await device.app.input('#phone', '13800138000')
      await device.app.tap('#save')
      expect(device.record.toasts).toContain('服务暂时不可用，请稍后重试')
      const unchanged = await platform.call('GET', `${env.gateway}/api/v1/mp/me`, { token })
      expect(unchanged.json.phone_masked).toBeNull()

      // no network at all
      proxy.state.mode = 'refuse'
      await device.app.tap('#save')
      expect(device.record.toasts).toContain('网络连接失败，请检查网络后重试')

      // back: the same tap saves
      proxy.state.mode = 'pass'
      await device.app.tap('#save')
      expect(device.app.text('#phone-masked')).toBe('138****8000')

      // an answer lost on the way back: the retry (same Idempotency-Key) registers the title once
      await device.app.navigate('redirectTo', { url: '/pages/certificates/register' })
      await device.fake.idle()
      await device.app.input('#name', '工程师')
      await device.app.change('#level', 0)
      await device.app.input('#specialty', '市政工程')
      await device.app.input('#cert-no', `川职N${person.openid.slice(-6)}`)
      await device.app.change('#issued-on', '2021-03-01')
      await device.app.input('#issuer', '四川省人力资源和社会保障厅')
      proxy.state.mode = 'lose-answer'
      await device.app.tap('#submit')
      expect(device.record.toasts).toContain('服务响应超时，请稍后重试')
      expect(device.app.exists('#result')).toBe(false)
      proxy.state.mode = 'pass'
      await device.app.tap('#submit')
      expect(device.app.text('#result-status')).toBe('待单位确认')
      const titles = await platform.call('GET', `${env.gateway}/api/v1/mp/certificates`, { token })
      expect(titles.json.items.filter((c) => c.kind === 'title')).toHaveLength(1)
      const posts = proxy.state.forwarded.filter((f) => f.method === 'POST' && f.url === '/api/v1/mp/certificates/titles')
      expect(posts.map((p) => p.status)).toEqual([201, 201])
    } finally {
      await proxy.close()
    }
  })

  test('an expired session sends the person back to login, and logging in again continues', async () => {
    const person = platform.newPerson('expired')
    const device = phone(person)
    device.fake.wx.setStorageSync('xj.session', { token: env.expiredToken, expiresAt: null, person: null })
    await device.app.launch('/pages/home/index')
    expect(device.record.toasts).toContain('登录凭证无效或已过期，请重新登录')
    expect(device.app.route).toBe('pages/login/index')
    expect(device.fake.wx.getStorageSync('xj.session')).toBe('')
    await device.app.tap('#login')
    expect(device.app.route).toBe('pages/realname/index')
  })
})
