/**
 * SLA clock arithmetic (服务时限), pure: no database, no current time.
 *
 * Two clocks. The calendar clock is plain elapsed time. The business clock counts only 09:00–18:00
 * Asia/Shanghai (UTC+8 all year, no daylight saving) on working days: Monday to Friday except holidays, and
 * the weekend days marked as worked instead (调休).
 *
 * Conventions of the business clock:
 * - A business instant is one in [09:00, 18:00] of a working day. 18:00 is the end of the day's last minute:
 *   a due time can fall on it (09:00 + 540 minutes is 18:00 of the same day, not 09:00 of the next one).
 * - A clock started outside business hours (or at 18:00 itself, when no minute of the day is left) starts at
 *   the next opening; adding 0 minutes returns that opening.
 * - Time is counted to the millisecond, so `clockMinutesBetween` may return a fraction of a minute; it is not
 *   rounded, so that spans add up (between(a, b) + between(b, c) = between(a, c)). A caller showing it rounds.
 */

export const CLOCKS = ['calendar', 'business'] as const;
export type Clock = (typeof CLOCKS)[number];

/** Working days: Monday–Friday, except holidays; weekend days marked `workday` (调休) are worked. */
export interface HolidayCalendar {
  isWorkingDay(day: string /* YYYY-MM-DD, Asia/Shanghai */): boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SHANGHAI = 8 * HOUR;
export const OPENS = 9 * HOUR;
export const CLOSES = 18 * HOUR;
/** The business minutes of a working day (540). */
export const BUSINESS_DAY_MINUTES = (CLOSES - OPENS) / MINUTE;
// Holidays never last this long; a calendar without any working day in it is an error, not an endless loop.
const MAX_DAYS_OFF = 366;

const isWeekend = (day: string) => {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
};

export const calendarOf = (days: { day: string; kind: 'holiday' | 'workday' }[]): HolidayCalendar => {
  const kinds = new Map(days.map((d) => [d.day, d.kind]));
  return {
    isWorkingDay(day) {
      const kind = kinds.get(day);
      if (kind === 'holiday') return false;
      if (kind === 'workday') return true;
      return !isWeekend(day);
    },
  };
};

/** A day of Asia/Shanghai as the number of days since 1970-01-01 (local), and back. */
const dayIndexOf = (utcMs: number) => Math.floor((utcMs + SHANGHAI) / DAY);
const dayStart = (index: number) => index * DAY - SHANGHAI; // UTC ms of local midnight
export const dayOf = (index: number) => new Date(index * DAY).toISOString().slice(0, 10);

/** The first working day at or after `index`. */
function workingDayFrom(index: number, cal: HolidayCalendar): number {
  for (let i = index; i < index + MAX_DAYS_OFF; i++) if (cal.isWorkingDay(dayOf(i))) return i;
  throw new Error(`no working day within ${MAX_DAYS_OFF} days after ${dayOf(index)}`);
}

/** The first instant at or after `t` from which business time runs, with its day. */
function nextBusinessInstant(t: number, cal: HolidayCalendar): { t: number; day: number } {
  const today = dayIndexOf(t);
  if (cal.isWorkingDay(dayOf(today)) && t < dayStart(today) + CLOSES) return { t: Math.max(t, dayStart(today) + OPENS), day: today };
  const day = workingDayFrom(today + 1, cal);
  return { t: dayStart(day) + OPENS, day };
}

/** The instant `ms` of business time after `start` (ms since the epoch), a day at a time. */
function addBusinessMs(start: number, ms: number, cal: HolidayCalendar): number {
  let { t, day } = nextBusinessInstant(start, cal);
  let left = ms;
  for (;;) {
    const close = dayStart(day) + CLOSES;
    if (left <= close - t) return t + left;
    left -= close - t;
    day = workingDayFrom(day + 1, cal);
    t = dayStart(day) + OPENS;
  }
}

/** Business time from `from` to `to`, whole working days counted without looking inside them. */
function businessMsBetween(from: number, to: number, cal: HolidayCalendar): number {
  // business time stands still outside business hours, so both ends may move to the next business instant
  const a = nextBusinessInstant(from, cal);
  const b = nextBusinessInstant(to, cal);
  if (b.t <= a.t) return 0;
  if (a.day === b.day) return b.t - a.t;
  let ms = dayStart(a.day) + CLOSES - a.t + (b.t - (dayStart(b.day) + OPENS));
  for (let d = a.day + 1; d < b.day; d++) if (cal.isWorkingDay(dayOf(d))) ms += CLOSES - OPENS;
  return ms;
}

/** The instant `ms` milliseconds of the clock after `start`. */
export function addClockMs(start: Date, ms: number, clock: Clock, cal: HolidayCalendar): Date {
  if (clock === 'calendar') return new Date(start.getTime() + ms);
  return new Date(addBusinessMs(start.getTime(), Math.max(0, ms), cal));
}

/** The milliseconds of the clock between two instants (0 when `to` <= `from`). */
export function clockMsBetween(from: Date, to: Date, clock: Clock, cal: HolidayCalendar): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  return clock === 'calendar' ? b - a : businessMsBetween(a, b, cal);
}

/** The instant `minutes` of the clock after `start`: calendar minutes, or business minutes counted 09:00–18:00 Asia/Shanghai on working days. */
export function addClockMinutes(start: Date, minutes: number, clock: Clock, cal: HolidayCalendar): Date {
  return addClockMs(start, Math.round(minutes * MINUTE), clock, cal);
}

/** The minutes of the clock between two instants (0 when `to` <= `from`); a fraction of a minute is kept. */
export function clockMinutesBetween(from: Date, to: Date, clock: Clock, cal: HolidayCalendar): number {
  return clockMsBetween(from, to, clock, cal) / MINUTE;
}
