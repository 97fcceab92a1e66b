/**
 * An offer (or an employment) in detail: the enterprise, the contract period and the labour
 * contract. 同意 runs a fresh face check bound to this offer, then accepts; 拒绝 takes an optional
 * reason.
 */
const api = require('../../utils/api')
const face = require('../../utils/face')
const guard = require('../../utils/guard')
const labels = require('../../utils/labels')

const FACE_PURPOSE = 'employment.accept'
const MAX_REASON_CHARS = 200
const IMAGE = /\.(jpe?g|png)$/i

function shown(employment) {
  return {
    ...employment,
    statusLabel: labels.EMPLOYMENT_STATUS[employment.status] || employment.status,
    endReason: labels.END_REASONS[employment.end_reason] || '',
    offeredAt: labels.instant(employment.created_at),
    decidedAt: labels.instant(employment.decided_at),
  }
}

Component({
  data: {
    employment: null,
    missing: false,
    busy: false,
  },
  methods: {
    onLoad(query) {
      if (!guard.requireSession()) return Promise.resolve()
      this.employmentId = (query && query.id) || ''
      return this.reload()
    },

    reload() {
      return api.get('/mp/employments').then((list) => {
        const found = list.items.find((item) => item.id === this.employmentId)
        this.setData({ employment: found ? shown(found) : null, missing: !found })
      }).catch(() => {})
    },

    onContract() {
      wx.showLoading({ title: '正在打开合同' })
      return api.download(`/mp/employments/${this.employmentId}/contract`)
        .then((filePath) => {
          wx.hideLoading()
          if (IMAGE.test(filePath)) wx.previewImage({ urls: [filePath], current: filePath })
          else wx.openDocument({ filePath, fileType: 'pdf', showMenu: true })
        })
        .catch(() => wx.hideLoading())
    },

    /** 同意: face check for this offer (a new one each time), then accept with its verify_id. */
    onAccept() {
      if (this.data.busy) return Promise.resolve()
      this.setData({ busy: true })
      // a retry of the same accept (say the answer was lost) must not accept twice
      this.acceptKey = this.acceptKey || api.newIdempotencyKey()
      return api.post('/mp/face', { purpose: FACE_PURPOSE, target_id: this.employmentId })
        .then((started) => face.scan(started.verify_id).then(() => started.verify_id))
        .then((verifyId) => api.post(`/mp/employments/${this.employmentId}/accept`, { verify_id: verifyId },
          { idempotencyKey: this.acceptKey, quiet: true }))
        .then(() => {
          this.acceptKey = null
          this.setData({ busy: false })
          wx.showToast({ title: '已接受聘用', icon: 'success' })
          return this.reload()
        })
        .catch((error) => {
          this.setData({ busy: false })
          if (error instanceof face.FaceCancelled) {
            this.acceptKey = null
            wx.showToast({ title: '人脸核身未完成，未接受聘用', icon: 'none', duration: 3000 })
            return null
          }
          if (error.status >= 400 && error.status < 500) this.acceptKey = null // refused: a new try is a new request
          // the refusal's message says it all (a failed face check's detail is WeChat's verify_ret code)
          if (error.status !== 401) wx.showToast({ title: error.message, icon: 'none', duration: 3000 })
          return error.status === 409 || error.status === 404 ? this.reload() : null
        })
    },

    /** 拒绝: asks for an optional reason, then rejects. */
    onReject() {
      if (this.data.busy) return Promise.resolve()
      return new Promise((resolve) => {
        wx.showModal({
          title: '拒绝聘用邀请',
          content: '',
          editable: true,
          placeholderText: '拒绝原因（选填）',
          confirmText: '确认拒绝',
          confirmColor: '#cf1322',
          success: (res) => resolve(res.confirm ? this.reject(res.content) : null),
          fail: () => resolve(null),
        })
      })
    },

    reject(text) {
      const reason = (text || '').trim()
      if ([...reason].length > MAX_REASON_CHARS) {
        wx.showToast({ title: `拒绝原因不能超过${MAX_REASON_CHARS}个字`, icon: 'none' })
        return Promise.resolve()
      }
      this.setData({ busy: true })
      return api.post(`/mp/employments/${this.employmentId}/reject`, reason ? { reason } : {})
        .then(() => {
          this.setData({ busy: false })
          wx.showToast({ title: '已拒绝', icon: 'success' })
          return this.reload()
        })
        .catch((error) => {
          this.setData({ busy: false })
          return error.status === 409 ? this.reload() : null
        })
    },
  },
})
