// 进疆信息公示延期 on 21 December (the platform restarted on the same data with XJ_FAKE_NOW at
// 2026-12-21): the home page says it is due, and the extension moves the end one year on.
import { expect, test } from '@playwright/test'
import { HUANGHE, checkScreen, loginWithHelper } from './support'

test('@december the extension is offered from 20 December and moves the registration to 2027-12-31', async ({ page }) => {
  await loginWithHelper(page, HUANGHE)
  await expect(page.getByTestId('due')).toContainText('自 2026-12-20 起可办理进疆信息公示延期')
  await checkScreen(page, '46-dashboard-extension-due')
  await page.getByRole('menuitem', { name: '进疆信息公示延期' }).click()
  await expect(page.getByTestId('extension-table')).toContainText('已开放')
  await checkScreen(page, '47-extension-open')
  await page.getByTestId('extend-construction').click()
  await expect(page.getByRole('dialog')).toContainText('由 2026-12-31 延至 2027-12-31')
  await page.getByRole('dialog').getByRole('button', { name: '办理延期' }).click()
  const result = page.getByTestId('case-result')
  await expect(result).toContainText('自动审核通过')
  await expect(result.getByTestId('change-valid_until')).toContainText('2027-12-31')
  await checkScreen(page, '48-extension-approved')
  await result.getByRole('button', { name: '完成' }).click()
  await expect(page.getByTestId('extension-table')).toContainText('2027-12-31')
  await expect(page.getByTestId('extend-construction')).toBeDisabled()
})
