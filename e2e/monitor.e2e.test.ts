import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './support/api';
import { startHarness, type Harness } from './support/harness';
import { byTestId, openFromMenu, signedIn } from './support/ui';

// This file has its own server (fresh data directory, its scheduler running): the job it runs is seen by no other file.
let h: Harness;
const shots = process.env.E2E_SCREENSHOTS;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

interface Job {
  name: string;
  status: string | null;
}

describe('系统监控', () => {
  it('shows the administrator every scheduled job by its Chinese name, and runs one now', async () => {
    const page = await signedIn(h, 'admin');
    await openFromMenu(page, 'system', 'system-monitor', '**/system/monitor');
    const jobs = byTestId(page, 'monitor-jobs');
    await expect.poll(() => jobs.innerText()).toContain('清理过期会话');
    const text = await jobs.innerText();
    for (const name of ['系统告警检查', '月度规则计算', '服务时限计时', '每分钟', '每 15 分钟']) expect(text).toContain(name);
    // jobs by name, schedules worded: no job code (sessions.purge) and no cron pattern on the Chinese page
    expect(text).not.toMatch(/[a-z]+\.[a-z-]+|\*\s\*/);
    await byTestId(page, 'monitor-database').waitFor();
    await byTestId(page, 'monitor-thresholds').waitFor();
    if (shots) await page.screenshot({ path: `${shots}/monitor.png`, fullPage: true });

    await byTestId(page, 'monitor-run-sessions.purge').click();
    await byTestId(page, 'monitor-run-confirm-sessions.purge').click();
    await expect.poll(() => page.locator('.ant-message').innerText()).toContain('“清理过期会话”已开始执行');
    await expect.poll(() => byTestId(page, 'monitor-job-status-sessions.purge').innerText(), { timeout: 20_000 }).toBe('成功');

    // the run is the scheduler's: a row of job_runs, audited as the administrator's
    const admin = await apiSession(h.baseUrl, 'admin');
    const m = await admin.request<{ jobs: Job[] }>('GET', '/api/system/monitor');
    expect(m.jobs.find((j) => j.name === 'sessions.purge')?.status).toBe('done');
  });
});
