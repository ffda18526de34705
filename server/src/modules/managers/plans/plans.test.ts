import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { makeDeps } from '../../../platform/deps.js';
import { todayAt } from '../../../platform/months.js';
import { allowedMoves, nextStatuses } from './flow.js';
import type { PlanDetail, PlanItem, WorkLog, WorkLogDetail } from './schemas.js';
import { markMissedItems, periodEnd } from './service.js';

let sys: TestSystem;
let am1: Session;
let am2: Session;
let gzHead: Session;
let szHead: Session;
let agent: Session;
let am1Id: number;
let gzHeadId: number;
/** Customers of gz_am01's portfolio, and one of gz_am02's. */
let mine: number[];
let othersCustomer: number;

const DAY_MS = 86_400_000;
const today = todayAt();
const addDays = (day: string, n: number) => new Date(Date.parse(day) + n * DAY_MS).toISOString().slice(0, 10);
/** The Monday of the week of `day`. */
const mondayOf = (day: string) => addDays(day, -((new Date(Date.parse(day)).getUTCDay() + 6) % 7));
const thisMonday = mondayOf(today);

const post = (s: Session, url: string, payload: unknown) => s.request({ method: 'POST', url, payload: payload as Record<string, unknown> });
const patch = (s: Session, url: string, payload: unknown) => s.request({ method: 'PATCH', url, payload: payload as Record<string, unknown> });
const get = (s: Session, url: string) => s.request({ method: 'GET', url });
const idOf = async (query: ReturnType<typeof sql>) => Number((await sys.database.rows<{ id: number }>(query))[0]!.id);
const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

async function ok<T>(res: Awaited<ReturnType<Session['request']>>, status = 200): Promise<T> {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

/** A plan of gz_am01 for the week from `monday`, with an item per customer given (on the Monday). */
async function weekPlan(monday: string, customers: number[], kind = 'visit'): Promise<PlanDetail> {
  const plan = await ok<PlanDetail>(await post(am1, '/api/work-plans', { period: 'week', startsOn: monday, title: `第 ${monday} 周计划` }), 201);
  for (const customerId of customers) await ok<PlanItem>(await post(am1, `/api/work-plans/${plan.id}/items`, { customerId, kind, plannedOn: monday, goal: '了解专线续约意向' }), 201);
  return ok<PlanDetail>(await get(am1, `/api/work-plans/${plan.id}`));
}

const notified = async (userId: number, code: string) =>
  Number((await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE user_id = ${userId} AND code = ${code}`))[0]!.n);

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error' });
  [am1, am2, gzHead, szHead, agent] = await Promise.all([sys.login('gz_am01'), sys.login('gz_am02'), sys.login('gz_head'), sys.login('sz_head'), sys.login('gz_agent')]);
  am1Id = await idOf(sql`SELECT id FROM users WHERE username = 'gz_am01'`);
  gzHeadId = await idOf(sql`SELECT id FROM users WHERE username = 'gz_head'`);
  const rows = await sys.database.rows<{ id: number }>(sql`
    SELECT c.id FROM customers c WHERE c.manager_id = ${am1Id} AND c.archive = 'in_network' AND c.merged_into IS NULL ORDER BY c.id LIMIT 8`);
  mine = rows.map((r) => Number(r.id));
  expect(mine.length).toBeGreaterThanOrEqual(6);
  othersCustomer = await idOf(sql`SELECT c.id FROM customers c JOIN users u ON u.id = c.manager_id WHERE u.username = 'gz_am02' ORDER BY c.id LIMIT 1`);
}, 120_000);
afterAll(() => sys?.close());

describe('periods', () => {
  it('starts a week on a Monday and a month on the 1st, ending on its last day', () => {
    expect(periodEnd('week', '2026-11-30')).toBe('2026-12-06');
    expect(periodEnd('week', '2026-12-01')).toBeNull();
    expect(periodEnd('month', '2026-02-01')).toBe('2026-02-28');
    expect(periodEnd('month', '2028-02-01')).toBe('2028-02-29');
    expect(periodEnd('month', '2026-12-02')).toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), (n) => {
        const day = addDays('2000-01-03', n);
        const end = periodEnd('week', mondayOf(day))!;
        // every day lies in exactly the week of its Monday, which has seven days
        return mondayOf(day) <= day && day <= end && addDays(mondayOf(day), 6) === end;
      }),
    );
  });

  it('lets the manager submit and a reviewer decide, never the other way round', () => {
    expect(allowedMoves('draft', { owner: true, reviewer: false })).toEqual(['submitted']);
    expect(allowedMoves('submitted', { owner: false, reviewer: true })).toEqual(['approved', 'returned']);
    expect(allowedMoves('submitted', { owner: true, reviewer: true })).toEqual([]);
    expect(allowedMoves('draft', { owner: false, reviewer: true })).toEqual([]);
    expect(nextStatuses('approved')).toEqual([]);
  });
});

describe('a weekly plan from draft to approval', () => {
  let plan: PlanDetail;

  it('creates one plan a period, on a Monday, with items of the manager’s own customers inside the week', async () => {
    const monday = addDays(thisMonday, 7);
    plan = await ok<PlanDetail>(await post(am1, '/api/work-plans', { period: 'week', startsOn: monday }), 201);
    expect(plan).toMatchObject({ status: 'draft', endsOn: addDays(monday, 6), editable: true, allowedMoves: ['submitted'], items: [] });
    const again = await post(am1, '/api/work-plans', { period: 'week', startsOn: monday });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('work_plan_exists');
    const tuesday = await post(am1, '/api/work-plans', { period: 'week', startsOn: addDays(monday, 1) });
    expect(tuesday.statusCode).toBe(400);
    expect(fieldsOf(tuesday.json())).toEqual(['body.startsOn']);
    const month = await post(am1, '/api/work-plans', { period: 'month', startsOn: `${today.slice(0, 7)}-15` });
    expect(month.json().code).toBe('work_plan_month_start');

    const item = await ok<PlanItem>(await post(am1, `/api/work-plans/${plan.id}/items`, { customerId: mine[0], kind: 'visit', plannedOn: addDays(monday, 2), goal: '续签集团专线' }), 201);
    expect(item).toMatchObject({ status: 'planned', kind: 'visit', logId: null });
    const foreign = await post(am1, `/api/work-plans/${plan.id}/items`, { customerId: othersCustomer, kind: 'call', plannedOn: monday });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().code).toBe('work_customer_not_in_portfolio');
    const outside = await post(am1, `/api/work-plans/${plan.id}/items`, { customerId: mine[1], kind: 'call', plannedOn: addDays(monday, 7) });
    expect(fieldsOf(outside.json())).toEqual(['body.plannedOn']);
    const edited = await ok<PlanItem>(await patch(am1, `/api/work-plan-items/${item.id}`, { version: item.version, kind: 'proposal' }));
    expect(edited).toMatchObject({ kind: 'proposal', version: item.version + 1 });
    const stale = await patch(am1, `/api/work-plan-items/${item.id}`, { version: item.version, goal: '旧版本' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('version_conflict');
    const extra = await ok<PlanItem>(await post(am1, `/api/work-plans/${plan.id}/items`, { customerId: mine[1], kind: 'call', plannedOn: monday }), 201);
    const staleDelete = await am1.request({ method: 'DELETE', url: `/api/work-plan-items/${extra.id}?version=${extra.version + 1}` });
    expect(staleDelete.statusCode).toBe(409);
    expect((await am1.request({ method: 'DELETE', url: `/api/work-plan-items/${extra.id}?version=${extra.version}` })).statusCode).toBe(204);
    // the head reads the plan but never edits it
    expect((await post(gzHead, `/api/work-plans/${plan.id}/items`, { customerId: mine[1], kind: 'call', plannedOn: monday })).statusCode).toBe(403);
    plan = await ok<PlanDetail>(await get(am1, `/api/work-plans/${plan.id}`));
    expect(plan.items).toHaveLength(1);
    expect((await ok<PlanDetail>(await get(gzHead, `/api/work-plans/${plan.id}`))).editable).toBe(false);
  });

  it('submits it to the head, who is told, and the items are locked while it is reviewed', async () => {
    const before = await notified(gzHeadId, 'notify_work_plan_submitted');
    const stale = await post(am1, `/api/work-plans/${plan.id}/submit`, { version: plan.version - 1 });
    expect(stale.statusCode).toBe(409);
    plan = await ok<PlanDetail>(await post(am1, `/api/work-plans/${plan.id}/submit`, { version: plan.version }));
    expect(plan).toMatchObject({ status: 'submitted', editable: false, allowedMoves: [] });
    expect(await notified(gzHeadId, 'notify_work_plan_submitted')).toBe(before + 1);
    const locked = await post(am1, `/api/work-plans/${plan.id}/items`, { customerId: mine[1], kind: 'call', plannedOn: plan.startsOn });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().code).toBe('work_plan_locked');
    const again = await post(am1, `/api/work-plans/${plan.id}/submit`, { version: plan.version });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('work_plan_illegal_move');
  });

  it('is returned by the head with what to change, edited and submitted again, then approved', async () => {
    const seen = await ok<PlanDetail>(await get(gzHead, `/api/work-plans/${plan.id}`));
    expect(seen.allowedMoves).toEqual(['approved', 'returned']);
    const bare = await post(gzHead, `/api/work-plans/${plan.id}/review`, { version: plan.version, decision: 'returned' });
    expect(fieldsOf(bare.json())).toEqual(['body.comment']);
    const returned = await ok<PlanDetail>(await post(gzHead, `/api/work-plans/${plan.id}/review`, { version: plan.version, decision: 'returned', comment: '请增加两家重点客户的拜访' }));
    expect(returned.status).toBe('returned');
    expect(returned.comments).toEqual([expect.objectContaining({ decision: 'returned', body: '请增加两家重点客户的拜访', authorId: gzHeadId })]);
    expect(await notified(am1Id, 'notify_work_plan_returned')).toBe(1);

    const mineNow = await ok<PlanDetail>(await get(am1, `/api/work-plans/${plan.id}`));
    expect(mineNow).toMatchObject({ editable: true, allowedMoves: ['submitted'] });
    await ok(await post(am1, `/api/work-plans/${plan.id}/items`, { customerId: mine[1], kind: 'visit', plannedOn: plan.startsOn }), 201);
    await ok(await post(am1, `/api/work-plans/${plan.id}/items`, { customerId: mine[2], kind: 'collection', plannedOn: plan.endsOn }), 201);
    const resubmitted = await ok<PlanDetail>(await post(am1, `/api/work-plans/${plan.id}/submit`, { version: (await ok<PlanDetail>(await get(am1, `/api/work-plans/${plan.id}`))).version }));
    expect(resubmitted.items).toHaveLength(3);

    // the manager holds no work.review: the gate refuses before the service
    expect((await post(am1, `/api/work-plans/${plan.id}/review`, { version: resubmitted.version, decision: 'approved' })).statusCode).toBe(403);
    const approved = await ok<PlanDetail>(await post(gzHead, `/api/work-plans/${plan.id}/review`, { version: resubmitted.version, decision: 'approved', comment: '同意' }));
    expect(approved).toMatchObject({ status: 'approved', reviewedBy: gzHeadId, allowedMoves: [] });
    expect(approved.comments.map((c) => c.decision)).toEqual(['returned', 'approved']);
    expect(await notified(am1Id, 'notify_work_plan_approved')).toBe(1);
    const final = await post(gzHead, `/api/work-plans/${plan.id}/review`, { version: approved.version, decision: 'returned', comment: '再改' });
    expect(final.statusCode).toBe(409);
    expect(final.json()).toMatchObject({ code: 'work_plan_illegal_move' });
    expect(final.json().title).toContain('无（计划已定稿）');
  });

  it('keeps comments of anyone who sees the plan, and tells the manager of a head’s', async () => {
    const before = await notified(am1Id, 'notify_work_comment_plan');
    await ok(await post(gzHead, `/api/work-plans/${plan.id}/comments`, { body: '周三的拜访请带上方案' }), 201);
    await ok(await post(am1, `/api/work-plans/${plan.id}/comments`, { body: '好的' }), 201);
    expect(await notified(am1Id, 'notify_work_comment_plan')).toBe(before + 1);
    const detail = await ok<PlanDetail>(await get(am1, `/api/work-plans/${plan.id}`));
    expect(detail.comments.slice(-2).map((c) => c.body)).toEqual(['周三的拜访请带上方案', '好的']);
  });

  it('shows a plan only to its manager and the heads of their unit', async () => {
    expect((await get(am2, `/api/work-plans/${plan.id}`)).statusCode).toBe(404);
    expect((await get(szHead, `/api/work-plans/${plan.id}`)).statusCode).toBe(404);
    expect((await post(szHead, `/api/work-plans/${plan.id}/review`, { version: 1, decision: 'approved' })).statusCode).toBe(404);
    expect((await post(am2, `/api/work-plans/${plan.id}/comments`, { body: '看看' })).statusCode).toBe(404);
    expect((await get(agent, '/api/work-plans')).statusCode).toBe(403);
    // one who reads no plans sees none: 404 as for a plan that does not exist
    expect((await get(agent, `/api/work-plans/${plan.id}`)).statusCode).toBe(404);
    const ids = async (s: Session, query = '') => (await ok<{ id: number }[]>(await get(s, `/api/work-plans?limit=200${query}`))).map((p) => p.id);
    expect(await ids(am1)).toContain(plan.id);
    expect(await ids(am2)).not.toContain(plan.id);
    expect(await ids(gzHead, '&view=unit')).toContain(plan.id);
    expect(await ids(szHead)).not.toContain(plan.id);
    expect(await ids(gzHead, '&status=draft')).not.toContain(plan.id);
    expect(await ids(gzHead, `&customerId=${mine[2]}&managerId=${am1Id}`)).toContain(plan.id);
    expect(await ids(gzHead, `&customerId=${mine[7]}`)).not.toContain(plan.id);
  });
});

describe('the daily log', () => {
  it('records a visit in the customer’s profile with the fields it updated (source manager_visit) and keeps the plan item', async () => {
    const plan = await weekPlan(thisMonday, [mine[3]!]);
    const item = plan.items[0]!;
    const [customer] = await sys.database.rows<{ version: number }>(sql`SELECT version FROM customers WHERE id = ${mine[3]}`);
    const loggedOn = today;
    const log = await ok<WorkLogDetail>(
      await post(am1, '/api/work-logs', {
        customerId: mine[3],
        loggedOn,
        kind: 'visit',
        outcome: '拜访信息部王经理，客户有意扩容专线带宽',
        result: 'positive',
        nextStep: '提交扩容方案',
        nextStepOn: addDays(loggedOn, 3),
        planItemId: item.id,
        customerVersion: Number(customer!.version),
        updates: { employees: 1234, itNeeds: '专线扩容至 1G' },
      }),
      201,
    );
    expect(log).toMatchObject({ customerId: mine[3], kind: 'visit', result: 'positive', planItemId: item.id, planId: plan.id, nextStep: '提交扩容方案' });
    expect(log.visitId).not.toBeNull();
    const [visit] = await sys.database.rows<{ manager_id: number; channel: string; visited_on: string }>(sql`SELECT manager_id, channel, visited_on::text FROM visits WHERE id = ${log.visitId}`);
    expect(visit).toMatchObject({ channel: 'visit', visited_on: loggedOn });
    expect(Number(visit!.manager_id)).toBe(am1Id);
    const changes = await sys.database.rows<{ field: string; new_value: string; source: string; visit_id: number }>(
      sql`SELECT field, new_value, source, visit_id FROM customer_changes WHERE customer_id = ${mine[3]} AND visit_id = ${log.visitId} ORDER BY field`,
    );
    expect(changes.map((c) => [c.field, c.new_value, c.source])).toEqual([
      ['employees', '1234', 'manager_visit'],
      ['itNeeds', '专线扩容至 1G', 'manager_visit'],
    ]);
    const history = await ok<{ field: string; source: string }[]>(await get(am1, `/api/customers/${mine[3]}/history`));
    expect(history.filter((h) => h.source === 'manager_visit' && h.field).map((h) => h.field).sort()).toEqual(['employees', 'itNeeds']);

    const kept = (await ok<PlanDetail>(await get(am1, `/api/work-plans/${plan.id}`))).items[0]!;
    expect(kept).toMatchObject({ status: 'done', logId: log.id });
    const twice = await post(am1, '/api/work-logs', { customerId: mine[3], kind: 'call', outcome: '电话回访', planItemId: item.id });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('work_plan_item_kept');
  });

  it('does nothing at all when the customer was changed since it was read (409) or a field is refused', async () => {
    const [customer] = await sys.database.rows<{ version: number }>(sql`SELECT version FROM customers WHERE id = ${mine[4]}`);
    const count = async () => Number((await sys.database.rows<{ n: number }>(sql`SELECT (SELECT count(*) FROM work_logs WHERE customer_id = ${mine[4]}) + (SELECT count(*) FROM visits WHERE customer_id = ${mine[4]}) AS n`))[0]!.n);
    const before = await count();
    const stale = await post(am1, '/api/work-logs', { customerId: mine[4], kind: 'call', outcome: '电话沟通', customerVersion: Number(customer!.version) + 5, updates: { address: '广州市天河区' } });
    expect(stale.statusCode, stale.body).toBe(409);
    expect(stale.json().code).toBe('version_conflict');
    const missingVersion = await post(am1, '/api/work-logs', { customerId: mine[4], kind: 'call', outcome: '电话沟通', updates: { address: '广州市天河区' } });
    expect(fieldsOf(missingVersion.json())).toEqual(['body.customerVersion']);
    const proposal = await post(am1, '/api/work-logs', { customerId: mine[4], kind: 'proposal', outcome: '递交方案', customerVersion: Number(customer!.version), updates: { address: '广州市天河区' } });
    expect(proposal.json().code).toBe('work_log_updates_visit_only');
    const future = await post(am1, '/api/work-logs', { customerId: mine[4], kind: 'call', outcome: '电话', loggedOn: addDays(today, 1) });
    expect(fieldsOf(future.json())).toEqual(['body.loggedOn']);
    const backwards = await post(am1, '/api/work-logs', { customerId: mine[4], kind: 'call', outcome: '电话', nextStep: '回访', nextStepOn: addDays(today, -1) });
    expect(fieldsOf(backwards.json())).toEqual(['body.nextStepOn']);
    const foreign = await post(am1, '/api/work-logs', { customerId: othersCustomer, kind: 'call', outcome: '电话' });
    expect(foreign.json().code).toBe('work_customer_not_in_portfolio');
    expect(await count()).toBe(before);
    // a proposal is a log entry only: no visit in the profile
    const plain = await ok<WorkLog>(await post(am1, '/api/work-logs', { customerId: mine[4], kind: 'proposal', outcome: '递交 5G 专网方案', result: 'neutral' }), 201);
    expect(plain.visitId).toBeNull();
  });

  it('lists a manager’s own entries, a head their unit’s, with filters; another city’s head sees none', async () => {
    const logs = async (s: Session, query = '') => ok<WorkLog[]>(await get(s, `/api/work-logs?limit=200${query}`));
    const own = await logs(am1);
    expect(own.length).toBeGreaterThanOrEqual(2);
    expect(own.every((l) => l.managerId === am1Id)).toBe(true);
    expect(await logs(am2)).toEqual([]);
    expect((await logs(gzHead, `&managerId=${am1Id}`)).map((l) => l.id).sort()).toEqual(own.map((l) => l.id).sort());
    expect((await logs(gzHead, `&kind=proposal&customerId=${mine[4]}`)).map((l) => l.kind)).toEqual(['proposal']);
    expect(await logs(gzHead, `&from=${addDays(today, 1)}`)).toEqual([]);
    expect(await logs(szHead)).toEqual([]);
    const id = own[0]!.id;
    expect((await get(szHead, `/api/work-logs/${id}`)).statusCode).toBe(404);
    expect((await get(am2, `/api/work-logs/${id}`)).statusCode).toBe(404);
    await ok(await post(gzHead, `/api/work-logs/${id}/comments`, { body: '跟进得好' }), 201);
    expect((await ok<WorkLogDetail>(await get(am1, `/api/work-logs/${id}`))).comments.map((c) => c.body)).toEqual(['跟进得好']);
    expect(await notified(am1Id, 'notify_work_comment_log')).toBe(1);
  });
});

describe('missed plan items', () => {
  it('marks a plan item missed when its week ended without a log, and keeps the one a log kept', async () => {
    const monday = addDays(thisMonday, -14);
    const plan = await weekPlan(monday, [mine[5]!, mine[6]!]);
    const [keptItem, openItem] = plan.items;
    // logged late, but for a day of the week: it keeps the item
    await ok(await post(am1, '/api/work-logs', { customerId: mine[5], loggedOn: addDays(monday, 1), kind: 'call', outcome: '电话确认续约', planItemId: keptItem!.id }), 201);
    const outside = await post(am1, '/api/work-logs', { customerId: mine[6], loggedOn: today, kind: 'call', outcome: '电话', planItemId: openItem!.id });
    expect(outside.json().code).toBe('work_log_item_outside_period');
    // a plan of this week is not over: its items stay planned
    const current = await weekPlan(addDays(thisMonday, 14), [mine[6]!]);

    const missed = await markMissedItems(makeDeps(sys.config, sys.database));
    expect(missed).toBeGreaterThanOrEqual(1);
    const items = (await ok<PlanDetail>(await get(am1, `/api/work-plans/${plan.id}`))).items;
    expect(items.map((i) => [i.id, i.status])).toEqual([
      [keptItem!.id, 'done'],
      [openItem!.id, 'missed'],
    ]);
    expect((await ok<PlanDetail>(await get(am1, `/api/work-plans/${current.id}`))).items[0]!.status).toBe('planned');
    expect(await markMissedItems(makeDeps(sys.config, sys.database))).toBe(0);
    const listed = (await ok<{ id: number; doneCount: number; missedCount: number }[]>(await get(am1, `/api/work-plans?from=${monday}&to=${monday}`))).find((p) => p.id === plan.id);
    expect(listed).toMatchObject({ doneCount: 1, missedCount: 1 });
  });
});
