/** 完善个人信息: phone, education, address. The ID number is only ever shown masked. */
const api = require('../../utils/api')
const { showErrors } = require('../../utils/forms')
const guard = require('../../utils/guard')
const labels = require('../../utils/labels')

const MOBILE = /^1[3-9][0-9]{9}$/
const MAX_ADDRESS_CHARS = 200
const FIELDS = ['phone', 'education', 'address']

Component({
  data: {
    loaded: false,
    person: null,
    phone: '',
    educationLevels: labels.EDUCATION_LEVELS,
    educationIndex: -1,
    address: '',
    errors: {},
    saving: false,
  },
  methods: {
    onLoad() {
      if (!guard.requireSession()) return Promise.resolve()
      return guard.loadMe().then((me) => {
        this.setData({
          loaded: true,
          person: me,
          educationIndex: labels.EDUCATION_LEVELS.indexOf(me.education || ''),
          address: me.address || '',
        })
      }).catch(() => {})
    },

    onPhoneInput(event) {
      this.setData({ phone: event.detail.value, 'errors.phone': '' })
    },

    onEducationChange(event) {
      this.setData({ educationIndex: Number(event.detail.value), 'errors.education': '' })
    },

    onAddressInput(event) {
      this.setData({ address: event.detail.value, 'errors.address': '' })
    },

    /** Only what the person filled in is sent; an empty phone keeps the one on record. */
    changes() {
      const body = {}
      const errors = {}
      const phone = this.data.phone.trim()
      if (phone) {
        if (MOBILE.test(phone)) body.phone = phone
        else errors.phone = '手机号码格式不正确'
      }
      if (this.data.educationIndex >= 0) body.education = labels.EDUCATION_LEVELS[this.data.educationIndex]
      const address = this.data.address.trim()
      if (address) {
        if ([...address].length > MAX_ADDRESS_CHARS) errors.address = `地址不能超过${MAX_ADDRESS_CHARS}个字`
        else body.address = address
      }
      return { body, errors }
    },

    onSave() {
      if (this.data.saving) return Promise.resolve()
      const { body, errors } = this.changes()
      if (showErrors(this, errors)) return Promise.resolve()
      if (!Object.keys(body).length) {
        wx.showToast({ title: '请填写要修改的内容', icon: 'none' })
        return Promise.resolve()
      }
      this.setData({ saving: true })
      return api.put('/mp/me', body, { fields: FIELDS })
        .then((person) => {
          this.setData({ saving: false, person: { ...this.data.person, ...person }, phone: '' })
          wx.showToast({ title: '已保存', icon: 'success' })
        })
        .catch((error) => {
          const shown = {}
          FIELDS.forEach((path) => { if (error.field && error.field(path)) shown[path] = error.field(path) })
          this.setData({ saving: false, errors: shown })
        })
    },
  },
})
