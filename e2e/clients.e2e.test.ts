import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness';
import { byTestId, openFromMenu, signedIn } from './support/ui';

// This file has its own server (fresh data directory): the clients it registers are seen by no other file.
let h: Harness;
const shots = process.env.E2E_SCREENSHOTS;
const NAME = '集团 CRM 系统';

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** What the calling system sees of its credentials: the status of a token request by HTTP Basic. */
const tokenStatus = async (clientId: string, secret: string) =>
  (
    await fetch(`${h.baseUrl}/api/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    })
  ).status;

const openOption = (page: Page, text: string) => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text }).first();

/** Reads the client id and the secret from the shown-once dialog and closes it. */
async function shownOnce(page: Page): Promise<{ clientId: string; secret: string }> {
  const dialog = byTestId(page, 'client-secret-dialog');
  await dialog.waitFor();
  const clientId = (await byTestId(page, 'client-secret-client-id').innerText()).trim();
  const secret = (await byTestId(page, 'client-secret-value').innerText()).trim();
  expect(clientId).toMatch(/^cl_[0-9a-f]{20}$/);
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  if (shots) await page.screenshot({ path: `${shots}/client-secret.png`, fullPage: true });
  // a click that lands while the dialog still opens (a loaded machine) does not close it: click again while it shows
  await expect
    .poll(
      async () => {
        if (await dialog.isVisible()) await byTestId(page, 'client-secret-saved').click({ timeout: 2_000 }).catch(() => undefined);
        return dialog.isVisible();
      },
      { timeout: 15_000 },
    )
    .toBe(false);
  return { clientId, secret };
}

describe('接口客户端', () => {
  it('registers a client (its secret shown once), shows its scopes by name, rotates the secret, and the token endpoint follows', async () => {
    const page = await signedIn(h, 'admin');
    await openFromMenu(page, 'system', 'system-clients', '**/system/clients');
    await byTestId(page, 'client-create').click();
    await byTestId(page, 'client-form-name').fill(NAME);
    await byTestId(page, 'client-form-scopes').click();
    await openOption(page, '读取客户（TMF629 客户管理）').click();
    await openOption(page, '查看完整个人信息').click();
    await byTestId(page, 'client-form').locator('.ant-modal-title').click();
    await byTestId(page, 'client-form-submit').click();
    const first = await shownOnce(page);
    expect(await tokenStatus(first.clientId, first.secret)).toBe(200);

    // the table names the scopes in Chinese, never by their codes
    const row = page.locator('tr', { has: byTestId(page, `client-open-${first.clientId}`) });
    await expect.poll(() => row.innerText()).toContain(NAME);
    const text = await row.innerText();
    expect(text).toContain('读取客户（TMF629 客户管理）');
    expect(text).toContain('查看完整个人信息（否则脱敏）');
    expect(text.replace(first.clientId, '')).not.toMatch(/tmf629\.read|\bpii\b/);
    expect(await page.content()).not.toContain(first.secret);

    // a rotation without overlap: the new secret works, the old one no longer
    await byTestId(page, `client-open-${first.clientId}`).click();
    await byTestId(page, 'client-drawer').waitFor();
    await byTestId(page, 'client-secret-rotate').click();
    await byTestId(page, 'client-rotate-form-hours').fill('0');
    await byTestId(page, 'client-rotate-form-submit').click();
    const second = await shownOnce(page);
    expect(second.clientId).toBe(first.clientId);
    expect(second.secret).not.toBe(first.secret);
    expect(await tokenStatus(first.clientId, second.secret)).toBe(200);
    expect(await tokenStatus(first.clientId, first.secret)).toBe(401);
    await expect.poll(() => byTestId(page, 'client-secrets').innerText()).toContain('已过期');
    if (shots) await page.screenshot({ path: `${shots}/client.png`, fullPage: true });
  });
});
