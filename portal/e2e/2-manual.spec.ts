// The operations manual, chapter by chapter, in the browser: a construction enterprise (四川黄河建设集团)
// hires, files, files its staff's certificates, confirms titles, changes each part of its filing,
// reads its records and prints its booklet; a cost-consulting enterprise files a project. The
// business date is 2026-11-25 (XJ_FAKE_NOW). The persons' side (real-name check, accepting with a
// face check, registering a title) goes through the mini-program's API.
import { expect, test, type Page } from '@playwright/test'
import {
  Enterprise, HUANGHE, Person, ZHIJIANG_COST, checkScreen, choose, env, expectFieldError, loginWithHelper, nationalOutage, pdfFile,
  submitApproved, typeDate,
} from './support'

const XIAO = { openid: 'm-xiao', name: '萧杰然', id: '510100196609086389' } // 一级注册建造师 at 黄河
const WAN = { openid: 'm-wan', name: '万秀', id: '510100198612235495' } // 二级注册建造师 at 黄河
const SUN = { openid: 'm-sun', name: '孙浩海', id: '510100199007227053' } // 一级注册建造师 at 黄河
const SUNNA = { openid: 'm-sunna', name: '孙娜然', id: '610100196604217435' } // registered at another enterprise
const KANG = { openid: 'm-kang', name: '康轩军', id: '510100199501107882' } // no registered certificate
const LU = { openid: 'm-lu', name: '陆英', id: '510100197509089827' } // offered, then the offer is cancelled
const KANGYX = { openid: 'm-kangyx', name: '康英霞', id: '11010519980412867X' } // 一级注册造价工程师 at 之江

const BASIC = {
  legal: '苏芳', address: '四川省成都市人民南路278号', capital: '1000', established: '2010-02-20', contact: '王经理', phone: '13800138000',
}
const TITLE = { name: '工程师', level: '中级', specialty: '建筑工程', cert_no: 'ZC-2019-0815', issued_on: '2019-08-15', issuer: '四川省人力资源和社会保障厅' }

test.describe.serial('the manual in the browser', () => {
  let page: Page
  const persons: Record<string, Person> = {}

  test.beforeAll(async ({ browser }) => {
    // one page for the whole manual (axe-core needs it from a context of its own)
    const context = await browser.newContext({
      baseURL: `${env.gateway}/portal/`, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1366, height: 900 },
      acceptDownloads: true,
    })
    page = await context.newPage()
    for (const person of [XIAO, WAN, SUN, SUNNA, KANG, LU, KANGYX]) {
      persons[person.openid] = await Person.verified(person.openid, person.name, person.id)
    }
  })

  test.afterAll(async () => {
    await page.context().close()
  })

  test('企业信息: the enterprise, its registrations and what is due', async () => {
    await loginWithHelper(page, HUANGHE)
    await expect(page.getByTestId('enterprise')).toContainText(HUANGHE)
    await expect(page.getByTestId('due')).toContainText('尚未办理首次进疆信息报送')
    await checkScreen(page, '11-dashboard-new-enterprise')
  })

  test('发起聘用: look up, contract period, labour contract; a wrong file and a too long contract are refused at their fields', async () => {
    await page.getByRole('menuitem', { name: '发起聘用' }).click()
    await expect(page.getByTestId('face-notice')).toContainText('人脸识别')
    await page.getByTestId('id-card').fill(XIAO.id)
    await page.getByTestId('lookup').click()
    await expect(page.getByTestId('employable')).toBeVisible()
    await typeDate(page, '合同开始日期', '2026-12-01')
    await typeDate(page, '合同结束日期', '2028-11-30')
    // a text file named .pdf: refused before it is sent
    await page.getByLabel('上传劳动合同').setInputFiles({ name: '劳动合同.pdf', mimeType: 'application/pdf', buffer: Buffer.from('这不是PDF') })
    await expect(page.getByText('不是PDF、JPG或PNG文件')).toBeVisible()
    await page.getByLabel('上传劳动合同').setInputFiles(pdfFile('萧杰然劳动合同.pdf'))
    await expect(page.getByText('萧杰然劳动合同.pdf')).toBeVisible()
    await checkScreen(page, '12-hire-form')
    await page.getByTestId('submit-offer').click()
    await expect(page.getByTestId('offer-done')).toContainText('已向 萧杰然 发出聘用邀请')
    await checkScreen(page, '13-hire-offer-sent')
    await page.getByRole('button', { name: '继续聘用' }).click()
    await persons[XIAO.openid].acceptOffer()

    // the server's rule (at most 10 years) is not repeated in the page: its 422 lands on the field
    await page.getByTestId('id-card').fill(WAN.id)
    await page.getByTestId('lookup').click()
    await expect(page.getByTestId('employable')).toBeVisible()
    await typeDate(page, '合同开始日期', '2026-12-01')
    await typeDate(page, '合同结束日期', '2037-12-31')
    await page.getByLabel('上传劳动合同').setInputFiles(pdfFile('万秀劳动合同.pdf'))
    await expect(page.getByText('万秀劳动合同.pdf')).toBeVisible() // uploaded: the form has its file
    await page.getByTestId('submit-offer').click()
    await expectFieldError(page, '合同结束日期', '合同期限不能超过10年')
    await checkScreen(page, '14-hire-422-on-field')
    await typeDate(page, '合同结束日期', '2028-11-30')
    await page.getByTestId('submit-offer').click()
    await expect(page.getByTestId('offer-done')).toBeVisible()
    await page.getByRole('button', { name: '继续聘用' }).click()
    await persons[WAN.openid].acceptOffer()

    // the others through the API (the enterprise's token of this session)
    const enterprise = await Enterprise.of(page)
    for (const person of [SUN, SUNNA, KANG]) await enterprise.hire(persons[person.openid], person.id)
    await enterprise.offer(LU.id)

    // an employed person cannot be offered twice: the lookup says why
    await page.getByTestId('id-card').fill(XIAO.id)
    await page.getByTestId('lookup').click()
    await expect(page.getByTestId('not-employable')).toContainText('已在本企业在职')
  })

  test('首次进疆信息报送: one entry per type; a rejection is shown at its field; session expiry loses nothing', async () => {
    await page.getByRole('menuitem', { name: '首次进疆信息报送' }).click()
    await expect(page.getByTestId('entry-construction')).toBeVisible()
    await expect(page.getByTestId('entry-cost_consulting')).toHaveCount(0)
    await checkScreen(page, '15-first-filing-entries')
    await page.getByTestId('start-construction').click()

    await page.getByTestId('basic-name').fill('四川黄河建设集团') // not the national platform's name
    await page.getByTestId('basic-legal').fill(BASIC.legal)
    await page.getByTestId('basic-address').fill(BASIC.address)
    await page.getByTestId('basic-capital').fill(BASIC.capital)
    await typeDate(page, '成立日期', BASIC.established)
    await page.getByTestId('basic-contact').fill(BASIC.contact)
    await page.getByTestId('basic-phone').fill(BASIC.phone)
    await page.getByTestId('sync-qualifications').click()
    await expect(page.getByTestId('qualifications')).toContainText('建筑工程施工总承包')
    await expect(page.getByTestId('qualifications').getByTestId('excluded')).toHaveCount(0)
    await choose(page, '进疆负责人', /萧杰然/)
    await choose(page, '进疆技术负责人', /万秀/)
    await page.getByLabel('上传附件').setInputFiles([pdfFile('营业执照.pdf'), pdfFile('资质证书.pdf')])
    await expect(page.getByText('资质证书.pdf')).toBeVisible()
    await checkScreen(page, '16-first-filing-form')
    await page.getByTestId('submit').click()

    const result = page.getByTestId('case-result')
    await expect(result).toContainText('自动审核未通过')
    await expect(result.getByTestId('reasons')).toContainText('企业名称与全国平台不一致')
    await checkScreen(page, '17-first-filing-rejected')
    await result.getByRole('button', { name: '返回修改' }).click()
    const nameItem = page.locator('.el-form-item').filter({ hasText: '企业名称' }).first()
    await expect(nameItem.locator('.el-form-item__error')).toContainText('企业名称与全国平台不一致')
    await checkScreen(page, '18-first-filing-reason-at-field')

    // the session ends while the user corrects the name: back to the login, then back here, all kept
    await page.getByTestId('basic-name').fill('四川黄河建设集团有限公司')
    await page.waitForTimeout(500) // the draft is saved as one types
    await page.evaluate(() => {
      const stored = JSON.parse(sessionStorage.getItem('xj.portal.session') ?? '{}')
      sessionStorage.setItem('xj.portal.session', JSON.stringify({ ...stored, token: 'ended.by.the.server' }))
    })
    await page.reload()
    await expect(page.getByTestId('session-expired')).toBeVisible()
    await expect(page).toHaveURL(/redirect=/)
    await checkScreen(page, '19-session-expired-login')
    await page.getByTestId('pin').fill(env.pin)
    await page.getByTestId('login').click()
    await expect(page.getByText('已恢复您上次未提交的内容')).toBeVisible()
    await expect(page.getByTestId('basic-name')).toHaveValue('四川黄河建设集团有限公司')
    await expect(page.getByTestId('basic-phone')).toHaveValue(BASIC.phone)
    await expect(page.getByText('资质证书.pdf')).toBeVisible()
    await page.getByTestId('submit').click()
    await expect(result).toContainText('自动审核通过')
    await expect(result.getByTestId('change-qualifications')).toContainText('建筑工程施工总承包')
    await checkScreen(page, '20-first-filing-approved')
    await result.getByRole('button', { name: '完成' }).click()
    await expect(page.getByTestId('registrations')).toContainText('2026-12-31')
    await checkScreen(page, '21-dashboard-registered')
  })

  test('人员证书信息报送: sync (503 retried), refusals explained, entered certificates, titles not yet confirmed, filing', async () => {
    await persons[KANG.openid].registerTitle(TITLE)
    await page.getByRole('menuitem', { name: '人员证书信息报送' }).click()
    await expect(page.getByTestId('sync-notice')).toContainText('只有注册在本企业')

    await nationalOutage('down')
    await page.getByTestId('sync-certificates').click()
    const alert = page.getByTestId('error-alert')
    await expect(alert).toContainText('暂时无法访问')
    await expect(alert).toContainText('请稍后')
    await checkScreen(page, '22-personnel-sync-503')
    await nationalOutage('ok')
    await alert.getByTestId('retry').click()
    const synced = page.getByTestId('sync-result')
    await expect(synced).toContainText('新增 3 张')
    await expect(page.getByTestId('sync-refused')).toContainText(SUNNA.name)
    await checkScreen(page, '23-personnel-sync-result')

    // 安管人员 B: a future issue date is the service's refusal (422), shown at its field
    await page.getByTestId('add-certificate').click()
    const dialog = page.getByTestId('entry-dialog')
    await choose(page, '持证人', /康轩军/)
    await dialog.getByTestId('kind-safety').click()
    await choose(page, '安管人员类别', 'B类')
    await dialog.getByLabel('证书编号').fill('川建安B（2025）0031')
    await dialog.getByLabel('发证机关').fill('四川省住房和城乡建设厅')
    await typeDate(page, '发证日期', '2026-12-10')
    await typeDate(page, '有效期至', '2029-12-10')
    await dialog.getByTestId('entry-submit').click()
    await expectFieldError(dialog, '发证日期', '发证日期不能晚于今天')
    await checkScreen(page, '24-certificate-entry-422')
    await typeDate(page, '发证日期', '2025-06-01')
    await dialog.getByTestId('entry-submit').click()
    await expect(dialog).toBeHidden()

    const picker = page.getByTestId('personnel-picker')
    await expect(picker.getByTestId('blocker-ZC-2019-0815')).toContainText('尚未经本企业确认')
    for (const row of await picker.locator('tbody tr').all()) {
      const box = row.locator('.el-checkbox:not(.is-disabled)')
      if (await box.count()) await box.click()
    }
    await expect(page.getByTestId('submit-personnel')).toContainText('报送所选的 4 张证书')
    await checkScreen(page, '25-personnel-choose')
    await submitApproved(page, 'submit-personnel', '26-personnel-approved')
    await expect(picker.getByTestId(`blocker-${'川建安B（2025）0031'}`)).toContainText('已报送')
  })

  test('聘用记录: by status; cancel a pending offer and terminate an employment, each confirmed', async () => {
    await page.getByRole('menuitem', { name: '聘用记录' }).click()
    await expect(page.getByTestId('employments')).toContainText(XIAO.name)
    await checkScreen(page, '27-employments-active')
    await page.getByRole('tab', { name: /待本人确认/ }).click()
    await expect(page.getByTestId('employments')).toContainText(LU.name)
    await page.getByTestId('cancel').click()
    await expect(page.getByRole('dialog')).toContainText('确定撤销对 陆英')
    await checkScreen(page, '28-employments-cancel-confirm')
    await page.getByRole('button', { name: '撤销邀请' }).click()
    await expect(page.getByText('已撤销聘用邀请')).toBeVisible()
    await page.getByRole('tab', { name: /已撤销邀请/ }).click()
    await expect(page.getByTestId('employments')).toContainText(LU.name)

    await page.getByRole('tab', { name: /在职/ }).click()
    await page.getByRole('row').filter({ hasText: SUNNA.name }).getByTestId('terminate').click()
    await expect(page.getByRole('dialog')).toContainText('确定解除与 孙娜然')
    await page.getByRole('button', { name: '解除聘用' }).click()
    await expect(page.getByText('已解除聘用')).toBeVisible()
    await expect(page.getByTestId('employments')).not.toContainText(SUNNA.name)
  })

  test('进疆报送册打印: preview and download the current booklet', async () => {
    await page.getByRole('menuitem', { name: '进疆报送册打印' }).click()
    await expect(page.getByTestId('booklet-no')).not.toHaveText('—')
    await page.getByTestId('preview-booklet').click()
    await expect(page.getByTestId('booklet-preview')).toBeVisible()
    await checkScreen(page, '29-booklet-preview')
    const download = page.waitForEvent('download')
    await page.getByTestId('download-booklet').click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^进疆报送册-.+\.pdf$/)
    const path = await file.path()
    const { readFileSync } = await import('node:fs')
    expect(readFileSync(path).subarray(0, 4).toString()).toBe('%PDF')
  })

  test('证书管理: confirm a title; its change is guided step by step', async () => {
    await page.getByRole('menuitem', { name: '证书管理' }).click()
    await expect(page.getByTestId('titles')).toContainText(KANG.name)
    await checkScreen(page, '30-titles-pending')
    await page.getByTestId('confirm-ZC-2019-0815').click()
    await page.getByRole('dialog').getByRole('button', { name: '确认' }).click()
    await expect(page.getByText('已确认', { exact: true }).first()).toBeVisible()

    // file it through a personnel change (add)
    await page.getByRole('menuitem', { name: '变更' }).click()
    await page.getByRole('tab', { name: '人员证书信息变更' }).click()
    await page.getByTestId('add-picker').getByTestId('pick-ZC-2019-0815').click()
    await expect(page.getByTestId('change-personnel')).toContainText('新增')
    await submitApproved(page, 'submit-personnel-change')

    // 变更: cancel filing → revoke → the person re-registers → confirm → file again
    await page.getByRole('menuitem', { name: '证书管理' }).click()
    await page.getByRole('tab', { name: /已确认/ }).click()
    await page.getByTestId('change-ZC-2019-0815').click()
    const guide = page.getByTestId('title-guide')
    await checkScreen(page, '31-title-change-guide')
    await guide.getByTestId('guide-unfile').click()
    await guide.getByTestId('guide-revoke').click()
    await expect(guide.getByTestId('guide-refresh')).toBeVisible()
    const titleId = (await (await Enterprise.of(page)).get('/api/v1/ent/certificates?kind=title')).items[0].id
    await persons[KANG.openid].reregisterTitle(titleId, { ...TITLE, issued_on: '2019-09-15' })
    await guide.getByTestId('guide-refresh').click()
    await guide.getByTestId('guide-confirm').click()
    await guide.getByTestId('guide-refile').click()
    await expect(guide).toContainText('变更已完成')
    await checkScreen(page, '32-title-change-done')
    await guide.getByTestId('guide-close').click()
  })

  test('变更: basic information, 负责人, 技术负责人, qualifications and personnel, each with before/after', async () => {
    await page.getByRole('menuitem', { name: '变更' }).click()
    await page.getByRole('tab', { name: '基本信息变更' }).click()
    await page.getByTestId('change-contact').fill('李经理')
    await expect(page.getByTestId('change-basic')).toContainText('王经理')
    await expect(page.getByTestId('change-basic')).toContainText('李经理')
    await checkScreen(page, '33-change-basic-preview')
    await submitApproved(page, 'submit-basic', '34-change-basic-approved')

    await page.getByRole('tab', { name: '进疆负责人变更' }).click()
    await expect(page.getByTestId('current-person').first()).toContainText(XIAO.name)
    await choose(page, '新的进疆负责人', /孙浩海/)
    await expect(page.getByTestId('change-manager')).toContainText(SUN.name)
    await checkScreen(page, '35-change-manager')
    await submitApproved(page, 'submit-manager')

    await page.getByRole('tab', { name: '进疆技术负责人变更' }).click()
    await choose(page, '新的进疆技术负责人', /萧杰然/)
    await checkScreen(page, '36-change-tech-manager')
    await submitApproved(page, 'submit-tech_manager')

    await page.getByRole('tab', { name: '资质信息变更' }).click()
    await page.getByTestId('resync-qualifications').click()
    await expect(page.getByTestId('change-qualifications')).toContainText('地基基础工程专业承包')
    await checkScreen(page, '37-change-qualifications')
    await submitApproved(page, 'submit-qualifications')

    await page.getByRole('tab', { name: '人员证书信息变更' }).click()
    const filed = page.getByTestId('filed-personnel')
    await filed.getByRole('row').filter({ hasText: WAN.name }).locator('.el-checkbox').click()
    await expect(page.getByTestId('change-personnel')).toContainText('移除')
    await checkScreen(page, '38-change-personnel')
    await submitApproved(page, 'submit-personnel-change')
    await expect(filed).not.toContainText(WAN.name)
  })

  test('查询进疆信息报送记录: every case, filters, pages, reasons at their fields, before/after', async () => {
    await page.getByRole('menuitem', { name: '查询报送记录' }).click()
    await expect(page.getByTestId('records')).toContainText('首次信息报送')
    await expect(page.locator('.el-pagination')).toContainText('共 11 条')
    await checkScreen(page, '39-records')
    await page.locator('.el-pagination').getByText('2', { exact: true }).click()
    await expect(page).toHaveURL(/page=2/)
    await expect(page.getByTestId('records').locator('tbody tr')).toHaveCount(1)

    await choose(page, '审核结果', '审核驳回')
    await page.getByTestId('search').click()
    await expect(page.getByTestId('records').locator('tbody tr')).toHaveCount(1)
    await page.getByTestId('records').getByRole('link', { name: /查看/ }).click()
    await expect(page.getByTestId('record-summary')).toContainText('审核驳回')
    const data = page.getByTestId('record-data')
    await expect(data).toContainText('企业名称与全国平台不一致')
    await expect(data).toContainText('138****8000')
    await checkScreen(page, '40-record-rejected')

    await page.getByRole('button', { name: '返回报送记录' }).click()
    await choose(page, '业务类型', '基本信息变更')
    await choose(page, '审核结果', '审核通过')
    await page.getByTestId('search').click()
    await page.getByTestId('records').getByRole('link', { name: /查看/ }).click()
    await expect(page.getByTestId('change-basic')).toContainText('李经理')
    await checkScreen(page, '41-record-approved-change')
  })

  test('进疆报送册打印: after a change the printed booklet is no longer current', async () => {
    await page.getByRole('menuitem', { name: '进疆报送册打印' }).click()
    await expect(page.getByTestId('booklet-stale')).toContainText('已失效')
    await checkScreen(page, '42-booklet-stale')
    const download = page.waitForEvent('download')
    await page.getByTestId('download-booklet').click()
    await download
    await expect(page.getByTestId('booklet-stale')).toHaveCount(0)
  })

  test('进疆信息公示延期: offered from 20 December only', async () => {
    await page.getByRole('menuitem', { name: '进疆信息公示延期' }).click()
    await expect(page.getByTestId('extension-table')).toContainText('自 2026-12-20 起可办理')
    await expect(page.getByTestId('extend-construction')).toBeDisabled()
    await checkScreen(page, '43-extension-not-yet')
  })

  test('造价企业进疆承揽业务备案: amounts typed in 元 are filed in fen', async () => {
    await page.getByRole('button', { name: '退出登录' }).click()
    await page.getByRole('dialog').getByRole('button', { name: '退出' }).click()
    await expect(page).toHaveURL(/\/portal\/login/)
    await loginWithHelper(page, ZHIJIANG_COST)
    const enterprise = await Enterprise.of(page)
    await enterprise.hire(persons[KANGYX.openid], KANGYX.id)
    await page.getByRole('menuitem', { name: '人员证书信息报送' }).click()
    await page.getByTestId('sync-certificates').click()
    await expect(page.getByTestId('sync-result')).toContainText('新增 1 张')

    await page.getByRole('menuitem', { name: '造价企业承揽业务备案' }).click()
    await page.getByTestId('project-name').fill('乌鲁木齐市某综合体项目全过程造价咨询')
    await choose(page, '项目所在地', '乌鲁木齐市天山区（650102）')
    await page.getByTestId('client-name').fill('乌鲁木齐某建设单位')
    await page.getByTestId('amount').fill('18,800,000.5')
    await expect(page.getByTestId('amount-preview')).toHaveText('人民币 18,800,000.50 元')
    await typeDate(page, '合同签订日期', '2026-11-01')
    await typeDate(page, '服务开始日期', '2026-11-10')
    await typeDate(page, '服务结束日期', '2027-11-09')
    await choose(page, '项目负责人', /康英霞/)
    await page.getByLabel('上传合同等附件').setInputFiles(pdfFile('造价咨询合同.pdf'))
    await expect(page.getByText('造价咨询合同.pdf')).toBeVisible()
    await checkScreen(page, '44-cost-project-form')
    await submitApproved(page, 'submit-project')
    await expect(page.getByTestId('cost-projects')).toContainText('18,800,000.50')
    await checkScreen(page, '45-cost-project-filed')
    const cases = await enterprise.get('/api/v1/ent/filings?business=cost_project')
    expect(cases.items[0].data.contract_amount_fen).toBe(1880000050)
  })
})
