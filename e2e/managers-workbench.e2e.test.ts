import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './support/api';
import { startHarness, type Harness } from './support/harness';
import { byTestId, openFromMenu, signedIn } from './support/ui';

// This file has its own server (fresh data directory).
let h: Harness;
const shots = process.env.E2E_SCREENSHOTS;

interface Workbench {
  portfolio: { customers: number };
  requests: { open: number; items: { requestNo: string }[] };
  tasks: { open: number };
}

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('经理工作台', () => {
  it('is an account manager’s first screen: their customers, requests, tasks and reminders, in Chinese', async () => {
    const am = await apiSession(h.baseUrl, 'gz_am01');
    const wb = await am.request<Workbench>('GET', '/api/me/workbench');
    expect(wb.portfolio.customers).toBeGreaterThan(0);
    const page = await signedIn(h, 'gz_am01');
    await byTestId(page, 'workbench').waitFor();
    await expect.poll(() => byTestId(page, 'workbench-figure-customers').innerText()).toContain(String(wb.portfolio.customers));
    expect(await byTestId(page, 'workbench-figure-requests').innerText()).toContain('未结工单');
    for (const no of wb.requests.items.slice(0, 3).map((r) => r.requestNo)) expect(await byTestId(page, 'workbench-requests').innerText()).toContain(no);
    // the requests take the whole width: at 1366 px every column shows, nothing scrolls sideways
    const hidden = await byTestId(page, 'workbench-requests').locator('.ant-table-content').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(hidden).toBeLessThanOrEqual(0);
    // no code shows: request statuses, SLA states and reminder types are named
    const text = await byTestId(page, 'workbench').innerText();
    expect(text).not.toMatch(/\b(in_progress|breached|contract_expiry|in_network|sla_warning)\b/);
    if (shots) await page.screenshot({ path: `${shots}/managers-workbench.png`, fullPage: true });
    await openFromMenu(page, 'managers', 'managers-workbench', '**/managers/workbench');
    await byTestId(page, 'workbench-tasks').waitFor();
  });

  it('shows a city head the team: each manager with their customers and open work', async () => {
    const head = await apiSession(h.baseUrl, 'gz_head');
    const team = await head.request<{ name: string; customers: number }[]>('GET', '/api/managers/team');
    expect(team.length).toBeGreaterThan(0);
    const page = await signedIn(h, 'gz_head');
    await openFromMenu(page, 'managers', 'managers-team', '**/managers/team');
    for (const m of team) await expect.poll(() => byTestId(page, 'team-table').innerText()).toContain(m.name);
    await byTestId(page, 'team-chart').waitFor();
    if (shots) await page.screenshot({ path: `${shots}/managers-team.png`, fullPage: true });
    // in English too every column shows at 1366 px: the long headers wrap instead of pushing the last columns out of sight
    await byTestId(page, 'lang-switch').click();
    await expect.poll(() => byTestId(page, 'team-table').innerText()).toContain('Last scorecard');
    const hidden = await byTestId(page, 'team-table').locator('.ant-table-content').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(hidden).toBeLessThanOrEqual(0);
  });
});
