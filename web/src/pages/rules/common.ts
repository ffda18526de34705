import dayjs from 'dayjs';
import type { Schemas } from '../../api/client';
import type { paths } from '../../api/schema';
import { ZONE } from '../../components/format';
import type { MessageKey, Translate } from '../../i18n';

/** The rule families (规则族) in the order of the editor's tabs. */
export const FAMILIES = ['star', 'group_class', 'credit', 'points', 'potential', 'benefits'] as const;
export type Family = (typeof FAMILIES)[number];

/** 准星 and 1★ … 五星钻, lowest first; then the group classes C, B, A. */
export const STAR_LEVELS = ['unrated', '1', '2', '3', '4', '5s', '5g', '5d'] as const;
export const RATED_STARS = ['1', '2', '3', '4', '5s', '5g', '5d'] as const;
export const GROUP_CLASSES = ['C', 'B', 'A'] as const;
export const LEVELS = [...STAR_LEVELS, ...GROUP_CLASSES] as const;
export type Level = (typeof LEVELS)[number];

export type RuleVersion = Schemas['RuleVersion'];
export type RulePreview = Schemas['RulePreview'];
export type RuleRun = Schemas['RuleRun'];
export type CustomerRules = Schemas['CustomerRules'];
export type Rating = CustomerRules['history'][number];
export type VersionBody = paths['/api/rules/versions']['post']['requestBody']['content']['application/json'];
/** The parameters of one family, as the server's schema types them. */
export type ParamsOf<F extends Family> = Extract<VersionBody, { family: F }>['params'];
export type AnyParams = ParamsOf<Family>;

/** The label of a level code (五星钻, B 类集团…); `null` is a customer without a previous rating. */
export function levelLabel(t: Translate, level: string | null | undefined): string {
  if (level === null || level === undefined) return t('rules.level.none');
  const key = `rules.level.${level}` as MessageKey;
  const text = t(key);
  return text === key ? level : text;
}

export function familyLabel(t: Translate, family: string): string {
  const key = `rules.family.${family}` as MessageKey;
  const text = t(key);
  return text === key ? family : text;
}

/** `star v2 · credit v1 …` with the families' names. */
export function versionsText(t: Translate, versions: Record<string, number> | undefined): string {
  if (!versions) return '-';
  return FAMILIES.filter((f) => versions[f] !== undefined)
    .map((f) => `${familyLabel(t, f)} v${versions[f]}`)
    .join(' · ');
}

/** The month now in Asia/Shanghai, `YYYY-MM`. */
export function currentMonth(): string {
  return dayjs().tz(ZONE).format('YYYY-MM');
}

/** The last month that has ended (the default month to preview and run). */
export function previousMonth(): string {
  return dayjs().tz(ZONE).startOf('month').subtract(1, 'month').format('YYYY-MM');
}

/** `2026-10-01` → `2026-10`. */
export const monthOf = (date: string) => date.slice(0, 7);

/** Credit grades in a stable order: AAA, AA, A, B, C … */
export function sortGrades(grades: string[]): string[] {
  return [...grades].sort((a, b) => (a[0] === b[0] ? b.length - a.length : a.localeCompare(b)));
}

/**
 * A server field path (`params.grades.3.minAvgBill`, `drafts.star.grades.3.minAvgBill`) as the name of
 * the editor's form item (`['params', 'grades', 3, 'minAvgBill']`); other fields give null.
 */
export function formNameOf(field: string, family: Family): (string | number)[] | null {
  const rest = field.startsWith('params') ? field.slice('params'.length) : field.startsWith(`drafts.${family}`) ? field.slice(`drafts.${family}`.length) : null;
  if (rest === null) return field === 'effectiveFrom' || field === 'note' ? [field] : null;
  const parts = rest.split('.').filter(Boolean);
  return ['params', ...parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p))];
}
