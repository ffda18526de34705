import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

/** 指标体系 (analysis/indicators): problems and record names. */
export const analysisIndicators = {
  entity_analysis_indicator: { 'zh-CN': '自定义指标', 'en-US': 'The indicator' },
  analysis_indicator_unknown: { 'zh-CN': '指标体系中没有指标“{code}”', 'en-US': 'The indicator catalogue has no indicator “{code}”' },
  analysis_indicator_count: { 'zh-CN': '一次最多计算 {max} 个指标，至少 1 个', 'en-US': 'Evaluate between 1 and {max} indicators at a time' },
  analysis_dimension_count: { 'zh-CN': '最多选 {max} 个维度，每个维度只能选一次', 'en-US': 'Choose at most {max} dimensions, each once' },
  analysis_dimension_unsupported: { 'zh-CN': '指标“{code}”不能按这个维度（{dimension}）统计', 'en-US': 'The indicator “{code}” cannot be cut by this dimension ({dimension})' },
  analysis_month_invalid: { 'zh-CN': '月份应为 YYYY-MM，且结束月份不早于开始月份', 'en-US': 'Months are YYYY-MM, the last no earlier than the first' },
  analysis_filter_empty: { 'zh-CN': '限定条件至少要有一个维度和一个取值', 'en-US': 'A filter needs at least one dimension with a value' },
  analysis_dimensions_disjoint: { 'zh-CN': '两个指标没有共同的统计维度，不能组合', 'en-US': 'The two indicators share no dimension: they cannot be combined' },
  analysis_indicator_cycle: { 'zh-CN': '指标“{code}”的定义引用了正在定义的指标（循环引用）', 'en-US': 'The definition of “{code}” refers back to the indicator being defined (a cycle)' },
  analysis_indicator_in_use: { 'zh-CN': '指标“{code}”被其他自定义指标引用，不能删除', 'en-US': 'The indicator “{code}” is used by another indicator: it cannot be deleted' },
  analysis_month_without_facts: { 'zh-CN': '{month} 没有经营分析数据，无法汇总', 'en-US': 'There are no billing facts for {month} to roll up' },
} as const satisfies Record<string, Record<Locale, string>>;

type Code = keyof typeof analysisIndicators;
const type = (status: number, zh: string, en: string): ProblemType => ({ status: [status], advice: { 'zh-CN': zh, 'en-US': en } });
const PICK_ZH = '从 GET /api/analysis/indicators 列出的指标中选择，并只用该指标的 dimensions 中列出的维度。';
const PICK_EN = 'Choose an indicator that GET /api/analysis/indicators lists, cut only by the dimensions it lists.';

/** The problem pages of the sub-area's codes (merged into PROBLEM_TYPES). */
export const indicatorProblemTypes = {
  analysis_indicator_unknown: type(400, PICK_ZH, PICK_EN),
  analysis_indicator_count: type(400, '减少或增加所选指标。', 'Choose fewer (or at least one) indicators.'),
  analysis_dimension_count: type(400, '减少维度，去掉重复的维度。', 'Choose fewer dimensions, each once.'),
  analysis_dimension_unsupported: type(400, PICK_ZH, PICK_EN),
  analysis_month_invalid: type(400, '按 YYYY-MM 填写月份。', 'Write months as YYYY-MM.'),
  analysis_filter_empty: type(400, '为限定条件选择维度和取值。', 'Choose a dimension and its values for the filter.'),
  analysis_dimensions_disjoint: type(400, '选择可按相同维度统计的两个指标。', 'Choose two indicators that share a dimension.'),
  analysis_indicator_cycle: type(400, '改为引用不依赖本指标的指标。', 'Refer to indicators that do not depend on this one.'),
  analysis_indicator_in_use: type(409, '先修改或删除引用它的指标。', 'Change or delete the indicators using it first.'),
  analysis_month_without_facts: type(400, '先导入该月的经营分析数据。', 'Import the month’s billing facts first.'),
} as const satisfies Partial<Record<Code, ProblemType>>;
