/** What every page but the login page does first: no session, no page. */
const api = require('./api')
const session = require('./session')

function requireSession() {
  if (session.token()) return true
  wx.reLaunch({ url: api.LOGIN_PAGE })
  return false
}

/** GET /mp/me, remembered with the session (pages show the name and the real-name state). */
function loadMe(options) {
  return api.get('/mp/me', options).then((me) => {
    session.savePerson(me)
    return me
  })
}

module.exports = { requireSession, loadMe }
