import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, startHarness, type Harness } from './support/harness';
import { byTestId, menuEntries, signIn, waitForShell } from './support/ui';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

/** Picks an option of an antd Select/TreeSelect by typing into it. */
async function choose(page: Page, testId: string, search: string, option: string) {
  await byTestId(page, testId).click();
  await page.keyboard.type(search);
  const popup = page.locator('.ant-select-dropdown:visible');
  await popup.getByTitle(option, { exact: true }).first().click();
}

describe('admin console', () => {
  it('(a) admin signs in and sees the shell with the admin menu', async () => {
    const page = await h.newPage();
    await signIn(page, 'admin', DEMO_PASSWORD);
    await waitForShell(page);
    const menu = await menuEntries(page);
    expect(menu).toMatchObject({ home: '首页', org: '组织结构', users: '用户管理', roles: '角色权限', audit: '审计日志' });
    expect((await byTestId(page, 'header-unit').innerText()).trim()).not.toBe('');

    // Each admin page opens from the menu; the audit chain verifies.
    await byTestId(page, 'menu-users').click();
    await page.waitForURL('**/users');
    await page.getByRole('cell', { name: 'gz_am01' }).waitFor();
    await byTestId(page, 'menu-audit').click();
    await byTestId(page, 'audit-verify').click();
    await expect.poll(() => byTestId(page, 'audit-verify-result').innerText()).toContain('日志链完整');
    await byTestId(page, 'menu-org').click();
    await byTestId(page, 'org-tree').getByText('广东公司').first().waitFor();
  });

  it('(b) admin creates a user who must change the password at first sign-in', async () => {
    const admin = await h.newPage();
    await signIn(admin, 'admin', DEMO_PASSWORD);
    await waitForShell(admin);
    await admin.goto('/users');
    await byTestId(admin, 'user-create').click();
    await byTestId(admin, 'user-form-username').fill('e2e_am99');
    await byTestId(admin, 'user-form-displayName').fill('测试经理');
    await byTestId(admin, 'user-form-email').fill('e2e_am99@example.cn');
    await choose(admin, 'user-form-unit', '广州分公司', '广州分公司');
    await choose(admin, 'user-form-roles', '大客户经理', '大客户经理');
    await admin.keyboard.press('Escape');
    await byTestId(admin, 'user-form-password').fill('Init@Pass2026');
    await byTestId(admin, 'user-form-submit').click();
    await admin.getByText('用户已创建').waitFor();
    await byTestId(admin, 'users-search-q').fill('e2e_am99');
    await byTestId(admin, 'users-search-q').press('Enter');
    await admin.getByRole('cell', { name: 'e2e_am99' }).waitFor();
    await byTestId(admin, 'logout').click();
    await admin.waitForURL('**/login');

    const user = await h.newPage();
    await signIn(user, 'e2e_am99', 'Init@Pass2026');
    await user.waitForURL('**/change-password');
    // The shell stays out of reach until the password is changed.
    await user.goto('/org');
    await user.waitForURL('**/change-password');
    await byTestId(user, 'pwd-current').fill('Init@Pass2026');
    await byTestId(user, 'pwd-new').fill('short');
    await byTestId(user, 'pwd-confirm').fill('short');
    await byTestId(user, 'pwd-submit').click();
    // The server's policy message lands on the field.
    await user.locator('.ant-form-item-explain-error').first().waitFor();
    await byTestId(user, 'pwd-new').fill('New@Secret2026');
    await byTestId(user, 'pwd-confirm').fill('New@Secret2026');
    await byTestId(user, 'pwd-submit').click();
    await waitForShell(user);
    expect(new URL(user.url()).pathname).toBe('/');
    const menu = await menuEntries(user);
    expect(Object.keys(menu)).not.toContain('users');

    // The new password works for a fresh sign-in and no change is asked any more.
    const again = await h.newPage();
    await signIn(again, 'e2e_am99', 'New@Secret2026');
    await waitForShell(again);
  });

  it('(c) a user without the permissions is refused the admin pages', async () => {
    const page = await h.newPage();
    await signIn(page, 'gz_am01', DEMO_PASSWORD);
    await waitForShell(page);
    const menu = await menuEntries(page);
    expect(Object.keys(menu)).toContain('home');
    for (const id of ['users', 'roles', 'audit']) expect(Object.keys(menu)).not.toContain(id);
    for (const path of ['/users', '/roles', '/audit']) {
      await page.goto(path);
      await byTestId(page, 'page-403').waitFor();
      expect(await byTestId(page, 'page-403').innerText()).toContain('无权访问');
      expect(await page.locator('[data-testid="user-create"], [data-testid="role-create"], [data-testid="audit-verify"]').count()).toBe(0);
    }
  });

  it('(d) switching the language to English changes the menu labels and persists', async () => {
    const page = await h.newPage();
    await signIn(page, 'gd_head', DEMO_PASSWORD);
    await waitForShell(page);
    expect((await menuEntries(page)).home).toBe('首页');
    await byTestId(page, 'lang-switch').click();
    await expect.poll(async () => (await menuEntries(page)).home).toBe('Home');
    const menu = await menuEntries(page);
    expect(menu.org).toBe('Organisation');
    expect(menu.users).toBe('Users');
    expect(await byTestId(page, 'logout').innerText()).toContain('Sign out');
    // Stored in the profile: a new browser (no localStorage) signs in to English.
    const other = await h.newPage();
    await signIn(other, 'gd_head', DEMO_PASSWORD);
    await waitForShell(other);
    await expect.poll(async () => (await menuEntries(other)).home).toBe('Home');
  });

  it('(e) org tree editor: create a sub-unit, rename it, survive a version conflict, delete it', async () => {
    const page = await h.newPage();
    await signIn(page, 'admin', DEMO_PASSWORD);
    await waitForShell(page);
    await page.goto('/org');
    await byTestId(page, 'org-search').fill('广州分公司');
    await byTestId(page, 'org-node-GD-GZ').click();
    await byTestId(page, 'org-create-child').click();
    await byTestId(page, 'org-create-code').fill('GD-GZ-E2E');
    await byTestId(page, 'org-create-name').fill('测试区县分公司');
    await byTestId(page, 'org-create-form-submit').click();
    // The new unit is selected: its details are in the panel.
    await expect.poll(() => byTestId(page, 'org-unit-panel').innerText()).toContain('GD-GZ-E2E');
    // the tree reloads after the create: edit only once it has settled, or the panel may remount under the typing
    await page.waitForLoadState('networkidle');
    await byTestId(page, 'org-name').fill('测试区县分公司（改）');
    await expect.poll(() => byTestId(page, 'org-name').inputValue()).toBe('测试区县分公司（改）');
    await byTestId(page, 'org-save').click();
    await page.getByText('已保存').first().waitFor();
    await page.waitForLoadState('networkidle'); // the tree reloads after the save
    // a new search from an empty box: the tree is drawn afresh with the matches' branches expanded
    await byTestId(page, 'org-search').fill('');
    await byTestId(page, 'org-search').fill('GD-GZ-E2E');
    await byTestId(page, 'org-tree').getByText('测试区县分公司（改）').waitFor();

    // Someone else changes the unit meanwhile: the stale save is refused and the panel reloads.
    await page.evaluate(async () => {
      const csrf = document.cookie.split('; ').find((c) => c.startsWith('kam_csrf='))!.split('=')[1]!;
      const [unit] = (await (await fetch('/api/org/units?q=GD-GZ-E2E')).json()) as { id: number; version: number }[];
      await fetch(`/api/org/units/${unit!.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ version: unit!.version, nameEn: 'Changed elsewhere' }),
      });
    });
    await byTestId(page, 'org-name').fill('不会保存');
    await byTestId(page, 'org-save').click();
    await page.getByText('数据已被他人修改').first().waitFor();
    await expect.poll(() => byTestId(page, 'org-nameEn').inputValue()).toBe('Changed elsewhere');

    await byTestId(page, 'org-delete').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await page.getByText('已删除').first().waitFor();
    await expect.poll(() => byTestId(page, 'org-tree').getByText('测试区县分公司（改）').count()).toBe(0);
  });
});
