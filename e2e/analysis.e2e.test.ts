import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSession, type ApiSession } from './support/api';
import { startHarness, type Harness } from './support/harness';
import { byTestId, openFromMenu, signedIn } from './support/ui';

// This file has its own server (fresh data directory, the demo's churn model trained and its latest month scored at start):
// the target group it locks is seen by no other file.
let h: Harness;
let head: ApiSession;
let am: ApiSession;
const shots = process.env.E2E_SCREENSHOTS;

beforeAll(async () => {
  h = await startHarness();
  [head, am] = await Promise.all([apiSession(h.baseUrl, 'gd_head'), apiSession(h.baseUrl, 'gz_am01')]);
});
afterAll(async () => {
  await h?.stop();
});

interface Dashboard {
  from: string;
  to: string;
  panels: { id: string; totals: Record<string, number | null>; measures: { code: string; name: string; unit: string }[] }[];
}
interface DrillCustomer {
  id: number;
  managerName: string | null;
}
interface Score {
  customerId: number;
  managerId: number | null;
  managerName: string | null;
  band: 'high' | 'medium' | 'low';
  reasons: { feature: string; value: number }[];
}
interface Model {
  figures: { auc: number };
  validationMonth: string;
}

/** The customers behind the 收入分析 overview's 出账收入 over the dashboard's default period, as the API lists them for this user. */
async function revenueDrill(s: ApiSession): Promise<{ dashboard: Dashboard; customers: DrillCustomer[] }> {
  const dashboard = await s.request<Dashboard>('GET', '/api/analysis/dashboards/revenue');
  const q = new URLSearchParams({ from: dashboard.from, to: dashboard.to, indicator: 'billed_revenue', limit: '1000' });
  const customers = await s.request<DrillCustomer[]>('GET', `/api/analysis/dashboards/revenue/panels/kpi/customers?${q}`);
  return { dashboard, customers };
}

/** Every score of the latest scored month this user sees (300 demo customers: one page of 1000 holds them all). */
const scoresOf = (s: ApiSession) => s.request<Score[]>('GET', '/api/analysis/churn/scores?limit=1000');

/** The scored customers' list of 流失预警 (the model card above it has a table of its own). */
const SCORES = '.ant-pro-table';

/** The cells of one column (0-based) of the rows a table shows. */
async function columnTexts(page: Page, table: string, column: number): Promise<string[]> {
  const rows = page.locator(`${table} tbody tr.ant-table-row`);
  return rows.locator(`td:nth-child(${column + 1})`).allInnerTexts();
}

/** Opens the 出账收入 figure of the 收入分析 overview and waits for the drill-down to list its first page. */
async function drillIntoBilledRevenue(page: Page) {
  await openFromMenu(page, 'analysis', 'analysis-dashboards', '**/analysis/dashboards');
  await byTestId(page, 'dashboard-card-revenue').click();
  await page.waitForURL('**/analysis/dashboards/revenue');
  const kpi = byTestId(page, 'panel-kpi');
  await kpi.getByText('出账收入（元）').click();
  await expect.poll(() => page.locator('.ant-drawer-title').innerText()).toContain('客户清单：出账收入');
  return { kpi, list: byTestId(page, 'drill-table') };
}

describe('数据分析', () => {
  it('shows the province head 综合统计 by city from the side menu: 出账收入 with 环比 and 同比, cities by name, no codes', async () => {
    const page = await signedIn(h, 'gd_head');
    await openFromMenu(page, 'analysis', 'analysis-statistics', '**/analysis/statistics');
    // the default choice (出账收入 and ARPU by 地市, 环比 and 同比) runs on open: no click needed
    const table = byTestId(page, 'stats-table');
    await expect.poll(() => table.locator('tbody').innerText(), { timeout: 30_000 }).toContain('广州分公司');
    const header = await table.locator('thead').innerText();
    for (const title of ['地市', '出账收入（元）', '本期', '上期', '环比', '同期', '同比']) expect(header).toContain(title);
    const body = await table.locator('tbody').innerText();
    for (const city of ['广州分公司', '深圳分公司', '合计']) expect(body).toContain(city);
    // changes read as signed percentages
    expect(body).toMatch(/[+-]\d+\.\d{2}%/);
    // no indicator code, unit code or dimension code on the Chinese page
    const all = `${header}\n${body}`;
    expect(all).not.toMatch(/billed_revenue|arpu|\bcity\b|\bGZ\b|\bSZ\b|[a-z]+_[a-z]+/);
    if (shots) await page.screenshot({ path: `${shots}/analysis-statistics.png`, fullPage: true });
  });

  it('shows the 收入分析 overview figures and lists, behind 出账收入, the customers the API counts', async () => {
    const { dashboard, customers } = await revenueDrill(head);
    const overview = dashboard.panels.find((p) => p.id === 'kpi')!;
    expect(customers.length).toBeGreaterThan(20);

    const page = await signedIn(h, 'gd_head');
    const { kpi, list } = await drillIntoBilledRevenue(page);
    // the overview's figures as the API totals them, formatted for reading
    const figures = await kpi.innerText();
    for (const m of overview.measures) {
      expect(figures).toContain(m.name);
      const v = overview.totals[m.code];
      if (typeof v === 'number' && m.unit === 'yuan') expect(figures).toContain(v.toLocaleString('zh-CN', { maximumFractionDigits: 2, minimumFractionDigits: 2 }));
    }
    // the drill-down: its total is the API's count, its first page full, each customer with a unit and a manager
    await expect.poll(() => list.getAttribute('data-total')).toBe(String(customers.length));
    await expect.poll(() => list.locator('tbody tr.ant-table-row').count()).toBe(Math.min(20, customers.length));
    const units = await columnTexts(page, '[data-testid="drill-table"]', 2);
    expect(units.every((u) => /^[\u4e00-\u9fff]+$/.test(u.trim()))).toBe(true);
    if (shots) await page.screenshot({ path: `${shots}/analysis-drill.png`, fullPage: true });
  });

  it('shows the account manager only their own customers, in a drill-down and in the churn list', async () => {
    const [{ customers: mine }, { customers: all }, myScores, allScores] = await Promise.all([revenueDrill(am), revenueDrill(head), scoresOf(am), scoresOf(head)]);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(all.length);
    expect(mine.every((c) => c.managerName === am.me.displayName)).toBe(true);
    expect(myScores.length).toBeGreaterThan(0);
    expect(myScores.length).toBeLessThan(allScores.length);
    expect(myScores.every((s) => s.managerId === am.me.id)).toBe(true);

    const page = await signedIn(h, 'gz_am01');
    const { list } = await drillIntoBilledRevenue(page);
    await expect.poll(() => list.getAttribute('data-total')).toBe(String(mine.length));
    await expect.poll(() => list.locator('tbody tr.ant-table-row').count()).toBe(Math.min(20, mine.length));
    expect(new Set(await columnTexts(page, '[data-testid="drill-table"]', 3))).toEqual(new Set([am.me.displayName]));

    // the drill-down closed, on to 流失预警
    await page.locator('.ant-drawer-close').click();
    await page.locator('.ant-drawer-mask').waitFor({ state: 'hidden' });
    await openFromMenu(page, 'analysis', 'analysis-churn', '**/analysis/churn');
    await expect.poll(() => page.locator(`${SCORES} .ant-pagination-total-text`).innerText()).toBe(`共 ${myScores.length} 条`);
    await expect.poll(() => page.locator(`${SCORES} tr.ant-table-row`).count()).toBe(Math.min(20, myScores.length));
    // columns: customer, band, score, reasons, manager, unit
    const managers = await page.locator(`${SCORES} tr.ant-table-row td:nth-child(5)`).allInnerTexts();
    expect(new Set(managers)).toEqual(new Set([am.me.displayName]));
    if (shots) await page.screenshot({ path: `${shots}/analysis-churn-manager.png`, fullPage: true });
  });

  it('counts the customers of a 综合查询 condition as the API does, and locks them as a target group of that size', async () => {
    const analyst = await apiSession(h.baseUrl, 'gd_analyst');
    const tree = { match: 'all', conditions: [{ field: 'kind', op: 'eq', value: 'group' }] };
    const expected = await analyst.request<{ total: number }>('POST', '/api/analysis/query', { tree, offset: 0, limit: 1 });
    expect(expected.total).toBeGreaterThan(0);

    const page = await signedIn(h, 'gd_analyst');
    await openFromMenu(page, 'analysis', 'analysis-query', '**/analysis/query');
    // 客户类型 等于 集团客户: the editor's first field and operator, the value chosen by its name
    await byTestId(page, 'aq-add').click();
    const condition = byTestId(page, 'aq-condition');
    await expect.poll(() => condition.innerText()).toContain('客户类型');
    expect(await condition.innerText()).toContain('等于');
    await condition.locator('[data-testid="aq-value"]').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '集团客户' }).click();
    await expect.poll(() => condition.locator('[data-testid="aq-value"]').innerText()).toContain('集团客户');
    await byTestId(page, 'aq-run').click();
    await expect.poll(() => page.getByText(/共 [\d,]+ 户客户符合条件/).innerText()).toBe(`共 ${expected.total.toLocaleString()} 户客户符合条件`);
    // every listed customer is a group customer, named so
    const kinds = await columnTexts(page, '[data-testid="aq-result"]', 2);
    expect(kinds.length).toBe(Math.min(20, expected.total));
    expect(new Set(kinds)).toEqual(new Set(['集团客户']));

    // 锁定为目标客户群: the group page shows the same number of customers
    await byTestId(page, 'aq-lock').click();
    await byTestId(page, 'aq-name').fill('集团客户（端到端测试）');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.waitForURL(/\/analysis\/segments\/\d+$/);
    await expect.poll(() => page.locator('.ant-page-header-heading-title').innerText()).toContain('集团客户（端到端测试）');
    await expect.poll(async () => (await byTestId(page, 'seg-size').locator('.ant-statistic-content').innerText()).replace(/,/g, '')).toBe(String(expected.total));
    const segmentId = Number(new URL(page.url()).pathname.split('/').pop());
    const detail = await analyst.request<{ profile: { size: number } }>('GET', `/api/analysis/segments/${segmentId}`);
    expect(detail.profile.size).toBe(expected.total);
    if (shots) await page.screenshot({ path: `${shots}/analysis-segment.png`, fullPage: true });
  });

  it('shows 流失预警 with the model’s validation figures and the scored customers with reasons in words', async () => {
    const [model] = await head.request<Model[]>('GET', '/api/analysis/churn/models');
    expect(model, 'the demo load trains a churn model').toBeDefined();
    expect(model!.figures.auc).toBeGreaterThan(0.5);
    const scores = await scoresOf(head);
    expect(scores.length).toBeGreaterThan(0);

    const page = await signedIn(h, 'gd_head');
    await openFromMenu(page, 'analysis', 'analysis-churn', '**/analysis/churn');
    const card = byTestId(page, 'churn-model');
    await expect.poll(() => card.locator('[data-testid="churn-auc"]').innerText()).toContain(model!.figures.auc.toFixed(3));
    const figures = await card.innerText();
    for (const title of ['AUC', '验证月份', model!.validationMonth]) expect(figures).toContain(title);

    await expect.poll(() => page.locator(`${SCORES} .ant-pagination-total-text`).innerText()).toBe(`共 ${scores.length} 条`);
    const rows = page.locator(`${SCORES} tr.ant-table-row`);
    await expect.poll(() => rows.count()).toBe(Math.min(20, scores.length));
    // the highest risk first, bands in words, in the API's order
    const bandName = { high: '高', medium: '中', low: '低' } as const;
    const bands = (await rows.locator('td:nth-child(2)').allInnerTexts()).map((b) => b.trim());
    expect(bands).toEqual(scores.slice(0, bands.length).map((s) => bandName[s.band]));
    const reasons = (await rows.locator('td:nth-child(4)').allInnerTexts()).map((r) => r.trim()).filter(Boolean);
    expect(reasons.length).toBeGreaterThan(0);
    for (const r of reasons) {
      // in Chinese words, no feature code (spend_change, arrears_months…)
      expect(r).toMatch(/[\u4e00-\u9fff]/);
      expect(r).not.toMatch(/[a-z]+_[a-z]+|churn\./);
    }
    if (shots) await page.screenshot({ path: `${shots}/analysis-churn.png`, fullPage: true });
  });
});
