/**
 * 指标体系 as a document: the whole catalogue (built-in and derived) as an .xlsx sheet through the
 * platform's tabular writer, or as Markdown for the docs and for reading in a browser.
 */
import type { TabularColumn } from '../../../platform/export/tabular.js';
import type { Locale } from '../../../platform/i18n/messages.js';
import type { IndicatorOut } from './schemas.js';

const WORDS: Record<string, Record<Locale, string>> = {
  customers: { 'zh-CN': '客户发展', 'en-US': 'Customers' },
  volume: { 'zh-CN': '通信行为', 'en-US': 'Volume' },
  revenue: { 'zh-CN': '收入', 'en-US': 'Revenue' },
  arrears: { 'zh-CN': '欠费', 'en-US': 'Arrears' },
  points: { 'zh-CN': '积分', 'en-US': 'Points' },
  service: { 'zh-CN': '服务', 'en-US': 'Service' },
  marketing: { 'zh-CN': '营销', 'en-US': 'Marketing' },
  managers: { 'zh-CN': '客户经理', 'en-US': 'Account managers' },
  yuan: { 'zh-CN': '元', 'en-US': 'yuan' },
  yuan_per_account: { 'zh-CN': '元/户', 'en-US': 'yuan per account' },
  accounts: { 'zh-CN': '户', 'en-US': 'accounts' },
  percent: { 'zh-CN': '%', 'en-US': '%' },
  minutes: { 'zh-CN': '分钟', 'en-US': 'minutes' },
  mb: { 'zh-CN': 'MB', 'en-US': 'MB' },
  messages: { 'zh-CN': '条', 'en-US': 'messages' },
  points_unit: { 'zh-CN': '分', 'en-US': 'points' },
  times: { 'zh-CN': '次', 'en-US': 'times' },
  score: { 'zh-CN': '分', 'en-US': 'score' },
  city: { 'zh-CN': '地市', 'en-US': 'city' },
  county: { 'zh-CN': '区县', 'en-US': 'county' },
  level: { 'zh-CN': '级别', 'en-US': 'level' },
  industry: { 'zh-CN': '行业', 'en-US': 'industry' },
  brand: { 'zh-CN': '品牌', 'en-US': 'brand' },
  manager: { 'zh-CN': '客户经理', 'en-US': 'manager' },
  month: { 'zh-CN': '月份', 'en-US': 'month' },
  archive: { 'zh-CN': '档案', 'en-US': 'archive' },
  kind: { 'zh-CN': '客户类型', 'en-US': 'customer kind' },
  facts: { 'zh-CN': '经营分析数据', 'en-US': 'billing facts' },
  totals: { 'zh-CN': '客户月度汇总', 'en-US': 'customer month totals' },
  ratings: { 'zh-CN': '月度评级', 'en-US': 'monthly ratings' },
  customer_profiles: { 'zh-CN': '客户档案', 'en-US': 'customer profiles' },
  requests: { 'zh-CN': '服务请求', 'en-US': 'service requests' },
  surveys: { 'zh-CN': '满意度调查', 'en-US': 'satisfaction surveys' },
  points_ledger: { 'zh-CN': '积分流水', 'en-US': 'points ledger' },
  campaigns: { 'zh-CN': '营销活动', 'en-US': 'campaigns' },
  scorecards: { 'zh-CN': '业绩考核', 'en-US': 'scorecards' },
  rollup: { 'zh-CN': '月度汇总表', 'en-US': 'monthly rollup' },
  raw: { 'zh-CN': '明细数据', 'en-US': 'raw data' },
  higher: { 'zh-CN': '越高越好', 'en-US': 'higher is better' },
  lower: { 'zh-CN': '越低越好', 'en-US': 'lower is better' },
  neutral: { 'zh-CN': '中性', 'en-US': 'neutral' },
  builtin: { 'zh-CN': '内置', 'en-US': 'built-in' },
  derived: { 'zh-CN': '自定义', 'en-US': 'derived' },
};
// the keys that collide between the lists (a unit 'points' and a source 'points', a source 'customers' and a group)
const word = (key: string, locale: Locale, kind?: 'unit' | 'source') => {
  const k = kind === 'unit' && key === 'points' ? 'points_unit' : kind === 'source' && key === 'points' ? 'points_ledger' : kind === 'source' && key === 'customers' ? 'customer_profiles' : key;
  return WORDS[k]?.[locale] ?? key;
};

export function documentColumns(locale: Locale): TabularColumn<IndicatorOut>[] {
  return [
    { key: 'code', header: { 'zh-CN': '指标编码', 'en-US': 'Code' }, width: 26 },
    { key: 'name', header: { 'zh-CN': '指标名称', 'en-US': 'Name' }, value: (r) => r.name[locale], width: 24 },
    { key: 'group', header: { 'zh-CN': '分类', 'en-US': 'Group' }, value: (r) => word(r.group, locale), width: 12 },
    { key: 'definition', header: { 'zh-CN': '定义', 'en-US': 'Definition' }, value: (r) => r.definition[locale], width: 60 },
    { key: 'formula', header: { 'zh-CN': '计算公式', 'en-US': 'Formula' }, value: (r) => r.formula[locale], width: 40 },
    { key: 'unit', header: { 'zh-CN': '单位', 'en-US': 'Unit' }, value: (r) => word(r.unit, locale, 'unit'), width: 10 },
    { key: 'dimensions', header: { 'zh-CN': '统计维度', 'en-US': 'Dimensions' }, value: (r) => r.dimensions.map((d) => word(d, locale)).join(locale === 'zh-CN' ? '、' : ', '), width: 40 },
    { key: 'source', header: { 'zh-CN': '数据来源', 'en-US': 'Source' }, value: (r) => word(r.source, locale, 'source'), width: 16 },
    { key: 'reads', header: { 'zh-CN': '读取', 'en-US': 'Reads' }, value: (r) => word(r.reads, locale), width: 12 },
    { key: 'direction', header: { 'zh-CN': '方向', 'en-US': 'Direction' }, value: (r) => word(r.direction, locale), width: 12 },
    { key: 'derived', header: { 'zh-CN': '类型', 'en-US': 'Kind' }, value: (r) => word(r.derived ? 'derived' : 'builtin', locale), width: 10 },
  ];
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The catalogue as a Markdown document: a section per group, a table of its indicators. */
export function catalogueMarkdown(indicators: IndicatorOut[], locale: Locale): string {
  const columns = documentColumns(locale).filter((c) => c.key !== 'group');
  const title = locale === 'zh-CN' ? '# 指标体系' : '# Indicator catalogue';
  const groups = [...new Set(indicators.map((i) => i.group))];
  const sections = groups.map((g) => {
    const rows = indicators.filter((i) => i.group === g);
    const head = `| ${columns.map((c) => c.header[locale]).join(' | ')} |\n|${columns.map(() => ' --- |').join('')}`;
    const body = rows.map((r) => `| ${columns.map((c) => cell(String(c.value ? c.value(r) ?? '' : (r as unknown as Record<string, unknown>)[c.key] ?? ''))).join(' | ')} |`).join('\n');
    return `## ${word(g, locale)}\n\n${head}\n${body}`;
  });
  return `${title}\n\n${sections.join('\n\n')}\n`;
}
