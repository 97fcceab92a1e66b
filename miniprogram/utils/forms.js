/** What the pages' forms share. */

/** A form with errors shows them (the page's data.errors) and sends nothing: true when it has any. */
function showErrors(page, errors) {
  if (!Object.keys(errors).length) return false
  page.setData({ errors })
  return true
}

module.exports = { showErrors }
