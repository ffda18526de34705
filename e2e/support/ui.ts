import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, type Harness } from './harness';

export const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

/** Signs in through the login page and waits to leave it. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await byTestId(page, 'login-username').fill(username);
  await byTestId(page, 'login-password').fill(password);
  await byTestId(page, 'login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Waits for the ProLayout shell (the user block in its header, which only the shell has). */
export async function waitForShell(page: Page): Promise<void> {
  await byTestId(page, 'header-user').waitFor({ state: 'visible' });
}

/** The labels of the side menu entries, by their test id suffix. */
export async function menuEntries(page: Page): Promise<Record<string, string>> {
  const links = page.locator('[data-testid^="menu-"]');
  await links.first().waitFor();
  const out: Record<string, string> = {};
  for (const link of await links.all()) {
    const id = (await link.getAttribute('data-testid'))!.slice('menu-'.length);
    out[id] = (await link.innerText()).trim();
  }
  return out;
}

export async function expectText(page: Page, text: string): Promise<void> {
  await page.getByText(text, { exact: false }).first().waitFor();
  expect(await page.getByText(text, { exact: false }).count()).toBeGreaterThan(0);
}

/** A fresh page of the harness (own cookies), signed in as `username` with the demo password, the shell shown. */
export async function signedIn(h: Harness, username: string): Promise<Page> {
  const page = await h.newPage();
  await signIn(page, username, DEMO_PASSWORD);
  await waitForShell(page);
  return page;
}

/**
 * Opens a page from the side menu: unfolds the group unless the entry shows already, clicks the entry
 * and waits for its URL (again when the menu re-rendered under the click on a loaded machine).
 */
export async function openFromMenu(page: Page, group: string, item: string, url: string) {
  for (let attempt = 1; ; attempt++) {
    const link = byTestId(page, `menu-${item}`);
    if (!(await link.isVisible())) await byTestId(page, `menu-group-${group}`).click();
    await link.waitFor({ state: 'visible' });
    await link.click();
    try {
      await page.waitForURL(url, { timeout: 5_000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}
