/** Behaviours (WeChat's mixins) the pages share. */
const guard = require('./guard')

/** A page of the person's data: each time it shows, no session means the login page, else the
 * page's reload() fetches the data again. */
const reloadOnShow = Behavior({
  methods: {
    onShow() {
      if (!guard.requireSession()) return Promise.resolve()
      return this.reload()
    },
  },
})

module.exports = { reloadOnShow }
