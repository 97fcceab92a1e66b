/** 我的: who is logged in, links to the person's records, and logging out. */
const api = require('../../utils/api')
const { reloadOnShow } = require('../../utils/behaviors')
const guard = require('../../utils/guard')
const session = require('../../utils/session')

Component({
  behaviors: [reloadOnShow],
  data: { person: null },
  methods: {
    reload() {
      return guard.loadMe().then((person) => this.setData({ person })).catch(() => {})
    },

    onOpen(event) {
      wx.navigateTo({ url: event.currentTarget.dataset.url })
    },

    onLogout() {
      return new Promise((resolve) => {
        wx.showModal({
          title: '退出登录',
          content: '确定退出登录？',
          success: (res) => {
            if (res.confirm) {
              session.clear()
              wx.reLaunch({ url: api.LOGIN_PAGE })
            }
            resolve(res.confirm)
          },
          fail: () => resolve(false),
        })
      })
    },
  },
})
