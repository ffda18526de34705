import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

/** 客户经理管理 (managers/scorecards): problems, notifications and record names of the sub-area. */
export const managersScorecards = {
  entity_scorecard: { 'zh-CN': '考核表', 'en-US': 'The scorecard' },
  entity_scorecard_line: { 'zh-CN': '考核指标', 'en-US': 'The scorecard indicator' },
  entity_scorecard_weights: { 'zh-CN': '本单位的考核权重与目标', 'en-US': 'The unit’s own weights and targets' },
  entity_scorecard_run: { 'zh-CN': '月度考核计算', 'en-US': 'The monthly scorecard run' },
  scorecard_month_future: { 'zh-CN': '{month} 尚未开始，不能计算考核', 'en-US': '{month} has not begun; its scorecards cannot be computed' },
  scorecard_open: { 'zh-CN': '考核表尚未关闭：未关闭的考核表由月度计算更新', 'en-US': 'The scorecard is open: open scorecards are updated by the monthly run' },
  scorecard_indicator_twice: { 'zh-CN': '指标 {indicator} 出现了两次', 'en-US': 'The indicator {indicator} is given twice' },
  scorecard_indicator_missing: { 'zh-CN': '缺少指标“{indicator}”：须一次设置全部指标', 'en-US': 'The indicator “{indicator}” is missing: set every indicator at once' },
  scorecard_version_required: { 'zh-CN': '删除本单位方案时须提供读取时的版本号', 'en-US': 'Removing the unit’s own settings needs the version they were read at' },
  scorecard_weights_sum: { 'zh-CN': '各指标权重之和须为 100，当前为 {sum}', 'en-US': 'The weights must sum to 100; they sum to {sum}' },
} as const satisfies Record<string, Record<Locale, string>>;

type Code = keyof typeof managersScorecards;
const type = (status: number, zh: string, en: string): ProblemType => ({ status: [status], advice: { 'zh-CN': zh, 'en-US': en } });

/** The problem pages of the scorecards' codes (merged into PROBLEM_TYPES). */
export const scorecardProblemTypes = {
  scorecard_month_future: type(400, '选择当前月份或之前的月份。', 'Choose the current month or an earlier one.'),
  scorecard_open: type(409, '未关闭的考核表请使用“计算”更新；关闭后才可单独重算。', 'Update open scorecards with the monthly run; a single card is recomputed once closed.'),
  scorecard_indicator_twice: type(400, '每个指标只填写一次。', 'Give each indicator once.'),
  scorecard_indicator_missing: type(400, '一次提交全部指标的权重与目标；不考核的指标权重填 0。', 'Send the weight and target of every indicator at once; weigh an indicator you do not assess 0.'),
  scorecard_version_required: type(400, '先读取本单位方案，再带上其版本号（version）删除。', 'Read the unit’s settings first, then remove them with their version.'),
  scorecard_weights_sum: type(422, '调整各指标权重，使合计恰为 100。', 'Adjust the weights so that they sum to exactly 100.'),
} as const satisfies Partial<Record<Code, ProblemType>>;
