/**
 * 证书变更: the person's title certificates. A revoked one is re-registered; a confirmed one
 * cannot be changed here, and the page explains the manual's path.
 */
const api = require('../../utils/api')
const { reloadOnShow } = require('../../utils/behaviors')
const labels = require('../../utils/labels')

function shown(certificate) {
  return {
    ...certificate,
    statusLabel: labels.CERTIFICATE_STATUS[certificate.status] || certificate.status,
    specialty: (certificate.specialties || [])[0] || '',
    changeable: certificate.status === 'revoked',
  }
}

Component({
  behaviors: [reloadOnShow],
  data: { loaded: false, titles: [] },
  methods: {
    reload() {
      return api.get('/mp/certificates').then((list) => {
        this.setData({ loaded: true, titles: list.items.filter((c) => c.kind === 'title').map(shown) })
      }).catch(() => {})
    },

    onChange(event) {
      wx.navigateTo({ url: `/pages/certificates/register?id=${event.currentTarget.dataset.id}` })
    },

    onRegister() {
      wx.navigateTo({ url: '/pages/certificates/register' })
    },
  },
})
