/**
 * 考核指标: the named indicators of a manager's monthly scorecard (DOMAIN.md §7, 业绩考核), in three groups —
 * business ability (业务能力), work (工作量) and service outcome (服务成效). Each is computed for all managers
 * of a month at once by one set-based SELECT (queries.ts, `figuresSql`); this file says what each one means.
 *
 * Shared definitions (the figures' "portfolio"):
 * - A manager's portfolio of a month is the customers assigned to them (`portfolio_assignments`) on the
 *   month's last day: from_date on or before it and until_date (exclusive) after it.
 * - Instants (signed_at, resolved_at, answered_at, submitted_at) fall in a month as people in 广东 count it.
 *
 * Scoring: achievement = value / target (higher is better) or target / value (lower is better; a value of 0
 * achieves 1.2); a line's score = weight × min(max(achievement, 0), 1.2); the total is the sum of the lines
 * (at most 120 when the weights sum to 100). An indicator without data for a manager (no customers billed,
 * no plan items, no task due, no request resolved, no survey answered …) achieves 0: its value is empty.
 * Counts (new key accounts, solutions signed, visits) are 0, not empty, when nothing happened.
 */
export const INDICATOR_GROUPS = ['business', 'work', 'service'] as const;
export type IndicatorGroup = (typeof INDICATOR_GROUPS)[number];
export const INDICATOR_UNITS = ['yuan', 'percent', 'times', 'accounts', 'points'] as const;
export type IndicatorUnit = (typeof INDICATOR_UNITS)[number];
export type Direction = 'higher' | 'lower';

export interface Indicator {
  code: string;
  group: IndicatorGroup;
  name: { 'zh-CN': string; 'en-US': string };
  definition: { 'zh-CN': string; 'en-US': string };
  /** 元, %, 次, 户, 分 */
  unit: IndicatorUnit;
  direction: Direction;
  /** A count: 0 when nothing happened (the others are empty without data). */
  count: boolean;
  /** Defaults, where neither the unit nor an ancestor set its own (weights sum to 100). */
  weight: number;
  target: number;
}

export const INDICATORS = [
  {
    code: 'portfolio_revenue',
    group: 'business',
    name: { 'zh-CN': '客户收入', 'en-US': 'Portfolio revenue' },
    definition: {
      'zh-CN': '当月末名下客户在当月的出账收入合计（customer_month_totals 的 billed）',
      'en-US': 'The month’s billed revenue of the customers in the portfolio at the month’s end (billed of customer_month_totals)',
    },
    unit: 'yuan',
    direction: 'higher',
    count: false,
    weight: 20,
    target: 150_000,
  },
  {
    code: 'revenue_growth',
    group: 'business',
    name: { 'zh-CN': '收入增长率', 'en-US': 'Revenue growth' },
    definition: {
      'zh-CN': '同一批客户（当月末名下客户）当月收入较上年同月的增长率；系统中没有上年同月的数据时，与上月相比',
      'en-US': 'Growth of the month’s revenue of the same customers (the portfolio at the month’s end) over the same month a year before; over the previous month when the system holds no figures of a year before',
    },
    unit: 'percent',
    direction: 'higher',
    count: false,
    weight: 10,
    target: 5,
  },
  {
    code: 'new_key_accounts',
    group: 'business',
    name: { 'zh-CN': '新增大客户', 'en-US': 'New key accounts' },
    definition: {
      'zh-CN': '当月首次分配给客户经理的客户数（此前从未有过客户经理；从其他经理转入的客户不计）',
      'en-US': 'Customers assigned to the manager in the month who never had a manager before (customers moved from another manager do not count)',
    },
    unit: 'accounts',
    direction: 'higher',
    count: true,
    weight: 5,
    target: 2,
  },
  {
    code: 'solutions_signed',
    group: 'business',
    name: { 'zh-CN': '方案签约', 'en-US': 'Solutions signed' },
    definition: {
      'zh-CN': '名下客户在当月签约的集团/个人解决方案数',
      'en-US': 'Group and personal solutions of the portfolio’s customers signed in the month',
    },
    unit: 'times',
    direction: 'higher',
    count: true,
    weight: 5,
    target: 1,
  },
  {
    code: 'plan_items_kept',
    group: 'work',
    name: { 'zh-CN': '计划完成率', 'en-US': 'Plan items kept' },
    definition: {
      'zh-CN': '本人工作计划中计划日期在当月的事项里，已完成的占比',
      'en-US': 'Share of the items of the manager’s plans planned in the month that are done',
    },
    unit: 'percent',
    direction: 'higher',
    count: false,
    weight: 10,
    target: 90,
  },
  {
    code: 'visits',
    group: 'work',
    name: { 'zh-CN': '拜访次数', 'en-US': 'Visits' },
    definition: {
      'zh-CN': '当月工作日志中的拜访，加上客户档案中本人登记、未关联日志的上门拜访或会面',
      'en-US': 'Visits in the month’s work log, plus the on-site visits and meetings the manager recorded on customers without a log entry',
    },
    unit: 'times',
    direction: 'higher',
    count: true,
    weight: 10,
    target: 8,
  },
  {
    code: 'tasks_on_time',
    group: 'work',
    name: { 'zh-CN': '任务按时完成率', 'en-US': 'Tasks on time' },
    definition: {
      'zh-CN': '截止日期在当月的任务（已取消的除外）中，在截止日当天或之前提交的占比',
      'en-US': 'Share of the tasks due in the month (cancelled ones aside) submitted on or before their due day',
    },
    unit: 'percent',
    direction: 'higher',
    count: false,
    weight: 10,
    target: 90,
  },
  {
    code: 'sla_met',
    group: 'service',
    name: { 'zh-CN': 'SLA 达标率', 'en-US': 'SLA met' },
    definition: {
      'zh-CN': '名下客户当月解决的工单中，未发生超时（响应或解决）的占比',
      'en-US': 'Share of the portfolio’s service requests resolved in the month without a breach (of response or resolution)',
    },
    unit: 'percent',
    direction: 'higher',
    count: false,
    weight: 10,
    target: 95,
  },
  {
    code: 'satisfaction',
    group: 'service',
    name: { 'zh-CN': '客户满意度', 'en-US': 'Satisfaction' },
    definition: {
      'zh-CN': '名下客户当月答复的满意度调查平均分（1–5 分）',
      'en-US': 'Average score (1–5) of the surveys of the portfolio’s requests answered in the month',
    },
    unit: 'points',
    direction: 'higher',
    count: false,
    weight: 10,
    target: 4.5,
  },
  {
    code: 'portfolio_churn',
    group: 'service',
    name: { 'zh-CN': '客户流失率', 'en-US': 'Portfolio churn' },
    definition: {
      'zh-CN': '月初在网的名下客户中，当月转入保留档案（离网、合并等）的占比；越低越好',
      'en-US': 'Share of the portfolio’s customers in network at the month’s start moved to the retained archive (lost, merged …) in the month; lower is better',
    },
    unit: 'percent',
    direction: 'lower',
    count: false,
    weight: 10,
    target: 1,
  },
] as const satisfies readonly Indicator[];

export type IndicatorCode = (typeof INDICATORS)[number]['code'];
export const INDICATOR_CODES = INDICATORS.map((i) => i.code) as [IndicatorCode, ...IndicatorCode[]];
export const indicatorOf = (code: string): Indicator | undefined => INDICATORS.find((i) => i.code === code);

/** A line's achievement (unclamped; null without data) and the score it earns. */
export function achievement(direction: Direction, value: number | null, target: number): number | null {
  if (value === null) return null;
  if (direction === 'higher') return target > 0 ? value / target : null;
  return value <= 0 ? 1.2 : target / value;
}

export const scoreOf = (weight: number, a: number | null) => Math.round(weight * Math.min(Math.max(a ?? 0, 0), 1.2) * 100) / 100;
