/**
 * The demo's holiday calendar (服务时限): the 2026 National Day week with its two worked weekend days (调休,
 * as the State Council's schedule for 2026 sets them) and New Year's Day 2027, so that business clocks
 * crossing them show at once. Idempotent: a day already in the calendar is left as an administrator set it.
 */
import { addMissingHolidays } from '../modules/services/sla/service.js';
import type { Deps } from '../platform/deps.js';

export const DEMO_HOLIDAYS: { day: string; kind: 'holiday' | 'workday'; name: string }[] = [
  { day: '2026-09-20', kind: 'workday', name: '国庆节调休上班' }, // a Sunday
  ...[1, 2, 3, 4, 5, 6, 7].map((d) => ({ day: `2026-10-0${d}`, kind: 'holiday' as const, name: '国庆节' })),
  { day: '2026-10-10', kind: 'workday', name: '国庆节调休上班' }, // a Saturday
  { day: '2027-01-01', kind: 'holiday', name: '元旦' },
];

export const seedDemoHolidays = (deps: Deps) => addMissingHolidays(deps, DEMO_HOLIDAYS);
