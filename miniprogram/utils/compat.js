/**
 * The oldest base library (基础库) the mini-program runs on: wx.requestFacialVerify (face
 * verification 2.0) exists from 3.8.12. The same version is project.config.json's libVersion and
 * must be set as 基础库最低版本 in the admin console (README.md); this check covers a client that
 * still arrives with an older one.
 */
const MIN_BASE_LIBRARY = '3.8.12'

/** -1, 0 or 1 as version a is older than, equal to or newer than b ('3.8.12' > '3.8.9'). */
function compareVersion(a, b) {
  const left = String(a).split('.')
  const right = String(b).split('.')
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const x = parseInt(left[i] || '0', 10)
    const y = parseInt(right[i] || '0', 10)
    if (x !== y) return x > y ? 1 : -1
  }
  return 0
}

function baseLibraryVersion() {
  const info = typeof wx.getAppBaseInfo === 'function' ? wx.getAppBaseInfo() : wx.getSystemInfoSync()
  return (info && info.SDKVersion) || '0.0.0'
}

/** Tells the user to update WeChat when its base library is too old; true when it is recent enough. */
function checkBaseLibrary() {
  if (compareVersion(baseLibraryVersion(), MIN_BASE_LIBRARY) >= 0) return true
  wx.showModal({
    title: '请升级微信',
    content: `当前微信版本过低，实名认证和接受聘用需要的人脸核身无法使用。请升级到最新版微信后再打开本小程序（基础库 ${MIN_BASE_LIBRARY} 及以上）。`,
    showCancel: false,
  })
  return false
}

module.exports = { MIN_BASE_LIBRARY, compareVersion, baseLibraryVersion, checkBaseLibrary }
