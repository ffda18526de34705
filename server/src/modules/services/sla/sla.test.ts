/**
 * 服务时限 over HTTP: the policies (the 2011 standard's defaults, one per scope, targets in minutes,
 * versions, retired rather than deleted) and the holiday calendar (法定节假日, 调休上班 only on a weekend),
 * edited with services.sla and read with services.read, every change audited.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import type { Deps } from '../../../platform/deps.js';
import type { Holiday, Policy } from './schemas.js';
import { loadCalendar } from './service.js';

let sys: TestSystem;
let admin: Session;
let gdHead: Session;
let gzHead: Session;

const POLICIES = '/api/services/sla/policies';
const HOLIDAYS = '/api/services/sla/holidays';
const fields = (res: { json: () => { errors?: { field: string }[] } }) => (res.json().errors ?? []).map((e) => e.field);
const auditOf = (entity: string, entityId: string | number) =>
  sys.database.rows<{ action: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }>(
    sql`SELECT action, before, after FROM audit_log WHERE entity = ${entity} AND entity_id = ${String(entityId)} ORDER BY id`,
  );
const list = async (s: Session, query = '') => {
  const res = await s.request({ method: 'GET', url: `${POLICIES}${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return { items: res.json() as Policy[], total: Number(res.headers['x-total-count']) };
};
const create = (s: Session, payload: Record<string, unknown>) => s.request({ method: 'POST', url: POLICIES, payload });
const patch = (s: Session, id: number, payload: Record<string, unknown>) => s.request({ method: 'PATCH', url: `${POLICIES}/${id}`, payload });
const putDay = (s: Session, day: string, payload: Record<string, unknown>) => s.request({ method: 'PUT', url: `${HOLIDAYS}/${day}`, payload });
const daysOf = async (s: Session, year: number) => {
  const res = await s.request({ method: 'GET', url: `${HOLIDAYS}?year=${year}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Holiday[];
};

beforeAll(async () => {
  sys = await startTestSystem({ DEMO_CUSTOMERS: 20 });
  [admin, gdHead, gzHead] = await Promise.all([sys.login('admin'), sys.login('gd_head'), sys.login('gz_head')]);
}, 120_000);
afterAll(() => sys?.close());

describe('SLA policies (时限策略)', () => {
  it('lists the defaults of the 2011 standard to a reader, the most specific first within a type', async () => {
    const all = await list(gzHead);
    expect(all.total).toBe(11);
    const faults = await list(gzHead, '?requestType=fault');
    expect(faults.items.map((p) => [p.level, p.areaKind, p.resolveMinutes])).toEqual([
      ['5d', null, 1440],
      [null, 'rural', 4320],
      [null, 'town', 2880],
    ]);
    expect(faults.items[0]).toMatchObject({ clock: 'calendar', warnPercent: 75, waivesFee: true, active: true, version: 1 });
  });

  it('adds a policy for a scope of its own, audited', async () => {
    const res = await create(admin, { requestType: 'fault', level: '5g', areaKind: 'town', respondMinutes: 30, resolveMinutes: 1800, note: '五星金城镇故障 30 小时' });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json() as Policy;
    expect(p).toMatchObject({ requestType: 'fault', level: '5g', areaKind: 'town', clock: 'calendar', warnPercent: 80, waivesFee: false, active: true, version: 1 });
    const [logged] = await auditOf('sla_policy', p.id);
    expect(logged).toMatchObject({ action: 'create', after: { level: '5g', resolveMinutes: 1800 } });
  });

  it('refuses bad targets, naming the field', async () => {
    const base = { requestType: 'repair', level: '5s', areaKind: null, respondMinutes: 120, resolveMinutes: 600 };
    const shorter = await create(admin, { ...base, resolveMinutes: 60 });
    expect([shorter.statusCode, shorter.json().code, fields(shorter)]).toEqual([400, 'sla_resolve_before_respond', ['body.resolveMinutes']]);
    expect(fields(await create(admin, { ...base, warnPercent: 100 }))).toEqual(['body.warnPercent']);
    expect(fields(await create(admin, { ...base, warnPercent: 0 }))).toEqual(['body.warnPercent']);
    expect(fields(await create(admin, { ...base, respondMinutes: 0 }))).toContain('body.respondMinutes');
    expect(fields(await create(admin, { ...base, level: '6' }))).toEqual(['body.level']);
    expect(fields(await create(admin, { ...base, requestType: 'reconnection' }))).toEqual(['body.requestType']);
    expect(fields(await create(admin, { ...base, clock: 'lunar' }))).toEqual(['body.clock']);
  });

  it('keeps one policy per scope: 409 naming the type, level and area', async () => {
    const res = await create(admin, { requestType: 'fault', level: null, areaKind: 'town', respondMinutes: 60, resolveMinutes: 1440 });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().code).toBe('sla_policy_scope_taken');
    expect(fields(res)).toEqual(['body.requestType', 'body.level', 'body.areaKind']);
    // a change into a taken scope is refused the same way; a named level with any area is another scope
    const rural = (await list(admin, '?requestType=fault')).items.find((p) => p.areaKind === 'rural')!;
    expect((await patch(admin, rural.id, { version: rural.version, areaKind: 'town' })).statusCode).toBe(409);
    expect((await create(admin, { requestType: 'fault', level: '5s', respondMinutes: 60, resolveMinutes: 1440 })).statusCode).toBe(201);
  });

  it('changes a policy at the version read and retires it instead of deleting it', async () => {
    const [complaint] = (await list(admin, '?requestType=complaint')).items;
    const res = await patch(admin, complaint!.id, { version: complaint!.version, warnPercent: 70, active: false });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ warnPercent: 70, active: false, resolveMinutes: 21600, version: complaint!.version + 1 });
    const stale = await patch(admin, complaint!.id, { version: complaint!.version, active: true });
    expect([stale.statusCode, stale.json().code]).toEqual([409, 'version_conflict']);
    expect((await patch(admin, complaint!.id, { version: complaint!.version + 1, resolveMinutes: 10 })).json().code).toBe('sla_resolve_before_respond');
    expect((await list(admin, '?requestType=complaint&active=true')).total).toBe(0);
    const logged = await auditOf('sla_policy', complaint!.id);
    expect(logged).toEqual([expect.objectContaining({ action: 'update', before: expect.objectContaining({ active: true, warnPercent: 80 }), after: expect.objectContaining({ active: false, warnPercent: 70 }) })]);
    expect((await patch(admin, 987654321, { version: 1, active: true })).statusCode).toBe(404);
    expect((await admin.request({ method: 'DELETE', url: `${POLICIES}/${complaint!.id}` })).statusCode).toBe(404);
  });

  it('leaves the policies to services.sla: a head without it reads them, and gets 403 to change them', async () => {
    const [any] = (await list(gdHead)).items;
    expect((await create(gdHead, { requestType: 'repair', level: '5d', respondMinutes: 60, resolveMinutes: 600 })).statusCode).toBe(403);
    expect((await patch(gzHead, any!.id, { version: any!.version, warnPercent: 50 })).statusCode).toBe(403);
  });
});

describe('the holiday calendar (节假日)', () => {
  it('marks the National Day week, lists a year by day, and drops the cached calendar at once', async () => {
    const deps = { database: sys.database } as unknown as Deps;
    expect((await loadCalendar(deps)).isWorkingDay('2026-10-08')).toBe(true);
    for (const day of ['2026-10-02', '2026-10-01', '2026-10-08']) {
      const res = await putDay(admin, day, { kind: 'holiday', name: '国庆节' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ day, kind: 'holiday', name: '国庆节' });
    }
    expect((await loadCalendar(deps)).isWorkingDay('2026-10-08')).toBe(false);
    expect((await daysOf(gzHead, 2026)).map((h) => h.day)).toEqual(['2026-10-01', '2026-10-02', '2026-10-08']);
    expect(await daysOf(gzHead, 2027)).toEqual([]);
    expect(await auditOf('holiday', '2026-10-01')).toEqual([expect.objectContaining({ action: 'create', after: { day: '2026-10-01', kind: 'holiday', name: '国庆节' } })]);
  });

  it('takes a worked day (调休) only on a Saturday or Sunday', async () => {
    const friday = await putDay(admin, '2026-10-09', { kind: 'workday', name: '国庆调休' });
    expect([friday.statusCode, friday.json().code, fields(friday)]).toEqual([400, 'sla_workday_not_weekend', ['body.kind']]);
    expect((await putDay(admin, '2026-10-10', { kind: 'workday', name: '国庆调休' })).statusCode).toBe(200);
    expect((await putDay(admin, '2026-10-11', { kind: 'holiday', name: '周日也可列入假期' })).statusCode).toBe(200);
  });

  it('replaces what a day was, and removes it', async () => {
    const res = await putDay(admin, '2026-10-08', { kind: 'holiday', name: '国庆节（延长）' });
    expect(res.json().name).toBe('国庆节（延长）');
    expect((await auditOf('holiday', '2026-10-08')).map((a) => a.action)).toEqual(['create', 'update']);
    expect((await admin.request({ method: 'DELETE', url: `${HOLIDAYS}/2026-10-08` })).statusCode).toBe(204);
    expect((await admin.request({ method: 'DELETE', url: `${HOLIDAYS}/2026-10-08` })).statusCode).toBe(404);
    expect((await daysOf(admin, 2026)).map((h) => h.day)).not.toContain('2026-10-08');
    expect((await auditOf('holiday', '2026-10-08')).at(-1)).toMatchObject({ action: 'delete', before: { kind: 'holiday' } });
  });

  it('refuses what is not a date or a kind, naming it', async () => {
    expect(fields(await putDay(admin, '2026-02-30', { kind: 'holiday', name: '无此日' }))).toEqual(['params.day']);
    expect(fields(await putDay(admin, '20261001', { kind: 'holiday', name: '国庆节' }))).toEqual(['params.day']);
    expect(fields(await putDay(admin, '2026-10-05', { kind: 'weekend', name: '国庆节' }))).toEqual(['body.kind']);
    expect(fields(await putDay(admin, '2026-10-05', { kind: 'holiday', name: ' ' }))).toEqual(['body.name']);
    expect((await admin.request({ method: 'GET', url: `${HOLIDAYS}?year=26` })).statusCode).toBe(400);
  });

  it('leaves the calendar to services.sla', async () => {
    expect((await putDay(gdHead, '2026-10-05', { kind: 'holiday', name: '国庆节' })).statusCode).toBe(403);
    expect((await gzHead.request({ method: 'DELETE', url: `${HOLIDAYS}/2026-10-01` })).statusCode).toBe(403);
    expect((await daysOf(gzHead, 2026)).map((h) => h.day)).toContain('2026-10-01');
  });
});
