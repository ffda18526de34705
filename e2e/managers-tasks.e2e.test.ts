import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession } from './support/api';
import { startHarness, type Harness } from './support/harness';
import { byTestId, openFromMenu, signedIn } from './support/ui';

// This file has its own server (fresh data directory): its tasks change no other file's lists.
let h: Harness;
let head: ApiSession;
const shots = process.env.E2E_SCREENSHOTS;

beforeAll(async () => {
  h = await startHarness();
  head = await apiSession(h.baseUrl, 'gz_head');
});
afterAll(async () => {
  await h?.stop();
});

describe('任务管理: 下达 → 过程控制 → 执行评价', () => {
  it('lets a head set a task for a team with the preview count, a manager report progress and submit it, and the head evaluate it', async () => {
    const expected = await head.request<{ count: number }>('POST', '/api/managers/tasks/preview', { target: { kind: 'team', unitId: head.me.unitId } });
    expect(expected.count).toBeGreaterThanOrEqual(3);

    // 下达: the head's own unit is the team by default; the preview names how many it reaches
    const page = await signedIn(h, 'gz_head');
    await openFromMenu(page, 'managers', 'managers-tasks', '**/managers/tasks');
    await byTestId(page, 'tasks-table').waitFor();
    await byTestId(page, 'tasks-new').click();
    await byTestId(page, 'task-title').fill('走访智慧园区客户');
    await byTestId(page, 'task-expected').fill('每人提交两份需求清单');
    await byTestId(page, 'task-preview').click();
    await expect.poll(() => byTestId(page, 'task-preview-result').getAttribute('data-count')).toBe(String(expected.count));
    expect(await byTestId(page, 'task-preview-result').innerText()).toContain(`将下达给 ${expected.count} 名客户经理`);
    if (shots) await page.screenshot({ path: `${shots}/tasks-create.png`, fullPage: true });
    await byTestId(page, 'task-create-form-submit').click();
    await page.waitForURL(/\/managers\/tasks\/\d+$/);
    const taskId = Number(new URL(page.url()).pathname.split('/').pop());
    await expect.poll(() => byTestId(page, 'task-target').innerText()).toContain(`${expected.count} 人`);

    // 过程控制: the manager finds it among their tasks, reports 60% and submits
    const am = await signedIn(h, 'gz_am01');
    await openFromMenu(am, 'managers', 'managers-tasks', '**/managers/tasks');
    await byTestId(am, `my-task-link-${taskId}`).click();
    await am.waitForURL(`**/managers/tasks/${taskId}`);
    await byTestId(am, 'task-report').click();
    await byTestId(am, 'task-report-progress').fill('60');
    await byTestId(am, 'task-report-body').fill('已走访三家园区客户，两家有专网需求');
    await byTestId(am, 'task-report-form-submit').click();
    await expect.poll(() => byTestId(am, 'task-reports').innerText()).toContain('已走访三家园区客户');
    await expect.poll(() => byTestId(am, 'task-my-progress').innerText()).toContain('60%');
    await byTestId(am, 'task-submit').click();
    await byTestId(am, 'task-submit-body').fill('需求清单已上传');
    await byTestId(am, 'task-submit-form-submit').click();
    await expect.poll(() => byTestId(am, 'task-my-assignment').innerText()).toContain('已提交');
    if (shots) await am.screenshot({ path: `${shots}/tasks-manager.png`, fullPage: true });

    // 执行评价: the head sees it submitted and scores it
    const amId = (await apiSession(h.baseUrl, 'gz_am01')).me.id;
    await page.reload();
    await byTestId(page, `task-evaluate-${amId}`).click();
    await byTestId(page, 'task-evaluate-score').fill('92');
    await byTestId(page, 'task-evaluate-comment').fill('需求摸排细致，按期完成');
    await byTestId(page, 'task-evaluate-form-submit').click();
    await expect.poll(() => byTestId(page, `task-score-${amId}`).innerText()).toBe('92');
    expect(await byTestId(page, `task-assignment-${amId}`).innerText()).toContain('已评价');
    if (shots) await page.screenshot({ path: `${shots}/tasks-evaluated.png`, fullPage: true });
  });
});
