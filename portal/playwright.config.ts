import { defineConfig } from '@playwright/test'

// Runs against a platform started as `make run` starts it (tests/test_portal_browser.py starts it
// and sets XJ_PORTAL_URL, XJ_STUBS_URL, XJ_CA_HELPER_URL, XJ_E2E_DATA_DIR), in Debian's Chromium.
const gateway = process.env.XJ_GATEWAY_URL ?? 'http://127.0.0.1:8000'

export default defineConfig({
  testDir: './e2e',
  timeout: 180_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  outputDir: '../test-artifacts/playwright',
  use: {
    baseURL: `${gateway}/portal/`,
    browserName: 'chromium',
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 900 },
    acceptDownloads: true,
    testIdAttribute: 'data-test',
    screenshot: 'only-on-failure',
    trace: process.env.XJ_PLAYWRIGHT_TRACE ? 'retain-on-failure' : 'off', // tracing costs CPU on a shared machine
    launchOptions: {
      executablePath: process.env.XJ_CHROMIUM ?? '/usr/bin/chromium',
      // what Chromium needs as root in a closed network (DEVELOPERS.md); Playwright gives it a fresh profile
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    },
  },
})
