/**
 * 高级分析 (DOMAIN.md §6): the dashboards, declared. Each panel names catalogue indicators, the dimensions to cut
 * them by and how to draw them; the service evaluates every panel through the indicator engine (same data scope as
 * everywhere). A few figures the catalogue cannot give as a cut of a measure — the level migration matrix, the
 * abnormal-change lists, products at group customers — are `special` panels answered by queries.ts of this folder.
 *
 * Chart kinds: line (by month), bar (by the panel's one dimension), pie (share: of the indicators, or of one
 * indicator by its dimension), kpi (one figure per indicator over the period), table (rows by the dimensions).
 */
import type { Dimension } from '../indicators/catalogue.js';

export type ChartKind = 'line' | 'bar' | 'pie' | 'kpi' | 'table';
export type SpecialPanel = 'level_migration' | 'abnormal_summary' | 'abnormal_by_month' | 'competitors' | 'competitor_products' | 'group_products' | 'group_products_new' | 'satisfaction_by_type';

export interface PanelDef {
  id: string;
  title: { 'zh-CN': string; 'en-US': string };
  chart: ChartKind;
  /** Catalogue codes (for a special panel: none). */
  indicators: string[];
  dimensions: Dimension[];
  special?: SpecialPanel;
  /** Grid columns out of 24. */
  span?: number;
}

export interface DashboardDef {
  id: string;
  title: { 'zh-CN': string; 'en-US': string };
  description: { 'zh-CN': string; 'en-US': string };
  panels: PanelDef[];
}

const t = (zh: string, en: string) => ({ 'zh-CN': zh, 'en-US': en });
const panel = (id: string, zh: string, en: string, chart: ChartKind, indicators: string[], dimensions: Dimension[] = [], span = 12): PanelDef => ({
  id,
  title: t(zh, en),
  chart,
  indicators,
  dimensions: chart === 'line' && !dimensions.length ? ['month'] : dimensions,
  span: chart === 'kpi' ? 24 : span,
});
const special = (id: string, zh: string, en: string, chart: ChartKind, kind: SpecialPanel, span = 12): PanelDef => ({ id, title: t(zh, en), chart, indicators: [], dimensions: [], special: kind, span });

export const DASHBOARDS: readonly DashboardDef[] = [
  {
    id: 'development',
    title: t('客户发展分析', 'Customer development'),
    description: t('客户数、新增、流失与级别迁移', 'Customers, new, lost and level migration'),
    panels: [
      panel('kpi', '概览', 'Overview', 'kpi', ['customers', 'new_customers', 'lost_customers', 'churn_rate']),
      panel('trend', '新增与流失趋势', 'New and lost by month', 'line', ['new_customers', 'lost_customers']),
      panel('by_level', '各级别客户数', 'Customers by level', 'bar', ['customers'], ['level']),
      panel('by_city', '各地市客户数', 'Customers by city', 'bar', ['customers', 'new_customers'], ['city']),
      panel('by_kind', '客户类型构成', 'By kind', 'pie', ['customers'], ['kind']),
      panel('moves', '升降级趋势', 'Upgrades and downgrades by month', 'line', ['level_upgrades', 'level_downgrades']),
      special('migration', '级别迁移（期初 → 期末）', 'Level migration (first → last month)', 'table', 'level_migration', 24),
    ],
  },
  {
    id: 'revenue',
    title: t('收入分析', 'Revenue'),
    description: t('收入总量、ARPU、增长与业务构成', 'Total, ARPU, growth and product mix'),
    panels: [
      panel('kpi', '概览', 'Overview', 'kpi', ['billed_revenue', 'paid_revenue', 'arpu', 'collection_rate']),
      panel('trend', '收入趋势', 'Revenue by month', 'line', ['billed_revenue', 'paid_revenue']),
      panel('arpu', 'ARPU 趋势', 'ARPU by month', 'line', ['arpu']),
      panel('mix', '业务收入构成', 'Revenue by product', 'pie', ['revenue_voice', 'revenue_sms', 'revenue_data', 'revenue_vas', 'revenue_roaming']),
      panel('by_city', '各地市收入', 'Revenue by city', 'bar', ['billed_revenue'], ['city']),
      panel('by_level', '各级别收入与 ARPU', 'Revenue and ARPU by level', 'table', ['billed_revenue', 'arpu', 'billed_customers'], ['level'], 24),
    ],
  },
  {
    id: 'behaviour',
    title: t('通信行为分析', 'Communication behaviour'),
    description: t('语音、流量、短信、漫游的用量与趋势', 'Voice, data, SMS and roaming usage and trends'),
    panels: [
      panel('kpi', '概览', 'Overview', 'kpi', ['voice_minutes', 'data_mb', 'sms_count', 'mou', 'dou']),
      panel('voice', '语音分钟数趋势', 'Voice minutes by month', 'line', ['local_minutes', 'long_distance_minutes', 'roaming_minutes']),
      panel('data', '流量趋势', 'Data by month', 'line', ['data_mb']),
      panel('sms', '短信趋势', 'SMS by month', 'line', ['sms_count']),
      panel('by_brand', '各品牌户均用量', 'Usage per account by brand', 'bar', ['mou', 'dou'], ['brand']),
    ],
  },
  {
    id: 'arrears',
    title: t('欠费分析', 'Arrears'),
    description: t('欠费金额与账龄', 'Amount and ageing'),
    panels: [
      panel('kpi', '概览', 'Overview', 'kpi', ['arrears_amount', 'arrears_customers', 'arrears_rate', 'arrears_per_account']),
      panel('trend', '欠费趋势', 'Arrears by month', 'line', ['arrears_amount']),
      panel('ageing', '欠费账龄', 'Ageing', 'pie', ['arrears_age_1', 'arrears_age_2_3', 'arrears_age_4_plus']),
      panel('by_city', '各地市欠费', 'Arrears by city', 'bar', ['arrears_amount', 'arrears_customers'], ['city']),
      panel('by_level', '各级别欠费', 'Arrears by level', 'bar', ['arrears_amount'], ['level']),
    ],
  },
  {
    id: 'abnormal',
    title: t('异动分析', 'Abnormal changes'),
    description: t('消费或用量骤降、停机、携号转网', 'Sudden falls in spend or usage, suspensions, port-outs'),
    panels: [
      special('summary', '异动客户（期末月对上月）', 'Customers with an abnormal change (last month against the one before)', 'kpi', 'abnormal_summary', 24),
      special('by_month', '消费骤降客户数趋势', 'Customers whose spend fell, by month', 'line', 'abnormal_by_month', 24),
    ],
  },
  {
    id: 'points',
    title: t('积分分析', 'Points'),
    description: t('积分产生、兑换、过期与负债', 'Earned, redeemed, expired and liability'),
    panels: [
      panel('kpi', '概览', 'Overview', 'kpi', ['points_earned', 'points_redeemed', 'points_expired', 'points_liability']),
      panel('trend', '积分趋势', 'Points by month', 'line', ['points_earned', 'points_redeemed', 'points_expired']),
      panel('by_level', '各级别积分产生', 'Earned by level', 'bar', ['points_earned', 'points_redeemed'], ['level']),
      panel('by_city', '各地市积分负债', 'Liability by city', 'bar', ['points_liability'], ['city']),
    ],
  },
  {
    id: 'marketing',
    title: t('服务营销分析', 'Service marketing'),
    description: t('营销活动的触达与响应', 'Campaign reach and response'),
    panels: [
      panel('kpi', '概览', 'Overview', 'kpi', ['campaign_reach', 'campaign_responses', 'campaign_response_rate']),
      panel('trend', '触达与响应趋势', 'Reach and response by month', 'line', ['campaign_reach', 'campaign_responses']),
      panel('by_city', '各地市响应率', 'Response rate by city', 'bar', ['campaign_response_rate'], ['city']),
    ],
  },
  {
    id: 'satisfaction',
    title: t('满意度分析', 'Satisfaction'),
    description: t('服务回访评分、投诉，按服务类型、地区和客户经理', 'Survey scores and complaints by service type, region and manager'),
    panels: [
      panel('kpi', '概览', 'Overview', 'kpi', ['satisfaction_avg', 'surveys_answered', 'complaints', 'sla_met_rate']),
      panel('trend', '满意度趋势', 'Satisfaction by month', 'line', ['satisfaction_avg']),
      special('by_type', '各服务类型满意度', 'Satisfaction by service type', 'bar', 'satisfaction_by_type'),
      panel('by_city', '各地市满意度', 'Satisfaction by city', 'bar', ['satisfaction_avg'], ['city']),
      panel('by_manager', '各客户经理满意度', 'Satisfaction by manager', 'table', ['satisfaction_avg', 'surveys_answered', 'complaints'], ['manager'], 24),
    ],
  },
  {
    id: 'competitors',
    title: t('竞争对手分析', 'Competitors'),
    description: t('集团客户中的竞争对手产品', 'Competitors’ products at group customers'),
    panels: [
      special('by_competitor', '各竞争对手渗透的集团客户', 'Group customers using each competitor', 'pie', 'competitors'),
      special('by_product', '竞争对手产品', 'Competitors’ products', 'table', 'competitor_products'),
    ],
  },
  {
    id: 'managers',
    title: t('客户经理业绩分析', 'Account manager performance'),
    description: t('客户经理考核指标', 'Scorecard indicators'),
    panels: [
      panel('kpi', '概览', 'Overview', 'kpi', ['scorecard_total', 'scored_managers', 'scorecard_portfolio_revenue', 'scorecard_visits']),
      panel('trend', '考核总分趋势', 'Scorecard total by month', 'line', ['scorecard_total']),
      panel('by_city', '各地市考核总分', 'Scorecard total by city', 'bar', ['scorecard_total'], ['city']),
      panel('by_manager', '客户经理考核排名', 'Managers’ scorecards', 'table', ['scorecard_total', 'scorecard_portfolio_revenue', 'scorecard_revenue_growth', 'scorecard_visits', 'scorecard_satisfaction'], ['manager'], 24),
    ],
  },
  {
    id: 'group_products',
    title: t('集团产品发展分析', 'Group product development'),
    description: t('集团客户使用的本网产品及新增', 'Our products at group customers and new ones by month'),
    panels: [
      special('by_product', '各产品集团客户数', 'Group customers by product', 'bar', 'group_products'),
      special('new', '新增订购趋势', 'New by month', 'line', 'group_products_new'),
    ],
  },
];

export const dashboardById = (id: string) => DASHBOARDS.find((d) => d.id === id);
