/**
 * WeChat face verification 2.0 (人脸核身): the server gets a verify_id (getverifyid), the phone
 * runs wx.requestFacialVerify({verifyId}), and the server asks WeChat for the real result
 * (queryverifyinfo). A success here only means the scan finished; never trust it on its own.
 */
const UNSUPPORTED_MESSAGE = '当前微信版本不支持人脸核身，请升级微信后重试'

class FaceCancelled extends Error {
  constructor(errCode, errMsg) {
    super('人脸核身未完成，请重新进行人脸识别')
    this.errCode = errCode
    this.errMsg = errMsg
  }
}

function supported() {
  return typeof wx.requestFacialVerify === 'function' && wx.canIUse('requestFacialVerify')
}

/** Resolves when the scan finished (errCode 0); rejects FaceCancelled when it did not. */
function scan(verifyId) {
  if (!supported()) {
    wx.showModal({ title: '无法进行人脸核身', content: UNSUPPORTED_MESSAGE, showCancel: false })
    return Promise.reject(new FaceCancelled(-1, UNSUPPORTED_MESSAGE))
  }
  return new Promise((resolve, reject) => {
    wx.requestFacialVerify({
      verifyId,
      success: (res) => resolve(res),
      fail: (res) => reject(new FaceCancelled(res && res.errCode, res && res.errMsg)),
    })
  })
}

module.exports = { scan, supported, FaceCancelled, UNSUPPORTED_MESSAGE }
