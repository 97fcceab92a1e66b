/**
 * The mini-program as a phone runs it, for tests: pages (Component() pages, loaded by
 * miniprogram-simulate with the real WXML compiler), a page stack that wx.navigateTo,
 * redirectTo, reLaunch, switchTab and navigateBack move, and page lifetimes (onLoad with the
 * query, onShow) called as WeChat calls them.
 */
const path = require('path')
const simulate = require('miniprogram-simulate')

const ROOT = path.resolve(__dirname, '..', '..')
const APP = require(path.join(ROOT, 'app.json'))
const TAB_PAGES = APP.tabBar.list.map((tab) => tab.pagePath)
const registered = {}

function parse(url) {
  const [route, search = ''] = url.replace(/^\//, '').split('?')
  return { route, query: Object.fromEntries(new URLSearchParams(search)) }
}

function componentId(route) {
  if (!APP.pages.includes(route)) throw new Error(`page ${route} is not in app.json`)
  if (!registered[route]) registered[route] = simulate.load(path.join(ROOT, route), { rootPath: ROOT })
  return registered[route]
}

class MiniApp {
  /** `fake`: createWx()'s result; it becomes the global `wx`. */
  constructor(fake) {
    this.fake = fake
    this.stack = []
    global.wx = fake.wx
    fake.setRouter((kind, opts) => this.navigate(kind, opts))
  }

  get page() {
    const top = this.stack[this.stack.length - 1]
    if (!top) throw new Error('no page is open')
    return top
  }

  get route() {
    return this.stack.length ? this.page.route : null
  }

  async push(url) {
    const { route, query } = parse(url)
    const comp = simulate.render(componentId(route))
    comp.attach(document.createElement('parent-wrapper'))
    const entry = { route, query, comp, instance: comp.instance }
    this.stack.push(entry)
    if (comp.instance.onLoad) await comp.instance.onLoad(query)
    if (comp.instance.onShow && this.page === entry) await comp.instance.onShow()
    return entry
  }

  close(entry) {
    if (entry.instance.onUnload) entry.instance.onUnload()
    entry.comp.detach()
  }

  async navigate(kind, opts) {
    const target = opts.url ? parse(opts.url).route : null
    const isTab = target && TAB_PAGES.includes(target)
    if ((kind === 'navigateTo' || kind === 'redirectTo') && isTab) {
      throw new Error(`${kind}:fail can not ${kind} a tabbar page (${target})`)
    }
    if (kind === 'switchTab' && !isTab) throw new Error(`switchTab:fail ${target} is not a tabbar page`)
    if (kind === 'navigateTo') return this.push(opts.url)
    if (kind === 'redirectTo') {
      this.close(this.stack.pop())
      return this.push(opts.url)
    }
    if (kind === 'reLaunch' || kind === 'switchTab') {
      while (this.stack.length) this.close(this.stack.pop())
      return this.push(opts.url)
    }
    const delta = Math.max(1, opts.delta || 1)
    for (let i = 0; i < delta && this.stack.length > 1; i += 1) this.close(this.stack.pop())
    if (this.page.instance.onShow) await this.page.instance.onShow()
    return this.page
  }

  /** Opens the first page as WeChat does at launch (reLaunch semantics), and waits until it settled. */
  async launch(url) {
    await this.navigate('reLaunch', { url })
    await this.fake.idle()
    return this.page
  }

  find(selector) {
    return this.page.comp.querySelector(selector)
  }

  exists(selector) {
    return Boolean(this.find(selector))
  }

  element(selector) {
    const found = this.find(selector)
    if (!found) throw new Error(`no ${selector} on ${this.route}: ${this.text()} (toasts: ${this.fake.record.toasts.join(" | ")})`)
    return found
  }

  text(selector) {
    return selector ? this.element(selector).dom.textContent.trim() : this.page.comp.dom.textContent
  }

  data() {
    return this.page.instance.data
  }

  async tap(selector) {
    this.element(selector).dispatchEvent('tap')
    await this.fake.idle()
  }

  async input(selector, value) {
    this.element(selector).dispatchEvent('input', { detail: { value } })
    await this.fake.idle()
  }

  async change(selector, value) {
    this.element(selector).dispatchEvent('change', { detail: { value } })
    await this.fake.idle()
  }

  /** Pulls the current page down (onPullDownRefresh) or shows it again (onShow). */
  async refresh() {
    const instance = this.page.instance
    await (instance.onPullDownRefresh ? instance.onPullDownRefresh() : instance.onShow())
    await this.fake.idle()
  }
}

module.exports = { MiniApp, ROOT, TAB_PAGES, parse }
