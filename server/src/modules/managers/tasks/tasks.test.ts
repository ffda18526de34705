import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { makeDeps } from '../../../platform/deps.js';
import { todayAt } from '../../../platform/months.js';
import { escalateOverdueTasks } from './overdue.js';
import type { Preview, TaskDetail } from './schemas.js';

let sys: TestSystem;
let gzHead: Session;
let gdHead: Session;
let szHead: Session;
let gzAm1: Session;
let gzAm2: Session;
const ids = {} as Record<'gzHead' | 'gdHead' | 'admin' | 'gzAm1' | 'gzAm2' | 'gzAm3' | 'szAm1' | 'gz' | 'sz' | 'gd', number>;

const DAY_MS = 86_400_000;
const today = todayAt();
const dayAfter = (n: number) => new Date(Date.parse(today) + n * DAY_MS).toISOString().slice(0, 10);

const idOf = async (query: ReturnType<typeof sql>) => Number((await sys.database.rows<{ id: number }>(query))[0]!.id);
const post = (s: Session, url: string, payload: unknown) => s.request({ method: 'POST', url, payload: payload as Record<string, unknown> });
const get = (s: Session, url: string) => s.request({ method: 'GET', url });

async function ok<T>(res: Awaited<ReturnType<Session['request']>>, status = 200): Promise<T> {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

const setTask = (s: Session, target: Record<string, unknown>, title = '走访重点客户，摸排 5G 专网需求', dueOn = dayAfter(7)) =>
  post(s, '/api/managers/tasks', { title, description: '逐户走访并记录需求', expectedOutcome: '形成需求清单', dueOn, target });
const created = async (s: Session, target: Record<string, unknown>, title?: string, dueOn?: string) => ok<TaskDetail>(await setTask(s, target, title, dueOn), 201);

const managersOf = (task: TaskDetail) => task.assignments.map((a) => a.managerId).sort((a, b) => a - b);
const assignmentOf = (task: TaskDetail, managerId: number) => task.assignments.find((a) => a.managerId === managerId)!;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const notices = (userId: number, code: string, taskId: number) =>
  sys.database.rows(sql`SELECT id FROM notifications WHERE user_id = ${userId} AND code = ${code} AND entity = 'manager_task' AND entity_id = ${taskId}`);

/** The account managers (work.own) of a unit's subtree, as the team target must reach them. */
const teamOf = async (unitId: number) =>
  sorted(
    (
      await sys.database.rows<{ id: number }>(sql`
    SELECT DISTINCT u.id FROM users u JOIN org_units ou ON ou.id = u.unit_id JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
    WHERE u.active AND 'work.own' = ANY(r.permissions) AND ou.path LIKE (SELECT path || '%' FROM org_units WHERE id = ${unitId})`)
    ).map((r) => Number(r.id)),
  );

/** The managers holding customers of industry T within a unit's subtree. */
const holdersOfIndustryT = async (unitId: number) =>
  sorted(
    (
      await sys.database.rows<{ id: number }>(sql`
    SELECT DISTINCT c.manager_id AS id FROM customers c JOIN org_units ou ON ou.id = c.unit_id
    WHERE c.industry = 'T' AND c.manager_id IS NOT NULL AND ou.path LIKE (SELECT path || '%' FROM org_units WHERE id = ${unitId})`)
    ).map((r) => Number(r.id)),
  );

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error' });
  [gzHead, gdHead, szHead, gzAm1, gzAm2] = await Promise.all([sys.login('gz_head'), sys.login('gd_head'), sys.login('sz_head'), sys.login('gz_am01'), sys.login('gz_am02')]);
  for (const [key, username] of [['gzHead', 'gz_head'], ['gdHead', 'gd_head'], ['admin', 'admin'], ['gzAm1', 'gz_am01'], ['gzAm2', 'gz_am02'], ['gzAm3', 'gz_am03'], ['szAm1', 'sz_am01']] as const) {
    ids[key] = await idOf(sql`SELECT id FROM users WHERE username = ${username}`);
  }
  ids.gz = await idOf(sql`SELECT id FROM org_units WHERE code = 'GD-GZ'`);
  ids.sz = await idOf(sql`SELECT id FROM org_units WHERE code = 'GD-SZ'`);
  ids.gd = await idOf(sql`SELECT id FROM org_units WHERE kind = 'province'`);
  // industry T: two customers of gz_am02 in 广州 and one of sz_am01 in 深圳, nobody else's
  await sys.database.rows(sql`UPDATE customers SET industry = 'S' WHERE industry = 'T'`);
  await sys.database.rows(sql`UPDATE customers SET industry = 'T' WHERE id IN (SELECT id FROM customers WHERE manager_id = ${ids.gzAm2} ORDER BY id LIMIT 2)`);
  await sys.database.rows(sql`UPDATE customers SET industry = 'T' WHERE id IN (SELECT id FROM customers WHERE manager_id = ${ids.szAm1} ORDER BY id LIMIT 1)`);
}, 120_000);
afterAll(() => sys?.close());

describe('下达: whom a task reaches', () => {
  it('reaches one manager of the head’s subtree, and refuses one of another city', async () => {
    const task = await created(gzHead, { kind: 'manager', managerId: ids.gzAm1 });
    expect(managersOf(task)).toEqual([ids.gzAm1]);
    expect(task.target).toMatchObject({ kind: 'manager', managerId: ids.gzAm1, count: 1 });
    expect(task.status).toBe('open');
    expect(task.counts.assigned).toBe(1);
    const refused = await setTask(gzHead, { kind: 'manager', managerId: ids.szAm1 });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].field).toBe('body.target.managerId');
  });

  it('reaches every account manager of a team (a unit of the subtree), and refuses a unit outside it', async () => {
    const team = await teamOf(ids.gz);
    expect(team.length).toBeGreaterThanOrEqual(3);
    const preview = await ok<Preview>(await post(gzHead, '/api/managers/tasks/preview', { target: { kind: 'team', unitId: ids.gz } }));
    expect(preview.count).toBe(team.length);
    expect(sorted(preview.managers.map((m) => m.id))).toEqual(team);
    const task = await created(gzHead, { kind: 'team', unitId: ids.gz });
    expect(managersOf(task)).toEqual(team);
    expect(task.target.count).toBe(team.length);
    const refused = await setTask(gzHead, { kind: 'team', unitId: ids.sz });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('task_unit_not_eligible');
  });

  it('reaches exactly the managers holding customers a customers-list filter matches, within the head’s scope', async () => {
    expect(await holdersOfIndustryT(ids.gz)).toEqual([ids.gzAm2]);
    const preview = await ok<Preview>(await post(gzHead, '/api/managers/tasks/preview', { target: { kind: 'filter', filter: { industry: 'T' } } }));
    expect(preview).toMatchObject({ count: 1, managers: [{ id: ids.gzAm2 }] });
    const task = await created(gzHead, { kind: 'filter', filter: { industry: 'T' } });
    expect(managersOf(task)).toEqual([ids.gzAm2]);
    // the province head's filter reaches the holders of every city
    const province = await created(gdHead, { kind: 'filter', filter: { industry: 'T' } });
    expect(managersOf(province)).toEqual(await holdersOfIndustryT(ids.gd));
    expect(managersOf(province)).toEqual(sorted([ids.gzAm2, ids.szAm1]));
    // a filter matching nobody sets nothing
    const none = await setTask(gzHead, { kind: 'filter', filter: { industry: 'T', managerId: ids.gzAm1 } });
    expect(none.statusCode).toBe(400);
    expect(none.json().code).toBe('task_target_empty');
  });

  it('reaches the managers of a saved segment of the head’s own, and not of another head’s', async () => {
    const saved = await ok<{ id: number }>(await post(gzHead, '/api/customer-filters', { name: '行业T客户', filter: { industry: 'T' } }), 201);
    const task = await created(gzHead, { kind: 'segment', segmentId: saved.id });
    expect(managersOf(task)).toEqual([ids.gzAm2]);
    expect(task.target).toMatchObject({ kind: 'segment', segmentId: saved.id, label: '行业T客户', count: 1 });
    const others = await setTask(szHead, { kind: 'segment', segmentId: saved.id });
    expect(others.statusCode).toBe(400);
    expect(others.json().code).toBe('task_segment_not_found');
  });

  it('previews without writing anything, and refuses a due day before today', async () => {
    const [before] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM manager_task_assignments`);
    await ok(await post(gzHead, '/api/managers/tasks/preview', { target: { kind: 'team', unitId: ids.gz } }));
    const [after] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM manager_task_assignments`);
    expect(after!.n).toBe(before!.n);
    const past = await setTask(gzHead, { kind: 'manager', managerId: ids.gzAm1 }, '过期任务', dayAfter(-1));
    expect(past.statusCode).toBe(400);
    expect(past.json().code).toBe('task_due_in_past');
    await created(gzHead, { kind: 'manager', managerId: ids.gzAm1 }, '今天截止', today);
  });

  it('tells each manager reached, once', async () => {
    const task = await created(gzHead, { kind: 'team', unitId: ids.gz }, '季度回访');
    for (const a of task.assignments) expect(await notices(a.managerId, 'notify_task_assigned', task.id)).toHaveLength(1);
  });
});

describe('过程控制 and 执行评价', () => {
  it('runs a task from 下达 to evaluated: the manager starts, reports and submits; the head replies and evaluates; the task closes', async () => {
    const task = await created(gzHead, { kind: 'manager', managerId: ids.gzAm1 }, '完成专线续约谈判');
    let a = assignmentOf(task, ids.gzAm1);
    const mine = await ok<{ id: number; title: string; status: string }[]>(await get(gzAm1, '/api/managers/tasks/mine?open=true&limit=100'));
    expect(mine.find((m) => m.id === a.id)).toMatchObject({ title: '完成专线续约谈判', status: 'assigned' });
    expect(a.allowedMoves).toEqual(['cancelled']);

    let detail = await ok<TaskDetail>(await post(gzAm1, `/api/managers/task-assignments/${a.id}/start`, { version: a.version }));
    a = assignmentOf(detail, ids.gzAm1);
    expect(a.status).toBe('in_progress');
    expect(a.allowedMoves).toEqual(['submitted']);
    expect(await notices(ids.gzHead, 'notify_task_started', task.id)).toHaveLength(1);

    detail = await ok<TaskDetail>(await post(gzAm1, `/api/managers/task-assignments/${a.id}/reports`, { version: a.version, progress: 40, body: '已与客户完成首轮沟通' }));
    a = assignmentOf(detail, ids.gzAm1);
    expect(a.progress).toBe(40);
    expect(await notices(ids.gzHead, 'notify_task_progress', task.id)).toHaveLength(1);

    // the head sees the progress and replies
    detail = await ok<TaskDetail>(await get(gzHead, `/api/managers/tasks/${task.id}`));
    expect(detail.canManage).toBe(true);
    expect(assignmentOf(detail, ids.gzAm1).progress).toBe(40);
    detail = await ok<TaskDetail>(await post(gzHead, `/api/managers/task-assignments/${a.id}/replies`, { body: '注意报价底线' }));
    expect(detail.reports.map((r) => [r.body, r.byHead])).toEqual([
      ['已与客户完成首轮沟通', false],
      ['注意报价底线', true],
    ]);
    expect(await notices(ids.gzAm1, 'notify_task_reply', task.id)).toHaveLength(1);

    // a stale version is refused
    const stale = await post(gzAm1, `/api/managers/task-assignments/${a.id}/submit`, { version: a.version - 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('version_conflict');

    detail = await ok<TaskDetail>(await post(gzAm1, `/api/managers/task-assignments/${a.id}/submit`, { version: a.version, body: '合同已签' }));
    a = assignmentOf(detail, ids.gzAm1);
    expect(a).toMatchObject({ status: 'submitted', progress: 100 });
    expect(a.submittedAt).not.toBeNull();
    expect(await notices(ids.gzHead, 'notify_task_submitted', task.id)).toHaveLength(1);

    // no more progress once submitted
    const late = await post(gzAm1, `/api/managers/task-assignments/${a.id}/reports`, { version: a.version, progress: 90, body: '补充' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('task_not_reportable');

    detail = await ok<TaskDetail>(await post(gzHead, `/api/managers/task-assignments/${a.id}/evaluate`, { version: a.version, score: 88, comment: '按期完成，续约条款合理' }));
    expect(assignmentOf(detail, ids.gzAm1)).toMatchObject({ status: 'evaluated', score: 88, evaluation: '按期完成，续约条款合理' });
    expect(detail.status).toBe('closed');
    expect(await notices(ids.gzAm1, 'notify_task_evaluated', task.id)).toHaveLength(1);

    // and nothing moves after
    const again = await post(gzHead, `/api/managers/task-assignments/${a.id}/evaluate`, { version: a.version + 1, score: 90, comment: '再评' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'task_illegal_move' });
    expect(again.json().title).toContain('已评价');
    const audited = await sys.database.rows(sql`SELECT id FROM audit_log WHERE entity = 'manager_task_assignment' AND entity_id = ${String(a.id)}`);
    expect(audited.length).toBeGreaterThanOrEqual(5);
  });

  it('names the moves open in a 409, and keeps each party to its own steps', async () => {
    const task = await created(gzHead, { kind: 'manager', managerId: ids.gzAm1 }, '客户满意度回访');
    const a = assignmentOf(task, ids.gzAm1);
    const early = await post(gzHead, `/api/managers/task-assignments/${a.id}/evaluate`, { version: a.version, score: 60, comment: '未提交' });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('task_illegal_move');
    expect(early.json().title).toContain('已取消');
    // a head cannot report nor submit (work.own), a manager cannot evaluate (tasks.assign)
    expect((await post(gzHead, `/api/managers/task-assignments/${a.id}/submit`, { version: a.version })).statusCode).toBe(403);
    expect((await post(gzAm1, `/api/managers/task-assignments/${a.id}/evaluate`, { version: a.version, score: 60, comment: 'x' })).statusCode).toBe(403);
  });

  it('cancels a task: its open assignments cancelled and their managers told, an evaluated one kept', async () => {
    const task = await created(gzHead, { kind: 'team', unitId: ids.gz }, '年终客户盘点');
    const first = assignmentOf(task, ids.gzAm1);
    const submitted = await ok<TaskDetail>(await post(gzAm1, `/api/managers/task-assignments/${first.id}/submit`, { version: first.version }));
    const sub = assignmentOf(submitted, ids.gzAm1);
    await ok(await post(gzHead, `/api/managers/task-assignments/${sub.id}/evaluate`, { version: sub.version, score: 75, comment: '完成' }));
    const current = await ok<TaskDetail>(await get(gzHead, `/api/managers/tasks/${task.id}`));
    const stale = await post(gzHead, `/api/managers/tasks/${task.id}/cancel`, { version: current.version + 1 });
    expect(stale.statusCode).toBe(409);
    const cancelled = await ok<TaskDetail>(await post(gzHead, `/api/managers/tasks/${task.id}/cancel`, { version: current.version, reason: '改由地市统一组织' }));
    expect(cancelled.status).toBe('cancelled');
    expect(assignmentOf(cancelled, ids.gzAm1).status).toBe('evaluated');
    for (const a of cancelled.assignments.filter((x) => x.managerId !== ids.gzAm1)) {
      expect(a.status).toBe('cancelled');
      expect(await notices(a.managerId, 'notify_task_cancelled', task.id)).toHaveLength(1);
    }
    expect(await notices(ids.gzAm1, 'notify_task_cancelled', task.id)).toHaveLength(0);
    const twice = await post(gzHead, `/api/managers/tasks/${task.id}/cancel`, { version: cancelled.version });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('task_not_open');
  });

  it('closes a task of several managers only when the last is evaluated', async () => {
    const task = await created(gzHead, { kind: 'team', unitId: ids.gz }, '新业务推广');
    let detail = task;
    for (const [i, a] of task.assignments.entries()) {
      const who = await sys.login((await sys.database.rows<{ username: string }>(sql`SELECT username FROM users WHERE id = ${a.managerId}`))[0]!.username);
      const sub = assignmentOf(await ok<TaskDetail>(await post(who, `/api/managers/task-assignments/${a.id}/submit`, { version: a.version })), a.managerId);
      detail = await ok<TaskDetail>(await post(gzHead, `/api/managers/task-assignments/${a.id}/evaluate`, { version: sub.version, score: 80 + i, comment: '好' }));
      expect(detail.status).toBe(i === task.assignments.length - 1 ? 'closed' : 'open');
    }
    expect(detail.counts.evaluated).toBe(task.assignments.length);
  });
});

describe('数据范围: who sees a task', () => {
  it('shows a manager only their own assignment; another manager’s task answers 404', async () => {
    const task = await created(gzHead, { kind: 'manager', managerId: ids.gzAm1 }, '仅限本人');
    const a = assignmentOf(task, ids.gzAm1);
    expect((await get(gzAm2, `/api/managers/tasks/${task.id}`)).statusCode).toBe(404);
    expect((await post(gzAm2, `/api/managers/task-assignments/${a.id}/start`, { version: a.version })).statusCode).toBe(404);
    const team = await created(gzHead, { kind: 'team', unitId: ids.gz }, '团队任务');
    const seen = await ok<TaskDetail>(await get(gzAm1, `/api/managers/tasks/${team.id}`));
    expect(seen.assignments.map((x) => x.managerId)).toEqual([ids.gzAm1]);
    expect(seen.total).toBe(1);
    expect(seen.canManage).toBe(false);
    const mine = await ok<{ taskId: number }[]>(await get(gzAm2, '/api/managers/tasks/mine?limit=1000'));
    expect(mine.some((m) => m.taskId === task.id)).toBe(false);
  });

  it('shows a head the tasks issued within their subtree, and of a task set from above only their managers’ assignments', async () => {
    const gzTask = await created(gzHead, { kind: 'manager', managerId: ids.gzAm1 }, '广州任务');
    expect((await get(szHead, `/api/managers/tasks/${gzTask.id}`)).statusCode).toBe(404);
    const fromAbove = await ok<TaskDetail>(await get(gdHead, `/api/managers/tasks/${gzTask.id}`));
    expect(fromAbove.canManage).toBe(true);
    const province = await created(gdHead, { kind: 'filter', filter: { industry: 'T' } }, '省公司任务');
    const seenByGz = await ok<TaskDetail>(await get(gzHead, `/api/managers/tasks/${province.id}`));
    expect(seenByGz.canManage).toBe(false);
    expect(seenByGz.assignments.map((x) => x.managerId)).toEqual([ids.gzAm2]);
    const szA = assignmentOf(province, ids.szAm1);
    expect((await post(gzHead, `/api/managers/task-assignments/${szA.id}/replies`, { body: '看不到' })).statusCode).toBe(404);
    const gzA = assignmentOf(province, ids.gzAm2);
    const notYours = await post(gzHead, `/api/managers/task-assignments/${gzA.id}/replies`, { body: '督促' });
    expect(notYours.statusCode).toBe(403);
    expect(notYours.json().code).toBe('task_not_yours');
    const szList = await ok<{ id: number }[]>(await get(szHead, '/api/managers/tasks?view=unit&limit=1000'));
    expect(szList.map((t) => t.id)).not.toContain(gzTask.id);
    const gzMine = await ok<{ id: number; issuedBy: number }[]>(await get(gzHead, '/api/managers/tasks?limit=1000'));
    expect(gzMine.length).toBeGreaterThan(0);
    expect(gzMine.every((t) => t.issuedBy === ids.gzHead)).toBe(true);
  });
});

describe('逾期上报: overdue assignments escalate to the next head', () => {
  it('escalates once, to the nearest holder of tasks.assign above the issuing unit, telling them and the manager', async () => {
    const deps = makeDeps(sys.config, sys.database);
    await escalateOverdueTasks(deps); // whatever earlier tests left due
    const gzTask = await created(gzHead, { kind: 'team', unitId: ids.gz }, '逾期测试：广州');
    const gdTask = await created(gdHead, { kind: 'manager', managerId: ids.gzAm3 }, '逾期测试：省公司');
    // gz_am01 submits in time; the others do not
    const first = assignmentOf(gzTask, ids.gzAm1);
    await ok(await post(gzAm1, `/api/managers/task-assignments/${first.id}/submit`, { version: first.version }));
    await sys.database.rows(sql`UPDATE manager_tasks SET due_on = ${dayAfter(-1)}::date WHERE id IN (${gzTask.id}, ${gdTask.id})`);

    const run = await escalateOverdueTasks(deps);
    expect(run.escalated).toBe(gzTask.assignments.length - 1 + 1);
    const rows = await sys.database.rows<{ taskId: number; managerId: number; escalatedTo: number | null }>(sql`
      SELECT task_id AS "taskId", manager_id AS "managerId", escalated_to AS "escalatedTo" FROM manager_task_assignments WHERE task_id IN (${gzTask.id}, ${gdTask.id}) ORDER BY id`);
    for (const r of rows) {
      if (Number(r.taskId) === gzTask.id) expect(r.escalatedTo === null ? null : Number(r.escalatedTo)).toBe(Number(r.managerId) === ids.gzAm1 ? null : ids.gdHead);
      // above the province: the sysadmin of the group HQ
      else expect(Number(r.escalatedTo)).toBe(ids.admin);
    }
    expect(await notices(ids.gdHead, 'notify_task_escalated', gzTask.id)).toHaveLength(1);
    expect(await notices(ids.admin, 'notify_task_escalated', gdTask.id)).toHaveLength(1);
    expect(await notices(ids.gzAm2, 'notify_task_overdue', gzTask.id)).toHaveLength(1);
    expect(await notices(ids.gzAm1, 'notify_task_overdue', gzTask.id)).toHaveLength(0);

    const detail = await ok<TaskDetail>(await get(gzHead, `/api/managers/tasks/${gzTask.id}`));
    expect(detail.overdue).toBe(gzTask.assignments.length - 1);
    expect(detail.escalated).toBe(gzTask.assignments.length - 1);
    expect(assignmentOf(detail, ids.gzAm2)).toMatchObject({ overdue: true, escalatedToName: expect.any(String) });
    // the escalated head follows the task (it was issued within their subtree) and may act on it
    expect((await ok<TaskDetail>(await get(gdHead, `/api/managers/tasks/${gzTask.id}`))).canManage).toBe(true);

    // a second run (a restart, another instance) tells nobody again
    const second = await escalateOverdueTasks(deps);
    expect(second.escalated).toBe(0);
    expect(await notices(ids.gdHead, 'notify_task_escalated', gzTask.id)).toHaveLength(1);
    expect(await notices(ids.gzAm2, 'notify_task_overdue', gzTask.id)).toHaveLength(1);
  });
});
