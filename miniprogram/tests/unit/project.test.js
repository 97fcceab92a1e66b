/** The project as WeChat DevTools opens it: pages, configuration, the base library, the notices' pages. */
const fs = require('fs')
const path = require('path')
const { ROOT } = require('../support/miniapp')
const { compareVersion, MIN_BASE_LIBRARY, checkBaseLibrary } = require('../../utils/compat')
const { createWx, routeTransport } = require('../support/fake-wx')

const read = (file) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'))
const app = read('app.json')
const project = read('project.config.json')

describe('the mini-program project', () => {
  test.each(app.pages)('%s has its .js, .json, .wxml and is a Component() page', (page) => {
    for (const ext of ['.js', '.json', '.wxml']) expect(fs.existsSync(path.join(ROOT, page + ext))).toBe(true)
    expect(read(`${page}.json`).usingComponents).toEqual({})
    expect(fs.readFileSync(path.join(ROOT, `${page}.js`), 'utf8')).toMatch(/^Component\(/m)
  })

  test('the tab bar pages are pages', () => {
    app.tabBar.list.forEach((tab) => expect(app.pages).toContain(tab.pagePath))
  })

  test('the pages that subscribe messages open exist (identity-svc notices.py)', () => {
    expect(app.pages).toContain('pages/employments/detail')
    expect(app.pages).toContain('pages/certificates/index')
  })

  test('the debug base library is the minimum, and face verification 2.0 needs it', () => {
    expect(project.libVersion).toBe(MIN_BASE_LIBRARY)
    expect(compareVersion(MIN_BASE_LIBRARY, '3.8.12')).toBeGreaterThanOrEqual(0)
    expect(project.miniprogramRoot).toBe('./')
    expect(project.packOptions.ignore).toEqual(expect.arrayContaining([{ type: 'folder', value: 'node_modules' },
      { type: 'folder', value: 'tests' }]))
    expect(fs.existsSync(path.join(ROOT, app.sitemapLocation))).toBe(true)
  })

  test('versions compare number by number', () => {
    expect(compareVersion('3.8.12', '3.8.9')).toBe(1)
    expect(compareVersion('3.8.12', '3.8.12')).toBe(0)
    expect(compareVersion('3.7.99', '3.8.12')).toBe(-1)
    expect(compareVersion('3.10', '3.9.1')).toBe(1)
  })

  test('an older base library is told to update WeChat', async () => {
    const fake = createWx({ transport: routeTransport(() => ({ json: {} })), sdkVersion: '3.7.10' })
    global.wx = fake.wx
    expect(checkBaseLibrary()).toBe(false)
    expect(fake.record.modals[0].content).toContain('请升级到最新版微信')
    global.wx = createWx({ transport: routeTransport(() => ({ json: {} })), sdkVersion: '3.9.0' }).wx
    expect(checkBaseLibrary()).toBe(true)
  })

  test('the old face API is never used', () => {
    const sources = []
    const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).forEach((entry) => {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (/\.(js|wxml)$/.test(entry.name)) sources.push(fs.readFileSync(full, 'utf8'))
    })
    ;['pages', 'utils'].forEach((dir) => walk(path.join(ROOT, dir)))
    expect(sources.join('\n')).not.toMatch(/startFacialRecognitionVerify/)
    expect(sources.join('\n')).toMatch(/wx\.requestFacialVerify\(/)
  })
})
