import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { todayAt } from '../../../platform/months.js';
import type { TeamMember, Workbench } from './schemas.js';
import { mondayOf } from '../../../platform/months.js';
import { makeDeps } from '../../../platform/deps.js';
import { refreshStandings } from '../../customers/list.service.js';

let sys: TestSystem;
let gzAm: Session;
let gzHead: Session;
let szHead: Session;
let gzAmId: number;
let gzAm2Id: number;
let gzHeadId: number;
let mine: number[];

const DAY_MS = 86_400_000;
const today = todayAt();
const dayAfter = (n: number) => new Date(Date.parse(today) + n * DAY_MS).toISOString().slice(0, 10);
const one = async <T>(query: ReturnType<typeof sql>) => (await sys.database.rows<T>(query))[0]!;
const userId = async (username: string) => Number((await one<{ id: number }>(sql`SELECT id FROM users WHERE username = ${username}`)).id);

async function workbench(): Promise<Workbench> {
  const res = await gzAm.request({ method: 'GET', url: '/api/me/workbench' });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function reminder(managerId: number, key: string, dueOn: string, extra: { status?: string; snoozedUntil?: string } = {}) {
  await sys.database.rows(sql`
    INSERT INTO reminders (manager_id, type, item_key, customer_id, entity, entity_id, due_on, generated_on, status, snoozed_until, params)
    VALUES (${managerId}, 'contract_expiry', ${key}, ${mine[0]!}, 'contract', 1, ${dueOn}, ${today}, ${extra.status ?? 'open'}, ${extra.snoozedUntil ?? null}, '{}')`);
}

beforeAll(async () => {
  sys = await startTestSystem({ DEMO_RULE_RUNS: 1 });
  [gzAm, gzHead, szHead] = await Promise.all([sys.login('gz_am01'), sys.login('gz_head'), sys.login('sz_head')]);
  [gzAmId, gzAm2Id, gzHeadId] = await Promise.all([userId('gz_am01'), userId('gz_am02'), userId('gz_head')]);
  mine = (await sys.database.rows<{ id: number }>(sql`SELECT id FROM customers WHERE manager_id = ${gzAmId} AND archive = 'in_network' AND merged_into IS NULL ORDER BY id`)).map((r) => Number(r.id));
});
afterAll(() => sys?.close());

describe('经理工作台 (the manager’s workbench)', () => {
  it('counts the manager’s own in-network portfolio and nothing of a colleague’s', async () => {
    expect(mine.length).toBeGreaterThan(0);
    const wb = await workbench();
    expect(wb.today).toBe(today);
    expect(wb.portfolio.customers).toBe(mine.length);
    expect(wb.portfolio.byLevel.reduce((n, l) => n + l.customers, 0)).toBe(mine.length);
  });

  it('counts a customer by level and arrears under its new manager as soon as it is handed over, and no longer under the old one', async () => {
    const byLevel = (wb: Workbench) => wb.portfolio.byLevel.reduce((n, l) => n + l.customers, 0);
    const [theirs] = await sys.database.rows<{ id: number }>(
      sql`SELECT id FROM customers WHERE manager_id = ${gzAm2Id} AND archive = 'in_network' AND merged_into IS NULL ORDER BY id LIMIT 1`,
    );
    expect(theirs).toBeDefined();
    const before = await workbench();
    await sys.database.rows(sql`UPDATE customers SET manager_id = ${gzAmId} WHERE id = ${theirs!.id}`);
    try {
      const after = await workbench();
      expect(after.portfolio.customers).toBe(before.portfolio.customers + 1);
      expect(byLevel(after)).toBe(byLevel(before) + 1);
    } finally {
      await sys.database.rows(sql`UPDATE customers SET manager_id = ${gzAm2Id} WHERE id = ${theirs!.id}`);
    }
    expect(byLevel(await workbench())).toBe(byLevel(before));
  });

  it('lists open reminders due within a week, a snoozed one only once its day has come, never a dismissed one or a colleague’s', async () => {
    await reminder(gzAmId, 'wb:due-today', today);
    await reminder(gzAmId, 'wb:due-in-9-days', dayAfter(9));
    await reminder(gzAmId, 'wb:snoozed-to-tomorrow', today, { status: 'snoozed', snoozedUntil: dayAfter(1) });
    await reminder(gzAmId, 'wb:snooze-ended', today, { status: 'snoozed', snoozedUntil: today });
    await reminder(gzAmId, 'wb:dismissed', today, { status: 'dismissed' });
    await reminder(gzAm2Id, 'wb:colleague', today);
    const wb = await workbench();
    expect(wb.reminders.open).toBe(2);
    expect(wb.reminders.byType).toEqual([{ type: 'contract_expiry', count: 2 }]);
    expect(wb.reminders.items.map((r) => r.customerId)).toEqual([mine[0], mine[0]]);
  });

  it('shows open task assignments and counts the overdue ones', async () => {
    const unit = await one<{ unit_id: number }>(sql`SELECT unit_id FROM users WHERE id = ${gzHeadId}`);
    const task = async (title: string, dueOn: string, status: string) => {
      const t = await one<{ id: number }>(sql`
        INSERT INTO manager_tasks (title, due_on, unit_id, issued_by, target) VALUES (${title}, ${dueOn}, ${unit.unit_id}, ${gzHeadId}, '{"kind":"manager"}') RETURNING id`);
      await sys.database.rows(sql`INSERT INTO manager_task_assignments (task_id, manager_id, status) VALUES (${t.id}, ${gzAmId}, ${status})`);
    };
    await task('走访重点客户', dayAfter(-2), 'in_progress');
    await task('催缴欠费', dayAfter(5), 'assigned');
    await task('已提交的任务', dayAfter(-1), 'submitted');
    const wb = await workbench();
    expect(wb.tasks.open).toBe(2);
    expect(wb.tasks.overdue).toBe(1);
    expect(wb.tasks.items.map((t) => t.title)).toEqual(['走访重点客户', '催缴欠费']);
  });

  it('lists the portfolio’s open requests with their SLA state, and this week’s plan with its items', async () => {
    const unit = await one<{ unit_id: number }>(sql`SELECT unit_id FROM customers WHERE id = ${mine[0]!}`);
    for (const [no, status, state] of [['WB-1', 'in_progress', 'breached'], ['WB-2', 'new', 'ok'], ['WB-3', 'closed', 'ok']] as const) {
      await sys.database.rows(sql`
        INSERT INTO service_requests (request_no, customer_id, type, status, channel, title, home_unit_id, raised_unit_id, handling_unit_id, sla_state)
        VALUES (${no}, ${mine[0]!}, 'fault', ${status}, 'manager', ${`工单 ${no}`}, ${unit.unit_id}, ${unit.unit_id}, ${unit.unit_id}, ${state})`);
    }
    const plan = await one<{ id: number }>(sql`
      INSERT INTO work_plans (manager_id, period, starts_on, ends_on, status) VALUES (${gzAmId}, 'week', ${mondayOf(today)}, ${today}, 'approved') RETURNING id`);
    await sys.database.rows(sql`
      INSERT INTO work_plan_items (plan_id, customer_id, kind, planned_on, status)
      VALUES (${plan.id}, ${mine[0]!}, 'visit', ${today}, 'planned'), (${plan.id}, ${mine[0]!}, 'call', ${mondayOf(today)}, 'done')`);
    const wb = await workbench();
    expect(wb.requests).toMatchObject({ open: 2, breached: 1, warning: 0 });
    expect(wb.requests.items.map((r) => r.requestNo).sort()).toEqual(['WB-1', 'WB-2']);
    expect(wb.plan).toMatchObject({ status: 'approved', items: 2, done: 1, today: mondayOf(today) === today ? 2 : 1 });
  });

  it('moves a customer’s open requests to the new manager’s workbench when the customer is handed over, and back', async () => {
    const openNos = async () => (await workbench()).requests.items.map((r) => r.requestNo).sort();
    const before = await openNos();
    expect(before).toContain('WB-1');
    await sys.database.rows(sql`UPDATE customers SET manager_id = ${gzAm2Id} WHERE id = ${mine[0]!}`);
    try {
      expect(await openNos()).toEqual(before.filter((no) => no !== 'WB-1' && no !== 'WB-2'));
      const managers = async () =>
        (await sys.database.rows<{ manager_id: number }>(sql`SELECT manager_id FROM service_requests WHERE request_no IN ('WB-1', 'WB-2', 'WB-3') ORDER BY request_no`)).map((r) => Number(r.manager_id));
      // a closed request keeps its manager until it is opened again
      expect(await managers()).toEqual([gzAm2Id, gzAm2Id, gzAmId]);
      await sys.database.rows(sql`UPDATE service_requests SET status = 'in_progress' WHERE request_no = 'WB-3'`);
      expect(await managers()).toEqual([gzAm2Id, gzAm2Id, gzAm2Id]);
      await sys.database.rows(sql`UPDATE service_requests SET status = 'closed' WHERE request_no = 'WB-3'`);
    } finally {
      await sys.database.rows(sql`UPDATE customers SET manager_id = ${gzAmId} WHERE id = ${mine[0]!}`);
    }
    expect(await openNos()).toEqual(before);
  });

  it('lists the level changes of the latest run in the portfolio as its ratings have them, the highest new levels first', async () => {
    // 30 of the portfolio's customers came from another level in the latest run: more than the 20 listed
    const latest = sql`(SELECT max(month) FROM rule_runs WHERE status = 'completed')`;
    await sys.database.rows(sql`
      UPDATE customer_ratings g SET prev_level = CASE WHEN g.level = '1' THEN '2' ELSE '1' END
      WHERE g.month = ${latest} AND g.customer_id IN (SELECT id FROM customers WHERE manager_id = ${gzAmId} AND archive = 'in_network' ORDER BY id LIMIT 30)`);
    await sys.database.rows(sql`DELETE FROM customer_standings_state`);
    await refreshStandings(makeDeps(sys.config, sys.database));
    const rank = sql`array_position(ARRAY['unrated', '1', '2', '3', '4', '5s', '5g', '5d', 'C', 'B', 'A'], g.level)`;
    const want = await sys.database.rows<{ customerId: number; customerName: string; from: string | null; to: string; month: string }>(sql`
      SELECT x.customer_id AS "customerId", x.name AS "customerName", x.prev_level AS "from", x.level AS "to", to_char(x.month, 'YYYY-MM') AS month
      FROM (SELECT g.customer_id, c.name, g.prev_level, g.level, g.month, ${rank} AS rank FROM customer_ratings g JOIN customers c ON c.id = g.customer_id
            WHERE g.month = ${latest} AND g.level IS DISTINCT FROM g.prev_level AND c.manager_id = ${gzAmId} AND c.archive = 'in_network' AND c.merged_into IS NULL
            ORDER BY rank DESC, g.customer_id LIMIT 20) x
      ORDER BY x.rank DESC, x.name, x.customer_id`);
    expect(new Set(want.map((c) => c.to)).size).toBeGreaterThan(2);
    const wb = await workbench();
    expect(wb.levelChanges.month).toBe(want[0]!.month);
    expect(wb.levelChanges.items).toEqual(want.map(({ month: _month, ...c }) => ({ ...c, customerId: Number(c.customerId) })));
  });

  it('draws the billing trend from the monthly scorecards’ portfolio revenue, the latest month as the figure', async () => {
    const unit = await one<{ unit_id: number }>(sql`SELECT unit_id FROM users WHERE id = ${gzAmId}`);
    const thisMonth = `${today.slice(0, 7)}-01`;
    const lastMonth = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 2, 1)).toISOString().slice(0, 10);
    const longAgo = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 9, 1)).toISOString().slice(0, 10);
    for (const [month, revenue] of [[longAgo, '1.00'], [lastMonth, '81234.5'], [thisMonth, null]] as const) {
      const card = await one<{ id: number }>(sql`INSERT INTO scorecards (month, manager_id, unit_id) VALUES (${month}, ${gzAmId}, ${unit.unit_id}) RETURNING id`);
      await sys.database.rows(sql`INSERT INTO scorecard_lines (scorecard_id, indicator, value, target, weight, score) VALUES (${card.id}, 'portfolio_revenue', ${revenue}, 150000, 20, 10)`);
    }
    const wb = await workbench();
    // the month without data is left out, and so is the month before the six
    expect(wb.portfolio.trend).toEqual([{ month: lastMonth.slice(0, 7), billed: '81234.50' }]);
    expect(wb.portfolio).toMatchObject({ month: lastMonth.slice(0, 7), billed: '81234.50' });
    expect(wb.scorecard).toMatchObject({ month: thisMonth.slice(0, 7) });
  });

  it('is the account manager’s: a head without a portfolio of their own is refused', async () => {
    expect((await gzHead.request({ method: 'GET', url: '/api/me/workbench' })).statusCode).toBe(403);
  });
});

describe('团队概览 (the head’s team view)', () => {
  it('lists each account manager of the head’s city with the same counts as their workbench', async () => {
    const res = await gzHead.request({ method: 'GET', url: '/api/managers/team' });
    expect(res.statusCode, res.body).toBe(200);
    const team: TeamMember[] = res.json();
    const am01 = team.find((m) => m.managerId === gzAmId)!;
    expect(am01).toMatchObject({ customers: mine.length, openRequests: 2, breachedRequests: 1, openReminders: 2, openTasks: 2, overdueTasks: 1, planStatus: 'approved' });
    expect(team.some((m) => m.managerId === gzHeadId)).toBe(false);
    // the unit by name in both languages, for the English side
    const unit = await one<{ name: string; name_en: string | null }>(sql`SELECT o.name, o.name_en FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.id = ${gzAmId}`);
    expect([am01.unitName, am01.unitNameEn]).toEqual([unit.name, unit.name_en]);
    expect(am01.unitNameEn).toBeTruthy();
    const units = await sys.database.rows<{ id: number }>(sql`SELECT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id WHERE r.code = 'account_manager' AND u.unit_id = (SELECT unit_id FROM users WHERE id = ${gzHeadId})`);
    expect(team.map((m) => m.managerId).sort()).toEqual(units.map((u) => Number(u.id)).sort());
  });

  it('answers a unit outside the head’s subtree as unknown (404), and refuses an account manager', async () => {
    const gzUnit = await one<{ unit_id: number }>(sql`SELECT unit_id FROM users WHERE id = ${gzHeadId}`);
    expect((await szHead.request({ method: 'GET', url: `/api/managers/team?unitId=${gzUnit.unit_id}` })).statusCode).toBe(404);
    expect((await szHead.request({ method: 'GET', url: '/api/managers/team?unitId=999999' })).statusCode).toBe(404);
    expect((await gzAm.request({ method: 'GET', url: '/api/managers/team' })).statusCode).toBe(403);
  });
});
