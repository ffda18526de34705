import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './support/api';
import { startHarness, type Harness } from './support/harness';
import { byTestId, openFromMenu, signedIn } from './support/ui';

// This file has its own server (fresh data directory): the policy and the days it changes are seen by no other file.
let h: Harness;
let admin: ApiSession;
const shots = process.env.E2E_SCREENSHOTS;

interface Policy {
  id: number;
  requestType: string;
  level: string | null;
  areaKind: string | null;
}

const policyOf = async (type: string, level: string | null = null, area: string | null = null) =>
  (await admin.request<Policy[]>('GET', `/api/services/sla/policies?requestType=${type}`)).find((p) => p.level === level && p.areaKind === area)!;

beforeAll(async () => {
  h = await startHarness();
  admin = await apiSession(h.baseUrl, 'admin');
});
afterAll(async () => {
  await h?.stop();
});

describe('服务时限', () => {
  it('shows a head without services.sla the policies by name and their targets in hours, days and working days, read-only', async () => {
    const page = await signedIn(h, 'gd_head');
    await openFromMenu(page, 'services', 'services-sla-policies', '**/services/sla/policies');
    const diamond = await policyOf('fault', '5d');
    await expect.poll(() => byTestId(page, `policy-name-${diamond.id}`).innerText()).toBe('故障 · 五星钻');
    expect(await byTestId(page, `policy-resolve-${diamond.id}`).innerText()).toBe('24 小时');
    expect(await byTestId(page, `policy-resolve-${(await policyOf('complaint')).id}`).innerText()).toBe('15 天');
    expect(await byTestId(page, `policy-resolve-${(await policyOf('consultation')).id}`).innerText()).toBe('2 个工作日');
    expect(await byTestId(page, `policy-name-${(await policyOf('fault', null, 'rural')).id}`).innerText()).toBe('故障 · 农村');
    if (shots) await page.screenshot({ path: `${shots}/sla-policies.png`, fullPage: true });
    expect(await byTestId(page, 'policy-create').count()).toBe(0);
    expect(await byTestId(page, `policy-edit-${diamond.id}`).count()).toBe(0);
  });

  it('lets an administrator change a target in days', async () => {
    const page = await signedIn(h, 'admin');
    await page.goto('/services/sla/policies');
    const complaint = await policyOf('complaint');
    await byTestId(page, `policy-edit-${complaint.id}`).click();
    const amount = byTestId(page, 'policy-form-resolve-amount');
    await expect.poll(() => amount.inputValue()).toBe('15');
    if (shots) await page.screenshot({ path: `${shots}/sla-policy-edit.png` });
    await amount.fill('10');
    await byTestId(page, 'policy-form-submit').click();
    await expect.poll(() => byTestId(page, `policy-resolve-${complaint.id}`).innerText()).toBe('10 天');
    expect((await admin.request<{ resolveMinutes: number }[]>('GET', '/api/services/sla/policies?requestType=complaint'))[0]!.resolveMinutes).toBe(10 * 1440);
  });

  it('keeps the holiday calendar: the demo National Day week, a worked Saturday added and removed, no worked weekday', async () => {
    const page = await signedIn(h, 'admin');
    await openFromMenu(page, 'services', 'services-sla-holidays', '**/services/sla/holidays');
    // the page opens on the current year: go to 2026
    const year = byTestId(page, 'holidays-year');
    for (;;) {
      const shown = Number((await year.innerText()).slice(0, 4));
      if (shown === 2026) break;
      await byTestId(page, shown > 2026 ? 'holidays-prev-year' : 'holidays-next-year').click();
      await expect.poll(() => year.innerText()).not.toContain(String(shown));
    }
    await byTestId(page, 'holiday-2026-10-01').waitFor();
    expect(await byTestId(page, 'holidays-table').innerText()).toContain('国庆节');

    await byTestId(page, 'holiday-add').click();
    const day = byTestId(page, 'holiday-form-day');
    await day.click();
    await day.fill('2026-12-25'); // a Friday
    await day.press('Enter');
    await page.getByText('调休上班', { exact: true }).last().click();
    await byTestId(page, 'holiday-form-name').fill('年末调休');
    await byTestId(page, 'holiday-form-submit').click();
    await page.locator('.ant-form-item-explain-error', { hasText: '只有周六、周日' }).first().waitFor();

    await day.click();
    await day.fill('2026-12-26'); // a Saturday
    await day.press('Enter');
    await byTestId(page, 'holiday-form-submit').click();
    await byTestId(page, 'holiday-2026-12-26').waitFor();
    expect((await admin.request<{ day: string; kind: string }[]>('GET', '/api/services/sla/holidays?year=2026')).find((d) => d.day === '2026-12-26')?.kind).toBe('workday');

    await byTestId(page, 'holiday-remove-2026-12-26').click();
    await byTestId(page, 'holiday-remove-confirm-2026-12-26').click();
    await byTestId(page, 'holiday-2026-12-26').waitFor({ state: 'detached' });
  });
});
