import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

/** 流失预警 (analysis/churn): problems and record names. */
export const analysisChurn = {
  entity_churn_model: { 'zh-CN': '流失预警模型', 'en-US': 'The churn model' },
  churn_not_enough_history: { 'zh-CN': '经营分析数据不足：训练流失预警模型至少需要 {months} 个月的数据', 'en-US': 'Not enough history: a churn model needs at least {months} months of facts' },
  churn_no_leavers: { 'zh-CN': '训练期内没有（或全部是）流失客户，无法训练模型', 'en-US': 'The training months have no leaving customers (or only leaving ones): no model can be fitted' },
  churn_no_model: { 'zh-CN': '还没有流失预警模型，请先训练', 'en-US': 'There is no churn model yet: train one first' },
  churn_model_unknown: { 'zh-CN': '没有这个流失预警模型', 'en-US': 'There is no such churn model' },
  churn_no_scores: { 'zh-CN': '还没有流失预警评分，请先评分', 'en-US': 'There are no churn scores yet: score a month first' },
  churn_no_high_band: { 'zh-CN': '该月在您的范围内没有高风险客户', 'en-US': 'The month has no high-risk customers in your scope' },
} as const satisfies Record<string, Record<Locale, string>>;

type Code = keyof typeof analysisChurn;
const type = (status: number, zh: string, en: string): ProblemType => ({ status: [status], advice: { 'zh-CN': zh, 'en-US': en } });

/** The problem pages of the sub-area's codes (merged into PROBLEM_TYPES). */
export const churnProblemTypes = {
  churn_not_enough_history: type(409, '导入更多月份的经营分析数据后再训练。', 'Import more months of facts, then train again.'),
  churn_no_leavers: type(409, '等有客户携号转网、销户或转入保留档案库的月份导入后再训练。', 'Train again once months with customers porting out, closing or moving to the retained archive are imported.'),
  churn_no_model: type(409, '用 POST /api/analysis/churn/train 训练一个模型。', 'Train a model with POST /api/analysis/churn/train.'),
  churn_model_unknown: type(400, '从 GET /api/analysis/churn/models 列出的模型中选择，或不指定（用最新的）。', 'Choose a model GET /api/analysis/churn/models lists, or none (the latest).'),
  churn_no_scores: type(409, '用 POST /api/analysis/churn/score 评分。', 'Score a month with POST /api/analysis/churn/score.'),
  churn_no_high_band: type(400, '换一个月份或单位。', 'Choose another month or unit.'),
} as const satisfies Partial<Record<Code, ProblemType>>;
