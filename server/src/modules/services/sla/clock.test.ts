/**
 * 服务时限的时钟: calendar minutes are plain arithmetic; business minutes run 09:00–18:00 Asia/Shanghai on
 * working days, across weekends, holidays, 调休 workdays, month and year ends and the local day boundary
 * (16:00 UTC). The properties are checked against a minute-by-minute count over short spans.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addClockMinutes, BUSINESS_DAY_MINUTES, calendarOf, clockMinutesBetween, type HolidayCalendar } from './clock.js';

/** 2026: 国庆 10-01…10-07 with 09-20 (Sun) and 10-10 (Sat) worked; 元旦 2027-01-01; 春节 2026-02-16…02-20 with 02-14 (Sat) worked. */
const cal = calendarOf([
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ day: `2026-10-${d}`, kind: 'holiday' as const })),
  { day: '2026-09-20', kind: 'workday' },
  { day: '2026-10-10', kind: 'workday' },
  { day: '2027-01-01', kind: 'holiday' },
  ...['16', '17', '18', '19', '20'].map((d) => ({ day: `2026-02-${d}`, kind: 'holiday' as const })),
  { day: '2026-02-14', kind: 'workday' },
]);

/** An instant written in Asia/Shanghai time. */
const cst = (local: string) => new Date(`${local}+08:00`);
const business = (start: Date, minutes: number, c: HolidayCalendar = cal) => addClockMinutes(start, minutes, 'business', c);
const between = (from: Date, to: Date) => clockMinutesBetween(from, to, 'business', cal);
const localOf = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString();

// instants from late 2025 to early 2028, so that the holidays, month and year ends above are crossed
const instant = fc.date({ min: new Date('2025-12-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true });
const minuteInstant = instant.map((d) => new Date(Math.floor(d.getTime() / 60_000) * 60_000));
const minutes = fc.integer({ min: 0, max: 30 * BUSINESS_DAY_MINUTES });

/** The oracle: business minutes from one whole minute to another, counted one minute at a time. */
function countMinutes(from: Date, to: Date): number {
  let n = 0;
  for (let t = from.getTime(); t < to.getTime(); t += 60_000) {
    const local = localOf(new Date(t));
    const hhmm = local.slice(11, 16);
    if (cal.isWorkingDay(local.slice(0, 10)) && hhmm >= '09:00' && hhmm < '18:00') n++;
  }
  return n;
}

describe('the calendar', () => {
  it('works Monday to Friday, not on holidays, and on the weekend days marked as worked', () => {
    expect(cal.isWorkingDay('2026-03-06')).toBe(true); // Friday
    expect(cal.isWorkingDay('2026-03-07')).toBe(false); // Saturday
    expect(cal.isWorkingDay('2026-10-01')).toBe(false); // 国庆, a Thursday
    expect(cal.isWorkingDay('2026-10-10')).toBe(true); // 调休, a Saturday
    expect(calendarOf([]).isWorkingDay('2026-10-01')).toBe(true);
  });
});

describe('hand-computed due times', () => {
  it('moves a fault raised on Friday at 17:00 with 120 business minutes to Monday 10:00', () => {
    expect(business(cst('2026-03-06T17:00:00'), 120)).toEqual(cst('2026-03-09T10:00:00'));
  });

  it('skips the National Day week and counts the 调休 Saturday after it', () => {
    expect(business(cst('2026-09-30T17:00:00'), 120)).toEqual(cst('2026-10-08T10:00:00'));
    expect(business(cst('2026-10-09T17:00:00'), 120)).toEqual(cst('2026-10-10T10:00:00'));
    expect(business(cst('2026-09-18T17:00:00'), 120)).toEqual(cst('2026-09-20T10:00:00')); // the Sunday worked before it
    expect(between(cst('2026-09-30T09:00:00'), cst('2026-10-08T09:00:00'))).toBe(BUSINESS_DAY_MINUTES);
  });

  it('crosses the end of the year over 元旦 and the weekend after it', () => {
    expect(business(cst('2026-12-31T17:30:00'), 60)).toEqual(cst('2027-01-04T09:30:00'));
  });

  it('crosses the end of a month', () => {
    expect(business(cst('2026-03-31T16:00:00'), 3 * 60)).toEqual(cst('2026-04-01T10:00:00'));
  });

  it('ends a day at 18:00 and goes on at 09:00 of the next working day', () => {
    expect(business(cst('2026-03-09T09:00:00'), BUSINESS_DAY_MINUTES)).toEqual(cst('2026-03-09T18:00:00'));
    expect(business(cst('2026-03-09T09:00:00'), BUSINESS_DAY_MINUTES + 1)).toEqual(cst('2026-03-10T09:01:00'));
  });

  it('starts a clock raised outside business hours at the next opening', () => {
    expect(business(cst('2026-03-09T18:00:00'), 0)).toEqual(cst('2026-03-10T09:00:00'));
    expect(business(cst('2026-03-09T07:12:00'), 0)).toEqual(cst('2026-03-09T09:00:00'));
    expect(business(cst('2026-03-07T11:00:00'), 30)).toEqual(cst('2026-03-09T09:30:00'));
  });

  it('takes the day from Asia/Shanghai, which begins at 16:00 UTC', () => {
    // Friday 23:30 and Saturday 00:30 in Shanghai are both Friday in UTC; neither is worked
    expect(business(new Date('2026-03-06T15:30:00Z'), 0)).toEqual(new Date('2026-03-09T01:00:00Z'));
    expect(business(new Date('2026-03-06T16:30:00Z'), 0)).toEqual(new Date('2026-03-09T01:00:00Z'));
    // Thursday 16:30 UTC is Friday 00:30 in Shanghai: Friday opens at 01:00 UTC
    expect(business(new Date('2026-03-05T16:30:00Z'), 0)).toEqual(new Date('2026-03-06T01:00:00Z'));
  });

  it('gives the default policies their working days', () => {
    // 咨询 2 个工作日 (1080 min) from Monday 10:00, 转网 5 个工作日 (2700 min) from Friday 14:00
    expect(business(cst('2026-03-09T10:00:00'), 1080)).toEqual(cst('2026-03-11T10:00:00'));
    expect(business(cst('2026-03-13T14:00:00'), 2700)).toEqual(cst('2026-03-20T14:00:00'));
  });

  it('computes a 15-day calendar target as plain arithmetic', () => {
    const start = cst('2026-09-28T10:00:00');
    expect(addClockMinutes(start, 21600, 'calendar', cal)).toEqual(cst('2026-10-13T10:00:00'));
    expect(clockMinutesBetween(start, cst('2026-10-13T10:00:00'), 'calendar', cal)).toBe(21600);
  });

  it('counts nothing backwards and refuses a calendar without working days', () => {
    expect(between(cst('2026-03-10T10:00:00'), cst('2026-03-09T10:00:00'))).toBe(0);
    const never: HolidayCalendar = { isWorkingDay: () => false };
    expect(() => business(cst('2026-03-09T10:00:00'), 10, never)).toThrow(/no working day/);
  });

  it('keeps a long span quick: years of business minutes a day at a time', () => {
    const started = performance.now();
    const due = business(cst('2026-01-05T09:00:00'), 250 * 3 * BUSINESS_DAY_MINUTES);
    expect(between(cst('2026-01-05T09:00:00'), due)).toBe(250 * 3 * BUSINESS_DAY_MINUTES);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('properties', () => {
  it('the calendar clock is plain arithmetic', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 100_000 }), (s, m) => {
        const due = addClockMinutes(s, m, 'calendar', cal);
        expect(due.getTime()).toBe(s.getTime() + m * 60_000);
        expect(clockMinutesBetween(s, due, 'calendar', cal)).toBe(m);
      }),
    );
  });

  it('is monotonic in the minutes', () => {
    fc.assert(
      fc.property(instant, minutes, minutes, (s, m1, m2) => {
        const [lo, hi] = m1 <= m2 ? [m1, m2] : [m2, m1];
        expect(business(s, lo).getTime()).toBeLessThanOrEqual(business(s, hi).getTime());
      }),
    );
  });

  it('counts back the minutes it added', () => {
    fc.assert(
      fc.property(instant, minutes, (s, m) => {
        expect(between(s, business(s, m))).toBe(m);
      }),
    );
  });

  it('never ends on a day off or outside 09:00–18:00', () => {
    fc.assert(
      fc.property(instant, minutes, (s, m) => {
        const local = localOf(business(s, m));
        expect(cal.isWorkingDay(local.slice(0, 10))).toBe(true);
        const time = local.slice(11, 23);
        expect(time >= '09:00:00.000' && time <= '18:00:00.000').toBe(true);
        if (m === 0) expect(time < '18:00:00.000').toBe(true);
      }),
    );
  });

  it('adds up over consecutive spans', () => {
    fc.assert(
      fc.property(instant, instant, instant, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        expect(between(a, b) + between(b, c)).toBeCloseTo(between(a, c), 9);
      }),
    );
  });

  it('agrees with a minute-by-minute count over spans of up to three weeks', () => {
    fc.assert(
      fc.property(minuteInstant, fc.integer({ min: 0, max: 21 * 24 * 60 }), (from, span) => {
        const to = new Date(from.getTime() + span * 60_000);
        expect(between(from, to)).toBe(countMinutes(from, to));
      }),
      { numRuns: 60 },
    );
  });
});
