import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../../db/testing.js';
import { seedDemoManagerTasks } from '../../../demo/managers-tasks.js';
import { makeDeps } from '../../../platform/deps.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error' });
  await seedDemoManagerTasks(makeDeps(sys.config, sys.database), sys.config.DEMO_SEED);
}, 120_000);
afterAll(() => sys?.close());

describe('the demo’s tasks', () => {
  it('shows tasks and assignments in every state, overdue ones escalated to the province head', async () => {
    const tasks = await sys.database.rows<{ status: string }>(sql`SELECT DISTINCT status FROM manager_tasks ORDER BY 1`);
    expect(tasks.map((r) => r.status)).toEqual(['cancelled', 'closed', 'open']);
    const assignments = await sys.database.rows<{ status: string }>(sql`SELECT DISTINCT status FROM manager_task_assignments ORDER BY 1`);
    expect(assignments.map((r) => r.status)).toEqual(['assigned', 'cancelled', 'evaluated', 'in_progress', 'submitted']);
    const escalated = await sys.database.rows<{ username: string; n: number }>(sql`
      SELECT u.username, count(*)::int AS n FROM manager_task_assignments a JOIN users u ON u.id = a.escalated_to GROUP BY u.username`);
    expect(escalated.map((r) => r.username)).toEqual(['gd_head']);
    expect(escalated[0]!.n).toBeGreaterThan(0);
    const [reports] = await sys.database.rows<{ n: number; replies: number }>(sql`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE rp.author_id <> a.manager_id)::int AS replies FROM manager_task_reports rp JOIN manager_task_assignments a ON a.id = rp.assignment_id`);
    expect(reports!.n).toBeGreaterThan(0);
    expect(reports!.replies).toBeGreaterThan(0);
    // every target keeps the count it reached, and a closed task has no open assignment
    const [wrong] = await sys.database.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM manager_tasks t WHERE (t.target->>'count')::int <> (SELECT count(*) FROM manager_task_assignments a WHERE a.task_id = t.id)
         OR (t.status = 'closed' AND EXISTS (SELECT 1 FROM manager_task_assignments a WHERE a.task_id = t.id AND a.status NOT IN ('evaluated', 'cancelled')))`);
    expect(wrong!.n).toBe(0);
  });

  it('lets a manager open their demo task and the head see its progress', async () => {
    const am = await sys.login('gz_am01');
    const mine = (await am.request({ method: 'GET', url: '/api/managers/tasks/mine?limit=100' })).json() as { taskId: number; status: string }[];
    expect(mine.length).toBeGreaterThanOrEqual(6);
    const head = await sys.login('gz_head');
    const list = head.request({ method: 'GET', url: '/api/managers/tasks?limit=100' });
    expect((await list).statusCode).toBe(200);
    expect(((await list).json() as unknown[]).length).toBe(6);
  });
});
