// CA login, the part users fail at most: through the local helper (the production path, here its
// stub with the dev CA's keys), every case of "CA无法登录解决办法", and the development-only
// software certificate (RSA and SM2).
import { expect, test } from '@playwright/test'
import {
  CHUTIAN_DESIGN, HUANGHE, certOption, checkScreen, chooseSoftCertificate, env, extraCertificates, helperControl, loginWithHelper, openLogin, sample,
} from './support'

test.afterEach(async () => {
  await helperControl('POST', '/stub/reset') // every key plugged in again, PIN tries restored
})

test('the login page lists the plugged-in keys and links the CA application process and the help', async ({ page }) => {
  await openLogin(page)
  await expect(certOption(page, HUANGHE, 'rsa')).toContainText('四川黄河建设集团有限公司')
  await expect(certOption(page, HUANGHE, 'sm2')).toContainText('SM2')
  await checkScreen(page, '01-login')
  await page.getByTestId('ca-guide-link').click()
  await expect(page.getByRole('heading', { name: 'CA办理流程' })).toBeVisible()
  await checkScreen(page, '02-ca-guide')
  await page.goto('ca-help')
  await expect(page.getByRole('heading', { name: 'CA无法登录解决办法' })).toBeVisible()
  await expect(page.getByText('未检测到CA锁（USB Key）')).toBeVisible()
  await checkScreen(page, '03-ca-help')
  await page.goto('no/such/page')
  await expect(page.getByText('页面不存在', { exact: true })).toBeVisible()
  await checkScreen(page, '03-page-not-found')
})

test('an SM2 key logs in through the helper', async ({ page }) => {
  await loginWithHelper(page, HUANGHE, 'sm2')
  await expect(page.getByTestId('enterprise-name')).toHaveText('四川黄河建设集团有限公司')
})

test('without a helper answering, the page says how to install and start it', async ({ page }) => {
  // nothing listens: the browser's connection to the helper is refused
  await page.route(`${env.helper}/**`, (route) => route.abort('connectionrefused'))
  await page.goto('login')
  const problem = page.getByTestId('ca-problem')
  await expect(problem).toHaveAttribute('data-problem', 'no-helper')
  await expect(problem).toContainText('未检测到CA证书应用环境')
  await expect(problem).toContainText('确认CA助手已启动')
  await expect(page.getByTestId('redetect')).toBeVisible()
  await checkScreen(page, '04-login-no-helper')
  await page.unroute(`${env.helper}/**`)
  await page.getByTestId('redetect').click()
  await expect(certOption(page, HUANGHE)).toBeVisible()
})

test('without a key plugged in, the page says to insert it', async ({ page }) => {
  await helperControl('DELETE', '/stub/keys')
  await page.goto('login')
  const problem = page.getByTestId('ca-problem')
  await expect(problem).toHaveAttribute('data-problem', 'no-key')
  await expect(problem).toContainText('将CA锁插入电脑的USB接口')
  await checkScreen(page, '05-login-no-key')
  await helperControl('POST', '/stub/reset') // the key is plugged in: a new detection finds it
  await page.getByTestId('redetect').click()
  await expect(certOption(page, HUANGHE)).toBeVisible()
})

test('a wrong PIN says how many tries are left, and the right one still logs in', async ({ page }) => {
  await openLogin(page)
  await certOption(page, HUANGHE).click()
  await page.getByTestId('pin').fill('000000')
  await page.getByTestId('login').click()
  const problem = page.getByTestId('ca-problem')
  await expect(problem).toHaveAttribute('data-problem', 'wrong-pin')
  await expect(problem).toContainText('还可以尝试 9 次')
  await expect(page.getByTestId('pin')).toHaveValue('') // not kept: it was wrong
  await checkScreen(page, '06-login-wrong-pin')
  await page.getByTestId('pin').fill(env.pin)
  await page.getByTestId('login').click()
  await expect(page.getByTestId('enterprise-name')).toBeVisible()
})

for (const [kind, code, text, shot] of [
  ['expired', 'expired', '证书不在有效期内', '07-login-expired'],
  ['revoked', 'revoked', '证书已被CA机构吊销', '08-login-revoked'],
] as const) {
  test(`a ${kind} certificate is refused with what to do about it`, async ({ page }) => {
    const issued = extraCertificates()[kind]
    expect(issued, `XJ_E2E_CERTS.${kind}`).toBeTruthy()
    await helperControl('DELETE', '/stub/keys')
    await helperControl('POST', '/stub/keys', { cert: issued.cert, key: issued.key })
    await openLogin(page)
    if (kind === 'expired') await expect(page.getByTestId('cert-option')).toContainText('已过期')
    await page.getByTestId('pin').fill(env.pin)
    await page.getByTestId('login').click()
    const problem = page.getByTestId('ca-problem')
    await expect(problem).toHaveAttribute('data-problem', code)
    await expect(problem).toContainText(text)
    await checkScreen(page, shot)
    await expect(page).toHaveURL(/\/portal\/login/)
  })
}

test('the software certificate (RSA, dev/test only) logs in, and expired qualifications are excluded from the sync', async ({ page }) => {
  const rsa = sample(CHUTIAN_DESIGN, 'rsa')
  await chooseSoftCertificate(page, rsa.cert, rsa.key)
  await expect(page.getByText('已读取 RSA 私钥')).toBeVisible()
  await checkScreen(page, '09-login-software-certificate')
  await page.getByTestId('soft-login').click()
  await expect(page.getByTestId('enterprise-name')).toHaveText('河南楚天建筑设计研究院有限公司')

  // both design qualifications ended on 2026-10-26: shown, struck through, not taken
  await page.goto('filings/first/design')
  await page.getByTestId('sync-qualifications').click()
  const table = page.getByTestId('qualifications')
  await expect(table.getByTestId('excluded')).toHaveCount(2)
  await expect(page.getByText('没有有效的设计类资质')).toBeVisible()
  await checkScreen(page, '10-first-filing-expired-qualifications')
})

test('the software certificate signs with SM2 (SM3, ID 1234567812345678)', async ({ page }) => {
  const sm2 = sample(HUANGHE, 'sm2')
  await chooseSoftCertificate(page, sm2.cert, sm2.key)
  await expect(page.getByText('已读取 SM2（国密） 私钥')).toBeVisible()
  await page.getByTestId('soft-login').click()
  await expect(page.getByTestId('enterprise-name')).toHaveText('四川黄河建设集团有限公司')
})

test('a key that does not belong to the certificate is refused before anything is sent', async ({ page }) => {
  await chooseSoftCertificate(page, sample(HUANGHE, 'rsa').cert, sample(CHUTIAN_DESIGN, 'rsa').key)
  await page.getByTestId('soft-login').click()
  await expect(page.getByTestId('ca-problem')).toContainText('证书与私钥不匹配')
})

test('a logged-in enterprise is sent to the page it asked for', async ({ page }) => {
  await page.goto('records')
  await expect(page).toHaveURL(/\/portal\/login\?redirect=/)
  await certOption(page, HUANGHE).click()
  await page.getByTestId('pin').fill(env.pin)
  await page.getByTestId('login').click()
  await expect(page.getByRole('heading', { name: '查询进疆信息报送记录' })).toBeVisible()
})
