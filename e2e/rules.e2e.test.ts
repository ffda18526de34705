import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { apiSession, type ApiSession } from './support/api';
import { startHarness, type Harness } from './support/harness';
import { byTestId, openFromMenu, signedIn } from './support/ui';

// This file has its own server (fresh data directory): the rule version and the runs it makes are
// seen by no other test file.
let h: Harness;
let admin: ApiSession;
const shots = process.env.E2E_SCREENSHOTS;

/** The demo's billing facts run 2025-11 … 2026-10 (the demo data may have run the last months already). */
const MONTH = '2026-10';
/** The stored results the preview of MONTH compares with: MONTH's own, or the latest month run before it. */
let beforeMonth = '';

interface Run {
  month: string;
  status: string;
}

interface CustomerRules {
  current: { month: string; level: string; versions: Record<string, number>; explanations: { level: string } } | null;
}

/** Types a month into an antd month picker and confirms it (the picker is settled first). */
async function pickMonth(page: Page, picker: Locator, month: string) {
  await picker.waitFor({ state: 'visible' });
  await picker.click();
  await picker.fill(month);
  await picker.press('Enter');
  await expect.poll(() => picker.inputValue()).toBe(month);
  await page.keyboard.press('Escape');
}

beforeAll(async () => {
  h = await startHarness();
  admin = await apiSession(h.baseUrl, 'admin');
  // The preview needs stored results to compare with: run 2026-09 unless a month has been run.
  const completed = (await admin.request<Run[]>('GET', '/api/rules/runs?limit=100')).filter((r) => r.status === 'completed' && r.month <= MONTH);
  if (completed.length === 0) await admin.request('POST', '/api/rules/runs', { month: '2026-09' });
  beforeMonth = completed.map((r) => r.month).sort().pop() ?? '2026-09';
});

afterAll(async () => {
  await h?.stop();
});

describe('service rules', () => {
  let runId = 0;
  let customerId = 0;

  it('(a) edit a star threshold → the preview shows the change → save → run → the customer page explains the new level', async () => {
    const page = await signedIn(h, 'admin');

    // 服务规则 → 规则配置: the defaults are version 1.
    await openFromMenu(page, 'rules', 'rules-config', '**/rules/config');
    await expect.poll(() => byTestId(page, 'rules-current-star').innerText()).toBe('v1');

    await byTestId(page, 'rules-edit-star').click();
    const diamond = byTestId(page, 'rule-params-grades-6-minAvgBill');
    // the editor starts from v1's parameters: wait for them before typing
    await expect.poll(() => diamond.inputValue()).toBe('1000.00');

    // A threshold below the next lower level's is refused by the server, on the field itself.
    await diamond.fill('400');
    await byTestId(page, 'rules-editor-save').click();
    const fieldError = page.locator('.ant-form-item-explain-error', { hasText: '门槛不能低于' }).first();
    await fieldError.waitFor();
    expect(await byTestId(page, 'rules-editor-problems').innerText()).toContain('grades.6.minAvgBill');

    // 五星钻 from ¥600 a month: the preview of the draft shows more 五星钻 than the stored results.
    await diamond.fill('600');
    await expect.poll(() => fieldError.count()).toBe(0);
    await pickMonth(page, byTestId(page, 'rules-editor-preview-month'), MONTH);
    await byTestId(page, 'rules-editor-preview').click();
    const drawer = byTestId(page, 'rules-editor-preview-drawer');
    await drawer.locator('[data-testid="preview-result"]').waitFor({ timeout: 60_000 });
    expect(await byTestId(page, 'preview-compared').innerText()).toContain(beforeMonth);
    expect(await byTestId(page, 'preview-drafted-star').count()).toBe(1);
    const before = Number(await byTestId(page, 'preview-level-before-5d').innerText());
    const after = Number(await byTestId(page, 'preview-level-after-5d').innerText());
    expect(after).toBeGreaterThan(before);
    await byTestId(page, 'preview-matrix').locator('canvas').first().waitFor();

    // A customer of the sample who becomes 五星钻.
    const promoted = drawer.locator('[data-testid^="preview-sample-to-"][data-level="5d"]').first();
    await promoted.waitFor();
    customerId = Number((await promoted.getAttribute('data-testid'))!.replace('preview-sample-to-', ''));
    expect(customerId).toBeGreaterThan(0);
    if (shots) await page.screenshot({ path: `${shots}/rules-preview.png`, fullPage: true });
    // Nothing was written by the preview.
    const unchanged = await admin.request<CustomerRules>('GET', `/api/customers/${customerId}/rules`);
    expect(unchanged.current?.level).not.toBe('5d');
    expect(unchanged.current?.versions.star).toBe(1);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    // Save as version 2, effective from 2026-10.
    await pickMonth(page, byTestId(page, 'rules-editor-effectiveFrom'), MONTH);
    await byTestId(page, 'rules-editor-note').fill('五星钻门槛调整为 600 元（e2e）');
    await byTestId(page, 'rules-editor-save').click();
    await page.getByText(`已保存 v2，自 ${MONTH} 起生效`).first().waitFor();
    await expect.poll(() => byTestId(page, 'rules-current-star').innerText()).toBe('v2');
    expect(await byTestId(page, 'rules-history-star').innerText()).toContain('五星钻门槛调整为 600 元');

    // 计算记录: run 2026-10.
    await openFromMenu(page, 'rules', 'rules-runs', '**/rules/runs');
    await byTestId(page, 'runs-table').locator('tr.ant-table-row').first().waitFor();
    await pickMonth(page, byTestId(page, 'runs-month'), MONTH);
    await byTestId(page, 'runs-run').click();
    await byTestId(page, 'runs-run-confirm').click();
    await page.getByText(`${MONTH} 计算完成`).first().waitFor({ timeout: 60_000 });
    // A month run before (the demo's) is kept as superseded: the completed row is the new run, with the new version.
    // The message comes before the table has reloaded, so wait for the new row rather than read the first one.
    const row = byTestId(page, 'runs-table').locator('tr.ant-table-row', { hasText: '星级与级别 v2', has: page.locator('[data-status="completed"]') });
    await row.waitFor();
    expect(await row.innerText()).toContain(MONTH);
    expect(await byTestId(page, 'runs-table').locator('tr.ant-table-row', { hasText: MONTH, has: page.locator('[data-status="completed"]') }).count()).toBe(1);
    runId = Number((await row.getAttribute('data-row-key')) ?? 0);
    if (shots) await page.screenshot({ path: `${shots}/rules-runs.png`, fullPage: true });

    // The customer's 规则 tab: 五星钻, explained with the new threshold and rule version.
    await page.goto(`/customers/${customerId}`);
    await byTestId(page, 'customer-tab-rules').click();
    await expect.poll(() => byTestId(page, 'rules-current-level').innerText()).toContain('五星钻');
    const explanation = await byTestId(page, 'rules-explain-level').innerText();
    expect(explanation).toContain('¥600.00');
    expect(explanation).toContain('星级规则 v2');
    expect(await byTestId(page, 'rules-history').innerText()).toContain(MONTH);
    if (shots) await page.screenshot({ path: `${shots}/customer-rules.png`, fullPage: true });

    const rules = await admin.request<CustomerRules>('GET', `/api/customers/${customerId}/rules`);
    expect(rules.current).toMatchObject({ month: MONTH, level: '5d', versions: expect.objectContaining({ star: 2 }) });
  });

  it('(b) the latest run is rolled back from the runs page; the customer is back at an earlier month', async () => {
    expect(runId).toBeGreaterThan(0);
    const page = await signedIn(h, 'admin');
    await page.goto('/rules/runs');
    await byTestId(page, `run-rollback-${runId}`).click();
    await byTestId(page, `run-rollback-confirm-${runId}`).click();
    await expect.poll(() => byTestId(page, `run-status-${runId}`).getAttribute('data-status')).toBe('rolled_back');
    const rules = await admin.request<CustomerRules>('GET', `/api/customers/${customerId}/rules`);
    expect(rules.current?.month ?? '').not.toBe(MONTH);
  });

  it('(c) points are redeemed from the customer\'s rules tab; a user without points.redeem has no such button', async () => {
    const account = await admin.request<{ balance: number }>('GET', `/api/customers/${customerId}/points`);
    const items = await admin.request<{ id: number; name: string; points: number }[]>('GET', '/api/points/catalogue?active=true');
    const item = items.filter((i) => i.points <= account.balance).sort((a, b) => a.points - b.points)[0];
    expect(item, 'an item the customer can afford').toBeDefined();

    const analyst = await signedIn(h, 'gd_analyst');
    await analyst.goto(`/customers/${customerId}`);
    await byTestId(analyst, 'customer-tab-rules').click();
    await byTestId(analyst, 'points-ledger').waitFor();
    expect(await byTestId(analyst, 'points-redeem').count()).toBe(0);
    expect(await byTestId(analyst, 'points-adjust').count()).toBe(0);

    const page = await signedIn(h, 'admin');
    await page.goto(`/customers/${customerId}`);
    await byTestId(page, 'customer-tab-rules').click();
    await expect.poll(() => byTestId(page, 'points-balance').innerText()).toContain(account.balance.toLocaleString('en-US'));
    await byTestId(page, 'points-redeem').click();
    await byTestId(page, 'points-redeem-item').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: item!.name }).first().click();
    await expect.poll(() => byTestId(page, 'points-redeem-cost').innerText()).toContain(String(item!.points));
    await byTestId(page, 'points-redeem-form-submit').click();
    await page.getByText('兑换成功').first().waitFor();
    const left = account.balance - item!.points;
    await expect.poll(() => byTestId(page, 'points-balance').innerText()).toContain(left.toLocaleString('en-US'));
    await byTestId(page, 'points-ledger').locator('tr.ant-table-row', { hasText: item!.name }).waitFor();
    expect((await admin.request<{ balance: number }>('GET', `/api/customers/${customerId}/points`)).balance).toBe(left);
  });

  it('(d) a discount requested on the customer page reaches the approvals inbox and is approved there', async () => {
    const reason = `e2e 挽留优惠 ${Date.now().toString(36)}`;
    const page = await signedIn(h, 'admin');
    await page.goto(`/customers/${customerId}`);
    await byTestId(page, 'customer-tab-rules').click();
    await byTestId(page, 'discount-request').click();
    const amount = byTestId(page, 'discount-form-amount');
    await amount.waitFor();
    await amount.fill('800');
    await byTestId(page, 'discount-form-months').fill('6');
    await byTestId(page, 'discount-form-reason').fill(reason);
    await byTestId(page, 'discount-form-submit').click();
    await page.getByText('已提交，由省公司主管审批').first().waitFor();
    await byTestId(page, 'discounts-table').locator('tr.ant-table-row', { hasText: reason }).waitFor();

    // The province head decides amounts above the city limit (¥500 a month by default).
    const head = await signedIn(h, 'gd_head');
    await openFromMenu(head, 'rules', 'rules-approvals', '**/rules/approvals');
    const row = byTestId(head, 'approvals-table').locator('tr.ant-table-row', { hasText: reason });
    await row.waitFor();
    await row.locator('[data-testid^="approval-approve-"]').click();
    await byTestId(head, 'approval-form-note').fill('同意');
    await byTestId(head, 'approval-form-submit').click();
    await head.getByText('已批准').first().waitFor();
    await expect.poll(() => row.count()).toBe(0);

    const requests = await admin.request<{ reason: string; status: string; approverLevel: string }[]>('GET', `/api/customers/${customerId}/discounts`);
    expect(requests.find((r) => r.reason === reason)).toMatchObject({ status: 'approved', approverLevel: 'province' });
  });

  it('(e) the requester withdraws a request that is still pending', async () => {
    const reason = `e2e 撤回 ${Date.now().toString(36)}`;
    const page = await signedIn(h, 'admin');
    await page.goto(`/customers/${customerId}`);
    await byTestId(page, 'customer-tab-rules').click();
    await byTestId(page, 'discount-request').click();
    await byTestId(page, 'discount-form-amount').fill('120');
    await byTestId(page, 'discount-form-months').fill('3');
    await byTestId(page, 'discount-form-reason').fill(reason);
    await byTestId(page, 'discount-form-submit').click();
    const row = byTestId(page, 'discounts-table').locator('tr.ant-table-row', { hasText: reason });
    await row.waitFor();
    await row.locator('[data-testid^="discount-withdraw-"]').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await row.getByText('已撤回').waitFor();
    const requests = await admin.request<{ reason: string; status: string }[]>('GET', `/api/customers/${customerId}/discounts`);
    expect(requests.find((r) => r.reason === reason)).toMatchObject({ status: 'withdrawn' });
  });

  it('(f) the preview opens on the latest month with facts, answers at the first click, and names the system’s first versions', async () => {
    const [latest] = await admin.request<{ month: string }[]>('GET', '/api/rules/months');
    const page = await signedIn(h, 'admin');
    await page.goto('/rules/preview');
    await expect.poll(() => byTestId(page, 'preview-month').inputValue()).toBe(latest!.month);
    await byTestId(page, 'preview-run').click();
    await page.locator('[data-testid^="preview-level-after-"]').first().waitFor();
    expect(await page.locator('.ant-alert-error').count()).toBe(0);
    // the rules page words the first version (no note of its own) in the reader's language
    await page.goto('/rules/config?family=credit');
    await byTestId(page, 'rules-history-credit').getByText('初始版本：系统默认参数').waitFor();
  });
});
