/**
 * The due times of a request: the most specific active policy of the 2011 standard's defaults (migration
 * 0030) applies, on its clock and the stored holiday calendar; a pause waiting for the customer moves them on.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useFreshDatabase } from '../../../db/testing.js';
import type { Deps } from '../../../platform/deps.js';
import { LEVELS as CUSTOMER_LEVELS } from '../../customers/schemas.js';
import { LEVELS } from './schemas.js';
import { DEMO_HOLIDAYS, seedDemoHolidays } from '../../../demo/services-sla.js';
import { loadCalendar, resumeAfterPause, slaTargetsFor } from './service.js';

const database = useFreshDatabase();
// these functions read only the database
const deps = () => ({ database: database() }) as unknown as Deps;
const targets = (type: string, level: string | null, areaKind: 'town' | 'rural', start: Date) => slaTargetsFor(deps(), database().db, { type, level, areaKind }, start);

const cst = (local: string) => new Date(`${local}+08:00`);
const hours = (start: Date, h: number) => new Date(start.getTime() + h * 3600_000);
const start = cst('2026-03-06T17:00:00'); // a Friday

afterEach(() => vi.useRealTimers());

describe('the policy that applies', () => {
  it('gives a 五星钻 fault in a town 24 hours: the named level before the town', async () => {
    const t = await targets('fault', '5d', 'town', start);
    expect(t).toMatchObject({ clock: 'calendar', respondDueAt: hours(start, 0.5), resolveDueAt: hours(start, 24), warnAt: hours(start, 18), waivesFee: true });
  });

  it('gives a 3-star fault in a rural area 72 hours and a town one 48', async () => {
    expect((await targets('fault', '3', 'rural', start))?.resolveDueAt).toEqual(hours(start, 72));
    expect((await targets('fault', '3', 'town', start))?.resolveDueAt).toEqual(hours(start, 48));
    expect((await targets('fault', null, 'town', start))?.resolveDueAt).toEqual(hours(start, 48));
  });

  it('answers a complaint within 15 days whatever the level and area, warning after 12', async () => {
    const t = await targets('complaint', '2', 'rural', start);
    expect(t).toMatchObject({ resolveDueAt: hours(start, 15 * 24), warnAt: hours(start, 12 * 24), respondDueAt: hours(start, 24), waivesFee: false });
  });

  it('counts a consultation in working days, over the weekend and a holiday', async () => {
    await database().db.execute(sql`INSERT INTO holidays (day, kind, name) VALUES ('2026-03-09', 'holiday', '测试假日')`);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 }); // past the calendar's cache
    const t = await targets('consultation', '5d', 'town', start);
    // 1 h to Friday 18:00, 540 min on Tuesday, the last 480 on Wednesday; the warning at 80 % (864 min)
    expect(t).toMatchObject({ clock: 'business', respondDueAt: cst('2026-03-06T18:00:00'), resolveDueAt: cst('2026-03-11T17:00:00'), warnAt: cst('2026-03-11T13:24:00') });
  });

  it('skips a deactivated policy and answers null for a type without any', async () => {
    await database().db.execute(sql`UPDATE sla_policies SET active = false WHERE request_type = 'fault' AND level = '5d'`);
    expect((await targets('fault', '5d', 'town', start))?.resolveDueAt).toEqual(hours(start, 48));
    await database().db.execute(sql`UPDATE sla_policies SET active = true WHERE request_type = 'fault' AND level = '5d'`);
    expect(await targets('reconnection', '5d', 'town', start)).toBeNull();
  });
});

describe('a pause waiting for the customer', () => {
  it('moves the calendar due times on by the pause', async () => {
    const due = { clock: 'calendar' as const, respondDueAt: hours(start, 1), resolveDueAt: hours(start, 48), warnAt: hours(start, 36) };
    const moved = await resumeAfterPause(deps(), database().db, due, hours(start, 2), hours(start, 7));
    // the response was due before the pause: that breach stays where it was
    expect(moved).toEqual({ respondDueAt: hours(start, 1), resolveDueAt: hours(start, 53), warnAt: hours(start, 41) });
  });

  it('moves the business due times by the business time paused only', async () => {
    const due = { clock: 'business' as const, respondDueAt: null, resolveDueAt: cst('2026-03-12T10:00:00'), warnAt: cst('2026-03-11T15:00:00') };
    // paused Friday 17:00 to Tuesday 10:00 with Monday a holiday: 2 business hours
    const moved = await resumeAfterPause(deps(), database().db, due, start, cst('2026-03-10T10:00:00'));
    expect(moved).toEqual({ respondDueAt: null, resolveDueAt: cst('2026-03-12T12:00:00'), warnAt: cst('2026-03-11T17:00:00') });
  });
});

describe('the calendar', () => {
  it('is cached for a minute, then read again', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3600_000 });
    expect((await loadCalendar(deps())).isWorkingDay('2026-03-13')).toBe(true);
    await database().db.execute(sql`INSERT INTO holidays (day, kind, name) VALUES ('2026-03-13', 'holiday', '测试假日')`);
    expect((await loadCalendar(deps())).isWorkingDay('2026-03-13')).toBe(true);
    vi.setSystemTime(Date.now() + 61_000);
    expect((await loadCalendar(deps())).isWorkingDay('2026-03-13')).toBe(false);
  });

  it('knows the customer levels of the customers module', () => {
    expect(LEVELS).toEqual(CUSTOMER_LEVELS);
  });
});

describe("the demo's calendar", () => {
  it('adds the National Day week, its worked weekend days and 元旦 once, leaving a day already set', async () => {
    await database().db.execute(sql`INSERT INTO holidays (day, kind, name) VALUES ('2026-10-01', 'holiday', '管理员已设')`);
    await seedDemoHolidays(deps());
    await seedDemoHolidays(deps());
    const days = await database().rows<{ day: string; kind: string; name: string }>(
      sql`SELECT day::text AS day, kind, name FROM holidays WHERE day BETWEEN '2026-09-01' AND '2027-01-31' ORDER BY day`,
    );
    expect(days.map((d) => d.day)).toEqual(DEMO_HOLIDAYS.map((d) => d.day));
    expect(days[1]).toMatchObject({ day: '2026-10-01', name: '管理员已设' });
    for (const worked of DEMO_HOLIDAYS.filter((d) => d.kind === 'workday')) expect([0, 6]).toContain(new Date(`${worked.day}T00:00:00Z`).getUTCDay());
    const cal = await loadCalendar(deps());
    expect([cal.isWorkingDay('2026-10-07'), cal.isWorkingDay('2026-10-10'), cal.isWorkingDay('2027-01-01')]).toEqual([false, true, false]);
  });
});
