/** 我的证书: every certificate of the person, of every kind, with whether it is filed (已报送). */
const api = require('../../utils/api')
const { reloadOnShow } = require('../../utils/behaviors')
const labels = require('../../utils/labels')

const KIND_ORDER = ['registered', 'title', 'safety', 'post', 'special_operation', 'tech_worker']

function shown(certificate) {
  return {
    ...certificate,
    kindLabel: labels.CERTIFICATE_KIND[certificate.kind] || certificate.kind,
    statusLabel: labels.CERTIFICATE_STATUS[certificate.status] || certificate.status,
    specialtiesText: (certificate.specialties || []).join('、'),
    good: ['valid', 'confirmed'].includes(certificate.status),
    bad: ['expired', 'revoked', 'detached'].includes(certificate.status),
  }
}

/** [{kind, label, items}] in a fixed order of kinds; kinds without certificates are left out. */
function grouped(items) {
  const known = KIND_ORDER.concat(items.map((c) => c.kind).filter((k) => !KIND_ORDER.includes(k)))
  return known
    .map((kind) => ({ kind, label: labels.CERTIFICATE_KIND[kind] || kind, items: items.filter((c) => c.kind === kind) }))
    .filter((group) => group.items.length)
}

Component({
  behaviors: [reloadOnShow],
  data: { loaded: false, groups: [], total: 0 },
  methods: {
    onPullDownRefresh() {
      return this.reload().then(() => wx.stopPullDownRefresh())
    },

    reload() {
      return api.get('/mp/certificates').then((list) => {
        const items = list.items.map(shown)
        this.setData({ loaded: true, groups: grouped(items), total: items.length })
      }).catch(() => {})
    },

    onPhoto(event) {
      const { fileId } = event.currentTarget.dataset
      return api.download(`/mp/files/${fileId}`)
        .then((path) => wx.previewImage({ urls: [path], current: path }))
        .catch(() => {})
    },

    onRegister() {
      wx.navigateTo({ url: '/pages/certificates/register' })
    },
  },
})
