import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSession } from './support/api';
import { DEMO_PASSWORD, startHarness, type Harness } from './support/harness';
import { byTestId, signIn, waitForShell } from './support/ui';

let h: Harness;
/** Every permission code and role code the server knows (`customers.read`, `account_manager`, …). */
let codes: string[] = [];
/** A customer of gz_am01's portfolio, for the pages that show one. */
let customerId = 0;

const ROLES = ['admin', 'gd_head', 'gd_analyst', 'gd_auditor', 'gz_head', 'gz_am01', 'gz_agent'];

beforeAll(async () => {
  h = await startHarness();
  const admin = await apiSession(h.baseUrl, 'admin');
  const permissions = await admin.request<{ code: string }[]>('GET', '/api/permissions');
  const roles = await admin.request<{ code: string }[]>('GET', '/api/roles');
  codes = [...permissions.map((p) => p.code), ...roles.map((r) => r.code)];
  const am = await apiSession(h.baseUrl, 'gz_am01');
  const [mine] = await am.request<{ id: number }[]>('GET', '/api/customers?limit=1');
  customerId = mine!.id;
});

afterAll(async () => {
  await h?.stop();
});

/** The codes a text shows as words of their own (`customers.read`, `sysadmin`; not a part of a longer word). */
function codesIn(text: string): string[] {
  return codes.filter((code) => new RegExp(`(^|[^\\w.])${code.replace(/\./g, '\\.')}($|[^\\w.])`).test(text));
}

/** The pages of the user's side menu (folders unfolded), the home page first. */
async function menuPages(page: Page): Promise<string[]> {
  for (const group of await page.locator('[data-testid^="menu-group-"]').all()) await group.click();
  const links = page.locator('a[data-testid^="menu-"]');
  await links.first().waitFor();
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  return ['/', ...hrefs.filter((href) => href && href !== '/')];
}

/** Opens a page inside the console (as a link does) and waits until its chunk, its data and its tables are in. */
async function open(page: Page, path: string): Promise<string> {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  await page.waitForURL((url) => url.pathname === path);
  await waitForShell(page);
  await page.waitForLoadState('networkidle');
  await page.locator('[data-testid="page-loading"], .ant-spin-spinning').first().waitFor({ state: 'detached' });
  return page.locator('body').innerText();
}

describe('no code shown to a person (zh-CN)', () => {
  for (const username of ROLES) {
    it(`${username}: no page of the menu shows a permission or role code`, async () => {
      const page = await h.newPage();
      await signIn(page, username, DEMO_PASSWORD);
      await waitForShell(page);
      const paths = await menuPages(page);
      if (paths.includes('/customers/in-network')) paths.push(`/customers/${customerId}`);
      const found: Record<string, string[]> = {};
      for (const path of paths) {
        const shown = codesIn(await open(page, path));
        if (shown.length) found[path] = shown;
      }
      expect(found).toEqual({});
      // the home page names the roles and permissions, and keeps to the window's width
      await open(page, '/');
      expect((await byTestId(page, 'home-permissions').innerText()).length).toBeGreaterThan(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    }, 240_000);
  }

  it('the check itself finds a code where one is shown', () => {
    expect(codesIn('权限：customers.read、积分兑换')).toEqual(['customers.read']);
    expect(codesIn('角色 sysadmin')).toEqual(['sysadmin']);
    expect(codesIn('查看客户档案')).toEqual([]);
  });
});
