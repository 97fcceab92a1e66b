/** A mini-program in a unit test: the fake gateway behind the fake WeChat client. */
const { createWx, routeTransport } = require('./fake-wx')
const { createGateway } = require('./fake-gateway')
const { MiniApp } = require('./miniapp')

const SESSION_KEY = 'xj.session'

function unitApp(wxOptions = {}) {
  const gateway = createGateway()
  const fake = createWx({ transport: routeTransport((req) => gateway.handle(req)), ...wxOptions })
  const app = new MiniApp(fake)
  return { app, fake, gateway, record: fake.record }
}

/** A person who logged in before (a session in storage), optionally verified and employed. */
function loggedIn(setup, { verified = true } = {}) {
  const { fake, gateway } = setup
  fake.wx.setStorageSync(SESSION_KEY, { token: gateway.state.token, expiresAt: '2026-11-25T14:00:00+08:00', person: null })
  if (verified) {
    Object.assign(gateway.state.person, {
      name: '张三', id_card_masked: '110105********002X', realname_status: 'verified',
    })
  }
  return setup
}

function offer(overrides = {}) {
  return {
    id: 'e1', person_id: 'p1', person_name: '张三', id_card_masked: '110105********002X',
    enterprise_uscc: '9151010029141777XB', enterprise_name: '四川黄河建设集团有限公司',
    contract_start: '2026-12-01', contract_end: '2027-11-30', contract_file_id: 'f'.repeat(32),
    status: 'pending', created_at: '2026-11-25T10:00:00+08:00', decided_at: null, ended_at: null, end_reason: null,
    ...overrides,
  }
}

module.exports = { unitApp, loggedIn, offer, SESSION_KEY }
