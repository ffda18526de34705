import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './support/api';
import { startHarness, type Harness } from './support/harness';
import { byTestId, openFromMenu, signedIn } from './support/ui';

// This file has its own server (fresh data directory): the notices it plans and sends are seen by no other file.
let h: Harness;
const shots = process.env.E2E_SCREENSHOTS;

interface Outage {
  id: number;
  version: number;
  affectedCount: number | null;
}

/** 00:00 Beijing time `days` from today, with its offset. */
const night = (days: number, hours = 0) => {
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  return new Date(Date.parse(`${today}T00:00:00+08:00`) + days * 86_400_000 + hours * 3_600_000).toISOString();
};

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('割接/停机通知', () => {
  it('lists the demo’s notices by status, and hints the earliest start in the editor', async () => {
    const page = await signedIn(h, 'gz_head');
    await openFromMenu(page, 'services', 'services-notices', '**/services/notices');
    await expect.poll(() => byTestId(page, 'notices-table').innerText()).toContain('已通知');
    if (shots) await page.screenshot({ path: `${shots}/notices-list.png`, fullPage: true });
    await byTestId(page, 'notice-create').click();
    await expect.poll(() => byTestId(page, 'notice-editor').innerText()).toMatch(/须提前 72 小时通知客户：开始时间最早为 \d{4}-\d\d-\d\d \d\d:\d\d（北京时间）/);
    if (shots) await page.screenshot({ path: `${shots}/notices-editor.png`, fullPage: true });
  });

  it('goes from draft to approved and sent through the console, and shows on an affected customer’s page', async () => {
    const gzHead = await apiSession(h.baseUrl, 'gz_head');
    const [county] = await gzHead.request<{ id: number; code: string }[]>('GET', '/api/org/units?limit=1000').then((units) => units.filter((u) => u.code === 'GD-GZ-04'));
    const planned = await gzHead.request<Outage>('POST', '/api/outages', { title: '天河片区传输割接', kind: 'cutover', areaUnitId: county!.id, startsAt: night(5), endsAt: night(5, 4) });

    const head = await signedIn(h, 'gz_head');
    await head.goto(`/services/notices/${planned.id}`);
    await byTestId(head, 'notice-submit').click();
    await byTestId(head, 'notice-submit-confirm').click();
    await expect.poll(() => byTestId(head, `notice-status-${planned.id}`).innerText()).toBe('待审批');
    const affected = (await gzHead.request<Outage>('GET', `/api/outages/${planned.id}`)).affectedCount!;
    expect(affected).toBeGreaterThan(0);
    expect(await byTestId(head, 'notice-affected').innerText()).toContain(`${affected} 户`);
    expect(await byTestId(head, 'notice-approve').count()).toBe(0);

    const province = await signedIn(h, 'gd_head');
    await province.goto(`/services/notices/${planned.id}`);
    await byTestId(province, 'notice-approve').click();
    await byTestId(province, 'notice-decision-note-input').fill('同意，做好回退预案');
    await byTestId(province, 'notice-decision-form-submit').click();
    await expect.poll(() => byTestId(province, `notice-status-${planned.id}`).innerText()).toBe('已批准');

    await head.reload();
    await byTestId(head, 'notice-send').click();
    await byTestId(head, 'notice-send-confirm').click();
    await expect.poll(() => byTestId(head, `notice-status-${planned.id}`).innerText()).toBe('已通知');
    await expect.poll(() => byTestId(head, 'notice-notified').innerText()).toContain(`已通知 ${affected} 户`);
    await expect.poll(async () => (await byTestId(head, 'notice-customers').locator('tbody tr').count()) > 0).toBe(true);
    if (shots) await head.screenshot({ path: `${shots}/notices-sent.png`, fullPage: true });

    const [customer] = await gzHead.request<{ customerId: number }[]>('GET', `/api/outages/${planned.id}/customers?limit=1`);
    await head.goto(`/customers/${customer!.customerId}`);
    await byTestId(head, 'customer-tab-notices').click();
    const tab = byTestId(head, 'customer-notices');
    await expect.poll(() => tab.innerText()).toContain('天河片区传输割接');
    expect(await tab.innerText()).toContain('已通知于');
    if (shots) await head.screenshot({ path: `${shots}/notices-customer-tab.png`, fullPage: true });
  });
});
