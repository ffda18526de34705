import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSession, type ApiSession } from './support/api';
import { startHarness, type Harness } from './support/harness';
import { byTestId, signedIn } from './support/ui';

let h: Harness;
let admin: ApiSession;
let gzHead: ApiSession;
let gzAm01: ApiSession;
const run = Date.now().toString(36).toUpperCase().slice(-6);
const shots = process.env.E2E_SCREENSHOTS;

interface Created {
  customer: { id: number; customerNo: string; name: string; version: number };
}

/** Creates a group customer in 广州 through the API (the demo data may hold none yet). */
async function createCustomer(no: string, name: string, extra: Record<string, unknown> = {}): Promise<Created['customer']> {
  const answer = await admin.request<Created>('POST', '/api/customers', {
    customerNo: `E2E-${run}-${no}`,
    kind: 'group',
    unitId: gzHead.me.unitId,
    name,
    industry: 'I',
    address: '广州市天河区珠江新城华夏路 1 号',
    ...extra,
  });
  return answer.customer;
}

/** Picks an option of an antd Select by clicking it open and clicking the option's title. */
async function choose(page: Page, testId: string, option: string) {
  await byTestId(page, testId).click();
  await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).first().click();
}

beforeAll(async () => {
  h = await startHarness();
  admin = await apiSession(h.baseUrl, 'admin');
  gzHead = await apiSession(h.baseUrl, 'gz_head');
  gzAm01 = await apiSession(h.baseUrl, 'gz_am01');
});

afterAll(async () => {
  await h?.stop();
});

describe('customer profiles', () => {
  it('(a) search → 360° view → edit a field → the change is in the history tab', async () => {
    const name = `广州云帆${run}科技有限公司`;
    const c = await createCustomer('A', name);
    const page = await signedIn(h, 'gz_head');

    // The menu group leads to the in-network archive; search by a fragment of the Chinese name.
    await byTestId(page, 'menu-group-customers').click();
    await byTestId(page, 'menu-customers-in-network').click();
    await page.waitForURL('**/customers/in-network');
    await byTestId(page, 'customers-search-q').fill(`云帆${run}`);
    await byTestId(page, 'customers-search-q').press('Enter');
    const row = page.locator('tr.ant-table-row', { hasText: c.customerNo });
    await row.waitFor();
    await expect.poll(() => page.locator('tr.ant-table-row').count()).toBe(1);
    if (shots) await page.screenshot({ path: `${shots}/customers-list.png`, fullPage: true });

    // A click on the row (not the link) opens the 360° view.
    await row.getByText(c.customerNo).click();
    await page.waitForURL(`**/customers/${c.id}`);
    expect(await byTestId(page, 'customer-name').innerText()).toBe(name);
    expect(await byTestId(page, 'customer-no').innerText()).toBe(c.customerNo);
    expect(await byTestId(page, 'customer-credit').innerText()).toContain('待评定');

    // Edit the address, saying where the information came from.
    const newAddress = `广州市海珠区琶洲大道 ${run} 号`;
    await byTestId(page, 'customer-action-edit').click();
    await byTestId(page, 'customer-form-address').fill(newAddress);
    await choose(page, 'customer-form-source', '客户自报');
    // A client-side rule speaks Chinese from the catalogue and blocks the save.
    await byTestId(page, 'customer-form-creditCode').fill('bad');
    await byTestId(page, 'customer-edit-form-submit').click();
    await page.getByText('统一社会信用代码为 18 位数字或大写字母').waitFor();
    await byTestId(page, 'customer-form-creditCode').fill('');
    await byTestId(page, 'customer-edit-form-submit').click();
    await page.getByText('已保存').first().waitFor();
    await expect.poll(() => byTestId(page, 'customer-profile').innerText()).toContain(newAddress);

    await byTestId(page, 'customer-tab-history').click();
    const change = byTestId(page, 'history-table').locator('tr.ant-table-row', { hasText: newAddress });
    await change.waitFor();
    const text = await change.innerText();
    expect(text).toContain('地址');
    expect(text).toContain('广州市天河区珠江新城华夏路 1 号');
    expect(text).toContain('客户自报');
    expect(text).toContain(gzHead.me.displayName);
    if (shots) await page.screenshot({ path: `${shots}/customer-360-history.png`, fullPage: true });

    // The server kept it too (not only the page).
    const history = await gzHead.request<{ field: string | null; newValue: string | null; source: string | null }[]>('GET', `/api/customers/${c.id}/history`);
    expect(history).toContainEqual(expect.objectContaining({ field: 'address', newValue: newAddress, source: 'self_report' }));
  });

  it('(b) an account manager opening a customer outside the portfolio finds nothing there (as for a missing one)', async () => {
    const mine = await createCustomer('B1', `越秀星河${run}贸易有限公司`, { managerId: gzAm01.me.id });
    const other = await createCustomer('B2', `番禺远航${run}物流有限公司`);
    const page = await signedIn(h, 'gz_am01');

    // The own customer opens…
    await page.goto(`/customers/${mine.id}`);
    await byTestId(page, 'customer-name').waitFor();
    expect(await byTestId(page, 'customer-name').innerText()).toBe(mine.name);

    // …one outside the portfolio, in the same city, does not: out of scope answers as missing (404), so
    // that a manager cannot tell which customer numbers exist
    await page.goto(`/customers/${other.id}`);
    await byTestId(page, 'page-404').waitFor();
    expect(await byTestId(page, 'page-404').innerText()).toContain('页面不存在');
    expect(await page.getByText(other.name).count()).toBe(0);
    expect(await byTestId(page, 'customer-page').count()).toBe(0);
  });

  it('(c) a masked phone number is revealed on request', async () => {
    const c = await createCustomer('C', `天河明珠${run}酒店有限公司`, { contactPhone: '13812345678' });
    await admin.request('POST', `/api/customers/${c.id}/key-persons`, { name: '陈经理', role: 'decision_maker', phone: '13900001234' });

    // Without customers.reveal_pii there is only the mask.
    const analyst = await signedIn(h, 'gd_analyst');
    await analyst.goto(`/customers/${c.id}`);
    await byTestId(analyst, 'customer-contactPhone').waitFor();
    expect(await byTestId(analyst, 'customer-contactPhone').innerText()).toBe('138****5678');
    expect(await byTestId(analyst, 'customer-contactPhone-reveal').count()).toBe(0);

    const page = await signedIn(h, 'gz_head');
    await page.goto(`/customers/${c.id}`);
    const phone = byTestId(page, 'customer-contactPhone');
    await phone.waitFor();
    expect(await phone.innerText()).toBe('138****5678');
    if (shots) await page.screenshot({ path: `${shots}/customer-360.png`, fullPage: true });
    await byTestId(page, 'customer-contactPhone-reveal').click();
    await expect.poll(() => phone.innerText()).toBe('13812345678');
    expect(await byTestId(page, 'customer-contactPhone-reveal').count()).toBe(0);

    // A key person's phone, in its own tab.
    await byTestId(page, 'customer-tab-keyPersons').click();
    const kpPhone = byTestId(page, 'kp-table').locator('[data-testid^="kp-phone-"]:not([data-testid$="-reveal"])').first();
    await kpPhone.waitFor();
    expect(await kpPhone.innerText()).toBe('139****1234');
    await byTestId(page, 'kp-table').locator('[data-testid$="-reveal"]').first().click();
    await expect.poll(() => kpPhone.innerText()).toBe('13900001234');
  });

  it('(d) import wizard: dry run with a bad row set aside → report → import → the customers are in the list', async () => {
    const units = await admin.request<{ id: number; code: string }[]>('GET', '/api/org/units?limit=1000');
    const unitCode = units.find((u) => u.id === gzHead.me.unitId)!.code;
    const csv = [
      '客户编号,客户类型,客户名称,归属单位编码,客户经理,行业,品牌,联系电话,地址,入网日期,统一社会信用代码,员工人数,性别,出生日期,证件类型,证件号码',
      `E2E-${run}-I1,group,白云导入${run}甲有限公司,${unitCode},,C,,,,,,,,,,`,
      `E2E-${run}-I2,group,白云导入${run}乙有限公司,${unitCode},,F,,,,,,,,,,`,
      // Industry Z is no GB/T 4754 section: a bad row, set aside.
      `E2E-${run}-I3,group,白云导入${run}丙有限公司,${unitCode},,Z,,,,,,,,,,`,
    ].join('\r\n');
    const page = await signedIn(h, 'gz_head');
    await page.goto('/customers/import');
    await byTestId(page, 'import-kind-customers').click();
    await page.locator('input[type=file]').setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await byTestId(page, 'import-set-aside').click();
    await byTestId(page, 'import-dry-run').click();
    await byTestId(page, 'import-counts').waitFor({ timeout: 30_000 });
    expect(await byTestId(page, 'import-status').innerText(), await byTestId(page, 'import-report').innerText()).toBe('成功');
    expect(await byTestId(page, 'import-rejected').innerText()).toBe('1');
    // the rejected rows in the console's language, whatever the browser's
    expect(await byTestId(page, 'import-rejects').getAttribute('href')).toMatch(/^\/api\/imports\/\d+\/rejects\.csv\?lang=zh-CN$/);
    // Nothing written by the dry run.
    const before = await gzHead.request<unknown[]>('GET', `/api/customers?q=${encodeURIComponent(`白云导入${run}`)}`);
    expect(before).toHaveLength(0);

    await byTestId(page, 'import-commit').click();
    await expect.poll(() => byTestId(page, 'import-counts').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(async () => (await byTestId(page, 'import-report').innerText()).includes('导入完成'), { timeout: 30_000 }).toBe(true);
    if (shots) await page.screenshot({ path: `${shots}/customers-import.png`, fullPage: true });

    await page.goto('/customers/in-network');
    await byTestId(page, 'customers-search-q').fill(`白云导入${run}`);
    await byTestId(page, 'customers-search-q').press('Enter');
    await expect.poll(() => page.locator('tr.ant-table-row').count()).toBe(2);
  });
});

