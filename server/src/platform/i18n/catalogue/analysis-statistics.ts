import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

/** 综合统计 and 高级分析 (analysis/statistics, analysis/dashboards): problems and record names. */
export const analysisStatistics = {
  entity_dashboard: { 'zh-CN': '分析专题', 'en-US': 'The dashboard' },
  entity_dashboard_panel: { 'zh-CN': '分析图表', 'en-US': 'The dashboard panel' },
  statistics_unknown_indicator: { 'zh-CN': '指标体系中没有指标“{code}”', 'en-US': 'The indicator catalogue has no indicator “{code}”' },
  statistics_dimension_not_supported: { 'zh-CN': '指标“{indicator}”不能按这个维度（{dimension}）统计', 'en-US': 'The indicator “{indicator}” cannot be cut by this dimension ({dimension})' },
  statistics_dimension_repeated: { 'zh-CN': '每个维度只能选一次', 'en-US': 'Choose each dimension once' },
  statistics_indicator_repeated: { 'zh-CN': '每个指标只能选一次', 'en-US': 'Choose each indicator once' },
  statistics_period_reversed: { 'zh-CN': '结束月份不能早于开始月份', 'en-US': 'The last month cannot be before the first' },
  statistics_period_too_long: { 'zh-CN': '统计期最长 36 个月', 'en-US': 'The period is at most 36 months' },
  dashboard_unit_not_eligible: { 'zh-CN': '请选择本单位范围内的地市或区县', 'en-US': 'Choose a city or county within your unit' },
  dashboard_drill_key_missing: { 'zh-CN': '钻取须指明“{key}”', 'en-US': 'A drill-down needs “{key}”' },
  dashboard_drill_unavailable: { 'zh-CN': '这个图表的数字不能钻取到客户', 'en-US': 'The figures of this panel do not open a customer list' },
} as const satisfies Record<string, Record<Locale, string>>;

type Code = keyof typeof analysisStatistics;
const type = (status: number, zh: string, en: string): ProblemType => ({ status: [status], advice: { 'zh-CN': zh, 'en-US': en } });
const PICK_ZH = '从 GET /api/analysis/indicators 列出的指标中选择，并只用该指标的 dimensions 中列出的维度。';
const PICK_EN = 'Choose an indicator that GET /api/analysis/indicators lists, cut only by the dimensions it lists.';

/** The problem pages of the sub-area's codes (merged into PROBLEM_TYPES). */
export const statisticsProblemTypes = {
  statistics_unknown_indicator: type(400, PICK_ZH, PICK_EN),
  statistics_dimension_not_supported: type(400, PICK_ZH, PICK_EN),
  statistics_dimension_repeated: type(400, '去掉重复的维度。', 'Remove the repeated dimension.'),
  statistics_indicator_repeated: type(400, '去掉重复的指标。', 'Remove the repeated indicator.'),
  statistics_period_reversed: type(400, '把开始月份改为不晚于结束月份。', 'Make the first month no later than the last.'),
  statistics_period_too_long: type(400, '缩短统计期，或分段统计。', 'Shorten the period, or run it in parts.'),
  dashboard_unit_not_eligible: type(400, '从单位树中选择本单位或下级的地市、区县。', 'Choose a city or county of your own unit’s subtree.'),
  dashboard_drill_key_missing: type(400, '带上图表行的键（如期初级别、竞争对手、产品）再钻取。', 'Send the keys of the panel’s row (a level, a competitor, a product) with the drill-down.'),
  dashboard_drill_unavailable: type(400, '趋势类专题图表不提供钻取，请从同一专题的其他图表钻取。', 'Trend panels of special figures do not drill down; drill from another panel of the dashboard.'),
} as const satisfies Partial<Record<Code, ProblemType>>;
