import type { Schemas } from '../../../api/client';
import type { MessageKey, Translate } from '../../../i18n';

export type SlaPolicy = Schemas['SlaPolicy'];
export type Holiday = Schemas['Holiday'];
export type Clock = SlaPolicy['clock'];

export const REQUEST_TYPES = ['consultation', 'complaint', 'fault', 'bill_query', 'plan_change', 'sim_replacement', 'repair', 'payment', 'network_transfer'] as const;
/** Customer levels, highest first as a head thinks of them. */
export const LEVELS = ['5d', '5g', '5s', '4', '3', '2', '1', 'unrated', 'A', 'B', 'C'] as const;
export const AREA_KINDS = ['town', 'rural'] as const;
export const CLOCKS = ['calendar', 'business'] as const;

export const typeName = (t: Translate, type: string) => t(`sla.type.${type}` as MessageKey);
export const levelName = (t: Translate, level: string | null) => (level === null ? t('sla.anyLevel') : t(`rules.level.${level}` as MessageKey));
export const areaName = (t: Translate, area: string | null) => (area === null ? t('sla.anyArea') : t(`sla.area.${area}` as MessageKey));

/** A policy by name: 故障 · 五星钻 · 城镇 (a scope part that is "any" is left out). */
export function policyName(t: Translate, p: Pick<SlaPolicy, 'requestType' | 'level' | 'areaKind'>): string {
  return [typeName(t, p.requestType), p.level && levelName(t, p.level), p.areaKind && areaName(t, p.areaKind)].filter(Boolean).join(' · ');
}

/** Units a target is edited in; a working day is 09:00–18:00, 540 minutes of the business clock. */
export type Unit = 'minute' | 'hour' | 'day' | 'workHour' | 'workDay';
export const UNIT_MINUTES: Record<Unit, number> = { minute: 1, hour: 60, day: 1440, workHour: 60, workDay: 540 };
export const unitsOf = (clock: Clock): Unit[] => (clock === 'business' ? ['minute', 'workHour', 'workDay'] : ['minute', 'hour', 'day']);
/** The same unit on the other clock (2 天 becomes 2 个工作日). */
export const unitOnClock = (unit: Unit, clock: Clock): Unit =>
  clock === 'business' ? ({ hour: 'workHour', day: 'workDay' } as Record<Unit, Unit>)[unit] ?? unit : ({ workHour: 'hour', workDay: 'day' } as Record<Unit, Unit>)[unit] ?? unit;

/**
 * The unit a target reads best in: hours up to 72 (the standard speaks of 24, 48 and 72 hours), whole days
 * beyond; whole working days on the business clock.
 */
export function unitFor(minutes: number, clock: Clock): Unit {
  if (clock === 'business') return minutes % 540 === 0 ? 'workDay' : minutes % 60 === 0 ? 'workHour' : 'minute';
  if (minutes % 60 === 0 && minutes <= 72 * 60) return 'hour';
  if (minutes % 1440 === 0) return 'day';
  return minutes % 60 === 0 ? 'hour' : 'minute';
}

const DURATION_KEY: Record<Unit, MessageKey> = {
  minute: 'sla.duration.minutes',
  hour: 'sla.duration.hours',
  day: 'sla.duration.days',
  workHour: 'sla.duration.workHours',
  workDay: 'sla.duration.workDays',
};

/** "48 小时", "15 天", "2 个工作日". */
export function formatTarget(t: Translate, minutes: number, clock: Clock): string {
  const unit = unitFor(minutes, clock);
  return t(DURATION_KEY[unit], { n: minutes / UNIT_MINUTES[unit] });
}
