/**
 * 订阅消息: WeChat delivers a subscribe message only after the person agreed to it, one message
 * per agreement (一次性订阅). The templates come from the platform (GET /mp/subscriptions); what
 * wx.requestSubscribeMessage answers 'accept' is registered with POST /mp/subscriptions.
 */
const api = require('../../utils/api')
const { reloadOnShow } = require('../../utils/behaviors')
const labels = require('../../utils/labels')

const MAX_TEMPLATES_PER_REQUEST = 3 // wx.requestSubscribeMessage takes at most 3 one-time templates

function shown(status) {
  return status.templates.map((template) => ({
    templateId: template.template_id,
    title: template.kinds.map((kind) => labels.NOTICE_KINDS[kind] || kind).join('、'),
    left: status.subscribe_grants[template.template_id] || 0,
  }))
}

Component({
  behaviors: [reloadOnShow],
  data: { loaded: false, templates: [], requesting: false, result: '' },
  methods: {
    reload() {
      return api.get('/mp/subscriptions').then((status) => {
        this.setData({ loaded: true, templates: shown(status) })
      }).catch(() => {})
    },

    /** Must run straight from the tap: WeChat shows the subscribe panel only on a user's tap. */
    onSubscribe() {
      if (this.data.requesting || !this.data.templates.length) return Promise.resolve()
      const tmplIds = this.data.templates.slice(0, MAX_TEMPLATES_PER_REQUEST).map((t) => t.templateId)
      this.setData({ requesting: true, result: '' })
      return new Promise((resolve) => {
        wx.requestSubscribeMessage({
          tmplIds,
          success: (res) => resolve(this.register(tmplIds.filter((id) => res[id] === 'accept'))),
          fail: (res) => {
            this.setData({ requesting: false })
            const switchedOff = res && (res.errCode === 20004 || res.errCode === 10005)
            wx.showToast({
              title: switchedOff ? '您已关闭订阅消息，请在小程序设置中开启' : '订阅未完成，请稍后重试',
              icon: 'none', duration: 3000,
            })
            resolve(null)
          },
        })
      })
    },

    register(accepted) {
      if (!accepted.length) {
        this.setData({ requesting: false, result: '您没有同意接收通知。需要时可随时再次订阅。' })
        return Promise.resolve()
      }
      return api.post('/mp/subscriptions', { template_ids: accepted })
        .then(() => {
          this.setData({ requesting: false, result: `已订阅${accepted.length}类通知，每类可接收一条。` })
          return this.reload()
        })
        .catch(() => this.setData({ requesting: false }))
    },
  },
})
