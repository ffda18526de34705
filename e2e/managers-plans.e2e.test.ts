import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './support/api';
import { DEMO_PASSWORD, startHarness, type Harness } from './support/harness';
import { byTestId, openFromMenu, signIn, signedIn, waitForShell } from './support/ui';

// This file has its own server (fresh data directory): the log it writes and the plan it approves are seen by no other file.
let h: Harness;
let phone: BrowserContext | undefined;
const shots = process.env.E2E_SCREENSHOTS;

const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const plusDays = (day: string, n: number) => new Date(Date.parse(day) + n * 86_400_000).toISOString().slice(0, 10);
const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

interface Log {
  id: number;
  customerId: number;
  kind: string;
  nextStep: string | null;
  nextStepOn: string | null;
  visitId: number | null;
}

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await phone?.close().catch(() => undefined);
  await h?.stop();
});

/** A page as a phone shows it: 390 × 844, touch. */
async function phonePage(username: string): Promise<Page> {
  phone = await h.browser.newContext({ baseURL: h.baseUrl, viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
  phone.setDefaultTimeout(15_000);
  const page = await phone.newPage();
  await signIn(page, username, DEMO_PASSWORD);
  await waitForShell(page);
  return page;
}

describe('工作日志 on a phone', () => {
  it('lets a manager write a log entry with a next step at 390 px, and lists it, without scrolling sideways', async () => {
    const am = await apiSession(h.baseUrl, 'gz_am01');
    const [customer] = await am.request<{ id: number; customerNo: string; name: string }[]>('GET', '/api/customers?limit=1&archive=in_network');
    expect(customer).toBeDefined();
    const page = await phonePage('gz_am01');
    // on a phone the side menu folds away behind the header's button
    if (!(await byTestId(page, 'menu-group-managers').isVisible())) await page.locator('.ant-pro-global-header-collapsed-button').first().click();
    await openFromMenu(page, 'managers', 'managers-logs', '**/managers/logs');
    // the folded menu closes itself once an entry is chosen, as a phone's menu does
    await page.locator('.ant-drawer-mask').waitFor({ state: 'hidden' });
    await byTestId(page, 'log-form').waitFor();
    await byTestId(page, 'logs-list').waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);

    await byTestId(page, 'log-customer').click();
    await page.keyboard.type(customer!.customerNo);
    await page.locator('.ant-select-item-option', { hasText: customer!.customerNo }).first().click();
    await byTestId(page, 'log-kind').getByText('电话').click();
    const outcome = `电话沟通续约事宜 ${Date.now()}`;
    await byTestId(page, 'log-outcome').fill(outcome);
    await byTestId(page, 'log-result').getByText('积极').click();
    await byTestId(page, 'log-next-step').fill('周五前发送续约报价');
    const nextDay = plusDays(shanghaiToday(), 3);
    await byTestId(page, 'log-next-day').click();
    await page.locator(`.ant-picker-dropdown .ant-picker-cell[title="${nextDay}"]`).first().click();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await byTestId(page, 'log-save').click();

    // the entry is listed with its next step, by name (no code shows)
    await expect.poll(() => byTestId(page, 'logs-list').innerText(), { timeout: 15_000 }).toContain(outcome);
    const list = await byTestId(page, 'logs-list').innerText();
    expect(list).toContain(`下一步：周五前发送续约报价（${nextDay}）`);
    expect(list).not.toMatch(/\b(call|visit|positive|neutral|negative)\b/);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    if (shots) await page.screenshot({ path: `${shots}/managers-logs-phone.png`, fullPage: true });

    const [saved] = await am.request<Log[]>('GET', `/api/work-logs?customerId=${customer!.id}&limit=1`);
    expect(saved).toMatchObject({ customerId: customer!.id, kind: 'call', nextStep: '周五前发送续约报价', nextStepOn: nextDay });
    // a call is recorded in the customer's profile too
    expect(saved!.visitId).not.toBeNull();
  });
});

describe('工作计划 review', () => {
  it('lets a city head approve a submitted plan of their unit', async () => {
    const head = await apiSession(h.baseUrl, 'gz_head');
    const waiting = await head.request<{ id: number; managerName: string }[]>('GET', '/api/work-plans?view=unit&status=submitted&limit=50');
    expect(waiting.length).toBeGreaterThan(0);
    const plan = waiting[0]!;
    const page = await signedIn(h, 'gz_head');
    await openFromMenu(page, 'managers', 'managers-plans', '**/managers/plans');
    await byTestId(page, `plan-link-${plan.id}`).click();
    await page.waitForURL(`**/managers/plans/${plan.id}`);
    await byTestId(page, 'plan-approve').click();
    await expect.poll(() => byTestId(page, `plan-status-${plan.id}`).getAttribute('data-status')).toBe('approved');
    expect(await byTestId(page, `plan-status-${plan.id}`).innerText()).toBe('已批准');
    await expect.poll(() => byTestId(page, 'plan-comments').innerText()).toContain('批准');
    if (shots) await page.screenshot({ path: `${shots}/managers-plan.png`, fullPage: true });
    const after = await head.request<{ status: string; reviewedBy: number }>('GET', `/api/work-plans/${plan.id}`);
    expect(after).toMatchObject({ status: 'approved', reviewedBy: head.me.id });
  });
});
