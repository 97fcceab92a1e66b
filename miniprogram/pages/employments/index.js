/** 我的聘用: the current employer, pending offers and the history. One employer at a time. */
const api = require('../../utils/api')
const { reloadOnShow } = require('../../utils/behaviors')
const labels = require('../../utils/labels')

function shown(employment) {
  return {
    ...employment,
    statusLabel: labels.EMPLOYMENT_STATUS[employment.status] || employment.status,
    endReason: labels.END_REASONS[employment.end_reason] || '',
  }
}

Component({
  behaviors: [reloadOnShow],
  data: {
    loaded: false,
    current: null,
    offers: [],
    history: [],
    busy: false,
  },
  methods: {
    reload() {
      return api.get('/mp/employments').then((list) => {
        const items = list.items.map(shown)
        this.setData({
          loaded: true,
          current: items.find((e) => e.status === 'active') || null,
          offers: items.filter((e) => e.status === 'pending'),
          history: items.filter((e) => e.status !== 'active' && e.status !== 'pending'),
        })
      }).catch(() => {})
    },

    onOpen(event) {
      wx.navigateTo({ url: `/pages/employments/detail?id=${event.currentTarget.dataset.id}` })
    },

    /** 解除聘用: the person ends their current employment (asked twice: it cannot be undone). */
    onLeave() {
      const current = this.data.current
      if (!current || this.data.busy) return Promise.resolve()
      return new Promise((resolve) => {
        wx.showModal({
          title: '解除聘用关系',
          content: `确定解除与${current.enterprise_name}的聘用关系？解除后您在该单位登记的证书将不再随单位报送，此操作不能撤销。`,
          confirmText: '确定解除',
          confirmColor: '#cf1322',
          success: (res) => resolve(res.confirm ? this.leave(current.id) : null),
          fail: () => resolve(null),
        })
      })
    },

    leave(id) {
      this.setData({ busy: true })
      return api.post(`/mp/employments/${id}/terminate`, {})
        .then(() => {
          this.setData({ busy: false })
          wx.showToast({ title: '已解除聘用', icon: 'success' })
          return this.reload()
        })
        .catch(() => this.setData({ busy: false }))
    },
  },
})
