/** How the console words its figures: sizes, durations, schedules, jobs and alerts by name, never by code. */
import type { Locale } from '../../../api/client';
import { catalogues, type MessageKey, type Translate } from '../../../i18n';

const has = (locale: Locale, key: string): key is MessageKey => Object.hasOwn(catalogues[locale], key);

/** A job by its name in the reader's language (`job.<name>`); a job the catalogue does not know yet keeps its name. */
export const jobName = (t: Translate, locale: Locale, name: string) => {
  const key = `job.${name}`;
  return has(locale, key) ? t(key) : name;
};

/** A duration in the units a person reads: 850 ms, 12.4 s, 3 min 5 s, 2 h 10 min, 3 d 4 h. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

const two = (v: string) => v.padStart(2, '0');
const plain = (v: string) => /^\d+$/.test(v);

/** A cron pattern worded for the common shapes (every minute, every n minutes, hourly, daily, weekly, monthly); any other shape as written. */
export function schedule(t: Translate, pattern: string): string {
  const [minute = '', hour = '', day = '', month = '', weekday = ''] = pattern.trim().split(/\s+/);
  if (month !== '*') return pattern;
  const time = `${two(hour)}:${two(minute)}`;
  if (minute === '*' && hour === '*' && day === '*' && weekday === '*') return t('monitor.schedule.everyMinute');
  const every = /^\*\/(\d+)$/.exec(minute);
  if (every && hour === '*' && day === '*' && weekday === '*') return t('monitor.schedule.everyMinutes', { n: Number(every[1]) });
  if (plain(minute) && hour === '*' && day === '*' && weekday === '*') return t('monitor.schedule.hourly', { minute: Number(minute) });
  if (!plain(minute) || !plain(hour)) return pattern;
  if (day === '*' && weekday === '*') return t('monitor.schedule.daily', { time });
  if (/^\d+(-\d+)?$/.test(day) && weekday === '*') return t('monitor.schedule.monthly', { day: day.replace('-', '–'), time });
  if (day === '*' && plain(weekday)) return t('monitor.schedule.weekly', { weekday: t('monitor.schedule.weekdays').split(',')[Number(weekday) % 7]!, time });
  return pattern;
}

export interface AlertLike {
  kind: string;
  detail: Record<string, unknown>;
}

/** An alert worded from its kind and figures (a job by its name). */
export function alertText(t: Translate, locale: Locale, alert: AlertLike): string {
  const vars = Object.fromEntries(Object.entries(alert.detail).map(([k, v]) => [k, typeof v === 'number' ? v : String(v)]));
  if (typeof alert.detail.job === 'string') vars.job = jobName(t, locale, alert.detail.job);
  const key = `alert.${alert.kind}`;
  return has(locale, key) ? t(key, vars) : alert.kind;
}
