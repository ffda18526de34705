import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './support/api';
import { startHarness, type Harness } from './support/harness';
import { byTestId, openFromMenu, signedIn } from './support/ui';

// This file has its own server (fresh data directory): the reminders it snoozes and dismisses are seen by no other file.
let h: Harness;
const shots = process.env.E2E_SCREENSHOTS;

interface Reminder {
  id: number;
  type: string;
  dueOn: string;
  status: string;
  snoozedUntil: string | null;
}

const TYPE_NAMES: Record<string, string> = {
  birthday: '生日',
  contract_expiry: '合同到期',
  appointment: '预约',
  sla_warning: '工单时限预警',
  arrears: '欠费',
  level_change: '等级变动',
  certification_expiry: '资格证书到期',
};

const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const plusDays = (day: string, n: number) => new Date(Date.parse(day) + n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('日常事务提醒', () => {
  it('shows an account manager the day’s reminders grouped by day, by name; one is snoozed to a later day and another dismissed', async () => {
    const am = await apiSession(h.baseUrl, 'gz_am01');
    const open = await am.request<Reminder[]>('GET', '/api/me/reminders?limit=1000');
    expect(open.length).toBeGreaterThanOrEqual(2);
    const [first, second] = open;
    const today = shanghaiToday();

    const page = await signedIn(h, 'gz_am01');
    await openFromMenu(page, 'managers', 'managers-reminders', '**/managers/reminders');
    await byTestId(page, `reminder-${first!.id}`).waitFor();
    const group = await byTestId(page, `reminders-group-${first!.dueOn}`).innerText();
    expect(group).toContain(first!.dueOn);
    if (first!.dueOn === today) expect(group).toContain('今天');
    expect(await byTestId(page, `reminder-${first!.id}`).innerText()).toContain(TYPE_NAMES[first!.type]!);
    // no code shows: the types are named
    expect(await byTestId(page, 'reminders-list').innerText()).not.toMatch(/\b(contract_expiry|sla_warning|certification_expiry|key_person)\b/);
    if (shots) await page.screenshot({ path: `${shots}/managers-reminders.png`, fullPage: true });

    // snooze the first to the day after tomorrow with the date picker
    const until = plusDays(today, 2);
    await byTestId(page, `reminder-snooze-${first!.id}`).click();
    await page.locator(`.ant-popover .ant-picker-cell[title="${until}"]`).first().click();
    await byTestId(page, `reminder-${first!.id}`).waitFor({ state: 'detached' });

    // dismiss the second
    await byTestId(page, `reminder-dismiss-${second!.id}`).click();
    await byTestId(page, `reminder-${second!.id}`).waitFor({ state: 'detached' });

    const snoozed = await am.request<Reminder[]>('GET', '/api/me/reminders?status=snoozed&limit=1000');
    expect(snoozed.find((r) => r.id === first!.id)).toMatchObject({ status: 'snoozed', snoozedUntil: until });
    const dismissed = await am.request<Reminder[]>('GET', '/api/me/reminders?status=dismissed&limit=1000');
    expect(dismissed.map((r) => r.id)).toContain(second!.id);

    // the snoozed one is listed under 稍后提醒 with its day
    await byTestId(page, 'reminders-status').getByText('稍后提醒').click();
    await expect.poll(() => byTestId(page, `reminder-${first!.id}`).innerText()).toContain(`稍后提醒至 ${until}`);
  });

  it('lets a city head switch a type off for the city and see where each setting comes from', async () => {
    const page = await signedIn(h, 'gz_head');
    await openFromMenu(page, 'managers', 'managers-reminder-settings', '**/managers/reminders/settings');
    await expect.poll(() => byTestId(page, 'setting-source-contract_expiry').innerText()).toBe('系统默认');
    expect(await byTestId(page, 'reminder-settings-table').innerText()).toContain('提前 90 天');
    await byTestId(page, 'setting-enabled-birthday').click();
    await byTestId(page, 'setting-save-birthday').click();
    await expect.poll(() => byTestId(page, 'setting-source-birthday').innerText()).toBe('本单位设置');
    if (shots) await page.screenshot({ path: `${shots}/managers-reminder-settings.png`, fullPage: true });
    const head = await apiSession(h.baseUrl, 'gz_head');
    const settings = await head.request<{ items: { type: string; enabled: boolean; source: string }[] }>('GET', '/api/reminder-settings');
    expect(settings.items.find((i) => i.type === 'birthday')).toMatchObject({ enabled: false, source: 'own' });
  });
});
