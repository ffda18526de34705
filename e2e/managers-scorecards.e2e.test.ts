import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './support/api';
import { startHarness, type Harness } from './support/harness';
import { byTestId, openFromMenu, signedIn } from './support/ui';

// This file has its own server (fresh data directory): the demo's scorecards as its seeder computed them.
let h: Harness;
let head: ApiSession;
let am: ApiSession;
const shots = process.env.E2E_SCREENSHOTS;

interface Card {
  id: number;
  month: string;
  managerId: number;
  managerName: string;
  status: string;
  totalScore: number;
}
interface Line {
  indicator: string;
  value: string | null;
}

/** The month before the current one in 广东: the list's default month. */
const lastMonth = () => {
  const d = new Date(Date.now() + 8 * 3_600_000);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
};

beforeAll(async () => {
  h = await startHarness();
  [head, am] = await Promise.all([apiSession(h.baseUrl, 'gz_head'), apiSession(h.baseUrl, 'gz_am01')]);
});
afterAll(async () => {
  await h?.stop();
});

describe('业绩考核', () => {
  it('lets a head see the unit’s ranking, open a manager’s scorecard and drill from a figure down to its records', async () => {
    const month = lastMonth();
    const cards = await head.request<Card[]>('GET', `/api/scorecards?month=${month}`);
    expect(cards.length).toBeGreaterThanOrEqual(3);
    expect(cards.every((c) => c.status === 'closed')).toBe(true);

    const page = await signedIn(h, 'gz_head');
    await openFromMenu(page, 'managers', 'managers-scorecards', '**/managers/scorecards');
    await byTestId(page, 'scorecards-table').waitFor();
    await byTestId(page, 'scorecards-ranking-chart').waitFor();
    await expect.poll(() => page.locator('[data-testid="scorecards-table"] tbody tr.ant-table-row').count()).toBe(cards.length);
    expect(await byTestId(page, 'scorecards-table').innerText()).toContain(cards[0]!.managerName);
    if (shots) await page.screenshot({ path: `${shots}/scorecards-ranking.png`, fullPage: true });

    // the best card: its lines, and the records behind a figure that has some
    const best = cards[0]!;
    const detail = await head.request<{ lines: Line[] }>('GET', `/api/scorecards/${best.id}`);
    const withData = detail.lines.find((l) => l.value !== null && Number(l.value) > 0 && l.indicator !== 'revenue_growth')!;
    const records = await head.request<unknown[]>('GET', `/api/scorecards/${best.id}/lines/${withData.indicator}/records?limit=20`);
    expect(records.length).toBeGreaterThan(0);

    await byTestId(page, `scorecard-link-${best.id}`).click();
    await page.waitForURL(`**/managers/scorecards/${best.id}`);
    await byTestId(page, 'scorecard-lines').waitFor();
    await byTestId(page, 'scorecard-radar').waitFor();
    expect(await byTestId(page, 'scorecard-total').innerText()).toBe(best.totalScore.toFixed(2));
    expect(await byTestId(page, 'scorecard-status').innerText()).toBe('已关闭');
    await byTestId(page, `line-drill-${withData.indicator}`).click();
    await byTestId(page, 'scorecard-records-drawer').waitFor();
    await expect.poll(() => page.locator('[data-testid="scorecard-records"] tbody tr.ant-table-row').count()).toBe(records.length);
    if (shots) await page.screenshot({ path: `${shots}/scorecard-drill.png`, fullPage: true });
  });

  it('shows a manager only their own scorecards', async () => {
    const month = lastMonth();
    const mine = await am.request<Card[]>('GET', `/api/scorecards?month=${month}`);
    expect(mine.map((c) => c.managerId)).toEqual([am.me.id]);

    const page = await signedIn(h, 'gz_am01');
    await openFromMenu(page, 'managers', 'managers-scorecards', '**/managers/scorecards');
    await byTestId(page, 'scorecards-table').waitFor();
    const rows = page.locator('[data-testid="scorecards-table"] tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain(am.me.displayName);
    expect(await byTestId(page, 'scorecards-run').count()).toBe(0);
    expect(await byTestId(page, 'scorecards-ranking-chart').count()).toBe(0);

    // another manager's card answers as if there were none
    const [other] = (await head.request<Card[]>('GET', `/api/scorecards?month=${month}`)).filter((c) => c.managerId !== am.me.id);
    await page.goto(`${h.baseUrl}/managers/scorecards/${other!.id}`);
    await expect.poll(() => page.locator('.ant-result-404').count(), { timeout: 20_000 }).toBe(1);
  });
});
