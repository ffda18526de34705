import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.js';
import { startTestSystem, testDbKind, type Session, type TestSystem } from '../../../db/testing.js';
import { makeDeps, type Deps } from '../../../platform/deps.js';
import { todayAt } from '../../../platform/months.js';
import type { Reminder, UnitSettings } from './schemas.js';
import { generateReminders, runDailyReminders, sendDigests } from './service.js';

let sys: TestSystem;
let deps: Deps;
let am: Session;
let am2: Session;
let gzHead: Session;
let szHead: Session;
let amId: number;
let am2Id: number;
let gzUnitId: number;
let gdUnitId: number;
/** A group customer and an individual one of gz_am01's portfolio. */
let group: number;
let person: number;

const DAY_MS = 86_400_000;
const plus = (day: string, n: number) => new Date(Date.parse(day) + n * DAY_MS).toISOString().slice(0, 10);
const idOf = async (query: ReturnType<typeof sql>) => Number((await sys.database.rows<{ id: number }>(query))[0]!.id);
const rows = <T>(query: ReturnType<typeof sql>) => sys.database.rows<T>(query);

/** The reminders of an entity (as `entity`), key and lead, in the order produced. */
async function remindersOf(entity: string, entityId: number, managerId = amId) {
  return rows<{ key: string; lead: number | null; due: string; type: string; generated: string; params: Record<string, unknown> }>(
    sql`SELECT item_key AS key, lead_days AS lead, due_on::text AS due, type, generated_on::text AS generated, params
        FROM reminders WHERE entity = ${entity} AND entity_id = ${entityId} AND manager_id = ${managerId} ORDER BY id`,
  );
}

const addKeyPerson = (birthday: string) => idOf(sql`INSERT INTO key_persons (customer_id, name, role, birthday) VALUES (${group}, '关键人', 'decision_maker', ${birthday}) RETURNING id`);
let contractNo = 0;
const addContract = (expiresOn: string) =>
  idOf(sql`INSERT INTO contracts (customer_id, contract_no, title, signed_on, expires_on) VALUES (${group}, ${`HT-R-${++contractNo}`}, '集团专线服务合同', '2020-01-01', ${expiresOn}) RETURNING id`);

beforeAll(async () => {
  sys = await startTestSystem();
  deps = makeDeps(sys.config, sys.database);
  [am, am2, gzHead, szHead] = await Promise.all([sys.login('gz_am01'), sys.login('gz_am02'), sys.login('gz_head'), sys.login('sz_head')]);
  amId = await idOf(sql`SELECT id FROM users WHERE username = 'gz_am01'`);
  am2Id = await idOf(sql`SELECT id FROM users WHERE username = 'gz_am02'`);
  gzUnitId = await idOf(sql`SELECT id FROM org_units WHERE code = 'GD-GZ'`);
  gdUnitId = await idOf(sql`SELECT parent_id AS id FROM org_units WHERE code = 'GD-GZ'`);
  group = await idOf(sql`SELECT c.id FROM customers c JOIN org_units o ON o.id = c.unit_id WHERE o.path LIKE (SELECT path || '%' FROM org_units WHERE code = 'GD-GZ') AND c.kind = 'group' ORDER BY c.id LIMIT 1`);
  person = await idOf(sql`SELECT c.id FROM customers c JOIN org_units o ON o.id = c.unit_id WHERE o.path LIKE (SELECT path || '%' FROM org_units WHERE code = 'GD-GZ') AND c.kind = 'individual' ORDER BY c.id LIMIT 1`);
  await sys.database.rows(sql`UPDATE customers SET manager_id = ${amId}, archive = 'in_network', merged_into = NULL WHERE id IN (${group}, ${person})`);
}, 120_000);
afterAll(() => sys?.close());

describe('birthdays (生日提醒)', () => {
  it('reminds of a key person’s birthday three days ahead and on the day, once each', async () => {
    const kp = await addKeyPerson('1980-03-04');
    for (const day of ['2027-02-28', '2027-03-01', '2027-03-02', '2027-03-03', '2027-03-04', '2027-03-05']) await generateReminders(deps, day);
    expect(await remindersOf('key_person', kp)).toMatchObject([
      { key: `birthday:kp:${kp}:2027:3`, lead: 3, due: '2027-03-04', generated: '2027-03-01', type: 'birthday' },
      { key: `birthday:kp:${kp}:2027:0`, lead: 0, due: '2027-03-04', generated: '2027-03-04' },
    ]);
  });

  it('keeps a 29 February birthday on 28 February in a common year and on the 29th in a leap year', async () => {
    const kp = await addKeyPerson('1992-02-29');
    await generateReminders(deps, '2027-02-25');
    await generateReminders(deps, '2028-02-26');
    expect((await remindersOf('key_person', kp)).map((r) => [r.due, r.lead])).toEqual([
      ['2027-02-28', 3],
      ['2028-02-29', 3],
    ]);
  });

  it('finds a birthday early in January from the last days of December, under the new year', async () => {
    const kp = await addKeyPerson('1990-01-02');
    await generateReminders(deps, '2027-12-31');
    expect(await remindersOf('key_person', kp)).toMatchObject([{ key: `birthday:kp:${kp}:2028:3`, due: '2028-01-02' }]);
  });

  it('reminds of an individual key account’s own birthday', async () => {
    await sys.database.rows(sql`UPDATE customers SET birthday = '1975-06-15' WHERE id = ${person}`);
    await generateReminders(deps, '2027-06-15');
    expect(await remindersOf('customer', person)).toMatchObject([{ key: `birthday:customer:${person}:2027:0`, lead: 0, due: '2027-06-15' }]);
  });

  it('any day of the year, the next birthday is at most a year ahead and falls on the birthday (28 Feb for 29 Feb)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.date({ min: new Date('1950-01-01'), max: new Date('2005-12-31'), noInvalidDate: true }), fc.date({ min: new Date('2026-01-01'), max: new Date('2031-12-31'), noInvalidDate: true }), async (b, t) => {
        const birthday = b.toISOString().slice(0, 10);
        const today = t.toISOString().slice(0, 10);
        const [row] = await rows<{ next: string }>(sql`SELECT (CASE
          WHEN (${birthday}::date + make_interval(years => extract(year from ${today}::date)::int - extract(year from ${birthday}::date)::int))::date >= ${today}::date
          THEN (${birthday}::date + make_interval(years => extract(year from ${today}::date)::int - extract(year from ${birthday}::date)::int))::date
          ELSE (${birthday}::date + make_interval(years => extract(year from ${today}::date)::int + 1 - extract(year from ${birthday}::date)::int))::date END)::text AS next`);
        const next = row!.next;
        expect(next >= today).toBe(true);
        expect(Date.parse(next) - Date.parse(today)).toBeLessThan(366 * DAY_MS);
        const md = birthday.slice(5);
        const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
        expect(next.slice(5)).toBe(md === '02-29' && !leap(Number(next.slice(0, 4))) ? '02-28' : md);
      }),
      { numRuns: 60 },
    );
  });
});

describe('contract expiries (合同到期)', () => {
  it('reminds at 90, 30 and 7 days before the expiry, each lead once, however often the job runs', async () => {
    const k = await addContract('2027-09-30');
    for (const d of [95, 91, 90, 89, 31, 30, 29, 8, 7, 6, 1, 0, -1]) await generateReminders(deps, plus('2027-09-30', -d));
    expect((await remindersOf('contract', k)).map((r) => [r.key, r.generated])).toEqual([
      [`contract_expiry:${k}:2027-09-30:90`, '2027-07-02'],
      [`contract_expiry:${k}:2027-09-30:30`, '2027-08-31'],
      [`contract_expiry:${k}:2027-09-30:7`, '2027-09-23'],
    ]);
  }, 60_000);

  it('a contract first seen exactly 30 days before its expiry gets the 30-day reminder only, never the 90-day one it passed', async () => {
    const k = await addContract('2027-10-31');
    await generateReminders(deps, '2027-10-01');
    expect((await remindersOf('contract', k)).map((r) => r.lead)).toEqual([30]);
  });

  it('a first run that comes late, 20 days before, still gives the 30-day reminder (the lead reached), then the 7-day one', async () => {
    const k = await addContract('2027-11-30');
    await generateReminders(deps, '2027-11-10');
    await generateReminders(deps, '2027-11-25');
    expect((await remindersOf('contract', k)).map((r) => r.lead)).toEqual([30, 7]);
  });

  it('says nothing of a contract that has expired, nor of one beyond the greatest lead', async () => {
    const past = await addContract('2027-01-10');
    const far = await addContract('2028-06-30');
    await generateReminders(deps, '2027-01-11');
    expect(await remindersOf('contract', past)).toEqual([]);
    expect(await remindersOf('contract', far)).toEqual([]);
  });
});

describe('settings per unit (提醒设置)', () => {
  it('a unit without its own setting follows its nearest ancestor’s, then the code’s defaults; GET says where each comes from', async () => {
    const before = (await gzHead.request({ method: 'GET', url: '/api/reminder-settings' })).json() as UnitSettings;
    expect(before.unitId).toBe(gzUnitId);
    expect(before.items.find((i) => i.type === 'contract_expiry')).toMatchObject({ leadDays: [90, 30, 7], source: 'default', version: null });

    const gd = await sys.login('gd_head');
    const set = await gd.request({ method: 'PUT', url: `/api/org/units/${gdUnitId}/reminder-settings/contract_expiry`, payload: { enabled: true, leadDays: [15, 45] } });
    expect(set.statusCode, set.body).toBe(200);
    expect((set.json() as UnitSettings).items.find((i) => i.type === 'contract_expiry')).toMatchObject({ leadDays: [45, 15], source: 'own', version: 1 });

    const inherited = (await gzHead.request({ method: 'GET', url: '/api/reminder-settings' })).json() as UnitSettings;
    expect(inherited.items.find((i) => i.type === 'contract_expiry')).toMatchObject({ leadDays: [45, 15], source: 'inherited', sourceUnitId: gdUnitId, version: null });

    const k = await addContract('2028-03-31');
    await generateReminders(deps, plus('2028-03-31', -90));
    await generateReminders(deps, plus('2028-03-31', -45));
    await generateReminders(deps, plus('2028-03-31', -20));
    await generateReminders(deps, plus('2028-03-31', -15));
    expect((await remindersOf('contract', k)).map((r) => r.lead)).toEqual([45, 15]);

    // the city's own row wins over the province's; dropping it returns to the province's
    const own = await gzHead.request({ method: 'PUT', url: `/api/org/units/${gzUnitId}/reminder-settings/contract_expiry`, payload: { enabled: true, leadDays: [60] } });
    expect((own.json() as UnitSettings).items.find((i) => i.type === 'contract_expiry')).toMatchObject({ leadDays: [60], source: 'own', version: 1 });
    const stale = await gzHead.request({ method: 'PUT', url: `/api/org/units/${gzUnitId}/reminder-settings/contract_expiry`, payload: { enabled: false, leadDays: [60] } });
    expect(stale.statusCode).toBe(409);
    const changed = await gzHead.request({ method: 'PUT', url: `/api/org/units/${gzUnitId}/reminder-settings/contract_expiry`, payload: { enabled: true, leadDays: [60, 10], version: 1 } });
    expect((changed.json() as UnitSettings).items.find((i) => i.type === 'contract_expiry')).toMatchObject({ leadDays: [60, 10], version: 2 });
    const dropped = await gzHead.request({ method: 'DELETE', url: `/api/org/units/${gzUnitId}/reminder-settings/contract_expiry?version=2` });
    expect(dropped.statusCode, dropped.body).toBe(200);
    expect((dropped.json() as UnitSettings).items.find((i) => i.type === 'contract_expiry')).toMatchObject({ leadDays: [45, 15], source: 'inherited' });
    const audited = await rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE entity = 'reminder_setting' ORDER BY id`);
    expect(audited.map((a) => a.action)).toEqual(['create', 'create', 'update', 'delete']);
    await gd.request({ method: 'DELETE', url: `/api/org/units/${gdUnitId}/reminder-settings/contract_expiry?version=1` });
  });

  it('a disabled type produces nothing for the unit’s managers', async () => {
    const off = await gzHead.request({ method: 'PUT', url: `/api/org/units/${gzUnitId}/reminder-settings/certification_expiry`, payload: { enabled: false, leadDays: [60, 30] } });
    expect(off.statusCode, off.body).toBe(200);
    const cert = await idOf(sql`INSERT INTO manager_certifications (user_id, name, expires_on) VALUES (${amId}, '客户经理资格证', '2029-05-31') RETURNING id`);
    await generateReminders(deps, '2029-05-01');
    expect(await remindersOf('certification', cert)).toEqual([]);
    await gzHead.request({ method: 'DELETE', url: `/api/org/units/${gzUnitId}/reminder-settings/certification_expiry?version=1` });
    await generateReminders(deps, '2029-05-02');
    expect((await remindersOf('certification', cert)).map((r) => r.lead)).toEqual([30]);
  });

  it('a head sets only the units of their subtree; a manager cannot set any', async () => {
    const szUnit = await idOf(sql`SELECT id FROM org_units WHERE code = 'GD-SZ'`);
    expect((await gzHead.request({ method: 'PUT', url: `/api/org/units/${szUnit}/reminder-settings/birthday`, payload: { enabled: false, leadDays: [0] } })).statusCode).toBe(404);
    expect((await gzHead.request({ method: 'GET', url: `/api/reminder-settings?unitId=${szUnit}` })).statusCode).toBe(404);
    expect((await am.request({ method: 'PUT', url: `/api/org/units/${gzUnitId}/reminder-settings/birthday`, payload: { enabled: false, leadDays: [0] } })).statusCode).toBe(403);
    const bad = await gzHead.request({ method: 'PUT', url: `/api/org/units/${gzUnitId}/reminder-settings/birthday`, payload: { enabled: true, leadDays: [3, 3] } });
    expect(bad.statusCode).toBe(400);
  });
});

describe('the other types', () => {
  it('reminds of an expiring certification of the manager at 60 and 30 days', async () => {
    const cert = await idOf(sql`INSERT INTO manager_certifications (user_id, name, expires_on) VALUES (${amId}, '通信工程师', '2029-08-31') RETURNING id`);
    for (const d of [61, 60, 45, 30, 29]) await generateReminders(deps, plus('2029-08-31', -d));
    expect((await remindersOf('certification', cert)).map((r) => r.lead)).toEqual([60, 30]);
  });

  it('reminds of a booking of the manager’s customer, and the manager whose time is booked, the day before and on the day', async () => {
    const today = todayAt();
    const resource = await idOf(sql`INSERT INTO appointment_resources (kind, name, unit_id, user_id) VALUES ('manager', '经理面谈', ${gzUnitId}, ${am2Id}) RETURNING id`);
    const slot = await idOf(
      sql`INSERT INTO appointment_slots (resource_id, starts_at, ends_at, capacity, booked) VALUES (${resource}, (${plus(today, 1)}::date + time '15:00') AT TIME ZONE 'Asia/Shanghai', (${plus(today, 1)}::date + time '15:30') AT TIME ZONE 'Asia/Shanghai', 1, 1) RETURNING id`,
    );
    const a = await idOf(sql`INSERT INTO appointments (slot_id, customer_id, purpose) VALUES (${slot}, ${group}, '续约洽谈') RETURNING id`);
    await generateReminders(deps, today);
    expect(await remindersOf('appointment', a)).toMatchObject([{ key: `appointment:${a}:${slot}:1`, due: plus(today, 1), params: { purpose: '续约洽谈', at: `${plus(today, 1)} 15:00` } }]);
    expect(await remindersOf('appointment', a, am2Id)).toMatchObject([{ key: `appointment:${a}:${slot}:1` }]);
  });

  it('reminds of an open request of the portfolio in warning, and again once it is breached', async () => {
    const req = await idOf(sql`INSERT INTO service_requests (request_no, customer_id, type, status, channel, title, home_unit_id, raised_unit_id, handling_unit_id, sla_state)
      VALUES ('GD-R-1', ${group}, 'fault', 'in_progress', 'hotline', '专线中断', ${gzUnitId}, ${gzUnitId}, ${gzUnitId}, 'warning') RETURNING id`);
    await generateReminders(deps, '2029-09-01');
    await generateReminders(deps, '2029-09-02');
    await sys.database.rows(sql`UPDATE service_requests SET sla_state = 'breached' WHERE id = ${req}`);
    await generateReminders(deps, '2029-09-03');
    expect((await remindersOf('service_request', req)).map((r) => [r.key, r.due])).toEqual([
      [`sla_warning:${req}:warning`, '2029-09-01'],
      [`sla_warning:${req}:breached`, '2029-09-03'],
    ]);
    await sys.database.rows(sql`UPDATE service_requests SET status = 'resolved' WHERE id = ${req}`);
  });

  it('reminds of a customer in arrears once a month', async () => {
    await sys.database.rows(sql`UPDATE customer_standings SET arrears_fen = 12345 WHERE customer_id = ${person}`);
    for (const day of ['2029-10-01', '2029-10-15', '2029-11-02']) await generateReminders(deps, day);
    const arrears = (await remindersOf('customer', person)).filter((r) => r.type === 'arrears');
    expect(arrears.map((r) => [r.key, r.params.amount])).toEqual([
      [`arrears:${person}:2029-10`, '123.45'],
      [`arrears:${person}:2029-11`, '123.45'],
    ]);
    await sys.database.rows(sql`UPDATE customer_standings SET arrears_fen = 0 WHERE customer_id = ${person}`);
  });

  it('reminds of a level change of the latest completed monthly run, not of one rolled back or older than 35 days', async () => {
    const ran = '2029-12-03';
    const run = await idOf(sql`INSERT INTO rule_runs (month, status, trigger, versions, counts, duration_ms, started_at)
      VALUES ('2029-11-01', 'completed', 'schedule', '{}', '{}', 1, ${ran}::timestamptz) RETURNING id`);
    await sys.database.rows(sql`SELECT ensure_rating_partition('2029-11-01')`);
    const rate = (customer: number, level: string, prev: string) => sys.database.rows(sql`
      INSERT INTO customer_ratings (month, customer_id, run_id, kind, computed_level, level, prev_level, prev_below, gap, avg_paid, avg_revenue, paid, arrears,
        tenure_months, real_name, arrears_months, paid_window, billed_window, arrears_mask, suspended_subs, members, strategic, credit_score, credit_grade,
        overdraft_limit, suspend_grace_days, points_earned, points_promo, points_expired)
      VALUES ('2029-11-01', ${customer}, ${run}, 'individual', ${level}, ${level}, ${prev}, 0, 1, 0, 0, 0, 0, 24, true, 0, 0, 0, 0, 0, 1, false, 600, 'B', 0, 0, 0, 0, 0)`);
    await rate(person, '5g', '4');
    await rate(group, 'B', 'B');
    await generateReminders(deps, '2029-12-04');
    await generateReminders(deps, '2030-01-20');
    const changes = (await remindersOf('customer', person)).filter((r) => r.type === 'level_change');
    expect(changes).toMatchObject([{ key: `level_change:${person}:2029-11:5g`, params: { from: '4', to: '5g', direction: 'up' }, generated: '2029-12-04' }]);
    expect((await remindersOf('customer', group)).filter((r) => r.type === 'level_change')).toEqual([]);
    await sys.database.rows(sql`UPDATE rule_runs SET status = 'rolled_back' WHERE id = ${run}`);
  });
});

describe('the daily digest (每日提醒汇总)', () => {
  it('sends each manager one message of the day’s new reminders by type, and one e-mail, however often it runs', async () => {
    const day = '2030-02-01';
    await addKeyPerson('1970-02-04');
    await addContract(plus(day, 7));
    await generateReminders(deps, day);
    const first = await sendDigests(deps, day);
    const again = await sendDigests(deps, day);
    expect(first.digests).toBeGreaterThanOrEqual(1);
    expect(again).toEqual({ digests: 0, emails: 0 });
    const [mine] = await rows<{ n: number; params: { total: number; parts: { params: { n: number } }[] }; link: string }>(
      sql`SELECT count(*) OVER ()::int AS n, params, link FROM notifications WHERE user_id = ${amId} AND code = 'reminder_digest' AND entity_id = 20300201`,
    );
    const counts = await rows<{ type: string; n: number }>(sql`SELECT type, count(*)::int AS n FROM reminders WHERE manager_id = ${amId} AND generated_on = ${day} GROUP BY type ORDER BY type`);
    expect(mine).toMatchObject({ n: 1, link: '/managers/reminders' });
    expect(mine!.params.total).toBe(counts.reduce((a, c) => a + c.n, 0));
    expect(mine!.params.parts.map((p) => p.params.n).sort()).toEqual(counts.map((c) => c.n).sort());
    const mails = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM outbound_messages WHERE dedupe_key = ${`reminder-digest:${amId}:${day}`} AND channel = 'email'`);
    expect(mails[0]!.n).toBe(1);
    const inbox = (await am.request({ method: 'GET', url: '/api/me/notifications' })).json() as { code: string; text: string }[];
    expect(inbox.find((m) => m.code === 'reminder_digest')!.text).toMatch(/^今日新增提醒 \d+ 条：.*(生日|合同到期) \d+ 条/);
  });
});

describe('a manager’s reminders (API)', () => {
  let mine: Reminder[];
  const today = todayAt();

  beforeAll(async () => {
    await addContract(plus(today, 7));
    await addContract(plus(today, 30));
    await generateReminders(deps, today);
  });

  it('lists one’s own open reminders by due day, with the customer', async () => {
    const res = await am.request({ method: 'GET', url: '/api/me/reminders?type=contract_expiry&limit=100' });
    expect(res.statusCode, res.body).toBe(200);
    mine = res.json() as Reminder[];
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.every((r) => r.managerId === amId && r.status === 'open' && r.dueOn >= today)).toBe(true);
    expect(mine.map((r) => r.dueOn)).toEqual([...mine.map((r) => r.dueOn)].sort());
    expect(mine.find((r) => r.customerId === group)?.customerName).toBeTruthy();
    expect(Number(res.headers['x-total-count'])).toBe(mine.length);
  });

  it('dismisses and snoozes one’s own at the version read; another’s answers 404', async () => {
    const [a, b] = mine;
    expect((await am2.request({ method: 'POST', url: `/api/reminders/${a!.id}/dismiss`, payload: { version: a!.version } })).statusCode).toBe(404);
    const dismissed = await am.request({ method: 'POST', url: `/api/reminders/${a!.id}/dismiss`, payload: { version: a!.version } });
    expect(dismissed.json()).toMatchObject({ status: 'dismissed', version: a!.version + 1 });
    expect((await am.request({ method: 'POST', url: `/api/reminders/${a!.id}/dismiss`, payload: { version: a!.version } })).statusCode).toBe(409);

    expect((await am.request({ method: 'POST', url: `/api/reminders/${b!.id}/snooze`, payload: { version: b!.version, until: today } })).statusCode).toBe(400);
    expect((await am.request({ method: 'POST', url: `/api/reminders/${b!.id}/snooze`, payload: { version: b!.version, until: plus(today, 31) } })).statusCode).toBe(400);
    const snoozed = await am.request({ method: 'POST', url: `/api/reminders/${b!.id}/snooze`, payload: { version: b!.version, until: plus(today, 2) } });
    expect(snoozed.json()).toMatchObject({ status: 'snoozed', snoozedUntil: plus(today, 2) });

    const open = (await am.request({ method: 'GET', url: '/api/me/reminders?limit=1000' })).json() as Reminder[];
    expect(open.map((r) => r.id)).not.toContain(a!.id);
    expect(open.map((r) => r.id)).not.toContain(b!.id);
    const snoozedList = (await am.request({ method: 'GET', url: '/api/me/reminders?status=snoozed' })).json() as Reminder[];
    expect(snoozedList.map((r) => r.id)).toContain(b!.id);
    const audited = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'reminder'`);
    expect(audited[0]!.n).toBe(2);
  });

  it('a snoozed reminder opens again on the morning its snooze ends', async () => {
    const b = mine[1]!;
    await generateReminders(deps, plus(today, 1));
    expect((await rows<{ status: string }>(sql`SELECT status FROM reminders WHERE id = ${b.id}`))[0]!.status).toBe('snoozed');
    await generateReminders(deps, plus(today, 2));
    expect((await rows<{ status: string }>(sql`SELECT status FROM reminders WHERE id = ${b.id}`))[0]!.status).toBe('open');
  });

  it('a head reads a manager’s reminders of their units; another city’s head gets 404; a manager cannot', async () => {
    const res = await gzHead.request({ method: 'GET', url: `/api/managers/${amId}/reminders?limit=5` });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as Reminder[]).every((r) => r.managerId === amId)).toBe(true);
    expect((await szHead.request({ method: 'GET', url: `/api/managers/${amId}/reminders` })).statusCode).toBe(404);
    expect((await am2.request({ method: 'GET', url: `/api/managers/${amId}/reminders` })).statusCode).toBe(403);
  });
});

describe('exactly once per item and day (只提醒一次)', () => {
  const count = async () => Number((await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM reminders`))[0]!.n);

  it('a second run of the day produces nothing and sends no second digest', async () => {
    const day = '2030-04-01';
    await addContract(plus(day, 30));
    const first = await runDailyReminders(deps, new Date(`${day}T06:10:00+08:00`));
    const n = await count();
    const second = await runDailyReminders(deps, new Date(`${day}T06:10:00+08:00`));
    expect(Object.values(first.created).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(Object.values(second.created).every((v) => v === 0)).toBe(true);
    expect(second.digests).toBe(0);
    expect(await count()).toBe(n);
  });

  it.skipIf(testDbKind !== 'postgres')('two server instances on one PostgreSQL running the job at once produce each reminder and digest once', async () => {
    const day = '2030-05-01';
    for (let i = 0; i < 20; i++) await addContract(plus(day, i % 2 ? 7 : 30));
    await sys.database.rows(sql`UPDATE key_persons SET birthday = '1980-05-02' WHERE id IN (SELECT id FROM key_persons ORDER BY id LIMIT 200)`);
    // a second instance: its own connections to the same database, as another server process has
    const other = await openDatabase({ databaseUrl: sys.config.DATABASE_URL });
    try {
      const otherDeps = makeDeps(sys.config, other);
      const before = await count();
      const at = new Date(`${day}T06:10:00+08:00`);
      const runs = await Promise.all([runDailyReminders(deps, at), runDailyReminders(otherDeps, at), runDailyReminders(deps, at), runDailyReminders(otherDeps, at)]);
      const created = runs.reduce((a, r) => a + Object.values(r.created).reduce((x, y) => x + y, 0), 0);
      expect(created).toBeGreaterThan(200);
      expect(await count()).toBe(before + created);
      const dupes = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM (SELECT manager_id, item_key FROM reminders GROUP BY 1, 2 HAVING count(*) > 1) d`);
      expect(dupes[0]!.n).toBe(0);
      const managers = await rows<{ n: number }>(sql`SELECT count(DISTINCT manager_id)::int AS n FROM reminders WHERE generated_on = ${day}`);
      const digests = await rows<{ n: number; users: number }>(
        sql`SELECT count(*)::int AS n, count(DISTINCT user_id)::int AS users FROM notifications WHERE code = 'reminder_digest' AND entity_id = 20300501`,
      );
      expect(digests[0]).toEqual({ n: managers[0]!.n, users: managers[0]!.n });
      expect(runs.reduce((a, r) => a + r.digests, 0)).toBe(managers[0]!.n);
    } finally {
      await other.close();
    }
  }, 120_000);
});

describe('the demo (演示数据)', () => {
  it('leaves the week’s reminders open, dismissed and snoozed, and today’s digest sent', async () => {
    const { seedDemoManagerReminders } = await import('../../../demo/managers-reminders.js');
    for (let i = 0; i < 80; i++) await addContract(plus(todayAt(), 1 + (i % 22)));
    await sys.database.rows(sql`UPDATE key_persons SET birthday = '1985-01-01'::date + (id % 365)::int WHERE birthday IS NULL OR id % 3 = 0`);
    await seedDemoManagerReminders(deps, 20261205);
    const states = await rows<{ status: string; n: number }>(sql`SELECT status, count(*)::int AS n FROM reminders WHERE generated_on >= ${plus(todayAt(), -13)} GROUP BY status ORDER BY status`);
    expect(states.map((s) => s.status)).toEqual(['dismissed', 'open', 'snoozed']);
    const digests = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE code = 'reminder_digest' AND entity_id = ${Number(todayAt().replaceAll('-', ''))}`);
    expect(digests[0]!.n).toBeGreaterThan(0);
  }, 60_000);
});
