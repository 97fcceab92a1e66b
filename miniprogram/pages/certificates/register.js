/**
 * 证书补登记 (and, with ?id=, 证书变更 of a revoked title): a title certificate with a photo of it,
 * registered at the current employer, who confirms it. The page then shows its state.
 */
const api = require('../../utils/api')
const { showErrors } = require('../../utils/forms')
const guard = require('../../utils/guard')
const idcard = require('../../utils/idcard')
const labels = require('../../utils/labels')

const FIELDS = ['name', 'level', 'specialty', 'cert_no', 'issued_on', 'issuer', 'file_id']
const LIMITS = { name: 50, specialty: 50, cert_no: 50, issuer: 100 }
const REQUIRED = {
  name: '请输入职称名称', level: '请选择职称等级', specialty: '请输入专业', cert_no: '请输入证书编号',
  issued_on: '请选择发证日期', issuer: '请输入发证机关',
}
const MAX_PHOTO_BYTES = 10 * 1024 * 1024

function today() {
  const day = idcard.todayInShanghai()
  return `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}`
}

function stateOf(certificate) {
  return {
    ...certificate,
    statusLabel: labels.CERTIFICATE_STATUS[certificate.status] || certificate.status,
    specialty: (certificate.specialties || [])[0] || '',
  }
}

Component({
  data: {
    mode: 'register', // register · change
    loaded: false,
    blocked: '', // why the form cannot be used now
    employerName: '',
    levels: labels.TITLE_LEVELS,
    form: { name: '', levelIndex: -1, specialty: '', cert_no: '', issued_on: '', issuer: '' },
    today: today(),
    photo: null, // {path, fileId, uploading}
    errors: {},
    submitting: false,
    result: null,
  },
  methods: {
    onLoad(query) {
      if (!guard.requireSession()) return Promise.resolve()
      this.certificateId = (query && query.id) || ''
      if (this.certificateId) return this.loadForChange()
      return guard.loadMe().then((me) => {
        const blocked = me.realname_status !== 'verified' ? '请先完成实名认证。'
          : !me.employment ? '您目前没有在职单位。职称证书须由在职单位确认，请在接受聘用后再补登记。' : ''
        this.setData({ loaded: true, blocked, employerName: me.employment ? me.employment.enterprise_name : '' })
      }).catch(() => {})
    },

    loadForChange() {
      this.setData({ mode: 'change' })
      if (typeof wx.setNavigationBarTitle === 'function') wx.setNavigationBarTitle({ title: '证书变更' })
      return api.get('/mp/certificates').then((list) => {
        const found = list.items.find((c) => c.id === this.certificateId && c.kind === 'title')
        if (!found) {
          this.setData({ loaded: true, blocked: '证书不存在。' })
          return
        }
        if (found.status !== 'revoked') {
          this.setData({ loaded: true, blocked: '只有被单位撤销的职称证书才能变更。', result: stateOf(found) })
          return
        }
        this.setData({
          loaded: true,
          form: {
            name: found.type || '', levelIndex: labels.TITLE_LEVELS.indexOf(found.level), specialty: (found.specialties || [])[0] || '',
            cert_no: found.cert_no || '', issued_on: found.issued_on || '', issuer: found.issuer || '',
          },
          photo: found.file_id ? { path: '', fileId: found.file_id, uploading: false } : null,
        })
      }).catch(() => {})
    },

    onInput(event) {
      const { field } = event.currentTarget.dataset
      this.setData({ [`form.${field}`]: event.detail.value, [`errors.${field}`]: '' })
    },

    onLevelChange(event) {
      this.setData({ 'form.levelIndex': Number(event.detail.value), 'errors.level': '' })
    },

    onDateChange(event) {
      this.setData({ 'form.issued_on': event.detail.value, 'errors.issued_on': '' })
    },

    /** Take or choose a photo of the certificate and upload it at once (JPEG/PNG ≤ 10 MB). */
    onChoosePhoto() {
      return new Promise((resolve) => {
        wx.chooseMedia({
          count: 1, mediaType: ['image'], sourceType: ['album', 'camera'], sizeType: ['compressed'],
          success: (res) => resolve(this.uploadPhoto(res.tempFiles[0])),
          fail: () => resolve(null), // the person closed the picker
        })
      })
    },

    uploadPhoto(file) {
      if (!file) return Promise.resolve()
      if (file.size > MAX_PHOTO_BYTES) {
        this.setData({ 'errors.file_id': '照片不能超过10MB，请重新拍摄或选择' })
        return Promise.resolve()
      }
      this.setData({ photo: { path: file.tempFilePath, fileId: '', uploading: true }, 'errors.file_id': '' })
      return api.upload('/mp/files', file.tempFilePath, { quiet: true })
        .then((stored) => this.setData({ photo: { path: file.tempFilePath, fileId: stored.file_id, uploading: false } }))
        .catch((error) => this.setData({ photo: null, 'errors.file_id': error.field('file') || error.message }))
    },

    onRemovePhoto() {
      this.setData({ photo: null })
    },

    onPreviewPhoto() {
      if (this.data.photo && this.data.photo.path) wx.previewImage({ urls: [this.data.photo.path] })
    },

    body() {
      const form = this.data.form
      const errors = {}
      const body = {}
      ;['name', 'specialty', 'cert_no', 'issuer'].forEach((field) => {
        const value = (form[field] || '').trim()
        if (!value) errors[field] = REQUIRED[field]
        else if ([...value].length > LIMITS[field]) errors[field] = `长度不能超过${LIMITS[field]}个字符`
        else body[field] = value
      })
      if (form.levelIndex < 0) errors.level = REQUIRED.level
      else body.level = labels.TITLE_LEVELS[form.levelIndex]
      if (!form.issued_on) errors.issued_on = REQUIRED.issued_on
      else if (form.issued_on > today()) errors.issued_on = '发证日期不能晚于今天'
      else body.issued_on = form.issued_on
      if (this.data.photo && this.data.photo.uploading) errors.file_id = '照片正在上传，请稍候'
      else if (this.data.photo && this.data.photo.fileId) body.file_id = this.data.photo.fileId
      return { body, errors }
    },

    onSubmit() {
      if (this.data.submitting) return Promise.resolve()
      const { body, errors } = this.body()
      if (showErrors(this, errors)) return Promise.resolve()
      this.setData({ submitting: true, errors: {} })
      this.submitKey = this.submitKey || api.newIdempotencyKey()
      const sent = this.data.mode === 'change'
        ? api.put(`/mp/certificates/titles/${this.certificateId}`, body, { fields: FIELDS })
        : api.post('/mp/certificates/titles', body, { fields: FIELDS, idempotencyKey: this.submitKey })
      return sent
        .then((certificate) => {
          this.submitKey = null
          this.setData({ submitting: false, result: stateOf(certificate) })
          wx.showToast({ title: '已提交，待单位确认', icon: 'none' })
        })
        .catch((error) => {
          if (error.status >= 400 && error.status < 500) this.submitKey = null
          const shown = {}
          FIELDS.forEach((path) => { if (error.field && error.field(path)) shown[path] = error.field(path) })
          this.setData({ submitting: false, errors: shown })
        })
    },

    onCertificates() {
      wx.redirectTo({ url: '/pages/certificates/index' })
    },
  },
})
