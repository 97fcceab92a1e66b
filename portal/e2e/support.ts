// What the browser tests share: where the platform runs, the person's side through the API (the
// mini-program's calls), the helper stub's control endpoints, and the per-screen check: a full-page
// screenshot into test-artifacts/portal/ and an axe-core scan with no serious or critical violation.
import { readFileSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { expect, request, type APIRequestContext, type Locator, type Page } from '@playwright/test'

function required(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set: run these tests through tests/test_portal_browser.py (make test)`)
  return value
}

export const env = {
  gateway: required('XJ_GATEWAY_URL'),
  stubs: required('XJ_STUBS_URL'),
  helper: required('XJ_CA_HELPER_URL'),
  dataDir: required('XJ_E2E_DATA_DIR'),
  pin: process.env.XJ_CA_HELPER_PIN ?? '111111',
  artifacts: resolve(process.env.XJ_ARTIFACTS_DIR ?? resolve(process.cwd(), '..', 'test-artifacts'), 'portal'),
}

export interface SampleCertificate {
  uscc: string
  name: string
  algorithm: 'rsa' | 'ecdsa' | 'sm2'
  cert: string
  key: string
}

export function samples(): SampleCertificate[] {
  return JSON.parse(readFileSync(join(env.dataDir, 'devca', 'sample', 'index.json'), 'utf8')) as SampleCertificate[]
}

export function sample(uscc: string, algorithm: SampleCertificate['algorithm'] = 'rsa'): SampleCertificate {
  const found = samples().find((entry) => entry.uscc === uscc && entry.algorithm === algorithm)
  if (!found) throw new Error(`no ${algorithm} sample certificate for ${uscc}`)
  return found
}

/** Certificates the pytest side issued for the error cases (expired, revoked). */
export function extraCertificates(): Record<string, { cert: string; key: string; uscc: string }> {
  return JSON.parse(process.env.XJ_E2E_CERTS ?? '{}')
}

export const HUANGHE = '9151010029141777XB' // 四川黄河建设集团有限公司, 施工
export const CHUTIAN_DESIGN = '9141010014549817XT' // 河南楚天建筑设计研究院有限公司, 设计 (expired qualifications)
export const ZHIJIANG_COST = '911101054728576191' // 北京之江造价师事务所有限公司, 造价咨询

// --- every screen: screenshot + accessibility ------------------------------------------------

const shots: string[] = []

// wait out the transitions of dialogs and messages: axe measures contrast as painted, and a toast
// fading in or out blends its colours with what lies beneath (endless animations, spinners, are left alone)
async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const finite = document.getAnimations().filter((animation) =>
      animation.effect?.getComputedTiming().iterations !== Infinity)
    await Promise.race([Promise.all(finite.map((animation) => animation.finished.catch(() => undefined))),
      new Promise((resolve) => setTimeout(resolve, 5_000))])
  })
}

async function seriousViolations(page: Page): Promise<string[]> {
  // the booklet preview frame is Chromium's own PDF viewer, not the portal's page
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .exclude('iframe[data-test="booklet-preview"]').analyze()
  const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
  return serious.map((violation) => `${violation.id} (${violation.impact}): ${violation.help}\n` +
    violation.nodes.slice(0, 5).map((node) => `    ${node.target.join(' ')} — ${node.failureSummary?.split('\n').slice(1).join(' ')}`).join('\n'))
}

export async function checkScreen(page: Page, name: string): Promise<void> {
  mkdirSync(env.artifacts, { recursive: true })
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined)
  await settle(page)
  await page.screenshot({ path: join(env.artifacts, `${name}.png`), fullPage: true })
  shots.push(name)
  let described = await seriousViolations(page)
  if (described.length > 0) {
    // a message that appeared while axe ran was still fading in: a real violation stays once it has settled
    await page.waitForTimeout(500)
    await settle(page)
    described = await seriousViolations(page)
  }
  expect(described, `axe-core on "${name}"`).toEqual([])
}

// --- logging in ----------------------------------------------------------------------------

export async function openLogin(page: Page): Promise<void> {
  await page.goto('login')
  await expect(page.getByTestId('cert-option').first().or(page.getByTestId('ca-problem'))).toBeVisible()
}

export function certOption(page: Page, uscc: string, algorithm = 'rsa') {
  return page.locator(`[data-test="cert-option"][data-uscc="${uscc}"][data-algorithm="${algorithm}"]`)
}

/** The production path: the helper lists the USB keys, the PIN unlocks one, it signs the nonce. */
export async function loginWithHelper(page: Page, uscc = HUANGHE, algorithm = 'rsa'): Promise<void> {
  await openLogin(page)
  await certOption(page, uscc, algorithm).click()
  await page.getByTestId('pin').fill(env.pin)
  await page.getByTestId('login').click()
  await expect(page.getByTestId('enterprise-name')).toBeVisible()
}

/** The development-only path, up to the login button: the software certificate's tab, its
 * certificate and private key files. */
export async function chooseSoftCertificate(page: Page, cert: string, key: string): Promise<void> {
  await openLogin(page)
  await page.getByRole('tab', { name: '软证书登录（开发测试）' }).click()
  await page.getByTestId('soft-cert').setInputFiles(cert)
  await page.getByTestId('soft-key').setInputFiles(key)
}

/** The enterprise's session token, as the portal keeps it (for the API side of a test). */
export async function enterpriseToken(page: Page): Promise<string> {
  const stored = await page.evaluate(() => sessionStorage.getItem('xj.portal.session'))
  return (JSON.parse(stored ?? '{}') as { token: string }).token
}

// --- the outside world -------------------------------------------------------------------

export async function api(baseURL: string): Promise<APIRequestContext> {
  return request.newContext({ baseURL })
}

export async function helperControl(method: 'GET' | 'POST' | 'DELETE', path: string, data?: unknown): Promise<unknown> {
  const context = await api(env.helper)
  const response = await context.fetch(path, { method, data })
  expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBeTruthy()
  const body = await response.json()
  await context.dispose()
  return body
}

export async function nationalOutage(mode: 'down' | 'ok'): Promise<void> {
  const context = await api(env.stubs)
  const response = await context.post('/stub/national/outage', { data: { mode } })
  expect(response.ok()).toBeTruthy()
  await context.dispose()
}

/** The mini-program's side: a WeChat user who verifies their real name, accepts offers with a face
 * check, registers title certificates. */
export class Person {
  private constructor(private readonly http: APIRequestContext, private readonly token: string, readonly personId: string) {}

  static async verified(openid: string, name: string, idCardNo: string): Promise<Person> {
    const http = await api(env.gateway)
    const login = await http.post('/api/v1/mp/auth/login', { data: { code: `dev-${openid}` } })
    expect(login.ok(), await login.text()).toBeTruthy()
    const token = (await login.json()).token as string
    const headers = { Authorization: `Bearer ${token}` }
    const me = await (await http.get('/api/v1/mp/me', { headers })).json()
    if (me.realname_status !== 'verified') {
      const started = await http.post('/api/v1/mp/realname', { headers, data: { name, id_card_no: idCardNo } })
      expect(started.ok(), await started.text()).toBeTruthy()
      const completed = await http.post('/api/v1/mp/realname/complete', { headers, data: { verify_id: (await started.json()).verify_id } })
      expect(completed.ok(), await completed.text()).toBeTruthy()
    }
    const person = await (await http.get('/api/v1/mp/me', { headers })).json()
    return new Person(http, token, person.person_id)
  }

  private get headers() {
    return { Authorization: `Bearer ${this.token}` }
  }

  /** Accepts the person's pending offer after a face check bound to it. */
  async acceptOffer(): Promise<string> {
    const employments = await (await this.http.get('/api/v1/mp/employments', { headers: this.headers })).json()
    const offer = (employments.items as { id: string; status: string }[]).find((item) => item.status === 'pending')
    expect(offer, 'a pending offer').toBeTruthy()
    const ticket = await this.http.post('/api/v1/mp/face', { headers: this.headers, data: { purpose: 'employment.accept', target_id: offer!.id } })
    expect(ticket.ok(), await ticket.text()).toBeTruthy()
    const accepted = await this.http.post(`/api/v1/mp/employments/${offer!.id}/accept`, {
      headers: this.headers, data: { verify_id: (await ticket.json()).verify_id },
    })
    expect(accepted.ok(), await accepted.text()).toBeTruthy()
    return offer!.id
  }

  async registerTitle(fields: Record<string, string>): Promise<string> {
    const response = await this.http.post('/api/v1/mp/certificates/titles', { headers: this.headers, data: fields })
    expect(response.status(), await response.text()).toBe(201)
    return (await response.json()).id
  }

  async reregisterTitle(id: string, fields: Record<string, string>): Promise<void> {
    const response = await this.http.put(`/api/v1/mp/certificates/titles/${id}`, { headers: this.headers, data: fields })
    expect(response.ok(), await response.text()).toBeTruthy()
  }
}

/** The enterprise's API, with the token of the browser's session (to prepare data quickly). */
export class Enterprise {
  private constructor(private readonly http: APIRequestContext, private readonly token: string) {}

  static async of(page: Page): Promise<Enterprise> {
    return new Enterprise(await api(env.gateway), await enterpriseToken(page))
  }

  private get headers() {
    return { Authorization: `Bearer ${this.token}` }
  }

  async upload(name = '劳动合同.pdf'): Promise<string> {
    const response = await this.http.post('/api/v1/ent/files', {
      headers: this.headers, multipart: { file: { name, mimeType: 'application/pdf', buffer: PDF } },
    })
    expect(response.status(), await response.text()).toBe(201)
    return (await response.json()).file_id
  }

  async offer(idCardNo: string, contractEnd = '2028-11-30'): Promise<string> {
    const response = await this.http.post('/api/v1/ent/employments', {
      headers: this.headers,
      data: { id_card_no: idCardNo, contract_start: '2026-12-01', contract_end: contractEnd, contract_file_id: await this.upload() },
    })
    expect(response.status(), await response.text()).toBe(201)
    return (await response.json()).id
  }

  async hire(person: Person, idCardNo: string): Promise<void> {
    await this.offer(idCardNo)
    await person.acceptOffer()
  }

  async get(path: string): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const response = await this.http.get(path, { headers: this.headers })
    expect(response.ok(), await response.text()).toBeTruthy()
    return response.json()
  }
}

export const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n')

export function pdfFile(name: string) {
  return { name, mimeType: 'application/pdf', buffer: PDF }
}

/** Picks a date in an Element Plus date picker by typing it (YYYY-MM-DD) and confirming. */
export async function typeDate(page: Page, label: string, date: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true })
  await input.click()
  await input.fill(date)
  await input.press('Enter')
  await expect(input).toHaveValue(date)
}

/** The message under a form item (found by its label's text): a field's own error. */
export async function expectFieldError(scope: Page | Locator, label: string, message: string): Promise<void> {
  await expect(scope.locator('.el-form-item').filter({ hasText: label }).locator('.el-form-item__error')).toHaveText(message)
}

/** Submits with the button of that test id: the automatic review approves (photographed as `shot`,
 * when named), and the result is closed. */
export async function submitApproved(page: Page, button: string, shot?: string): Promise<void> {
  await page.getByTestId(button).click()
  const result = page.getByTestId('case-result')
  await expect(result).toContainText('自动审核通过')
  if (shot) await checkScreen(page, shot)
  await result.getByRole('button', { name: '完成' }).click()
}

/** Chooses an option of an Element Plus select (by its accessible name) by the option's text, in the
 * list that select controls (another select's list may still be fading out). */
export async function choose(page: Page, label: string, option: string | RegExp): Promise<void> {
  const input = page.getByRole('combobox', { name: label, exact: true })
  const wrapper = input.locator('xpath=ancestor::div[contains(@class, "el-select__wrapper")]')
  const list = page.locator(`[id="${await input.getAttribute('aria-controls')}"]`)
  await expect(async () => {
    if (!(await list.isVisible())) await wrapper.click()
    await list.getByRole('option', { name: option }).first().click({ timeout: 2_000 })
  }).toPass({ timeout: 20_000 })
  await expect(list).toBeHidden()
}

export function screenshots(): string[] {
  return shots
}
