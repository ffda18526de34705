import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './support/api';
import { startHarness, type Harness } from './support/harness';
import { byTestId, openFromMenu, signedIn } from './support/ui';

// This file has its own server (fresh data directory): the customers it moves are seen by no other file.
let h: Harness;
const shots = process.env.E2E_SCREENSHOTS;

interface Manager {
  id: number;
  username: string;
  displayName: string;
  grade: string | null;
  portfolioSize: number;
}

const openOption = (page: Page, text: string) => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text }).first();

/** Picks an option of an antd select by typing a part of its label. */
async function choose(page: Page, testId: string, text: string) {
  await byTestId(page, testId).click();
  await page.keyboard.type(text);
  await openOption(page, text).click();
}

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('经理档案', () => {
  it('lets a head open a manager from 经理档案, change the grade, and move customers in bulk after a dry-run count', async () => {
    const head = await apiSession(h.baseUrl, 'gz_head');
    const managers = await head.request<Manager[]>('GET', '/api/managers?limit=100&sort=name');
    const from = managers.find((m) => m.username === 'gz_am02')!;
    const to = managers.find((m) => m.username === 'gz_am03')!;
    expect(from.portfolioSize).toBeGreaterThan(0);

    const page = await signedIn(h, 'gz_head');
    await openFromMenu(page, 'managers', 'managers-profiles', '**/managers/profiles');
    await byTestId(page, `manager-open-${from.username}`).waitFor();
    const listed = await byTestId(page, 'managers-table').innerText();
    // grades and skills by name, never a code
    expect(listed).toMatch(/初级|中级|高级|资深/);
    expect(listed).not.toMatch(/\b(junior|intermediate|senior|expert|in_network)\b/);
    if (shots) await page.screenshot({ path: `${shots}/managers-profiles.png`, fullPage: true });

    // 档案: the grade changes to 资深
    await byTestId(page, `manager-open-${from.username}`).click();
    await page.waitForURL(`**/managers/profiles/${from.id}`);
    await expect.poll(() => byTestId(page, 'manager-name').innerText()).toBe(from.displayName);
    await byTestId(page, 'manager-profile-edit').click();
    await byTestId(page, 'manager-profile-grade').click();
    await openOption(page, from.grade === 'expert' ? '高级' : '资深').click();
    await byTestId(page, 'manager-profile-form-submit').click();
    const wanted = from.grade === 'expert' ? '高级' : '资深';
    await expect.poll(() => byTestId(page, 'manager-grade').innerText()).toBe(wanted);
    expect((await head.request<Manager>('GET', `/api/managers/${from.id}`)).grade).toBe(from.grade === 'expert' ? 'senior' : 'expert');
    await byTestId(page, 'manager-certs').waitFor();
    if (shots) await page.screenshot({ path: `${shots}/managers-profile.png`, fullPage: true });

    // 批量调整客户: the group customers of the manager, counted before they move
    const expected = await head.request<{ customers: number }>('POST', '/api/managers/portfolio-moves', { fromManagerId: from.id, toManagerId: to.id, filter: { kind: 'group' }, dryRun: true });
    expect(expected.customers).toBeGreaterThan(0);
    await openFromMenu(page, 'managers', 'managers-profiles', '**/managers/profiles');
    await byTestId(page, 'managers-move').click();
    await byTestId(page, 'move-wizard').waitFor();
    await choose(page, 'move-from', from.displayName);
    await byTestId(page, 'move-next').click();
    await page.locator('[data-testid="move-scope"] label', { hasText: '按条件筛选' }).click();
    await byTestId(page, 'move-filter-kind').click();
    await openOption(page, '集团客户').click();
    await byTestId(page, 'move-next').click();
    await choose(page, 'move-to', to.displayName);
    await byTestId(page, 'move-next').click();
    await expect.poll(() => byTestId(page, 'move-count').innerText()).toBe(`将把 ${expected.customers} 位客户从${from.displayName}调整给${to.displayName}`);
    if (shots) await page.screenshot({ path: `${shots}/managers-move.png`, fullPage: true });
    await byTestId(page, 'move-confirm').click();
    await byTestId(page, 'move-wizard').waitFor({ state: 'detached' });
    await expect.poll(async () => (await head.request<Manager>('GET', `/api/managers/${from.id}`)).portfolioSize).toBeLessThan(from.portfolioSize);
    const left = await head.request<{ customers: number }>('POST', '/api/managers/portfolio-moves', { fromManagerId: from.id, toManagerId: to.id, filter: { kind: 'group' }, dryRun: true });
    expect(left.customers).toBe(0);
    // the source manager is told, in Chinese
    const am = await apiSession(h.baseUrl, 'gz_am02');
    const items = await am.request<{ text: string }[]>('GET', '/api/me/notifications?limit=50');
    expect(items.map((n) => n.text).join('\n')).toContain(`位客户调整给了${to.displayName}`);
  });
});
