const { checkBaseLibrary } = require('./utils/compat')

App({
  onLaunch() {
    checkBaseLibrary()
    if (typeof wx.getUpdateManager === 'function') {
      // a government service changes its rules: take a new version as soon as it is out
      const updates = wx.getUpdateManager()
      updates.onUpdateReady(() => {
        wx.showModal({
          title: '发现新版本',
          content: '新版本已准备好，是否重启小程序使用新版本？',
          success: (res) => { if (res.confirm) updates.applyUpdate() },
        })
      })
    }
  },
})
