import type { Locale } from '../../../api/client';
import { localName, type MessageKey, type Translate } from '../../../i18n';

/** Codes of a dimension named by the console's catalogues (levels, industries, brands, kinds, archives, service types). */
const CATALOGUE: Record<string, string> = {
  level: 'rules.level.',
  fromLevel: 'rules.level.',
  toLevel: 'rules.level.',
  industry: 'customers.industry.',
  brand: 'customers.brand.',
  kind: 'customers.kind.',
  archive: 'customers.archive.',
  type: 'sla.type.',
};

type Names = Record<string, string | null | undefined>;

/**
 * A row's value of a dimension as a reader names it: units and managers by the server's labels (units in English
 * from `labelsEn` where they have an English name), codes by the catalogues, never a bare code.
 */
export function keyName(t: Translate, dimension: string, row: { keys: Names; labels: Names; labelsEn?: Names }, locale: Locale): string {
  const key = row.keys[dimension];
  if (key === null || key === undefined) return t('analysis.none');
  if (dimension === 'month') return key.slice(0, 7);
  const prefix = CATALOGUE[dimension];
  if (prefix) {
    const name = t(`${prefix}${key}` as MessageKey);
    if (name !== `${prefix}${key}`) return name;
  }
  return localName(locale, { name: row.labels[dimension] ?? key, nameEn: row.labelsEn?.[dimension] });
}

export const dimensionName = (t: Translate, d: string) => t(`analysis.dim.${d}` as MessageKey);
export const unitName = (t: Translate, unit: string) => t(`analysis.unit.${unit}` as MessageKey);

/** A figure for reading: money and ratios with two decimals, counts whole, thousands grouped. */
export function formatFigure(value: number | null | undefined, unit: string, locale: string): string {
  if (value === null || value === undefined) return '-';
  const whole = unit === 'accounts' || unit === 'times' || unit === 'messages' || unit === 'points';
  return value.toLocaleString(locale, { maximumFractionDigits: whole ? 0 : 2, minimumFractionDigits: whole ? 0 : unit === 'minutes' || unit === 'mb' ? 0 : 2 });
}

/** A percentage change with its sign; null as a dash. */
export const formatPct = (v: number | null | undefined) => (v === null || v === undefined ? '-' : `${v > 0 ? '+' : ''}${v.toFixed(2)}%`);
