import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startHarness, type Harness } from './support/harness';
import { byTestId, signIn, waitForShell } from './support/ui';

/** The console's side of the sign-in and session controls (issue 12). */
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

describe('sign-in and sessions in the console', () => {
  it('(a) a failed sign-in says that repeated failures lock an account, whether or not the user exists', async () => {
    const page = await h.newPage();
    for (const username of ['gz_am01', 'no_such_user']) {
      await page.goto('/login');
      await byTestId(page, 'login-username').fill(username);
      await byTestId(page, 'login-password').fill('Wrong#Guess2026');
      await byTestId(page, 'login-submit').click();
      await expect.poll(() => byTestId(page, 'login-error').innerText()).toContain('连续多次失败后账号将被锁定一段时间');
    }
  });

  it('(b) an administrator signs a user out everywhere (强制下线)', async () => {
    const user = await h.newPage();
    await signIn(user, 'gz_am02', DEMO_PASSWORD);
    await waitForShell(user);

    const admin = await h.newPage();
    await signIn(admin, 'admin', DEMO_PASSWORD);
    await waitForShell(admin);
    await admin.goto('/users');
    await byTestId(admin, 'users-search-q').fill('gz_am02');
    await byTestId(admin, 'users-search-q').press('Enter');
    await admin.getByRole('cell', { name: 'gz_am02' }).waitFor();
    await byTestId(admin, 'user-end-sessions-gz_am02').click();
    await admin.locator('.ant-popconfirm .ant-btn-primary').click();
    await admin.getByText('已结束该用户的全部会话').waitFor();

    // the user's next page needs a session: the console is back at the sign-in page
    await user.goto('/customers');
    await user.waitForURL('**/login**');
  });

  it('(c) roles name the unit they belong to; built-in ones are global', async () => {
    const admin = await h.newPage();
    await signIn(admin, 'admin', DEMO_PASSWORD);
    await waitForShell(admin);
    await admin.goto('/roles');
    await admin.getByRole('cell', { name: '系统管理员', exact: true }).waitFor();
    expect(await admin.getByRole('cell', { name: '全局（内置）' }).count()).toBeGreaterThan(3);
    // the organisation's root may rename a built-in role
    expect(await byTestId(admin, 'role-edit-sysadmin').count()).toBe(1);
  });
});
