/**
 * 授权登录: wx.login gives a one-time code, the gateway exchanges it (code2session) for the
 * person's session. A person who has not verified their real name goes on to do so.
 */
const api = require('../../utils/api')
const session = require('../../utils/session')

const HOME = '/pages/home/index'
const REALNAME = '/pages/realname/index'

function wxLogin() {
  return new Promise((resolve, reject) => {
    wx.login({
      timeout: 10000,
      success: (res) => (res.code ? resolve(res.code) : reject(new Error('no code'))),
      fail: reject,
    })
  })
}

Component({
  data: {
    loggingIn: false,
    error: '',
  },
  methods: {
    onLoad() {
      if (session.token()) wx.switchTab({ url: HOME })
    },

    onLogin() {
      if (this.data.loggingIn) return Promise.resolve()
      this.setData({ loggingIn: true, error: '' })
      return wxLogin()
        .catch(() => {
          throw new api.ApiError(0, 'WX_LOGIN_FAILED', '微信登录失败，请稍后重试')
        })
        .then((code) => api.post('/mp/auth/login', { code }, { noAuth: true, quiet: true }))
        .then((answer) => {
          session.save(answer)
          this.setData({ loggingIn: false })
          const verified = answer.person && answer.person.realname_status === 'verified'
          if (verified) wx.switchTab({ url: HOME })
          else wx.redirectTo({ url: REALNAME })
        })
        .catch((error) => {
          this.setData({ loggingIn: false, error: error.message || '登录失败，请稍后重试' })
        })
    },
  },
})
