/**
 * 首页: the person's messages, unread first, among them the offers enterprises send
 * (企业向个人发起聘用的通知消息). 查看 opens the offer; opening a message marks it read.
 */
const api = require('../../utils/api')
const { reloadOnShow } = require('../../utils/behaviors')
const guard = require('../../utils/guard')
const labels = require('../../utils/labels')

const PER_PAGE = 20
const OFFER = 'employment_offer'
const EMPLOYMENT_KINDS = ['employment_offer', 'employment_cancelled', 'employment_withdrawn',
  'employment_terminated', 'employment_expired']
const CERTIFICATE_KINDS = ['title_confirmed', 'title_revoked']

/** Unread first; within each, newest first (the platform lists newest first). */
function unreadFirst(messages) {
  return messages
    .map((message, index) => ({ message, index }))
    .sort((a, b) => (a.message.read === b.message.read ? a.index - b.index : a.message.read ? 1 : -1))
    .map(({ message }) => message)
}

function shown(message) {
  return {
    ...message,
    time: labels.instant(message.created_at),
    isOffer: message.kind === OFFER,
    kindLabel: labels.NOTICE_KINDS[message.kind] || '通知',
  }
}

Component({
  behaviors: [reloadOnShow],
  data: {
    person: null,
    messages: [],
    unread: 0,
    total: 0,
    page: 1,
    loading: false,
    loaded: false,
  },
  methods: {
    onPullDownRefresh() {
      return this.reload().then(() => wx.stopPullDownRefresh())
    },

    onReachBottom() {
      return this.loadMore()
    },

    reload() {
      this.setData({ loading: true })
      return Promise.all([guard.loadMe(), api.get(`/mp/messages?page=1&per_page=${PER_PAGE}`)])
        .then(([person, inbox]) => this.show(person, inbox.items, inbox.total, 1))
        .catch(() => this.setData({ loading: false }))
    },

    loadMore() {
      if (this.data.loading || this.data.messages.length >= this.data.total) return Promise.resolve()
      const next = this.data.page + 1
      this.setData({ loading: true })
      return api.get(`/mp/messages?page=${next}&per_page=${PER_PAGE}`)
        .then((inbox) => this.show(this.data.person, this.data.messages.concat(inbox.items), inbox.total, next))
        .catch(() => this.setData({ loading: false }))
    },

    show(person, items, total, page) {
      const messages = unreadFirst(items.map(shown))
      this.setData({
        person, messages, total, page, loading: false, loaded: true,
        unread: messages.filter((m) => !m.read).length,
      })
      if (typeof wx.setTabBarBadge === 'function') {
        const unread = this.data.unread
        if (unread) wx.setTabBarBadge({ index: 0, text: String(Math.min(unread, 99)), fail: () => {} })
        else wx.removeTabBarBadge({ index: 0, fail: () => {} })
      }
    },

    markRead(id) {
      const message = this.data.messages.find((m) => m.id === id)
      if (!message || message.read) return Promise.resolve()
      return api.post(`/mp/messages/${id}/read`, {}, { quiet: true })
        .then(() => {
          const messages = this.data.messages.map((m) => (m.id === id ? { ...m, read: true } : m))
          this.setData({ messages: unreadFirst(messages), unread: messages.filter((m) => !m.read).length })
        })
        .catch(() => {}) // read marks are a convenience: never block opening the message
    },

    /** Tapping a message: mark it read, then open what it is about. */
    onOpen(event) {
      const { id } = event.currentTarget.dataset
      const message = this.data.messages.find((m) => m.id === id)
      if (!message) return Promise.resolve()
      const read = this.markRead(id)
      if (EMPLOYMENT_KINDS.includes(message.kind) && message.target_id) {
        wx.navigateTo({ url: `/pages/employments/detail?id=${message.target_id}` })
      } else if (CERTIFICATE_KINDS.includes(message.kind)) {
        wx.navigateTo({ url: '/pages/certificates/index' })
      }
      return read
    },

    onRealname() {
      wx.navigateTo({ url: '/pages/realname/index' })
    },

    onEmployments() {
      wx.navigateTo({ url: '/pages/employments/index' })
    },
  },
})
