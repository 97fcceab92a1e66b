// Keyboard users must be able to scroll what scrolls (WCAG 2.1.1): Element Plus tables that overflow
// (narrow screens, long tables) get a tab stop and a name on their scroll container.
const SCROLLERS = '.el-table__body-wrapper .el-scrollbar__wrap'

function update(): void {
  document.querySelectorAll<HTMLElement>(SCROLLERS).forEach((element) => {
    const scrolls = element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1
    if (scrolls && !element.hasAttribute('tabindex')) {
      element.setAttribute('tabindex', '0')
      element.setAttribute('role', 'region')
      element.setAttribute('aria-label', '表格内容（可用方向键滚动）')
    } else if (!scrolls && element.getAttribute('role') === 'region') {
      element.removeAttribute('tabindex')
      element.removeAttribute('role')
      element.removeAttribute('aria-label')
    }
  })
}

export function keepScrollableRegionsFocusable(): void {
  let scheduled = false
  const schedule = () => {
    if (scheduled) return
    scheduled = true
    requestAnimationFrame(() => {
      scheduled = false
      update()
    })
  }
  new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true })
  window.addEventListener('resize', schedule)
}
