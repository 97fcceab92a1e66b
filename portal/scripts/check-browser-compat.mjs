// The build targets Chromium 86 (360安全浏览器's Chromium mode): esbuild lowers the syntax, but not
// the runtime APIs. This fails the build when the bundle calls one that Chromium 86 lacks (there
// are no polyfills). Calls guarded by feature detection are listed in ALLOWED with the reason.
import { readFileSync, readdirSync } from 'node:fs'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const assets = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'assets')
const FORBIDDEN = [
  [/\bstructuredClone\(/, 'structuredClone (Chrome 98)'],
  [/\bObject\.hasOwn\(/, 'Object.hasOwn (Chrome 93)'],
  [/\.at\((?:-?\d|[a-z]\w*\s*-)/, 'Array/String.prototype.at (Chrome 92)'],
  [/\.findLast(?:Index)?\(/, 'Array.prototype.findLast (Chrome 97)'],
  [/\bcrypto\.randomUUID\(/, 'crypto.randomUUID (Chrome 92)'],
  [/\.replaceAll\(/, 'String.prototype.replaceAll (Chrome 85: fine, but keep it out of our own code)'],
]
// Vue's reactive arrays forward these only when the app calls them; Element Plus checks for
// Intl.Segmenter; its tree-select (keyboard focus of the last node) is not used by the portal
const ALLOWED = [/toSorted|toReversed|toSpliced/, /"Segmenter"in Intl/, /childNodes\.at\(-1\)/]

const problems = []
for (const name of readdirSync(assets).filter((file) => file.endsWith('.js'))) {
  const text = readFileSync(join(assets, name), 'utf8')
  for (const [pattern, what] of FORBIDDEN) {
    const match = pattern.exec(text)
    if (!match) continue
    const around = text.slice(Math.max(0, match.index - 60), match.index + 60)
    if (ALLOWED.some((allowed) => allowed.test(around))) continue
    problems.push(`${name}: ${what}: …${around}…`)
  }
}
if (problems.length) {
  console.error('The bundle uses APIs that Chromium 86 lacks:\n' + problems.join('\n'))
  process.exit(1)
}
console.log('browser compatibility: no API beyond Chromium 86 in dist/assets')
