import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { makeDeps } from '../../../platform/deps.js';
import fc from 'fast-check';
import { achievement, INDICATORS, scoreOf } from './indicators.js';
import { creditSql } from './queries.js';
import type { RecomputeResult, ScorecardDetail, Scorecard, Weights } from './schemas.js';
import { spanOf } from './service.js';

/**
 * A fixed small data set, in March 2024 (a month the demo data never reaches), for two managers of a test unit
 * (天河测试组, under 广州): A = t_am1, B = t_am2. Month totals exist for 2023-03 (so growth compares with the
 * same month a year before), 2024-02 (ignored then) and 2024-03.
 *
 * customers   assignments                                   billed 2024-03 / 2023-03   archive
 *  c1          A from 2023-01-01                             10000 / 8000                in network
 *  c2          B 2023-06-01 → 2024-03-10, then A             5000 / —                    in network
 *  c3          A from 2024-03-05 (first ever: new)           2000 / —                    in network
 *  c4          B from 2022-05-01                             3000 / 4000                 retained 2024-03-20 (lifecycle event)
 *  c5          B from 2022-05-01                             7000 / 6000                 in network
 *  c6          B from 2024-03-15 (first ever: new)           — / —                       in network
 *  c7          A from 2024-04-02 (after the month)           999 / —                     in network
 *  c8          B from 2022-05-01                             — / —                       retained since 2023-12-01
 */
let sys: TestSystem;
let head: Session;
let szHead: Session;
let amA: Session;
let amB: Session;
let unitId: number;
let gzUnitId: number;
let A: number;
let B: number;
const c: Record<string, number> = {};

const one = async <T>(query: ReturnType<typeof sql>) => (await sys.database.rows<T>(query))[0]!;
const idOf = async (query: ReturnType<typeof sql>) => Number((await one<{ id: number }>(query)).id);
const post = (s: Session, url: string, payload: unknown) => s.request({ method: 'POST', url, payload: payload as Record<string, unknown> });
const put = (s: Session, url: string, payload: unknown) => s.request({ method: 'PUT', url, payload: payload as Record<string, unknown> });
const get = (s: Session, url: string) => s.request({ method: 'GET', url });

/** The test unit's weights (the defaults') with targets chosen for the data set. */
const TARGETS: Record<string, number> = {
  portfolio_revenue: 20000,
  revenue_growth: 10,
  new_key_accounts: 2,
  solutions_signed: 1,
  plan_items_kept: 90,
  visits: 8,
  tasks_on_time: 90,
  sla_met: 95,
  satisfaction: 4.5,
  portfolio_churn: 1,
};
const weightsInput = (version: number) => ({ version, lines: INDICATORS.map((i) => ({ indicator: i.code as string, weight: i.weight as number, target: TARGETS[i.code]! })) });

async function customer(key: string, archive = 'in_network', archivedOn: string | null = null) {
  c[key] = await idOf(sql`
    INSERT INTO customers (customer_no, kind, name, unit_id, archive, archived_on)
    VALUES (${`SC-${key}`}, 'group', ${`考核测试客户${key}`}, ${unitId}, ${archive}, ${archivedOn}) RETURNING id`);
}
async function assign(key: string, managerId: number, from: string, until: string | null = null) {
  await sys.database.db.execute(sql`INSERT INTO portfolio_assignments (customer_id, manager_id, from_date, until_date) VALUES (${c[key]}, ${managerId}, ${from}, ${until})`);
  if (until === null) await sys.database.db.execute(sql`UPDATE customers SET manager_id = ${managerId} WHERE id = ${c[key]}`);
}
async function billed(key: string, month: string, yuan: number) {
  await sys.database.db.execute(sql`SELECT ensure_month_partition('customer_month_totals', ${month}::date)`);
  await sys.database.db.execute(sql`
    INSERT INTO customer_month_totals (month, customer_id, paid_fen, billed_fen, arrears_fen, arrears_subs, subs)
    VALUES (${month}::date, ${c[key]}, ${yuan * 100}, ${yuan * 100}, 0, 0, 1)
    ON CONFLICT (customer_id, month) DO UPDATE SET billed_fen = EXCLUDED.billed_fen, paid_fen = EXCLUDED.paid_fen`);
}
async function request(no: string, key: string, resolvedAt: string, breached: boolean, survey?: { score: number | null; answeredAt: string }) {
  const id = await idOf(sql`
    INSERT INTO service_requests (request_no, customer_id, type, status, channel, title, home_unit_id, raised_unit_id, handling_unit_id, resolved_at, breached_at, sla_state)
    VALUES (${no}, ${c[key]}, 'fault', 'resolved', 'manager', '专线中断', ${unitId}, ${unitId}, ${unitId}, ${resolvedAt}::timestamptz,
            ${breached ? resolvedAt : null}::timestamptz, ${breached ? 'breached' : 'ok'}) RETURNING id`);
  if (survey) {
    await sys.database.db.execute(sql`
      INSERT INTO service_surveys (request_id, channel, sent_at, answered_at, score) VALUES (${id}, 'sms', ${resolvedAt}::timestamptz, ${survey.answeredAt}::timestamptz, ${survey.score})`);
  }
}

async function loginAs(username: string, displayName: string): Promise<number> {
  const id = await idOf(sql`
    INSERT INTO users (username, display_name, unit_id, password_hash)
    SELECT ${username}, ${displayName}, ${unitId}, password_hash FROM users WHERE username = 'gz_am01' RETURNING id`);
  await sys.database.db.execute(sql`INSERT INTO user_roles (user_id, role_id) SELECT ${id}, id FROM roles WHERE code = 'account_manager'`);
  return id;
}

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error' });
  gzUnitId = await idOf(sql`SELECT id FROM org_units WHERE code = 'GD-GZ'`);
  unitId = await idOf(sql`
    INSERT INTO org_units (code, name, name_en, kind, parent_id, path)
    SELECT 'GD-GZ-T', '天河测试组', 'Tianhe test team', 'county', id, path FROM org_units WHERE code = 'GD-GZ' RETURNING id`);
  await sys.database.db.execute(sql`UPDATE org_units SET path = (SELECT path FROM org_units WHERE code = 'GD-GZ') || id || '/' WHERE id = ${unitId}`);
  A = await loginAs('t_am1', '考核甲');
  B = await loginAs('t_am2', '考核乙');
  [head, szHead, amA, amB] = await Promise.all([sys.login('gz_head'), sys.login('sz_head'), sys.login('t_am1'), sys.login('t_am2')]);

  for (const k of ['c1', 'c2', 'c3', 'c5', 'c6', 'c7']) await customer(k);
  await customer('c4', 'retained', '2024-03-20');
  await customer('c8', 'retained', '2023-12-01');
  await assign('c1', A, '2023-01-01');
  await assign('c2', B, '2023-06-01', '2024-03-10');
  await assign('c2', A, '2024-03-10');
  await assign('c3', A, '2024-03-05');
  await assign('c4', B, '2022-05-01');
  await assign('c5', B, '2022-05-01');
  await assign('c6', B, '2024-03-15');
  await assign('c7', A, '2024-04-02');
  await assign('c8', B, '2022-05-01');
  await sys.database.db.execute(sql`
    INSERT INTO lifecycle_events (customer_id, from_archive, to_archive, reason, effective_on) VALUES (${c.c4}, 'in_network', 'retained', 'port_out', '2024-03-20')`);
  for (const [k, yuan] of [['c1', 10000], ['c2', 5000], ['c3', 2000], ['c4', 3000], ['c5', 7000], ['c7', 999]] as const) await billed(k, '2024-03-01', yuan);
  for (const [k, yuan] of [['c1', 8000], ['c4', 4000], ['c5', 6000]] as const) await billed(k, '2023-03-01', yuan);
  await billed('c1', '2024-02-01', 1);

  // solutions: c1 signed 12 March (A: 1); c1 signed 1 April 00:30 in 广东 (31 March in UTC: not March); c5 signed 31 March 23:30 (B: 1); c4 lost
  await sys.database.db.execute(sql`
    INSERT INTO solutions (customer_id, kind, title, status, signed_at) VALUES
      (${c.c1}, 'group', '专线扩容', 'signed', '2024-03-12T10:00:00+08:00'),
      (${c.c1}, 'group', '云桌面', 'signed', '2024-04-01T00:30:00+08:00'),
      (${c.c5}, 'group', '物联网卡', 'signed', '2024-03-31T23:30:00+08:00'),
      (${c.c4}, 'group', '视频会议', 'lost', NULL)`);

  // plans: A's March plan has 4 items in March (3 done, 1 missed) and one of 28 February (done, not March): 75 %;
  // B's has 2 (1 done, 1 still planned): 50 %
  const planA = await idOf(sql`INSERT INTO work_plans (manager_id, period, starts_on, ends_on) VALUES (${A}, 'month', '2024-03-01', '2024-03-31') RETURNING id`);
  const planAFeb = await idOf(sql`INSERT INTO work_plans (manager_id, period, starts_on, ends_on) VALUES (${A}, 'month', '2024-02-01', '2024-02-29') RETURNING id`);
  const planB = await idOf(sql`INSERT INTO work_plans (manager_id, period, starts_on, ends_on) VALUES (${B}, 'month', '2024-03-01', '2024-03-31') RETURNING id`);
  await sys.database.db.execute(sql`
    INSERT INTO work_plan_items (plan_id, customer_id, kind, planned_on, status) VALUES
      (${planA}, ${c.c1}, 'visit', '2024-03-04', 'done'), (${planA}, ${c.c1}, 'call', '2024-03-11', 'done'),
      (${planA}, ${c.c2}, 'proposal', '2024-03-18', 'done'), (${planA}, ${c.c3}, 'visit', '2024-03-25', 'missed'),
      (${planAFeb}, ${c.c1}, 'visit', '2024-02-28', 'done'),
      (${planB}, ${c.c5}, 'visit', '2024-03-06', 'done'), (${planB}, ${c.c4}, 'collection', '2024-03-29', 'planned')`);

  // visits of A: 3 logged visits in March, a logged call (not a visit), a visit of the customers area linked to
  // one of the logs (counted once), one not linked (counted), one by phone (not a visit): 4. B: none.
  const linked = await idOf(sql`INSERT INTO visits (customer_id, manager_id, visited_on, channel, summary) VALUES (${c.c1}, ${A}, '2024-03-04', 'visit', '上门拜访') RETURNING id`);
  await sys.database.db.execute(sql`
    INSERT INTO visits (customer_id, manager_id, visited_on, channel, summary) VALUES
      (${c.c2}, ${A}, '2024-03-19', 'visit', '上门拜访'), (${c.c3}, ${A}, '2024-03-20', 'phone', '电话沟通')`);
  await sys.database.db.execute(sql`
    INSERT INTO work_logs (manager_id, customer_id, logged_on, kind, outcome, visit_id) VALUES
      (${A}, ${c.c1}, '2024-03-04', 'visit', '确认扩容需求', ${linked}), (${A}, ${c.c2}, '2024-03-12', 'visit', '交接拜访', NULL),
      (${A}, ${c.c3}, '2024-03-26', 'visit', '新客户首访', NULL), (${A}, ${c.c1}, '2024-03-27', 'call', '电话回访', NULL),
      (${A}, ${c.c1}, '2024-02-27', 'visit', '二月拜访', NULL)`);

  // tasks: T1 due 15 March: A submitted 23:00 that day in 广东 (on time), B 00:30 the next day (late, though still the
  // 15th in UTC); T2 due 28 March: A not submitted, B cancelled; T3 due 2 April (not March). A: 1/2, B: 0/1
  const task = (title: string, due: string) =>
    idOf(sql`INSERT INTO manager_tasks (title, due_on, unit_id, issued_by, target) SELECT ${title}, ${due}, ${unitId}, id, '{"kind":"team"}' FROM users WHERE username = 'gz_head' RETURNING id`);
  const [t1, t2, t3] = [await task('走访重点客户', '2024-03-15'), await task('续约清单', '2024-03-28'), await task('四月任务', '2024-04-02')];
  await sys.database.db.execute(sql`
    INSERT INTO manager_task_assignments (task_id, manager_id, status, submitted_at) VALUES
      (${t1}, ${A}, 'submitted', '2024-03-15T23:00:00+08:00'), (${t1}, ${B}, 'submitted', '2024-03-16T00:30:00+08:00'),
      (${t2}, ${A}, 'in_progress', NULL), (${t2}, ${B}, 'cancelled', NULL), (${t3}, ${A}, 'submitted', '2024-03-30T10:00:00+08:00')`);

  // requests resolved in March: A's r1 (c1, met, survey 5), r2 (c2, breached, survey 3), r3 (c3, met, survey answered
  // 1 April: not March), r4 (c1) resolved 1 April 01:00 in 广东 (not March): SLA 2/3, satisfaction (5 + 3) / 2 = 4.
  // B's r5 (c5, met, survey unanswered): SLA 100 %, satisfaction no data.
  await request('SC-R1', 'c1', '2024-03-05T10:00:00+08:00', false, { score: 5, answeredAt: '2024-03-06T09:00:00+08:00' });
  await request('SC-R2', 'c2', '2024-03-20T10:00:00+08:00', true, { score: 3, answeredAt: '2024-03-21T09:00:00+08:00' });
  await request('SC-R3', 'c3', '2024-03-25T10:00:00+08:00', false, { score: 4, answeredAt: '2024-04-01T09:00:00+08:00' });
  await request('SC-R4', 'c1', '2024-04-01T01:00:00+08:00', false);
  await request('SC-R5', 'c5', '2024-03-10T10:00:00+08:00', false, { score: null, answeredAt: '2024-03-11T09:00:00+08:00' });

  const res = await put(head, `/api/scorecard-weights/${unitId}`, weightsInput(0));
  expect(res.statusCode, res.body).toBe(200);
}, 180_000);
afterAll(() => sys?.close());

async function cardOf(managerId: number, month = '2024-03'): Promise<ScorecardDetail> {
  const list = await get(head, `/api/scorecards?month=${month}&managerId=${managerId}`);
  expect(list.statusCode, list.body).toBe(200);
  const [card] = list.json() as Scorecard[];
  const res = await get(head, `/api/scorecards/${card!.id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const figures = (card: ScorecardDetail) => Object.fromEntries(card.lines.map((l) => [l.indicator, { value: l.value === null ? null : Number(l.value), score: l.score }]));

describe('the monthly scorecards', () => {
  it('compares growth with the same month a year before, or the previous month when the system holds no figures of a year before', async () => {
    const deps = makeDeps(sys.config, sys.database);
    expect((await spanOf(deps, '2024-03')).base).toBe('2023-03-01');
    expect((await spanOf(deps, '2024-05')).base).toBe('2024-04-01');
  });

  it('computes the figures and scores of the fixed data set as worked out by hand', async () => {
    const res = await post(head, '/api/scorecards/runs', { month: '2024-03' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ month: '2024-03', base: '2023-03', closed: 0 });

    // A: revenue c1 + c2 + c3 = 17000 (c7 came in April) → 17000 / 20000 = 0.85 × 20 = 17.00
    //    growth (17000 − 8000) / 8000 = 112.5 % → 11.25, capped 1.2 × 10 = 12.00
    //    new key accounts: c3 (c2 came from B) = 1 → 0.5 × 5 = 2.50; solutions: 1 → 5.00
    //    plan items 3/4 = 75 % → 75 / 90 × 10 = 8.33; visits 4 → 4 / 8 × 10 = 5.00; tasks 1/2 = 50 % → 5.56
    //    SLA 2/3 = 66.6667 % → 66.6667 / 95 × 10 = 7.02; satisfaction 4 → 4 / 4.5 × 10 = 8.89; churn 0 of 3 → 1.2 × 10 = 12.00
    //    total 83.30
    const a = await cardOf(A);
    expect(figures(a)).toEqual({
      portfolio_revenue: { value: 17000, score: 17 },
      revenue_growth: { value: 112.5, score: 12 },
      new_key_accounts: { value: 1, score: 2.5 },
      solutions_signed: { value: 1, score: 5 },
      plan_items_kept: { value: 75, score: 8.33 },
      visits: { value: 4, score: 5 },
      tasks_on_time: { value: 50, score: 5.56 },
      sla_met: { value: 66.6667, score: 7.02 },
      satisfaction: { value: 4, score: 8.89 },
      portfolio_churn: { value: 0, score: 12 },
    });
    expect(a.totalScore).toBe(83.3);
    expect(a.business).toBe(36.5);
    expect(a.work).toBe(18.89);
    expect(a.service).toBe(27.91);

    // B: revenue c4 + c5 = 10000 (c6, c8 billed nothing; c2 left on the 10th) → 0.5 × 20 = 10.00
    //    growth (10000 − 10000) / 10000 = 0 % → 0; new key accounts c6 = 1 → 2.50; solutions 1 (31 March 23:30) → 5.00
    //    plan items 1/2 = 50 % → 5.56; visits 0 → 0; tasks 0/1 (the cancelled one aside) → 0
    //    SLA 1/1 = 100 % → 100 / 95 capped at 1.2 → 10.53; satisfaction no answer → no data → 0
    //    churn: c4 of {c4, c5, c6} in network at the month's start (c8 retained before) = 33.3333 % → 1 / 33.3333 × 10 = 0.30
    //    total 33.89
    const b = await cardOf(B);
    expect(figures(b)).toEqual({
      portfolio_revenue: { value: 10000, score: 10 },
      revenue_growth: { value: 0, score: 0 },
      new_key_accounts: { value: 1, score: 2.5 },
      solutions_signed: { value: 1, score: 5 },
      plan_items_kept: { value: 50, score: 5.56 },
      visits: { value: 0, score: 0 },
      tasks_on_time: { value: 0, score: 0 },
      sla_met: { value: 100, score: 10.53 },
      satisfaction: { value: null, score: 0 },
      portfolio_churn: { value: 33.3333, score: 0.3 },
    });
    expect(b.totalScore).toBe(33.89);
    expect([a.unitRank, b.unitRank, a.unitSize]).toEqual([1, 2, 2]);
    const satisfaction = b.lines.find((l) => l.indicator === 'satisfaction')!;
    expect([satisfaction.achievement, satisfaction.credited]).toEqual([null, 0]);
    expect(a.lines.find((l) => l.indicator === 'revenue_growth')).toMatchObject({ achievement: 11.25, credited: 1.2, weight: 10, target: '10.0000' });
  });

  it('ranks the unit’s managers by total', async () => {
    const res = await get(head, `/api/scorecards?month=2024-03&unitId=${unitId}`);
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as Scorecard[]).map((s) => [s.managerName, s.unitRank, s.totalScore])).toEqual([
      ['考核甲', 1, 83.3],
      ['考核乙', 2, 33.89],
    ]);
    expect(res.headers['x-total-count']).toBe('2');
  });

  it('drills from a figure down to the records behind it', async () => {
    const a = await cardOf(A);
    const records = async (indicator: string, query = '') => {
      const res = await get(head, `/api/scorecards/${a.id}/lines/${indicator}/records${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res;
    };
    const revenue = await records('portfolio_revenue');
    expect(revenue.json().map((r: { customerNo: string; amount: string }) => [r.customerNo, Number(r.amount)])).toEqual([
      ['SC-c1', 10000],
      ['SC-c2', 5000],
      ['SC-c3', 2000],
    ]);
    const paged = await records('portfolio_revenue', '?offset=1&limit=1');
    expect([paged.json().length, paged.headers['x-total-count']]).toEqual([1, '3']);
    const plan = (await records('plan_items_kept')).json() as { status: string; counted: boolean }[];
    expect(plan.map((r) => r.counted).filter(Boolean)).toHaveLength(3);
    expect(plan).toHaveLength(4);
    const visits = (await records('visits')).json() as { entity: string }[];
    expect(visits.map((v) => v.entity).sort()).toEqual(['visit', 'work_log', 'work_log', 'work_log']);
    expect((await records('tasks_on_time')).json().map((r: { title: string; counted: boolean }) => [r.title, r.counted])).toEqual([
      ['续约清单', false],
      ['走访重点客户', true],
    ]);
    expect((await records('sla_met')).json().map((r: { status: string }) => r.status)).toEqual(['met', 'breached', 'met']);
    expect((await records('satisfaction')).json().map((r: { amount: string }) => r.amount)).toEqual(['3', '5']);
    expect((await records('new_key_accounts')).json().map((r: { customerNo: string }) => r.customerNo)).toEqual(['SC-c3']);
    const b = await cardOf(B);
    const churn = await get(head, `/api/scorecards/${b.id}/lines/portfolio_churn/records`);
    expect(churn.json().map((r: { customerNo: string; kind: string }) => [r.customerNo, r.kind])).toEqual([['SC-c4', 'port_out']]);
  });

  it('keeps a closed scorecard unchanged when late data arrives; a recomputation on request shows the difference', async () => {
    const closed = await post(head, '/api/scorecards/close', { month: '2024-03', unitId });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toEqual({ month: '2024-03', unitId, closed: 2 });
    const before = await cardOf(B);
    expect(before.status).toBe('closed');

    // late data: c5's March bill corrected to 9000, and a visit of B logged afterwards
    await billed('c5', '2024-03-01', 9000);
    await sys.database.db.execute(sql`INSERT INTO work_logs (manager_id, customer_id, logged_on, kind, outcome) VALUES (${B}, ${c.c5}, '2024-03-28', 'visit', '补录拜访')`);
    const rerun = await post(head, '/api/scorecards/runs', { month: '2024-03' });
    expect(rerun.statusCode, rerun.body).toBe(200);
    expect(rerun.json().closed).toBeGreaterThanOrEqual(2);
    expect(await cardOf(B)).toEqual(before);

    expect((await post(head, `/api/scorecards/${before.id}/recompute`, undefined)).statusCode).toBe(200);
    const again = await cardOf(B);
    expect(again.revision).toBe(2);
    // revenue 12000 → 0.6 × 20 = 12.00 (was 10.00); growth (12000 − 10000) / 10000 = 20 % → capped 12.00 (was 0);
    // visits 1 → 1/8 × 10 = 1.25 (was 0): total 33.89 + 2 + 12 + 1.25 = 49.14
    expect(again.totalScore).toBe(49.14);
    const line = (code: string) => again.lines.find((l) => l.indicator === code)!;
    expect(line('portfolio_revenue')).toMatchObject({ value: '12000.0000', previousValue: '10000.0000', score: 12, previousScore: 10 });
    expect(line('visits')).toMatchObject({ value: '1.0000', previousValue: '0.0000', score: 1.25, previousScore: 0 });
  });

  it('answers the differences of a recomputation, audited; an open scorecard is not recomputed singly', async () => {
    const b = await cardOf(B);
    // c5 corrected again to 8000: revenue 11000 → 0.55 × 20 = 11.00, growth 10 % → 10.00: total 49.14 − 1 − 2 = 46.14
    await billed('c5', '2024-03-01', 8000);
    const res = await post(head, `/api/scorecards/${b.id}/recompute`, undefined);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as RecomputeResult;
    expect(body.previousTotal).toBe(49.14);
    expect(body.differences.map((d) => [d.indicator, Number(d.previousValue), Number(d.value), d.previousScore, d.score])).toEqual([
      ['portfolio_revenue', 12000, 11000, 12, 11],
      ['revenue_growth', 20, 10, 12, 10],
    ]);
    expect(body.scorecard).toMatchObject({ revision: 3, totalScore: 46.14 });
    const audited = await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'scorecard' AND entity_id = ${String(b.id)}`);
    expect(Number(audited.n)).toBe(2);

    const open = await sys.database.rows<{ id: number }>(sql`SELECT s.id FROM scorecards s WHERE s.status = 'open' AND s.month = '2024-03-01' LIMIT 1`);
    const refused = await post(head, `/api/scorecards/${open[0]!.id}/recompute`, undefined);
    expect([refused.statusCode, refused.json().code]).toEqual([409, 'scorecard_open']);
  });

  it('refuses a month that has not begun', async () => {
    const res = await post(head, '/api/scorecards/runs', { month: '2099-01' });
    expect([res.statusCode, res.json().code]).toEqual([400, 'scorecard_month_future']);
  });
});

describe('weights and targets per unit', () => {
  it('must sum to 100: 422 naming the sum', async () => {
    const input = weightsInput(1);
    input.lines[0]!.weight = 25;
    const res = await put(head, `/api/scorecard-weights/${unitId}`, input);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ code: 'scorecard_weights_sum', errors: [{ field: 'body.lines' }] });
    expect(res.json().title).toContain('105');
  });

  it('needs every indicator once', async () => {
    const input = weightsInput(1);
    input.lines.pop();
    expect((await put(head, `/api/scorecard-weights/${unitId}`, input)).json().code).toBe('scorecard_indicator_missing');
  });

  it('applies a unit’s own settings, else the nearest ancestor’s, else the defaults; versioned', async () => {
    const own = (await get(head, `/api/scorecard-weights/${unitId}`)).json() as Weights;
    expect([own.source, own.version, own.sum]).toEqual(['own', 1, 100]);
    expect(own.lines.find((l) => l.indicator === 'portfolio_revenue')).toMatchObject({ weight: 20, target: 20000, defaultTarget: 150000 });
    const city = (await get(head, `/api/scorecard-weights/${gzUnitId}`)).json() as Weights;
    expect([city.source, city.version]).toEqual(['default', 0]);

    const cityInput = weightsInput(0);
    cityInput.lines[0]!.weight = 15;
    cityInput.lines[1]!.weight = 15;
    expect((await put(head, `/api/scorecard-weights/${gzUnitId}`, cityInput)).statusCode).toBe(200);
    expect((await put(head, `/api/scorecard-weights/${gzUnitId}`, cityInput)).statusCode).toBe(409);
    const stale = await sys.database.rows(sql`SELECT 1 FROM scorecard_weights WHERE unit_id = ${gzUnitId} AND version = 1`);
    expect(stale).toHaveLength(10);

    expect((await sys.login('gz_head').then((s) => s.request({ method: 'DELETE', url: `/api/scorecard-weights/${unitId}?version=7` }))).statusCode).toBe(409);
    expect((await head.request({ method: 'DELETE', url: `/api/scorecard-weights/${unitId}?version=1` })).statusCode).toBe(204);
    const inherited = (await get(head, `/api/scorecard-weights/${unitId}`)).json() as Weights;
    expect([inherited.source, inherited.sourceUnitId, inherited.version]).toEqual(['inherited', gzUnitId, 0]);
    expect(inherited.lines.slice(0, 2).map((l) => l.weight)).toEqual([15, 15]);
    const audited = await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'scorecard_weights'`);
    expect(Number(audited.n)).toBe(3);
  });
});

describe('who sees which scorecards', () => {
  it('a manager sees only their own scorecards', async () => {
    const mine = await get(amA, '/api/scorecards?month=2024-03');
    expect(mine.statusCode, mine.body).toBe(200);
    expect((mine.json() as Scorecard[]).map((s) => s.managerId)).toEqual([A]);
    const b = await cardOf(B);
    expect((await get(amA, `/api/scorecards/${b.id}`)).statusCode).toBe(404);
    expect((await get(amA, `/api/scorecards/${b.id}/lines/visits/records`)).statusCode).toBe(404);
    expect((await get(amB, `/api/scorecards/${b.id}`)).statusCode).toBe(200);
    expect((await post(amA, '/api/scorecards/runs', { month: '2024-03' })).statusCode).toBe(403);
  });

  it('a head sees their subtree’s, another city’s head none of them', async () => {
    const a = await cardOf(A);
    expect((await get(szHead, `/api/scorecards/${a.id}`)).statusCode).toBe(404);
    expect((await get(szHead, `/api/scorecards?month=2024-03&unitId=${unitId}`)).json()).toEqual([]);
    expect((await get(szHead, `/api/scorecard-weights/${unitId}`)).statusCode).toBe(404);
    expect((await post(szHead, `/api/scorecards/${a.id}/recompute`, undefined)).statusCode).toBe(404);
    expect((await post(szHead, '/api/scorecards/close', { month: '2024-03', unitId })).statusCode).toBe(400);
  });

  it('the run of a city head computes only their subtree’s managers', async () => {
    const res = await post(szHead, '/api/scorecards/runs', { month: '2024-02' });
    expect(res.statusCode, res.body).toBe(200);
    const units = await sys.database.rows<{ path: string }>(sql`SELECT DISTINCT o.path FROM scorecards s JOIN org_units o ON o.id = s.unit_id WHERE s.month = '2024-02-01'`);
    const sz = await one<{ path: string }>(sql`SELECT path FROM org_units WHERE code = 'GD-SZ'`);
    expect(units.length).toBeGreaterThan(0);
    expect(units.every((u) => u.path.startsWith(sz.path))).toBe(true);
  });
});

describe('the scoring rule', () => {
  it('scores in SQL as the rule says: weight × achievement capped to 0–1.2, target ÷ value where lower is better (1.2 at 0), 0 without data', async () => {
    const value = fc.option(fc.integer({ min: -50, max: 100_000 }), { nil: null });
    const cases = fc.array(fc.record({ value, target: fc.integer({ min: 1, max: 50_000 }), weight: fc.integer({ min: 0, max: 40 }), higher: fc.boolean() }), { minLength: 1, maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(cases, async (rows) => {
        const scored = await sys.database.rows<{ score: string }>(sql`
          SELECT round(x.weight * ${creditSql(sql`x.value`, sql`x.target`, sql`x.higher`)}, 2)::text AS score
          FROM jsonb_to_recordset(${JSON.stringify(rows.map((r, n) => ({ ...r, n })))}::jsonb) AS x(value numeric, target numeric, weight numeric, higher boolean, n int)
          ORDER BY x.n`);
        rows.forEach((r, i) => {
          const expected = scoreOf(r.weight, achievement(r.higher ? 'higher' : 'lower', r.value, r.target));
          expect(Math.abs(Number(scored[i]!.score) - expected)).toBeLessThanOrEqual(0.01);
        });
      }),
      { numRuns: 30 },
    );
  });
});
