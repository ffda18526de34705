import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './support/api';
import { startHarness, type Harness } from './support/harness';
import { byTestId, openFromMenu, signedIn } from './support/ui';

// This file has its own server (fresh data directory): the partner it registers and the keys it issues are seen by no other file.
let h: Harness;
let benefitName: (code: string) => string;
let adminName: string;
const shots = process.env.E2E_SCREENSHOTS;
const CODE = 'E2E-GOLF-CLUB';
const NAME = '白云国际高尔夫球会';

beforeAll(async () => {
  h = await startHarness();
  const admin = await apiSession(h.baseUrl, 'admin');
  adminName = admin.me.displayName;
  const benefits = await admin.request<{ code: string; name: string }[]>('GET', '/api/services/partner-benefits');
  benefitName = (code) => benefits.find((b) => b.code === code)!.name;
});
afterAll(async () => {
  await h?.stop();
});

/** What the partner's own system sees of its key: the status of `GET /profile`. */
const profileStatus = async (token: string) => (await fetch(`${h.baseUrl}/api/partner/v1/profile`, { headers: { authorization: `Bearer ${token}` } })).status;

const rowOf = (page: Page, code: string) => page.locator('tr', { has: byTestId(page, `partner-open-${code}`) });
const openOption = (page: Page, text: string) => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text }).first();

/** Submits the key form (issue or rotate), reads the key from the shown-once dialog and closes it. */
async function issueKey(page: Page, button: 'partner-key-issue' | 'partner-key-rotate', label: string): Promise<string> {
  await byTestId(page, button).click();
  await byTestId(page, 'partner-key-form-label').fill(label);
  await byTestId(page, 'partner-key-form-submit').click();
  const dialog = byTestId(page, 'partner-secret-dialog');
  await dialog.waitFor();
  const token = (await byTestId(page, 'partner-secret-token').innerText()).trim();
  expect(token).toMatch(/^pk_[0-9a-f]+\.\S{20,}$/);
  if (shots) await page.screenshot({ path: `${shots}/partner-secret.png`, fullPage: true });
  await byTestId(page, 'partner-secret-saved').click();
  await dialog.waitFor({ state: 'hidden' });
  return token;
}

describe('跨行业合作伙伴', () => {
  it('lists the demo partners with their industry and benefits by name', async () => {
    const page = await signedIn(h, 'admin');
    await openFromMenu(page, 'services', 'services-partners', '**/services/partners');
    const lounge = rowOf(page, 'CSA-VIP-LOUNGE');
    const hospital = rowOf(page, 'GZ-HOSPITAL-GREEN');
    await expect.poll(() => lounge.innerText()).toContain('南方航空 贵宾厅');
    const loungeText = await lounge.innerText();
    expect(loungeText).toContain('航空');
    expect(loungeText).toContain(benefitName('vip_lounge'));
    expect(loungeText).toContain(benefitName('priority_service'));
    const hospitalText = await hospital.innerText();
    expect(hospitalText).toContain('广州市第一人民医院 绿色通道');
    expect(hospitalText).toContain('医院');
    expect(hospitalText).toContain(benefitName('priority_service'));
    // the partner codes are identifiers the operator gives; everything else is worded
    const table = (await byTestId(page, 'partners-table').innerText()).replace(/CSA-VIP-LOUNGE|GZ-HOSPITAL-GREEN/g, '');
    expect(table).not.toMatch(/[A-Za-z]{3,}/);
    if (shots) await page.screenshot({ path: `${shots}/partners.png`, fullPage: true });
  });

  it('registers a partner, issues, rotates and revokes its keys, the secret shown once, and the API follows', async () => {
    const page = await signedIn(h, 'admin');
    await openFromMenu(page, 'services', 'services-partners', '**/services/partners');
    await byTestId(page, 'partner-create').click();
    await byTestId(page, 'partner-form-code').fill(CODE);
    await byTestId(page, 'partner-form-name').fill(NAME);
    await byTestId(page, 'partner-form-industry').click();
    await openOption(page, '高尔夫').click();
    await byTestId(page, 'partner-form-benefits').click();
    await openOption(page, benefitName('priority_service')).click();
    await byTestId(page, 'partner-form').locator('.ant-modal-title').click();
    await byTestId(page, 'partner-form-submit').click();
    await byTestId(page, 'partner-form').waitFor({ state: 'hidden' });
    const row = rowOf(page, CODE);
    await expect.poll(() => row.innerText()).toContain(NAME);
    expect(await row.innerText()).toContain('高尔夫');
    expect(await row.innerText()).toContain(benefitName('priority_service'));

    await byTestId(page, `partner-open-${CODE}`).click();
    await page.waitForURL('**/services/partners/*');
    await expect.poll(() => byTestId(page, 'partner-name').innerText()).toBe(NAME);
    const first = await issueKey(page, 'partner-key-issue', '球会前台');
    const [firstId, secret] = first.split('.') as [string, string];
    await expect.poll(() => byTestId(page, `partner-key-status-${firstId}`).innerText()).toBe('有效');
    const keys = await byTestId(page, 'partner-keys').innerText();
    expect(keys).toContain(firstId);
    expect(keys).toContain(adminName);
    expect(keys).not.toContain('admin');
    expect(await page.content()).not.toContain(secret);
    expect(await profileStatus(first)).toBe(200);

    // a rotation keeps the current key working through the transition
    const second = await issueKey(page, 'partner-key-rotate', '球会前台（新）');
    const secondId = second.split('.')[0]!;
    await expect.poll(() => byTestId(page, `partner-key-status-${secondId}`).innerText()).toBe('有效');
    expect(await byTestId(page, `partner-key-status-${firstId}`).innerText()).toBe('有效');

    await byTestId(page, `partner-key-revoke-${firstId}`).click();
    await byTestId(page, `partner-key-revoke-confirm-${firstId}`).click();
    await expect.poll(() => byTestId(page, `partner-key-status-${firstId}`).innerText()).toBe('已吊销');
    expect(await byTestId(page, `partner-key-status-${secondId}`).innerText()).toBe('有效');
    expect(await profileStatus(first)).toBe(401);
    if (shots) await page.screenshot({ path: `${shots}/partner.png`, fullPage: true });

    // suspended, its keys are refused (within the keys' cache of a few seconds); resumed, they work again
    await openFromMenu(page, 'services', 'services-partners', '**/services/partners');
    for (const [action, status, api] of [['暂停合作', '已暂停', 403], ['恢复合作', '启用', 200]] as const) {
      expect(await byTestId(page, `partner-toggle-${CODE}`).innerText()).toBe(action);
      await byTestId(page, `partner-toggle-${CODE}`).click();
      await byTestId(page, `partner-toggle-confirm-${CODE}`).click();
      await expect.poll(() => row.locator('.ant-tag').last().innerText()).toBe(status);
      await expect.poll(() => profileStatus(second), { timeout: 10_000, interval: 1_000 }).toBe(api);
    }
  });

  it('gives a city head neither the menu entry nor the page', async () => {
    const page = await signedIn(h, 'gz_head');
    await byTestId(page, 'menu-group-services').click();
    await byTestId(page, 'menu-services-requests').waitFor();
    expect(await byTestId(page, 'menu-services-partners').count()).toBe(0);
    await page.goto('/services/partners');
    await byTestId(page, 'page-403').waitFor();
    expect(await byTestId(page, 'page-403').innerText()).toContain('无权访问');
    expect(await byTestId(page, 'partner-create').count()).toBe(0);
  });
});
