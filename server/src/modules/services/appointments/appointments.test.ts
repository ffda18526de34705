import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { makeDeps } from '../../../platform/deps.js';
import { todayAt } from '../../../platform/months.js';
import { sendAppointmentReminders } from './reminders.js';
import type { Appointment, Resource, Slot } from './schemas.js';

let sys: TestSystem;
let gzHead: Session;
let szHead: Session;
let gzAm: Session;
let gzAgent: Session;
let szAm: Session;
let analyst: Session;
/** Customers of gz_am01's portfolio, and one of gz_am02's (the agent serves both; gz_am01 only their own). */
let mine: number[];
let othersCustomer: number;
let gzUnitId: number;
let gzAmId: number;
/** The VIP lounge of 广州 with three slots a day (09:00, 10:00, 11:00, two places each) from the day after tomorrow. */
let lounge: Resource;
let slots: Slot[];

const DAY_MS = 86_400_000;
const today = todayAt();
const dayAfter = (n: number, from = today) => new Date(Date.parse(from) + n * DAY_MS).toISOString().slice(0, 10);
/** An instant of a calendar day in 广东. */
const shanghai = (day: string, clock: string) => new Date(`${day}T${clock}:00+08:00`);

const idOf = async (query: ReturnType<typeof sql>) => Number((await sys.database.rows<{ id: number }>(query))[0]!.id);
const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

const post = (s: Session, url: string, payload: unknown) => s.request({ method: 'POST', url, payload: payload as Record<string, unknown> });
const patch = (s: Session, url: string, payload: unknown) => s.request({ method: 'PATCH', url, payload: payload as Record<string, unknown> });
const get = (s: Session, url: string) => s.request({ method: 'GET', url });

async function created<T>(res: Awaited<ReturnType<Session['request']>>): Promise<T> {
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as T;
}

async function slotsOf(resourceId: number, from: string, to: string): Promise<Slot[]> {
  const res = await get(gzHead, `/api/appointment-resources/${resourceId}/slots?from=${from}&to=${to}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const slotNow = async (id: number) => (await sys.database.rows<{ booked: number; capacity: number }>(sql`SELECT booked, capacity FROM appointment_slots WHERE id = ${id}`))[0]!;

/** A new resource of 广州 with one slot of `capacity` places on the given day and clock. */
async function singleSlot(capacity: number, day = dayAfter(3), clock = '15:00'): Promise<Slot> {
  const resource = await created<Resource>(await post(gzHead, '/api/appointment-resources', { kind: 'outlet', name: `天河营业厅窗口 ${clock} ${capacity}`, unitId: gzUnitId }));
  await created(await post(gzHead, `/api/appointment-resources/${resource.id}/slots`, { from: day, to: day, weekdays: [1, 2, 3, 4, 5, 6, 7], times: [clock], durationMinutes: 30, capacity }));
  return (await slotsOf(resource.id, day, day))[0]!;
}

const book = (s: Session, slotId: number, customerId: number, purpose = '办理集团专线续约') => post(s, '/api/appointments', { slotId, customerId, purpose });
async function booked(s: Session, slotId: number, customerId: number): Promise<Appointment> {
  return created<Appointment>(await book(s, slotId, customerId));
}

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error' });
  [gzHead, szHead, gzAm, gzAgent, szAm, analyst] = await Promise.all([
    sys.login('gz_head'), sys.login('sz_head'), sys.login('gz_am01'), sys.login('gz_agent'), sys.login('sz_am01'), sys.login('gd_analyst'),
  ]);
  const rows = await sys.database.rows<{ id: number }>(sql`
    SELECT c.id FROM customers c JOIN users u ON u.id = c.manager_id WHERE u.username = 'gz_am01' AND c.archive = 'in_network' ORDER BY c.id LIMIT 6`);
  mine = rows.map((r) => Number(r.id));
  othersCustomer = await idOf(sql`SELECT c.id FROM customers c JOIN users u ON u.id = c.manager_id WHERE u.username = 'gz_am02' ORDER BY c.id LIMIT 1`);
  gzUnitId = await idOf(sql`SELECT id FROM org_units WHERE code = 'GD-GZ'`);
  gzAmId = await idOf(sql`SELECT id FROM users WHERE username = 'gz_am01'`);
  lounge = await created<Resource>(await post(gzHead, '/api/appointment-resources', { kind: 'vip_lounge', name: '广州贵宾厅', nameEn: 'Guangzhou VIP lounge', unitId: gzUnitId }));
  const series = { from: dayAfter(2), to: dayAfter(8), weekdays: [1, 2, 3, 4, 5, 6, 7], times: ['09:00', '10:00', '11:00'], durationMinutes: 60, capacity: 2 };
  const res = await post(gzHead, `/api/appointment-resources/${lounge.id}/slots`, series);
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json()).toEqual({ requested: 21, created: 21, skipped: 0 });
  slots = await slotsOf(lounge.id, dayAfter(2), dayAfter(8));
}, 120_000);
afterAll(() => sys?.close());

describe('resources (预约资源)', () => {
  it('a head creates a manager’s resource naming the manager; audited', async () => {
    const r = await created<Resource>(await post(gzHead, '/api/appointment-resources', { kind: 'manager', name: '客户经理面谈', unitId: gzUnitId, userId: gzAmId }));
    expect(r).toMatchObject({ kind: 'manager', userId: gzAmId, unitId: gzUnitId, unitName: '广州分公司', active: true, version: 1 });
    const [logged] = await sys.database.rows(sql`SELECT action, after FROM audit_log WHERE entity = 'appointment_resource' AND entity_id = ${String(r.id)}`);
    expect(logged).toMatchObject({ action: 'create', after: { kind: 'manager', userId: gzAmId } });
  });

  it.each([
    [{ kind: 'manager', name: '经理', unitId: 0 }, 'body.unitId'],
    [{ kind: 'manager', name: '经理' }, 'body.unitId'],
    [{ kind: 'salon', name: '沙龙', unitId: 1 }, 'body.kind'],
    [{ kind: 'outlet', name: '', unitId: 1 }, 'body.name'],
    [{ kind: 'outlet', name: '窗口', unitId: 1, colour: 'red' }, 'body.colour'],
  ])('refuses %j with 400 naming %s', async (payload, field) => {
    const res = await post(gzHead, '/api/appointment-resources', payload);
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res.json())).toContain(field);
  });

  it('a manager’s resource names an active manager of the head’s units; the others name nobody (400 body.userId)', async () => {
    const szAmId = await idOf(sql`SELECT id FROM users WHERE username = 'sz_am01'`);
    for (const payload of [
      { kind: 'manager', name: '经理', unitId: gzUnitId },
      { kind: 'manager', name: '经理', unitId: gzUnitId, userId: szAmId },
      { kind: 'outlet', name: '窗口', unitId: gzUnitId, userId: gzAmId },
    ]) {
      const res = await post(gzHead, '/api/appointment-resources', payload);
      expect([res.statusCode, fieldsOf(res.json())], JSON.stringify(payload)).toEqual([400, ['body.userId']]);
    }
    const outside = await post(gzHead, '/api/appointment-resources', { kind: 'outlet', name: '窗口', unitId: await idOf(sql`SELECT id FROM org_units WHERE code = 'GD-SZ'`) });
    expect([outside.statusCode, fieldsOf(outside.json())]).toEqual([400, ['body.unitId']]);
  });

  it('the agent of an outlet sees the resources of its city; another city’s manager sees none of them (404 as for none)', async () => {
    const listed = (await get(gzAgent, '/api/appointment-resources?limit=100')).json() as Resource[];
    expect(listed.map((r) => r.id)).toContain(lounge.id);
    expect((await get(gzAgent, `/api/appointment-resources/${lounge.id}`)).statusCode).toBe(200);
    const sz = (await get(szAm, '/api/appointment-resources?limit=100')).json() as Resource[];
    expect(sz.map((r) => r.id)).not.toContain(lounge.id);
    const outside = await get(szAm, `/api/appointment-resources/${lounge.id}`);
    const missing = await get(szAm, '/api/appointment-resources/987654');
    expect([outside.statusCode, outside.json().title]).toEqual([404, missing.json().title]);
    expect((await get(szHead, `/api/appointment-resources/${lounge.id}/slots?from=${dayAfter(2)}&to=${dayAfter(3)}`)).statusCode).toBe(404);
  });

  it('an analyst neither lists nor books (403); an account manager does not manage resources (403)', async () => {
    expect((await get(analyst, '/api/appointment-resources')).statusCode).toBe(403);
    expect((await book(analyst, slots[0]!.id, mine[0]!)).statusCode).toBe(403);
    expect((await post(gzAm, '/api/appointment-resources', { kind: 'outlet', name: '窗口', unitId: gzUnitId })).statusCode).toBe(403);
  });

  it('renames and deactivates at the version read (409 stale); a deactivated resource takes no booking', async () => {
    const slot = await singleSlot(3);
    const resource = (await get(gzHead, `/api/appointment-resources/${slot.resourceId}`)).json() as Resource;
    const res = await patch(gzHead, `/api/appointment-resources/${resource.id}`, { version: resource.version, name: '天河营业厅 VIP 窗口', active: false });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: '天河营业厅 VIP 窗口', active: false, version: resource.version + 1 });
    expect((await patch(gzHead, `/api/appointment-resources/${resource.id}`, { version: resource.version, active: true })).json().code).toBe('version_conflict');
    expect((await book(gzAm, slot.id, mine[0]!)).json().code).toBe('appointment_resource_inactive');
    expect((await patch(szHead, `/api/appointment-resources/${resource.id}`, { version: resource.version + 1, active: true })).statusCode).toBe(404);
  });

  it('deletes a resource nobody booked, with its slots; one with bookings stays (409)', async () => {
    const empty = await singleSlot(1, dayAfter(4), '16:00');
    expect((await gzHead.request({ method: 'DELETE', url: `/api/appointment-resources/${empty.resourceId}` })).statusCode).toBe(204);
    expect(await sys.database.rows(sql`SELECT 1 FROM appointment_slots WHERE id = ${empty.id}`)).toEqual([]);
    const used = await singleSlot(1, dayAfter(4), '17:00');
    await booked(gzAm, used.id, mine[0]!);
    expect((await gzHead.request({ method: 'DELETE', url: `/api/appointment-resources/${used.resourceId}` })).json().code).toBe('appointment_resource_in_use');
  });
});

describe('slots (预约时段)', () => {
  it('lists a resource’s slots of a day with booked and capacity, in the 广东 calendar', async () => {
    const day = await slotsOf(lounge.id, dayAfter(2), dayAfter(2));
    expect(day.map((s) => new Date(s.startsAt).getTime())).toEqual(['09:00', '10:00', '11:00'].map((c) => shanghai(dayAfter(2), c).getTime()));
    expect(day[0]).toMatchObject({ capacity: 2, booked: 0, resourceId: lounge.id });
    expect(new Date(day[0]!.endsAt).getTime() - new Date(day[0]!.startsAt).getTime()).toBe(3_600_000);
  });

  it('a series over existing slots creates only the missing ones and says how many it skipped', async () => {
    const res = await post(gzHead, `/api/appointment-resources/${lounge.id}/slots`, { from: dayAfter(8), to: dayAfter(9), weekdays: [1, 2, 3, 4, 5, 6, 7], times: ['11:00', '14:00'], durationMinutes: 60, capacity: 2 });
    expect(res.json()).toEqual({ requested: 4, created: 3, skipped: 1 });
  });

  it('a series of chosen weekdays only creates those days', async () => {
    const slot = await singleSlot(1, dayAfter(20), '08:00');
    const monday = 1;
    const res = await post(gzHead, `/api/appointment-resources/${slot.resourceId}/slots`, { from: dayAfter(21), to: dayAfter(34), weekdays: [monday], times: ['08:00'], durationMinutes: 30, capacity: 1 });
    expect(res.json()).toMatchObject({ requested: 2, created: 2 });
    const mondays = await slotsOf(slot.resourceId, dayAfter(21), dayAfter(34));
    expect(mondays.map((s) => new Date(new Date(s.startsAt).getTime() + 8 * 3_600_000).getUTCDay())).toEqual([1, 1]);
  });

  it.each([
    [{ from: dayAfter(5), to: dayAfter(4), weekdays: [1], times: ['09:00'], durationMinutes: 30, capacity: 1 }, 'body.to'],
    [{ from: dayAfter(1), to: dayAfter(200), weekdays: [1], times: ['09:00'], durationMinutes: 30, capacity: 1 }, 'body.to'],
    [{ from: dayAfter(1), to: dayAfter(2), weekdays: [8], times: ['09:00'], durationMinutes: 30, capacity: 1 }, 'body.weekdays.0'],
    [{ from: dayAfter(1), to: dayAfter(2), weekdays: [1], times: ['9点'], durationMinutes: 30, capacity: 1 }, 'body.times.0'],
    [{ from: dayAfter(1), to: dayAfter(2), weekdays: [1], times: ['09:00', '09:15'], durationMinutes: 30, capacity: 1 }, 'body.times'],
    [{ from: dayAfter(1), to: dayAfter(2), weekdays: [1], times: ['23:50'], durationMinutes: 30, capacity: 1 }, 'body.times'],
    [{ from: dayAfter(1), to: dayAfter(2), weekdays: [1], times: ['09:00'], durationMinutes: 30, capacity: 0 }, 'body.capacity'],
    [{ from: '2026-02-30', to: dayAfter(2), weekdays: [1], times: ['09:00'], durationMinutes: 30, capacity: 1 }, 'body.from'],
  ])('refuses the series %j with 400 naming %s', async (payload, field) => {
    const res = await post(gzHead, `/api/appointment-resources/${lounge.id}/slots`, payload);
    expect(res.statusCode, res.body).toBe(400);
    expect(fieldsOf(res.json())).toContain(field);
  });

  it('refuses a listing over more than six weeks, or ending before it starts (400 query.to)', async () => {
    for (const to of [dayAfter(60), dayAfter(1)]) {
      const res = await get(gzHead, `/api/appointment-resources/${lounge.id}/slots?from=${dayAfter(2)}&to=${to}`);
      expect([res.statusCode, fieldsOf(res.json())]).toEqual([400, ['query.to']]);
    }
  });

  it('changes a capacity, never below the places booked (409), at the version read (409 stale)', async () => {
    const slot = await singleSlot(3, dayAfter(5), '09:30');
    await booked(gzAm, slot.id, mine[0]!);
    await booked(gzAm, slot.id, mine[1]!);
    const below = await patch(gzHead, `/api/appointment-slots/${slot.id}`, { version: slot.version, capacity: 1 });
    expect([below.statusCode, below.json().code, below.json().title]).toEqual([409, 'appointment_capacity_below_booked', '容量不能少于已预约人数（2）']);
    const ok = await patch(gzHead, `/api/appointment-slots/${slot.id}`, { version: slot.version, capacity: 2 });
    expect(ok.json()).toMatchObject({ capacity: 2, booked: 2, version: slot.version + 1 });
    expect((await patch(gzHead, `/api/appointment-slots/${slot.id}`, { version: slot.version, capacity: 5 })).json().code).toBe('version_conflict');
    expect((await patch(gzAm, `/api/appointment-slots/${slot.id}`, { version: slot.version + 1, capacity: 5 })).statusCode).toBe(403);
  });

  it('deletes an empty slot; a slot with bookings on record stays (409)', async () => {
    const empty = slots.at(-1)!;
    expect((await gzHead.request({ method: 'DELETE', url: `/api/appointment-slots/${empty.id}` })).statusCode).toBe(204);
    const used = await singleSlot(1, dayAfter(5), '10:30');
    const a = await booked(gzAm, used.id, mine[0]!);
    await post(gzAm, `/api/appointments/${a.id}/cancel`, { version: a.version });
    expect((await gzHead.request({ method: 'DELETE', url: `/api/appointment-slots/${used.id}` })).json().code).toBe('appointment_slot_in_use');
    expect((await szHead.request({ method: 'DELETE', url: `/api/appointment-slots/${used.id}` })).statusCode).toBe(404);
  });
});

describe('booking (预约)', () => {
  it('an account manager books a place for a customer of theirs; the slot counts it; audited', async () => {
    const slot = slots[0]!;
    const a = await booked(gzAm, slot.id, mine[0]!);
    expect(a).toMatchObject({ slotId: slot.id, resourceId: lounge.id, resourceKind: 'vip_lounge', resourceName: '广州贵宾厅', customerId: mine[0], status: 'booked', purpose: '办理集团专线续约', bookedBy: 'gz_am01', remindedAt: null, version: 1 });
    expect(await slotNow(slot.id)).toMatchObject({ booked: 1, capacity: 2 });
    const [logged] = await sys.database.rows(sql`SELECT action, after FROM audit_log WHERE entity = 'appointment' AND entity_id = ${String(a.id)}`);
    expect(logged).toMatchObject({ action: 'create', after: { slotId: slot.id, customerId: mine[0] } });
    expect((await book(gzAm, slot.id, mine[0]!)).json().code).toBe('appointment_duplicate');
  });

  it('refuses a booking of a full slot and names the next free one (409 slot_full)', async () => {
    const slot = slots[1]!;
    await booked(gzAm, slot.id, mine[0]!);
    await booked(gzAgent, slot.id, othersCustomer);
    const res = await book(gzAm, slot.id, mine[1]!);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'slot_full', title: `该时段已约满；同一资源下一个可约时段为 ${dayAfter(2)} 11:00` });
    expect(await slotNow(slot.id)).toMatchObject({ booked: 2 });
  });

  it('two bookings of the last place at once: exactly one wins', async () => {
    const slot = await singleSlot(1, dayAfter(6), '14:00');
    const answers = await Promise.all([book(gzAm, slot.id, mine[2]!), book(gzAgent, slot.id, othersCustomer)]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(answers.find((r) => r.statusCode === 409)!.json().code).toBe('slot_full');
    expect(await slotNow(slot.id)).toMatchObject({ booked: 1 });
    const [n] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM appointments WHERE slot_id = ${slot.id}`);
    expect(n!.n).toBe(1);
  });

  it('refuses a slot that has started (422)', async () => {
    const past = await idOf(sql`
      INSERT INTO appointment_slots (resource_id, starts_at, ends_at, capacity) VALUES (${lounge.id}, now() - interval '2 hours', now() - interval '1 hour', 5) RETURNING id`);
    const res = await book(gzAm, past, mine[0]!);
    expect([res.statusCode, res.json().code]).toEqual([422, 'appointment_slot_past']);
  });

  it.each([
    [{ slotId: 1, customerId: 1 }, 'body.purpose'],
    [{ slotId: 1, customerId: 1, purpose: ' ' }, 'body.purpose'],
    [{ customerId: 1, purpose: '咨询' }, 'body.slotId'],
    [{ slotId: 'x', customerId: 1, purpose: '咨询' }, 'body.slotId'],
    [{ slotId: 1, purpose: '咨询' }, 'body.customerId'],
  ])('refuses %j with 400 naming %s', async (payload, field) => {
    const res = await post(gzAm, '/api/appointments', payload);
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res.json())).toContain(field);
  });

  it('only for customers the booker serves, at resources of their area (404 outside, as for none)', async () => {
    expect((await book(gzAm, slots[3]!.id, othersCustomer)).statusCode).toBe(404);
    const res = await book(szAm, slots[3]!.id, mine[0]!);
    expect([res.statusCode, res.json().title]).toEqual([404, (await book(szAm, 987654, mine[0]!)).json().title]);
  });
});

describe('moving, cancelling, attendance (改约 / 取消 / 到场 / 爽约)', () => {
  it('moves a booking: the old place is released and the new one taken; a stale version is 409', async () => {
    const [from, to] = [slots[4]!, slots[5]!];
    const a = await booked(gzAm, from.id, mine[3]!);
    const res = await post(gzAm, `/api/appointments/${a.id}/move`, { version: a.version, slotId: to.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ slotId: to.id, status: 'booked', version: a.version + 1 });
    expect([(await slotNow(from.id)).booked, (await slotNow(to.id)).booked]).toEqual([0, 1]);
    expect((await post(gzAm, `/api/appointments/${a.id}/move`, { version: a.version, slotId: from.id })).json().code).toBe('version_conflict');
    expect((await post(gzAm, `/api/appointments/${a.id}/move`, { version: a.version + 1, slotId: to.id })).json().errors[0].field).toBe('body.slotId');
  });

  it('a move to a full slot is 409 and changes nothing', async () => {
    const full = await singleSlot(1, dayAfter(6), '16:30');
    await booked(gzAgent, full.id, othersCustomer);
    const a = await booked(gzAm, slots[6]!.id, mine[4]!);
    const res = await post(gzAm, `/api/appointments/${a.id}/move`, { version: a.version, slotId: full.id });
    expect([res.statusCode, res.json().code]).toEqual([409, 'slot_full']);
    expect((await get(gzAm, `/api/appointments/${a.id}`)).json()).toMatchObject({ slotId: slots[6]!.id, version: a.version });
    expect([(await slotNow(slots[6]!.id)).booked, (await slotNow(full.id)).booked]).toEqual([1, 1]);
  });

  it('cancels a booking and releases its place; a cancelled booking cannot be cancelled or moved again (409 naming its state)', async () => {
    const slot = slots[7]!;
    const a = await booked(gzAm, slot.id, mine[5]!);
    const res = await post(gzAm, `/api/appointments/${a.id}/cancel`, { version: a.version, reason: '客户出差' });
    expect(res.json()).toMatchObject({ status: 'cancelled', version: a.version + 1 });
    expect((await slotNow(slot.id)).booked).toBe(0);
    const again = await post(gzAm, `/api/appointments/${a.id}/cancel`, { version: a.version + 1 });
    expect([again.statusCode, again.json().title]).toEqual([409, '预约当前为“已取消”，不能取消']);
    const en = await gzAm.request({ method: 'POST', url: `/api/appointments/${a.id}/move`, headers: { 'accept-language': 'en' }, payload: { version: a.version + 1, slotId: slot.id } });
    expect(en.json().title).toBe('The appointment is cancelled; it cannot be moved');
    const [logged] = await sys.database.rows(sql`SELECT after FROM audit_log WHERE entity = 'appointment' AND entity_id = ${String(a.id)} AND action = 'update'`);
    expect(logged).toMatchObject({ after: { status: 'cancelled', reason: '客户出差' } });
  });

  it('records attendance or a no-show only once the slot has started, and only once', async () => {
    const slot = await singleSlot(2, dayAfter(7), '09:00');
    const a = await booked(gzAgent, slot.id, mine[0]!);
    const b = await booked(gzAgent, slot.id, mine[1]!);
    const early = await post(gzAgent, `/api/appointments/${a.id}/outcome`, { version: a.version, outcome: 'attended' });
    expect([early.statusCode, early.json().code, early.json().title]).toEqual([409, 'appointment_not_started', `预约时段 ${dayAfter(7)} 09:00 尚未开始，暂不能登记到场或爽约`]);
    await sys.database.rows(sql`UPDATE appointment_slots SET starts_at = now() - interval '10 minutes', ends_at = now() + interval '20 minutes' WHERE id = ${slot.id}`);
    expect((await post(gzAgent, `/api/appointments/${a.id}/outcome`, { version: a.version, outcome: 'attended' })).json()).toMatchObject({ status: 'attended' });
    expect((await post(gzAgent, `/api/appointments/${b.id}/outcome`, { version: b.version, outcome: 'no_show' })).json()).toMatchObject({ status: 'no_show' });
    const twice = await post(gzAgent, `/api/appointments/${b.id}/outcome`, { version: b.version + 1, outcome: 'attended' });
    expect([twice.statusCode, twice.json().title]).toEqual([409, '预约当前为“爽约”，不能登记到场或爽约']);
    expect((await post(gzAgent, `/api/appointments/${a.id}/outcome`, { version: a.version + 1, outcome: 'maybe' })).json().errors[0].field).toBe('body.outcome');
    expect((await slotNow(slot.id)).booked).toBe(2);
  });

  it('a booking is as visible as its customer: another manager of 广州 and 深圳 get 404 as for none', async () => {
    const a = await booked(gzAgent, slots[8]!.id, othersCustomer);
    for (const s of [gzAm, szHead]) {
      const res = await post(s, `/api/appointments/${a.id}/cancel`, { version: a.version });
      expect([res.statusCode, res.json().title]).toEqual([404, (await post(s, '/api/appointments/987654/cancel', { version: 1 })).json().title]);
      expect((await get(s, `/api/appointments/${a.id}`)).statusCode).toBe(404);
    }
    const day = (await get(gzAm, `/api/appointment-resources/${lounge.id}/appointments?from=${dayAfter(2)}&to=${dayAfter(8)}`)).json() as Appointment[];
    expect(day.map((x) => x.customerId)).not.toContain(othersCustomer);
    const all = (await get(gzAgent, `/api/appointment-resources/${lounge.id}/appointments?from=${dayAfter(2)}&to=${dayAfter(8)}`)).json() as Appointment[];
    expect(all.map((x) => x.id)).toContain(a.id);
  });

  it('the customer’s 360° tab lists their appointments, latest slot first', async () => {
    const res = await get(gzAm, `/api/customers/${mine[0]}/appointments?limit=100`);
    expect(res.statusCode).toBe(200);
    const list = res.json() as Appointment[];
    expect(list.length).toBeGreaterThanOrEqual(4);
    expect(Number(res.headers['x-total-count'])).toBe(list.length);
    expect(list.every((a) => a.customerId === mine[0])).toBe(true);
    const starts = list.map((a) => new Date(a.startsAt).getTime());
    expect(starts).toEqual([...starts].sort((x, y) => y - x));
    expect((await get(szAm, `/api/customers/${mine[0]}/appointments`)).statusCode).toBe(404);
  });

  it('every slot’s booked count equals the bookings that hold a place', async () => {
    const drift = await sys.database.rows(sql`
      SELECT s.id, s.booked, count(a.id) FILTER (WHERE a.status <> 'cancelled')::int AS held
      FROM appointment_slots s LEFT JOIN appointments a ON a.slot_id = s.id GROUP BY s.id HAVING s.booked <> count(a.id) FILTER (WHERE a.status <> 'cancelled')`);
    expect(drift).toEqual([]);
  });
});

describe('reminders the day before (预约提醒)', () => {
  it('reminds the booker, the manager and the customer (SMS) of tomorrow’s bookings once, by the 广东 calendar day', async () => {
    const deps = makeDeps(sys.config, sys.database);
    const tomorrow = dayAfter(1);
    const manager = await created<Resource>(await post(gzHead, '/api/appointment-resources', { kind: 'manager', name: '经理面谈（提醒）', unitId: gzUnitId, userId: gzAmId }));
    await created(await post(gzHead, `/api/appointment-resources/${manager.id}/slots`, { from: tomorrow, to: dayAfter(2), weekdays: [1, 2, 3, 4, 5, 6, 7], times: ['00:30', '23:00'], durationMinutes: 30, capacity: 3 }));
    const [early, late, nextDay] = await slotsOf(manager.id, tomorrow, dayAfter(2));
    const withPhone = await booked(gzAgent, early!.id, mine[0]!);
    const noPhone = await booked(gzAgent, late!.id, mine[1]!);
    const notYet = await booked(gzAgent, nextDay!.id, mine[2]!);
    await sys.database.rows(sql`UPDATE customers SET contact_phone = '13800138000' WHERE id = ${mine[0]}`);
    await sys.database.rows(sql`UPDATE customers SET contact_phone = NULL WHERE id = ${mine[1]}`);

    // one minute before midnight in 广东 (15:59 UTC): "tomorrow" is the day of the 00:30 and 23:00 slots
    const now = new Date(shanghai(tomorrow, '00:00').getTime() - 60_000);
    const first = await sendAppointmentReminders(deps, now);
    expect(first).toMatchObject({ day: tomorrow, reminded: 2, sms: 1 });
    const reminded = await sys.database.rows<{ id: number; reminded: boolean }>(sql`
      SELECT id, reminded_at IS NOT NULL AS reminded FROM appointments WHERE id IN (${withPhone.id}, ${noPhone.id}, ${notYet.id}) ORDER BY id`);
    expect(reminded.map((r) => r.reminded)).toEqual([true, true, false]);

    const notes = await sys.database.rows<{ username: string; code: string; link: string }>(sql`
      SELECT u.username, n.code, n.link FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.entity = 'appointment' AND n.entity_id = ${withPhone.id} ORDER BY u.username`);
    expect(notes).toEqual([
      { username: 'gz_agent', code: 'appointment_reminder_booker', link: `/services/appointments?resource=${manager.id}&date=${tomorrow}` },
      { username: 'gz_am01', code: 'appointment_reminder_manager', link: `/services/appointments?resource=${manager.id}&date=${tomorrow}` },
    ]);
    const inbox = await gzAm.request({ method: 'GET', url: '/api/me/notifications?limit=5' });
    expect(JSON.stringify(inbox.json())).toContain('明天 00:30');
    const sms = await sys.database.rows<{ recipient_masked: string; body: string; dedupe_key: string }>(sql`
      SELECT recipient_masked, body, dedupe_key FROM outbound_messages WHERE entity = 'appointment' AND entity_id IN (${withPhone.id}, ${noPhone.id})`);
    expect(sms).toEqual([{ recipient_masked: '138****8000', body: expect.stringContaining('经理面谈（提醒）服务在明天 00:30'), dedupe_key: `appointment-reminder:${withPhone.id}:${early!.id}` }]);

    const again = await sendAppointmentReminders(deps, new Date(now.getTime() - 3_600_000));
    expect(again).toMatchObject({ day: tomorrow, reminded: 0, messages: 0, sms: 0 });
    const [counted] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE entity = 'appointment' AND entity_id = ${withPhone.id}`);
    expect(counted!.n).toBe(2);

    // a minute later it is that day in 广东: the next day's bookings are due
    expect((await sendAppointmentReminders(deps, new Date(now.getTime() + 60_000))).day).toBe(dayAfter(2));
    const [next] = await sys.database.rows<{ reminded: boolean }>(sql`SELECT reminded_at IS NOT NULL AS reminded FROM appointments WHERE id = ${notYet.id}`);
    expect(next!.reminded).toBe(true);
  });

  it('a booking moved to another day is reminded again for its new slot', async () => {
    const deps = makeDeps(sys.config, sys.database);
    const slot = await singleSlot(2, dayAfter(1), '18:00');
    const later = await singleSlot(2, dayAfter(2), '18:00');
    const a = await booked(gzAm, slot.id, mine[3]!);
    await sys.database.rows(sql`UPDATE customers SET contact_phone = '13900139000' WHERE id = ${mine[3]}`);
    const eve = new Date(shanghai(dayAfter(1), '00:00').getTime() - 3_600_000);
    expect((await sendAppointmentReminders(deps, eve)).sms).toBeGreaterThanOrEqual(1);
    const moved = await post(gzAm, `/api/appointments/${a.id}/move`, { version: a.version, slotId: later.id });
    expect(moved.json()).toMatchObject({ slotId: later.id, remindedAt: null });
    await sendAppointmentReminders(deps, new Date(eve.getTime() + DAY_MS));
    const [n] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM outbound_messages WHERE entity = 'appointment' AND entity_id = ${a.id}`);
    expect(n!.n).toBe(2);
  });
});

describe('demo data (演示数据)', () => {
  it('every city gets a lounge, a counter and two managers’ time, slots on working days around today, and bookings that hold their places', async () => {
    const { seedDemoAppointments } = await import('../../../demo/services-appointments.js');
    const before = await idOf(sql`SELECT coalesce(max(id), 0) AS id FROM appointment_resources`);
    await seedDemoAppointments(makeDeps(sys.config, sys.database), 20260101);
    const [cities] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM org_units WHERE kind = 'city'`);
    const kinds = await sys.database.rows<{ kind: string; n: number }>(sql`
      SELECT kind, count(*)::int AS n FROM appointment_resources WHERE id > ${before} GROUP BY kind ORDER BY kind`);
    expect(kinds).toEqual([
      { kind: 'manager', n: cities!.n * 2 },
      { kind: 'outlet', n: cities!.n },
      { kind: 'vip_lounge', n: cities!.n },
    ]);
    const [span] = await sys.database.rows<{ first: string; last: string; weekend: number; past_booked: number; bookings: number }>(sql`
      SELECT to_char(min(s.starts_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS first, to_char(max(s.starts_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS last,
             count(*) FILTER (WHERE extract(isodow FROM s.starts_at AT TIME ZONE 'Asia/Shanghai') > 5 AND NOT EXISTS (SELECT 1 FROM holidays h WHERE h.kind = 'workday' AND h.day = (s.starts_at AT TIME ZONE 'Asia/Shanghai')::date))::int AS weekend,
             (SELECT count(*) FROM appointments a JOIN appointment_slots x ON x.id = a.slot_id WHERE x.ends_at < now() AND a.status = 'booked')::int AS past_booked,
             (SELECT count(*) FROM appointments)::int AS bookings
      FROM appointment_slots s WHERE s.resource_id > ${before}`);
    expect(span!.first >= dayAfter(-30) && span!.last <= dayAfter(14)).toBe(true);
    expect([span!.weekend, span!.past_booked]).toEqual([0, 0]);
    expect(span!.bookings).toBeGreaterThan(1000);
    const [variety] = await sys.database.rows<{ purposes: number; bookers: number }>(sql`
      SELECT count(DISTINCT a.purpose)::int AS purposes, count(DISTINCT a.booked_by)::int AS bookers
      FROM appointments a JOIN appointment_slots s ON s.id = a.slot_id WHERE s.resource_id > ${before} AND a.customer_id = ${mine[0]}`);
    expect(variety!.purposes).toBeGreaterThan(2);
    expect(variety!.bookers).toBeGreaterThan(1);
    const statuses = await sys.database.rows<{ status: string }>(sql`SELECT DISTINCT status FROM appointments ORDER BY status`);
    expect(statuses.map((s) => s.status)).toEqual(['attended', 'booked', 'cancelled', 'no_show']);
    const drift = await sys.database.rows(sql`
      SELECT s.id FROM appointment_slots s LEFT JOIN appointments a ON a.slot_id = s.id
      GROUP BY s.id HAVING s.booked <> count(a.id) FILTER (WHERE a.status <> 'cancelled')`);
    expect(drift).toEqual([]);
    const own = await sys.database.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM appointments a JOIN appointment_slots s ON s.id = a.slot_id JOIN appointment_resources r ON r.id = s.resource_id
      JOIN customers c ON c.id = a.customer_id WHERE r.kind = 'manager' AND r.id > ${before} AND c.manager_id IS DISTINCT FROM r.user_id`);
    expect(own[0]!.n).toBe(0);
    const mineCalendar = await gzAm.request({ method: 'GET', url: `/api/appointment-resources?kind=manager&q=${encodeURIComponent('客户经理')}` });
    const myResource = (mineCalendar.json() as Resource[]).find((r) => r.userId === gzAmId && r.id > before)!;
    const week = await get(gzAm, `/api/appointment-resources/${myResource.id}/appointments?from=${dayAfter(-7)}&to=${dayAfter(6)}`);
    expect((week.json() as Appointment[]).length).toBeGreaterThan(0);
  });
});
