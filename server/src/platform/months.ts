/** Months and days as people in 广东 count them (Asia/Shanghai): `YYYY-MM` at the edges, `YYYY-MM-01` in SQL. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // China has had no daylight saving time since 1991

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export const toMonthDate = (month: string) => `${month}-01`;
export const toMonth = (monthDate: string) => monthDate.slice(0, 7);

/** The month an instant falls in, as people in 广东 see the calendar. */
export function monthAt(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 7);
}

/** Today in 广东 as YYYY-MM-DD. */
export const todayAt = (now = new Date()) => new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
const DAY_MS = 86_400_000;
/** The calendar day `n` days after `day` (before it, `n` negative), YYYY-MM-DD. */
export const addDays = (day: string, n: number) => new Date(Date.parse(day) + n * DAY_MS).toISOString().slice(0, 10);
/** The Monday of the week of `day` (weeks start on Monday in China). */
export const mondayOf = (day: string) => addDays(day, -((new Date(Date.parse(day)).getUTCDay() + 6) % 7));
/** The calendar year in 广东 (yearly allowances count from 1 January, Asia/Shanghai). */
export const yearAt = (now = new Date()) => Number(monthAt(now).slice(0, 4));
/** The first day of the current month in 广东, YYYY-MM-01: the month whose rules are in effect now. */
export const currentMonthDate = (now = new Date()) => `${monthAt(now)}-01`;

/** The month before `month`. */
export function previousMonth(month: string): string {
  return addMonths(month, -1);
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

/** Whole months from `a` to `b` (negative when b is earlier), across year ends. */
export function monthsBetween(a: string, b: string): number {
  const [ya, ma] = a.split('-').map(Number) as [number, number];
  const [yb, mb] = b.split('-').map(Number) as [number, number];
  return (yb - ya) * 12 + (mb - ma);
}
