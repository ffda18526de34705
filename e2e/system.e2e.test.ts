import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness';
import { byTestId, openFromMenu, signedIn } from './support/ui';

// Its own server: the backup it makes lands in this file's fresh data directory only.
let h: Harness;
const shots = process.env.E2E_SCREENSHOTS;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('数据备份与关于本系统', () => {
  it('lets the administrator back up now and see the archive checked as intact', async () => {
    const page = await signedIn(h, 'admin');
    await openFromMenu(page, 'system', 'system-backups', '**/system/backups');
    await expect.poll(() => byTestId(page, 'backups-table').innerText()).toContain('还没有备份');
    await byTestId(page, 'backup-now').click();
    await expect.poll(() => page.locator('.ant-message').innerText()).toContain('备份已开始');
    // the run is the scheduler's; the list shows the archive once its manifest is written
    await expect
      .poll(
        async () => {
          await byTestId(page, 'backups-reload').click();
          return page.locator('[data-testid^="backup-status-"]').first().getAttribute('data-status', { timeout: 1_000 }).catch(() => null);
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe('intact');
    const table = await byTestId(page, 'backups-table').innerText();
    expect(table).toContain('完好');
    expect(table).toContain('本系统');
    if (shots) await page.screenshot({ path: `${shots}/backups.png`, fullPage: true });
  });

  it('shows the running version and the applied migrations on the About page, the menu left as it was', async () => {
    const page = await signedIn(h, 'admin');
    const homeEntry = byTestId(page, 'menu-home');
    const widthBefore = (await homeEntry.boundingBox())!.width;
    await byTestId(page, 'footer-about').click();
    await page.waitForURL('**/about');
    await expect.poll(() => byTestId(page, 'about-schema').innerText()).toBe('已是最新');
    expect(await byTestId(page, 'about-version').innerText()).toMatch(/^\d+\.\d+\.\d+/);
    // the built commit, or (from sources, nothing built) said in Chinese to be unrecorded: never a bare English word
    expect(await byTestId(page, 'about-commit').innerText()).toMatch(/^(?:[0-9a-f]{40}|未记录.*)$/);
    await expect.poll(() => page.getByText('0000_platform').count()).toBeGreaterThan(0);
    // a page outside the menu keeps the menu open, with whole names (it once folded to clipped icons)
    expect(await homeEntry.innerText()).toBe('首页');
    expect((await homeEntry.boundingBox())!.width).toBe(widthBefore);
    if (shots) await page.screenshot({ path: `${shots}/about.png`, fullPage: true });
  });
});
