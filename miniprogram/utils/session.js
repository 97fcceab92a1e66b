/** The person's session: the gateway's token, kept in the mini-program's storage. */
const KEY = 'xj.session'

function load() {
  const stored = wx.getStorageSync(KEY)
  return stored && stored.token ? stored : null
}

function token() {
  const current = load()
  return current ? current.token : null
}

function save({ token: value, expires_at: expiresAt, person }) {
  wx.setStorageSync(KEY, { token: value, expiresAt, person: person || null })
}

function savePerson(person) {
  const current = load()
  if (current) wx.setStorageSync(KEY, { ...current, person })
}

function person() {
  const current = load()
  return current ? current.person : null
}

function clear() {
  wx.removeStorageSync(KEY)
}

module.exports = { KEY, load, token, save, savePerson, person, clear }
