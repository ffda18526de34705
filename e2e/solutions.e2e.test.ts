import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './support/api';
import { startHarness, type Harness } from './support/harness';
import { byTestId, openFromMenu, signedIn } from './support/ui';

// This file has its own server (fresh data directory): the solutions it drafts and signs are seen by no other file.
let h: Harness;
const shots = process.env.E2E_SCREENSHOTS;

interface Figure {
  status: string;
  count: number;
  revenue: string;
}

const money = (v: string) => Number(v).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('解决方案', () => {
  it('shows the province head the pipeline by status and opens the signed ones in the list', async () => {
    const head: ApiSession = await apiSession(h.baseUrl, 'gd_head');
    const { statuses } = await head.request<{ statuses: Figure[] }>('GET', '/api/solutions/pipeline');
    const signed = statuses.find((f) => f.status === 'signed')!;
    expect(signed.count).toBeGreaterThan(0);
    const page = await signedIn(h, 'gd_head');
    await openFromMenu(page, 'services', 'services-solution-pipeline', '**/services/solutions/pipeline');
    await expect.poll(() => byTestId(page, 'pipeline-revenue-signed').innerText()).toBe(money(signed.revenue));
    expect(await byTestId(page, 'pipeline-status-signed').innerText()).toContain('已签约');
    expect(await byTestId(page, 'pipeline-table').innerText()).toContain('广州分公司');
    if (shots) await page.screenshot({ path: `${shots}/solutions-pipeline.png`, fullPage: true });
    await byTestId(page, 'pipeline-status-signed').click();
    await page.waitForURL('**/services/solutions?status=signed');
    await expect.poll(() => page.locator('.ant-pagination-total-text').innerText()).toBe(`共 ${signed.count} 条`);
    if (shots) await page.screenshot({ path: `${shots}/solutions-list.png`, fullPage: true });
  });

  it('lets an account manager draft a solution on the customer’s page with a live total, move it to signed, and see its product among the customer’s', async () => {
    const am = await apiSession(h.baseUrl, 'gz_am01');
    const [customer] = await am.request<{ id: number }[]>('GET', '/api/customers?kind=group&archive=in_network&limit=1');
    const page = await signedIn(h, 'gz_am01');
    await page.goto(`/customers/${customer!.id}`);
    await byTestId(page, 'customer-tab-solutions').click();
    await byTestId(page, 'customer-solution-create').click();
    await byTestId(page, 'solution-form-title').fill('专线扩容方案');
    await byTestId(page, 'solution-item-product-0').click();
    await page.keyboard.type('互联网专线');
    await page.keyboard.press('Enter');
    await byTestId(page, 'solution-item-quantity-0').fill('2');
    await byTestId(page, 'solution-item-fee-0').fill('2800.5');
    await expect.poll(() => byTestId(page, 'solution-form-total').innerText()).toBe('预计月收入：¥5,601.00');
    if (shots) await page.screenshot({ path: `${shots}/solutions-editor.png`, fullPage: true });
    await byTestId(page, 'solution-form-submit').click();
    const row = page.locator('[data-testid^="customer-solution-"]', { hasText: '专线扩容方案' });
    await row.waitFor();
    await row.click();
    for (const to of ['proposed', 'negotiating', 'signed']) {
      await byTestId(page, `solution-move-${to}`).click();
      await byTestId(page, `solution-move-confirm-${to}`).click();
      await byTestId(page, `solution-move-${to}`).waitFor({ state: 'detached' });
    }
    await expect.poll(() => byTestId(page, 'solution-summary').innerText()).toContain('已签约');
    expect(await byTestId(page, 'solution-revenue').innerText()).toBe('5,601.00');
    if (shots) await page.screenshot({ path: `${shots}/solutions-signed.png`, fullPage: true });
    await page.locator('.ant-drawer-close').click();
    await byTestId(page, 'customer-tab-contracts').click();
    await expect.poll(() => byTestId(page, 'product-table').innerText()).toContain('专线扩容方案（×2）');
  });

  it('lists the catalogue with its bundles’ products for the head who keeps it', async () => {
    const page = await signedIn(h, 'gd_head');
    await openFromMenu(page, 'services', 'services-solution-catalogue', '**/services/solutions/catalogue');
    await expect.poll(() => byTestId(page, 'catalogue-bundle-HESHANGWU').innerText()).toContain('集团V网 ×20');
    if (shots) await page.screenshot({ path: `${shots}/solutions-catalogue.png`, fullPage: true });
  });
});
