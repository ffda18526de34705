/** 高级分析 at the edge: the dashboards, one dashboard's panels with their data, and the customers behind a figure. */
import { z } from 'zod';
import { pageQuery } from '../../../platform/http/list.js';
import { MONTH_PATTERN, monthsBetween } from '../../../platform/months.js';
import { MAX_MONTHS } from '../statistics/schemas.js';

const month = z.string().regex(MONTH_PATTERN, 'YYYY-MM');
const localized = z.object({ 'zh-CN': z.string(), 'en-US': z.string() });
const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const period = {
  from: month.optional().describe('First month (YYYY-MM); by default twelve months before `to`'),
  to: month.optional().describe('Last month (YYYY-MM); by default the latest month with facts'),
  unitId: id.optional().describe('Only this city or county (a unit of your subtree)'),
  pct: z.coerce.number().min(10).max(100).default(30).describe('异动: a fall counts when it is more than this percent (10 at least: the rollup keeps falls of more than 10 %)'),
};
const periodCheck = (b: { from?: string; to?: string }, ctx: z.RefinementCtx) => {
  if (b.from && b.to && b.from > b.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to is before from', params: { code: 'statistics_period_reversed' } });
  else if (b.from && b.to && monthsBetween(b.from, b.to) >= MAX_MONTHS) ctx.addIssue({ code: 'custom', path: ['to'], message: 'period too long', params: { code: 'statistics_period_too_long' } });
};

export const dashboardQuery = z.strictObject(period).superRefine(periodCheck);
export type DashboardQuery = z.infer<typeof dashboardQuery>;

export const dashboardParams = z.object({ id: z.string().min(1).max(40) });
export const panelParams = z.object({ id: z.string().min(1).max(40), panel: z.string().min(1).max(40) });

/** Which figure of a panel: the keys of its row (the panel's dimensions), and for a figure of several indicators which one. */
export const drillQuery = pageQuery
  .extend({
    ...period,
    indicator: z.string().max(64).optional().describe('The indicator of the figure (panels of catalogue indicators; the first one by default)'),
    city: z.string().max(40).optional(),
    county: z.string().max(40).optional(),
    level: z.string().max(40).optional(),
    industry: z.string().max(40).optional(),
    brand: z.string().max(40).optional(),
    manager: z.string().max(40).optional(),
    month: z.string().max(40).optional(),
    archive: z.string().max(40).optional(),
    kind: z.string().max(40).optional(),
    fromLevel: z.string().max(40).optional().describe('级别迁移: the level in the first month'),
    toLevel: z.string().max(40).optional().describe('级别迁移: the level in the last month'),
    abnormal: z.enum(['spend_fall', 'usage_fall', 'suspended', 'ported_out']).optional().describe('异动: which change'),
    competitor: z.string().max(100).optional(),
    product: z.string().max(100).optional(),
  })
  .superRefine(periodCheck);
export type DrillInput = z.infer<typeof drillQuery>;

export const exportFormat = z.enum(['csv', 'xlsx']);
export const panelExportQuery = z.strictObject({ ...period, format: exportFormat.default('xlsx') }).superRefine(periodCheck);

export const dashboardSummarySchema = z
  .object({ id: z.string(), title: localized, description: localized, panels: z.number().int() })
  .meta({ id: 'AnalysisDashboardSummary' });

const measureSchema = z.object({
  code: z.string(),
  name: z.string(),
  unit: z.string().describe('yuan, yuan_per_account, accounts, percent, minutes, mb, messages, points, times, score'),
});

export const panelDataSchema = z.object({
  id: z.string(),
  title: z.string(),
  chart: z.enum(['line', 'bar', 'pie', 'kpi', 'table']),
  span: z.number().int(),
  measures: z.array(measureSchema).describe('The figures of each row, in order'),
  dimensions: z.array(z.string()).describe('The keys of each row: catalogue dimensions, or a special panel’s (fromLevel, toLevel, abnormal, competitor, product, type, month)'),
  rows: z.array(
    z.object({
      keys: z.record(z.string(), z.string().nullable()),
      labels: z.record(z.string(), z.string().nullable()).describe('Names of the keys: units (Chinese) and managers; a special panel’s in the language asked'),
      labelsEn: z.record(z.string(), z.string().nullable()).describe('English names of units where they have one (city, county)'),
      values: z.record(z.string(), z.number().nullable()),
    }),
  ),
  totals: z.record(z.string(), z.number().nullable()),
  drill: z.boolean().describe('Whether its figures open the customers behind them'),
});
export type PanelData = z.infer<typeof panelDataSchema>;

export const dashboardSchema = z
  .object({ id: z.string(), title: z.string(), description: z.string(), from: z.string(), to: z.string(), unitId: z.number().int().nullable(), panels: z.array(panelDataSchema) })
  .meta({ id: 'AnalysisDashboard' });
export type Dashboard = z.infer<typeof dashboardSchema>;

export const drillCustomerSchema = z
  .object({
    id: z.number().int(),
    customerNo: z.string(),
    name: z.string(),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    managerName: z.string().nullable(),
    level: z.string().nullable(),
    before: z.number().nullable().describe('异动: the month before (billed yuan or usage); others: null'),
    after: z.number().nullable().describe('异动: the month; a product panel: its monthly fee; suspensions: numbers'),
  })
  .meta({ id: 'AnalysisDrillCustomer' });
export type DrillCustomerRow = z.infer<typeof drillCustomerSchema>;
