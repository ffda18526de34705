/**
 * 指标体系 (DOMAIN.md §9): every figure the analysis area shows is a named indicator of this catalogue —
 * its code, names, definition and formula in both languages, unit, the dimensions it can be cut by, where its
 * data comes from and whether it reads the monthly rollup (analysis_month_cube) or the raw tables.
 * Dashboards, statistics, scorecards' analyses and exports all name indicators by these codes.
 *
 * This file is the contract the other analysis sub-areas code against (docs/analysis/indicators.md); how
 * each indicator is computed lives in measures.ts (the engine's side), so that this stays plain data.
 * Administrators add derived indicators on top of these (derived.ts): those are stored in the database.
 */
import { SCORECARD_INDICATORS } from '../../managers/scorecards/service.js';

/** 'city'/'county': the customer's unit rolled up to its city / county (地市/区县). */
export const DIMENSIONS = ['city', 'county', 'level', 'industry', 'brand', 'manager', 'month', 'archive', 'kind'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const INDICATOR_GROUPS = ['customers', 'volume', 'revenue', 'arrears', 'points', 'service', 'marketing', 'managers'] as const;
export type IndicatorGroup = (typeof INDICATOR_GROUPS)[number];

export const INDICATOR_UNITS = ['yuan', 'yuan_per_account', 'accounts', 'percent', 'minutes', 'mb', 'messages', 'points', 'times', 'score'] as const;
export type IndicatorUnit = (typeof INDICATOR_UNITS)[number];

export const INDICATOR_SOURCES = ['facts', 'totals', 'ratings', 'customers', 'requests', 'surveys', 'points', 'campaigns', 'scorecards'] as const;
export type IndicatorSource = (typeof INDICATOR_SOURCES)[number];

export type Localized = { 'zh-CN': string; 'en-US': string };

export interface IndicatorDef {
  /** snake_case, stable: e.g. 'billed_revenue', 'arpu', 'customers', 'new_customers' */
  code: string;
  group: IndicatorGroup;
  name: Localized;
  definition: Localized;
  /** in words over measures, e.g. '出账收入 ÷ 出账客户数' */
  formula: Localized;
  unit: IndicatorUnit;
  /** what it can be cut by */
  dimensions: readonly Dimension[];
  source: IndicatorSource;
  reads: 'rollup' | 'raw';
  direction: 'higher' | 'lower' | 'neutral';
  /** Set on administrators' indicators (derived.ts): the catalogue lists both kinds together. */
  derived?: boolean;
}

/** Everything the monthly rollup can be cut by. */
const CUBE: readonly Dimension[] = DIMENSIONS;
/** Raw sources joined to the customer: the same cuts (the level is the month's rating, the rest the profile's current values). */
const RAW_CUSTOMER: readonly Dimension[] = DIMENSIONS;
/** Scorecards are per manager and month; the manager's unit gives city and county. */
const SCORECARD: readonly Dimension[] = ['month', 'manager', 'city', 'county'];
/** Campaigns (the "query" sub-area) are counted per customer reached. */
const CAMPAIGN: readonly Dimension[] = DIMENSIONS;

type Spec = Omit<IndicatorDef, 'name' | 'definition' | 'formula'> & {
  name: [zh: string, en: string];
  definition: [zh: string, en: string];
  formula: [zh: string, en: string];
};
const l = ([zh, en]: [string, string]): Localized => ({ 'zh-CN': zh, 'en-US': en });
const def = (s: Spec): IndicatorDef => ({ ...s, name: l(s.name), definition: l(s.definition), formula: l(s.formula) });

const rollup = (source: IndicatorSource) => ({ source, reads: 'rollup' as const, dimensions: CUBE });

const PRODUCTS = [
  ['voice', '语音', 'voice'],
  ['sms', '短信', 'SMS'],
  ['data', '数据流量', 'data'],
  ['vas', '增值业务', 'value-added services'],
  ['roaming', '漫游', 'roaming'],
] as const;

const customers: IndicatorDef[] = [
  def({ code: 'customers', group: 'customers', unit: 'accounts', direction: 'higher', ...rollup('customers'),
    name: ['客户数', 'Customers'],
    definition: ['月末在网的大客户，加上当月转入保留档案或当月有账单的客户（未被合并）；按档案维度可分出在网与保留', 'Key accounts in network at the month’s end, plus those moved to the retained archive in the month or billed in it (merged ones aside); the archive dimension splits in network from retained'],
    formula: ['计数（客户）', 'count(customers)'] }),
  def({ code: 'in_network_customers', group: 'customers', unit: 'accounts', direction: 'higher', ...rollup('customers'),
    name: ['在网客户数', 'Customers in network'],
    definition: ['月末处于在网档案的大客户数（入网日期不晚于月末，且未在月末前转入保留档案）', 'Key accounts in the in-network archive at the month’s end (joined by then and not moved to the retained archive before it)'],
    formula: ['计数（月末在网客户）', 'count(customers in network at month end)'] }),
  def({ code: 'new_customers', group: 'customers', unit: 'accounts', direction: 'higher', ...rollup('customers'),
    name: ['新增客户数', 'New customers'],
    definition: ['入网日期在当月的大客户数', 'Key accounts whose joining date falls in the month'],
    formula: ['计数（入网日期 ∈ 当月）', 'count(joined in month)'] }),
  def({ code: 'lost_customers', group: 'customers', unit: 'accounts', direction: 'lower', ...rollup('customers'),
    name: ['流失客户数', 'Lost customers'],
    definition: ['当月转入保留档案（离网、合并除外）的大客户数', 'Key accounts moved to the retained archive in the month'],
    formula: ['计数（转入保留档案日期 ∈ 当月）', 'count(archived in month)'] }),
  def({ code: 'churn_rate', group: 'customers', unit: 'percent', direction: 'lower', ...rollup('customers'),
    name: ['客户流失率', 'Churn rate'],
    definition: ['当月流失客户占月初在网客户的比例（月初在网 = 月末在网 + 流失 − 新增）', 'Lost customers as a share of those in network at the month’s start (start = end + lost − new)'],
    formula: ['流失客户数 ÷（在网客户数 + 流失客户数 − 新增客户数）× 100', 'lost ÷ (in network + lost − new) × 100'] }),
  def({ code: 'strategic_customers', group: 'customers', unit: 'accounts', direction: 'higher', ...rollup('customers'),
    name: ['战略客户数', 'Strategic customers'],
    definition: ['标记为战略客户（无论评级均视为 A 类）的在网集团客户数', 'Group customers in network flagged strategic (class A whatever their figures)'],
    formula: ['计数（战略客户且月末在网）', 'count(strategic and in network)'] }),
  def({ code: 'rated_customers', group: 'customers', unit: 'accounts', direction: 'neutral', ...rollup('ratings'),
    name: ['已评级客户数', 'Rated customers'],
    definition: ['当月月度规则运行给出级别（含未评级原因）的客户数；按级别维度即为各级别客户数', 'Customers given a level by the month’s rules run; cut by level, the customers of each level'],
    formula: ['计数（当月有评级记录）', 'count(rated in month)'] }),
  def({ code: 'level_upgrades', group: 'customers', unit: 'accounts', direction: 'higher', ...rollup('ratings'),
    name: ['级别升级客户数', 'Level upgrades'],
    definition: ['当月生效级别高于上月级别的客户数（级别迁移）', 'Customers whose level in force rose over last month’s (level migration)'],
    formula: ['计数（当月级别 > 上月级别）', 'count(level > previous level)'] }),
  def({ code: 'level_downgrades', group: 'customers', unit: 'accounts', direction: 'lower', ...rollup('ratings'),
    name: ['级别降级客户数', 'Level downgrades'],
    definition: ['当月生效级别低于上月级别的客户数（级别迁移）', 'Customers whose level in force fell below last month’s (level migration)'],
    formula: ['计数（当月级别 < 上月级别）', 'count(level < previous level)'] }),
];

const volume: IndicatorDef[] = [
  def({ code: 'voice_minutes', group: 'volume', unit: 'minutes', direction: 'higher', ...rollup('facts'),
    name: ['语音通话分钟数', 'Voice minutes'],
    definition: ['当月各号码本地、长途、漫游通话分钟数之和', 'Local, long-distance and roaming minutes of the month’s subscriptions'],
    formula: ['本地分钟 + 长途分钟 + 漫游分钟', 'local + long distance + roaming minutes'] }),
  def({ code: 'local_minutes', group: 'volume', unit: 'minutes', direction: 'higher', ...rollup('facts'),
    name: ['本地通话分钟数', 'Local minutes'], definition: ['当月本地通话分钟数', 'Local call minutes of the month'], formula: ['Σ 本地分钟', 'Σ local minutes'] }),
  def({ code: 'long_distance_minutes', group: 'volume', unit: 'minutes', direction: 'higher', ...rollup('facts'),
    name: ['长途通话分钟数', 'Long-distance minutes'], definition: ['当月长途通话分钟数', 'Long-distance call minutes of the month'], formula: ['Σ 长途分钟', 'Σ long-distance minutes'] }),
  def({ code: 'roaming_minutes', group: 'volume', unit: 'minutes', direction: 'higher', ...rollup('facts'),
    name: ['漫游通话分钟数', 'Roaming minutes'], definition: ['当月漫游通话分钟数', 'Roaming call minutes of the month'], formula: ['Σ 漫游分钟', 'Σ roaming minutes'] }),
  def({ code: 'data_mb', group: 'volume', unit: 'mb', direction: 'higher', ...rollup('facts'),
    name: ['数据流量', 'Data volume'], definition: ['当月数据流量（MB）', 'Mobile data used in the month (MB)'], formula: ['Σ 流量 MB', 'Σ data MB'] }),
  def({ code: 'sms_count', group: 'volume', unit: 'messages', direction: 'higher', ...rollup('facts'),
    name: ['短信条数', 'SMS sent'], definition: ['当月发送短信条数', 'Text messages sent in the month'], formula: ['Σ 短信条数', 'Σ messages'] }),
  def({ code: 'mou', group: 'volume', unit: 'minutes', direction: 'higher', ...rollup('facts'),
    name: ['户均通话分钟（MOU）', 'Minutes per account (MOU)'],
    definition: ['出账客户的户均语音通话分钟数', 'Voice minutes per billed customer'],
    formula: ['语音通话分钟数 ÷ 出账客户数', 'voice minutes ÷ billed customers'] }),
  def({ code: 'dou', group: 'volume', unit: 'mb', direction: 'higher', ...rollup('facts'),
    name: ['户均流量（DOU）', 'Data per account (DOU)'],
    definition: ['出账客户的户均数据流量（MB）', 'Data MB per billed customer'],
    formula: ['数据流量 ÷ 出账客户数', 'data MB ÷ billed customers'] }),
  def({ code: 'billed_subscriptions', group: 'volume', unit: 'times', direction: 'higher', ...rollup('facts'),
    name: ['出账号码数', 'Billed subscriptions'], definition: ['当月有账单记录的号码数', 'Subscriptions with a bill in the month'], formula: ['计数（当月账单记录）', 'count(fact rows)'] }),
];

const revenue: IndicatorDef[] = [
  def({ code: 'billed_revenue', group: 'revenue', unit: 'yuan', direction: 'higher', ...rollup('totals'),
    name: ['出账收入', 'Billed revenue'],
    definition: ['当月账单出账金额合计（各号码 billed 之和）；增长率由综合统计对两个期间计算', 'The month’s billed amounts (billed of every subscription); growth is computed by the statistics from two periods'],
    formula: ['Σ 出账金额', 'Σ billed'] }),
  def({ code: 'paid_revenue', group: 'revenue', unit: 'yuan', direction: 'higher', ...rollup('totals'),
    name: ['实收金额', 'Paid'], definition: ['当月实收（缴费）金额合计', 'Amounts paid against the month’s bills'], formula: ['Σ 实收金额', 'Σ paid'] }),
  def({ code: 'collection_rate', group: 'revenue', unit: 'percent', direction: 'higher', ...rollup('totals'),
    name: ['收费率', 'Collection rate'], definition: ['实收金额占出账收入的比例', 'Paid as a share of billed'], formula: ['实收金额 ÷ 出账收入 × 100', 'paid ÷ billed × 100'] }),
  def({ code: 'billed_customers', group: 'revenue', unit: 'accounts', direction: 'higher', ...rollup('totals'),
    name: ['出账客户数', 'Billed customers'], definition: ['当月出账金额大于零的客户数', 'Customers with a billed amount above zero in the month'], formula: ['计数（出账收入 > 0）', 'count(billed > 0)'] }),
  def({ code: 'arpu', group: 'revenue', unit: 'yuan_per_account', direction: 'higher', ...rollup('totals'),
    name: ['户均收入（ARPU）', 'ARPU'], definition: ['出账客户的户均出账收入', 'Billed revenue per billed customer'], formula: ['出账收入 ÷ 出账客户数', 'billed revenue ÷ billed customers'] }),
  ...PRODUCTS.map(([p, zh, en]) =>
    def({ code: `revenue_${p}`, group: 'revenue', unit: 'yuan', direction: 'higher', ...rollup('facts'),
      name: [`${zh}收入`, `${en[0]!.toUpperCase()}${en.slice(1)} revenue`],
      definition: [`当月${zh}业务收入合计`, `The month’s revenue from ${en}`],
      formula: [`Σ ${zh}收入`, `Σ ${en} revenue`] }),
  ),
  ...PRODUCTS.map(([p, zh, en]) =>
    def({ code: `revenue_share_${p}`, group: 'revenue', unit: 'percent', direction: 'neutral', ...rollup('facts'),
      name: [`${zh}收入占比`, `Share of ${en} revenue`],
      definition: [`${zh}收入占五类业务收入（语音、短信、数据、增值、漫游）合计的比例`, `${en[0]!.toUpperCase()}${en.slice(1)} revenue as a share of the five products’ revenue (voice, SMS, data, VAS, roaming)`],
      formula: [`${zh}收入 ÷（语音 + 短信 + 数据 + 增值 + 漫游收入）× 100`, `${en} revenue ÷ (voice + SMS + data + VAS + roaming revenue) × 100`] }),
  ),
];

const arrears: IndicatorDef[] = [
  def({ code: 'arrears_amount', group: 'arrears', unit: 'yuan', direction: 'lower', ...rollup('totals'),
    name: ['欠费金额', 'Arrears'], definition: ['当月月末各号码欠费金额合计', 'Amounts owed at the month’s end, over all subscriptions'], formula: ['Σ 欠费金额', 'Σ arrears'] }),
  def({ code: 'arrears_customers', group: 'arrears', unit: 'accounts', direction: 'lower', ...rollup('totals'),
    name: ['欠费客户数', 'Customers in arrears'], definition: ['月末欠费金额大于零的客户数', 'Customers owing more than zero at the month’s end'], formula: ['计数（欠费金额 > 0）', 'count(arrears > 0)'] }),
  def({ code: 'arrears_rate', group: 'arrears', unit: 'percent', direction: 'lower', ...rollup('totals'),
    name: ['欠费客户占比', 'Share in arrears'], definition: ['欠费客户占出账客户的比例', 'Customers in arrears as a share of billed customers'], formula: ['欠费客户数 ÷ 出账客户数 × 100', 'customers in arrears ÷ billed customers × 100'] }),
  def({ code: 'arrears_per_account', group: 'arrears', unit: 'yuan_per_account', direction: 'lower', ...rollup('totals'),
    name: ['户均欠费', 'Arrears per account'], definition: ['欠费客户的户均欠费金额', 'Arrears per customer in arrears'], formula: ['欠费金额 ÷ 欠费客户数', 'arrears ÷ customers in arrears'] }),
  def({ code: 'arrears_age_1', group: 'arrears', unit: 'accounts', direction: 'lower', ...rollup('ratings'),
    name: ['欠费账龄 1 个月客户数', 'Arrears aged 1 month'], definition: ['评级窗口内有 1 个月月末欠费的客户数（账龄分段）', 'Customers whose rating window holds one month ending in arrears (ageing bucket)'], formula: ['计数（欠费月数 = 1）', 'count(arrears months = 1)'] }),
  def({ code: 'arrears_age_2_3', group: 'arrears', unit: 'accounts', direction: 'lower', ...rollup('ratings'),
    name: ['欠费账龄 2–3 个月客户数', 'Arrears aged 2–3 months'], definition: ['评级窗口内有 2 至 3 个月月末欠费的客户数', 'Customers whose rating window holds two or three months ending in arrears'], formula: ['计数（欠费月数 ∈ [2, 3]）', 'count(arrears months in 2..3)'] }),
  def({ code: 'arrears_age_4_plus', group: 'arrears', unit: 'accounts', direction: 'lower', ...rollup('ratings'),
    name: ['欠费账龄 4 个月及以上客户数', 'Arrears aged 4+ months'], definition: ['评级窗口内有 4 个月及以上月末欠费的客户数', 'Customers whose rating window holds four or more months ending in arrears'], formula: ['计数（欠费月数 ≥ 4）', 'count(arrears months ≥ 4)'] }),
];

const points: IndicatorDef[] = [
  def({ code: 'points_earned', group: 'points', unit: 'points', direction: 'neutral', ...rollup('ratings'),
    name: ['积分发放', 'Points earned'], definition: ['月度规则运行按当月实收发放的积分（含促销积分）', 'Points awarded by the month’s rules run on the paid bill (promotional points included)'], formula: ['Σ 消费积分 + Σ 促销积分', 'Σ earned + Σ promotional'] }),
  def({ code: 'points_redeemed', group: 'points', unit: 'points', direction: 'neutral', ...rollup('points'),
    name: ['积分兑换', 'Points redeemed'], definition: ['当月兑换使用的积分（积分流水中的兑换记录）', 'Points redeemed in the month (redemption entries of the ledger)'], formula: ['Σ 兑换积分', 'Σ redeemed'] }),
  def({ code: 'points_expired', group: 'points', unit: 'points', direction: 'lower', ...rollup('ratings'),
    name: ['积分过期', 'Points expired'], definition: ['月度规则运行当月清零的过期积分', 'Points expired by the month’s rules run'], formula: ['Σ 过期积分', 'Σ expired'] }),
  def({ code: 'points_liability', group: 'points', unit: 'points', direction: 'neutral', ...rollup('points'),
    name: ['积分余额（负债）', 'Points liability'], definition: ['月末客户积分余额合计：已发放尚未兑换或过期的积分', 'The customers’ balances at the month’s end: points awarded, not yet redeemed or expired'], formula: ['Σ 月末积分流水累计', 'Σ ledger up to month end'] }),
];

const service: IndicatorDef[] = [
  def({ code: 'requests_raised', group: 'service', unit: 'times', direction: 'neutral', source: 'requests', reads: 'raw', dimensions: RAW_CUSTOMER,
    name: ['服务请求受理量', 'Requests raised'], definition: ['当月受理的服务请求（投诉、咨询、故障等）数；按受理时客户所属单位统计', 'Service requests raised in the month (complaints, questions, faults …), counted in the customer’s unit at the time'], formula: ['计数（受理时间 ∈ 当月）', 'count(raised in month)'] }),
  def({ code: 'complaints', group: 'service', unit: 'times', direction: 'lower', source: 'requests', reads: 'raw', dimensions: RAW_CUSTOMER,
    name: ['投诉量', 'Complaints'], definition: ['当月受理的投诉类服务请求数', 'Complaints raised in the month'], formula: ['计数（类型 = 投诉）', 'count(type = complaint)'] }),
  def({ code: 'requests_resolved', group: 'service', unit: 'times', direction: 'higher', source: 'requests', reads: 'raw', dimensions: RAW_CUSTOMER,
    name: ['服务请求解决量', 'Requests resolved'], definition: ['当月解决的服务请求数', 'Service requests resolved in the month'], formula: ['计数（解决时间 ∈ 当月）', 'count(resolved in month)'] }),
  def({ code: 'sla_met_rate', group: 'service', unit: 'percent', direction: 'higher', source: 'requests', reads: 'raw', dimensions: RAW_CUSTOMER,
    name: ['SLA 达标率', 'SLA met'], definition: ['当月解决的服务请求中未发生超时（响应或解决）的比例', 'Share of the requests resolved in the month without a breach (of response or resolution)'], formula: ['未超时解决量 ÷ 解决量 × 100', 'resolved without breach ÷ resolved × 100'] }),
  def({ code: 'sla_breaches', group: 'service', unit: 'times', direction: 'lower', source: 'requests', reads: 'raw', dimensions: RAW_CUSTOMER,
    name: ['超时工单数', 'SLA breaches'], definition: ['首次超时发生在当月的服务请求数', 'Requests whose first breach fell in the month'], formula: ['计数（超时时间 ∈ 当月）', 'count(breached in month)'] }),
  def({ code: 'satisfaction_avg', group: 'service', unit: 'score', direction: 'higher', source: 'surveys', reads: 'raw', dimensions: RAW_CUSTOMER,
    name: ['满意度平均分', 'Satisfaction'], definition: ['当月答复的服务满意度调查平均分（1–5 分）', 'Average score (1–5) of the satisfaction surveys answered in the month'], formula: ['Σ 评分 ÷ 答复数', 'Σ score ÷ answers'] }),
  def({ code: 'surveys_answered', group: 'service', unit: 'times', direction: 'higher', source: 'surveys', reads: 'raw', dimensions: RAW_CUSTOMER,
    name: ['满意度调查答复数', 'Surveys answered'], definition: ['当月答复的满意度调查数', 'Satisfaction surveys answered in the month'], formula: ['计数（答复时间 ∈ 当月）', 'count(answered in month)'] }),
  def({ code: 'fee_waivers', group: 'service', unit: 'times', direction: 'lower', source: 'requests', reads: 'raw', dimensions: RAW_CUSTOMER,
    name: ['费用减免次数', 'Fee waivers'], definition: ['当月因故障解决超时等原因减免费用的次数（减免记录不带金额，按次计）', 'Fees waived in the month (after a fault’s resolution breach, …); the waivers carry no amount, so they are counted'], formula: ['计数（减免月份 = 当月）', 'count(waivers of month)'] }),
];

const marketing: IndicatorDef[] = [
  def({ code: 'campaign_reach', group: 'marketing', unit: 'accounts', direction: 'higher', source: 'campaigns', reads: 'raw', dimensions: CAMPAIGN,
    name: ['营销触达客户数', 'Campaign reach'], definition: ['当月营销活动触达（已联系）的客户数', 'Customers reached by marketing campaigns in the month'], formula: ['计数（触达时间 ∈ 当月）', 'count(reached in month)'] }),
  def({ code: 'campaign_responses', group: 'marketing', unit: 'accounts', direction: 'higher', source: 'campaigns', reads: 'raw', dimensions: CAMPAIGN,
    name: ['营销响应客户数', 'Campaign responses'], definition: ['当月对营销活动作出积极响应（接受办理）的客户数', 'Customers who accepted a campaign’s offer in the month'], formula: ['计数（响应 = 接受）', 'count(response = accepted)'] }),
  def({ code: 'campaign_response_rate', group: 'marketing', unit: 'percent', direction: 'higher', source: 'campaigns', reads: 'raw', dimensions: CAMPAIGN,
    name: ['营销响应率', 'Campaign response rate'], definition: ['响应客户占触达客户的比例', 'Customers responding as a share of those reached'], formula: ['营销响应客户数 ÷ 营销触达客户数 × 100', 'responses ÷ reach × 100'] }),
];

const SCORECARD_UNITS: Record<string, IndicatorUnit> = { yuan: 'yuan', percent: 'percent', times: 'times', accounts: 'accounts', points: 'score' };

/**
 * 客户经理业绩: the scorecard indicators of managers/scorecards/indicators.ts, read from the computed
 * scorecards (not computed again here). Several managers together: counts add up, the rest are averaged.
 */
const managers: IndicatorDef[] = [
  ...SCORECARD_INDICATORS.map((i) =>
    def({
      code: `scorecard_${i.code}`,
      group: 'managers',
      unit: SCORECARD_UNITS[i.unit] ?? 'score',
      direction: i.direction,
      source: 'scorecards',
      reads: 'raw',
      dimensions: SCORECARD,
      name: [`${i.name['zh-CN']}（考核）`, `${i.name['en-US']} (scorecard)`],
      definition: [i.definition['zh-CN'], i.definition['en-US']],
      formula: i.count
        ? ['各客户经理月度考核值之和', 'sum of the managers’ scorecard values']
        : ['各客户经理月度考核值的平均（无数据的经理不计）', 'average of the managers’ scorecard values (managers without data aside)'],
    }),
  ),
  def({ code: 'scorecard_total', group: 'managers', unit: 'score', direction: 'higher', source: 'scorecards', reads: 'raw', dimensions: SCORECARD,
    name: ['考核总分', 'Scorecard total'], definition: ['客户经理月度考核总分（满分 120）的平均', 'Average of the managers’ monthly scorecard totals (at most 120)'], formula: ['Σ 总分 ÷ 经理数', 'Σ total ÷ managers'] }),
  def({ code: 'scored_managers', group: 'managers', unit: 'times', direction: 'neutral', source: 'scorecards', reads: 'raw', dimensions: SCORECARD,
    name: ['参与考核经理数', 'Managers scored'], definition: ['当月有考核记录的客户经理数', 'Account managers with a scorecard of the month'], formula: ['计数（考核记录）', 'count(scorecards)'] }),
];

/** The built-in catalogue, in the order the browse page and the exported document show it. */
export const BUILTIN_INDICATORS: readonly IndicatorDef[] = [...customers, ...volume, ...revenue, ...arrears, ...points, ...service, ...marketing, ...managers];

const byCode = new Map(BUILTIN_INDICATORS.map((i) => [i.code, i]));
export const builtinIndicator = (code: string): IndicatorDef | undefined => byCode.get(code);
