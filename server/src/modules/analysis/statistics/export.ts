/** 综合统计 as a spreadsheet: the same figures as the page, with Chinese (or English) headers naming each unit. */
import type { TabularColumn } from '../../../platform/export/tabular.js';
import { isMessageCode, translate, type Locale } from '../../../platform/i18n/messages.js';
import type { Dimension, IndicatorDef } from '../indicators/catalogue.js';
import type { IndicatorInfo } from './catalogue-access.js';
import type { Figures, Statistics, StatisticsRow } from './schemas.js';

const both = (zh: string, en: string): Record<Locale, string> => ({ 'zh-CN': zh, 'en-US': en });

export const DIMENSION_NAMES: Record<Dimension, Record<Locale, string>> = {
  city: both('地市', 'City'),
  county: both('区县', 'County'),
  level: both('客户级别', 'Level'),
  industry: both('行业', 'Industry'),
  brand: both('品牌', 'Brand'),
  manager: both('客户经理', 'Account manager'),
  month: both('月份', 'Month'),
  archive: both('档案库', 'Archive'),
  kind: both('客户类型', 'Kind'),
};

export const UNIT_NAMES: Record<IndicatorDef['unit'], Record<Locale, string>> = {
  yuan: both('元', 'yuan'),
  yuan_per_account: both('元/户', 'yuan per account'),
  accounts: both('户', 'accounts'),
  percent: both('%', '%'),
  minutes: both('分钟', 'minutes'),
  mb: both('MB', 'MB'),
  messages: both('条', 'messages'),
  points: both('分', 'points'),
  times: both('次', 'times'),
  score: both('分', 'score'),
};

/** The catalogue message naming a coded key (levels, industries, brands, kinds, archives); units and managers come named by the engine. */
const CODED: Partial<Record<Dimension, string>> = { level: 'level_', industry: 'industry_', brand: 'brand_', kind: 'kind_', archive: 'archive_' };

/** A dimension value as a reader names it. */
export function keyName(d: Dimension, row: Pick<StatisticsRow, 'keys' | 'labels' | 'labelsEn'>, locale: Locale): string {
  const key = row.keys[d];
  const label = (locale === 'en-US' && row.labelsEn[d]) || row.labels[d];
  if (label) return label;
  if (key === null || key === undefined) return locale === 'zh-CN' ? '（未填）' : '(none)';
  const msg = CODED[d] && `${CODED[d]}${key}`;
  return msg && isMessageCode(msg) ? translate(msg, locale) : key;
}

type Line = Figures & { names: string[] };

/** The columns: the dimensions, then per indicator its value and, as asked, the comparisons. */
export function statisticsColumns(stats: Statistics, info: IndicatorInfo[], locale: Locale): TabularColumn<Line>[] {
  const zh = locale === 'zh-CN';
  const dims: TabularColumn<Line>[] = stats.dimensions.map((d, i) => ({ key: `d${i}`, header: DIMENSION_NAMES[d as Dimension], value: (l) => l.names[i], width: 16 }));
  const figures = info.flatMap((ind): TabularColumn<Line>[] => {
    const unit = UNIT_NAMES[ind.unit][locale];
    const name = `${ind.def.name[locale]}（${unit}）`;
    const decimals = ind.unit === 'accounts' || ind.unit === 'times' || ind.unit === 'messages' ? 0 : 2;
    const col = (suffix: Record<Locale, string>, pick: (l: Line) => number | null | undefined, d = decimals): TabularColumn<Line> => ({
      key: `${ind.code}${suffix['en-US']}`,
      header: { 'zh-CN': `${ind.def.name['zh-CN']}${suffix['zh-CN']}（${suffix['en-US'].endsWith('%') ? '%' : UNIT_NAMES[ind.unit]['zh-CN']}）`, 'en-US': `${ind.def.name['en-US']}${suffix['en-US']} (${suffix['en-US'].endsWith('%') ? '%' : UNIT_NAMES[ind.unit]['en-US']})` },
      value: (l) => pick(l) ?? null,
      decimals: d,
      width: Math.max(14, name.length + (zh ? 8 : 4)),
    });
    const out = [col(both('', ''), (l) => l.values[ind.code])];
    if (stats.previousPeriod)
      out.push(
        col(both('·上期', ' · previous'), (l) => l.previous?.[ind.code]),
        col(both('·环比增减', ' · change vs previous'), (l) => l.previousChange?.[ind.code]),
        col(both('·环比', ' · vs previous %'), (l) => l.previousPct?.[ind.code], 2),
      );
    if (stats.yearPeriod)
      out.push(
        col(both('·同期', ' · a year before'), (l) => l.yearAgo?.[ind.code]),
        col(both('·同比增减', ' · change vs a year before'), (l) => l.yearChange?.[ind.code]),
        col(both('·同比', ' · vs a year before %'), (l) => l.yearPct?.[ind.code], 2),
      );
    return out;
  });
  return [...dims, ...figures];
}

/** The lines of the sheet: each group of the first dimension, then its subtotal; the grand total last. */
export function statisticsLines(stats: Statistics, locale: Locale): Line[] {
  const dims = stats.dimensions as Dimension[];
  const subtotal = locale === 'zh-CN' ? '小计' : 'subtotal';
  const total = locale === 'zh-CN' ? '合计' : 'Total';
  // without dimensions the one row is the total
  if (!dims.length) return [{ ...stats.total, names: [] }];
  const lines: Line[] = [];
  const namesOf = (r: StatisticsRow) => dims.map((d) => keyName(d, r, locale));
  if (stats.subtotals.length) {
    const firstKey = (r: StatisticsRow) => r.keys[dims[0]!] ?? null;
    for (const sub of stats.subtotals) {
      lines.push(...stats.rows.filter((r) => firstKey(r) === firstKey(sub)).map((r) => ({ ...r, names: namesOf(r) })));
      lines.push({ ...sub, names: [`${keyName(dims[0]!, sub, locale)} ${subtotal}`, ...dims.slice(1).map(() => '')] });
    }
  } else lines.push(...stats.rows.map((r) => ({ ...r, names: namesOf(r) })));
  lines.push({ ...stats.total, names: [total, ...dims.slice(1).map(() => '')] });
  return lines;
}
