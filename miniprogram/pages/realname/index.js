/**
 * 实名认证: name and ID number (check digit validated here first), then WeChat face verification
 * 2.0, then the platform's verdict. An ID number already bound to another WeChat user is
 * explained with what to do next.
 */
const api = require('../../utils/api')
const config = require('../../config')
const face = require('../../utils/face')
const { showErrors } = require('../../utils/forms')
const guard = require('../../utils/guard')
const idcard = require('../../utils/idcard')

const HOME = '/pages/home/index'
const MAX_NAME_CHARS = 30

/** Field errors of the form, as the server would word them; {} when it can be sent. */
function validate(name, idCardNo) {
  const errors = {}
  const trimmed = (name || '').trim()
  if (!trimmed) errors.name = '请输入姓名'
  else if ([...trimmed].length > MAX_NAME_CHARS) errors.name = `姓名不能超过${MAX_NAME_CHARS}个字`
  const problem = idcard.check(idcard.normalize(idCardNo))
  if (problem) errors.id_card_no = problem
  return errors
}

Component({
  data: {
    step: 'form', // form · verifying · passed · failed · bound
    name: '',
    idCardNo: '',
    errors: {},
    busy: false,
    failure: '',
    person: null,
    supportContact: config.supportContact,
  },
  methods: {
    onLoad() {
      if (!guard.requireSession()) return Promise.resolve()
      return guard.loadMe().then((me) => {
        if (me.realname_status === 'verified') this.setData({ step: 'passed', person: me })
      }).catch(() => {})
    },

    onNameInput(event) {
      this.setData({ name: event.detail.value, 'errors.name': '' })
    },

    onIdCardInput(event) {
      this.setData({ idCardNo: event.detail.value, 'errors.id_card_no': '' })
    },

    onSubmit() {
      if (this.data.busy) return Promise.resolve()
      const errors = validate(this.data.name, this.data.idCardNo)
      if (showErrors(this, errors)) return Promise.resolve() // nothing is sent with a wrong check digit
      const body = { name: this.data.name.trim(), id_card_no: idcard.normalize(this.data.idCardNo) }
      this.setData({ busy: true, errors: {} })
      return api.post('/mp/realname', body, { fields: ['name', 'id_card_no'] })
        .then((started) => {
          this.setData({ step: 'verifying' })
          return face.scan(started.verify_id).then(() => started.verify_id)
        })
        .then((verifyId) => api.post('/mp/realname/complete', { verify_id: verifyId }, { quiet: true }))
        .then((person) => {
          guard.loadMe().catch(() => {})
          this.setData({ busy: false, step: 'passed', person })
        })
        .catch((error) => this.onFailure(error))
    },

    onFailure(error) {
      const state = { busy: false }
      if (error instanceof face.FaceCancelled) {
        Object.assign(state, { step: 'failed', failure: error.message })
      } else if (error.code === 'IDCARD_BOUND') {
        state.step = 'bound'
      } else if (error.code === 'FACE_NOT_PASSED') {
        Object.assign(state, { step: 'failed', failure: error.message })
      } else if (error.code === 'ALREADY_VERIFIED') {
        wx.switchTab({ url: HOME })
      } else {
        const errors = {}
        if (error.field) {
          ['name', 'id_card_no'].forEach((path) => { if (error.field(path)) errors[path] = error.field(path) })
        }
        Object.assign(state, { step: 'form', errors })
        if (this.data.step === 'verifying' && error.message) {
          wx.showToast({ title: error.message, icon: 'none', duration: 3000 })
        }
      }
      this.setData(state)
    },

    onRetry() {
      this.setData({ step: 'form', failure: '' })
    },

    onDone() {
      wx.switchTab({ url: HOME })
    },

    onProfile() {
      wx.redirectTo({ url: '/pages/profile/index' })
    },
  },
})
