// ESLint (flat config) over the mini-program and its tests: `npm run lint`, part of `npm test`.
const js = require('@eslint/js')
const globals = require('globals')

const miniprogramGlobals = {
  wx: 'readonly',
  App: 'readonly',
  Page: 'readonly',
  Component: 'readonly',
  Behavior: 'readonly',
  getApp: 'readonly',
  getCurrentPages: 'readonly',
}

module.exports = [
  { ignores: ['node_modules/**'] },
  js.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: 'commonjs',
      globals: { ...miniprogramGlobals, ...globals.commonjs },
    },
    rules: {
      'no-unused-vars': ['error', { args: 'after-used', caughtErrors: 'none' }],
      eqeqeq: ['error', 'always'],
      'no-var': 'error',
      'prefer-const': 'error',
      'no-console': 'error',
    },
  },
  {
    // the mini-program itself runs in WeChat, not in Node: no Node built-ins there
    files: ['app.js', 'config.js', 'utils/**/*.js', 'pages/**/*.js'],
    rules: {
      'no-restricted-globals': ['error', 'process', 'Buffer', '__dirname', 'window', 'document'],
    },
  },
  {
    files: ['tests/**/*.js', 'jest.config.js', 'eslint.config.js'],
    languageOptions: {
      ecmaVersion: 2022,
      globals: { ...globals.node, ...globals.jest, document: 'readonly' },
    },
  },
]
