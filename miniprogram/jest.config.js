/**
 * Two projects: `unit` (every page against an in-process fake gateway, no platform) and `flow`
 * (the person's journey against a real platform: XJ_GATEWAY_URL and friends, set by
 * tests/test_miniprogram_journey.py, or by hand against `make run`; see README.md).
 */
const common = {
  testEnvironment: 'jsdom',
  testEnvironmentOptions: { url: 'https://servicewechat.com/' },
}

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.js'] },
    { ...common, displayName: 'flow', testMatch: ['<rootDir>/tests/flow/**/*.test.js'] },
  ],
  testTimeout: 60000,
}
