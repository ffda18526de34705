/**
 * 高级分析: the dashboards of definitions.ts evaluated for a period and, optionally, one city or county. Panels of
 * catalogue indicators go through the indicator engine (evaluateIndicators), grouped so that panels cut the same
 * way share one call (a dashboard is a handful of engine calls, run side by side); special panels run their own
 * statement of queries.ts. Both apply the reader's data scope the engine's way (analysisScope: the unit subtree,
 * an account manager's own portfolio). Any figure drills down to the customers behind it.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../../platform/auth/principal.js';
import { inSubtree, inScope } from '../../../platform/auth/scope.js';
import { analyticsReads, type Deps } from '../../../platform/deps.js';
import { invalid, notFound } from '../../../platform/errors.js';
import { isMessageCode, translate, type Locale } from '../../../platform/i18n/messages.js';
import { addMonths } from '../../../platform/months.js';
import type { Dimension } from '../indicators/catalogue.js';
import { analysisScope, drillCustomers, evaluateIndicators, type IndicatorResult } from '../indicators/engine.js';
import { catalogueByCode } from '../statistics/catalogue-access.js';
import { DIMENSION_NAMES, UNIT_NAMES } from '../statistics/export.js';
import { DASHBOARDS, dashboardById, type DashboardDef, type PanelDef } from './definitions.js';
import * as q from './queries.js';
import type { Dashboard, DashboardQuery, DrillCustomerRow, DrillInput, PanelData } from './schemas.js';

type Filters = Partial<Record<Dimension, string[]>>;
interface Resolved {
  from: string;
  to: string;
  unitId: number | null;
  filters: Filters | undefined;
  reach: q.Reach;
  pct: number;
}

export const listDashboards = () => DASHBOARDS.map((d) => ({ id: d.id, title: d.title, description: d.description, panels: d.panels.length }));

const dashboardOf = (id: string): DashboardDef => {
  const d = dashboardById(id);
  if (!d) throw notFound('dashboard');
  return d;
};
const panelOf = (d: DashboardDef, id: string): PanelDef => {
  const p = d.panels.find((x) => x.id === id);
  if (!p) throw notFound('dashboard_panel');
  return p;
};

/** The latest month with facts (the default end of a period), or the current month when there are none. */
async function latestMonth(deps: Deps): Promise<string> {
  const [row] = await analyticsReads(deps).rows<{ m: string | null }>(sql`SELECT to_char(max(month), 'YYYY-MM') AS m FROM customer_month_totals`);
  return row?.m ?? new Date().toISOString().slice(0, 7);
}

/** The scope condition on `c` the engine applies (analysisScope): the unit subtree, an account manager's own customers. */
export function scopeSql(actor: Actor): SQL {
  const s = analysisScope(actor);
  const units = sql`c.unit_id IN (SELECT id FROM org_units WHERE ${inSubtree(sql`path`, s.unitPath)})`;
  return s.managerId === null ? units : sql`${units} AND c.manager_id = ${s.managerId}`;
}

/** The period (twelve months to the latest by default), and the unit chosen as an engine filter and a subtree. */
async function resolve(deps: Deps, actor: Actor, input: { from?: string; to?: string; unitId?: number; pct: number }, field = 'query'): Promise<Resolved> {
  const to = input.to ?? (await latestMonth(deps));
  const from = input.from ?? addMonths(to, -11);
  if (from > to) throw invalid(`${field}.from`, 'statistics_period_reversed');
  let filters: Filters | undefined;
  let unitPath: string | null = null;
  if (input.unitId !== undefined) {
    const [unit] = await analyticsReads(deps).rows<{ path: string; kind: string }>(sql`SELECT path, kind FROM org_units WHERE id = ${input.unitId}`);
    if (!unit || !inScope(actor, unit.path)) throw invalid(`${field}.unitId`, 'dashboard_unit_not_eligible');
    if (unit.kind === 'city') filters = { city: [String(input.unitId)] };
    else if (unit.kind === 'county') filters = { county: [String(input.unitId)] };
    else if (unit.kind !== 'province' && unit.kind !== 'hq') throw invalid(`${field}.unitId`, 'dashboard_unit_not_eligible');
    unitPath = unit.path;
  }
  return { from, to, unitId: input.unitId ?? null, filters, reach: { scope: scopeSql(actor), unitPath }, pct: input.pct };
}

// ---- panels ---------------------------------------------------------------------------------------------------------

const both = (zh: string, en: string) => ({ 'zh-CN': zh, 'en-US': en });
const measure = (code: string, name: Record<Locale, string>, unit: string, locale: Locale) => ({ code, name: name[locale], unit });
const named = (prefix: string, key: string, locale: Locale) => (isMessageCode(`${prefix}${key}`) ? translate(`${prefix}${key}` as never, locale) : key);

const ABNORMAL_NAMES: Record<q.AbnormalKind, Record<Locale, string>> = {
  spend_fall: both('消费骤降', 'Spend fell'),
  usage_fall: both('用量骤降', 'Usage fell'),
  suspended: both('有停机号码', 'With suspended numbers'),
  ported_out: both('有携出号码', 'With ported-out numbers'),
};

type Shell = Pick<PanelData, 'id' | 'title' | 'chart' | 'span'>;
const shellOf = (p: PanelDef, locale: Locale): Shell => ({ id: p.id, title: p.title[locale], chart: p.chart, span: p.span ?? 12 });

/** A special panel's data, from its own statement. */
async function specialPanel(deps: Deps, p: PanelDef, r: Resolved, locale: Locale): Promise<PanelData> {
  const db = analyticsReads(deps);
  const shell = shellOf(p, locale);
  const customers = measure('customers', both('客户数', 'Customers'), 'accounts', locale);
  switch (p.special!) {
    case 'level_migration': {
      const cells = await q.levelMigration(db, r.reach, r.from, r.to);
      return {
        ...shell,
        measures: [customers],
        dimensions: ['fromLevel', 'toLevel'],
        rows: cells.map((c) => ({ keys: { fromLevel: c.fromLevel, toLevel: c.toLevel }, labels: { fromLevel: named('level_', c.fromLevel, locale), toLevel: named('level_', c.toLevel, locale) }, labelsEn: {}, values: { customers: c.customers } })),
        totals: { customers: cells.reduce((s, c) => s + c.customers, 0) },
        drill: true,
      };
    }
    case 'abnormal_summary': {
      const counts = await q.abnormalSummary(db, r.reach, r.to, r.pct);
      return {
        ...shell,
        chart: 'bar',
        measures: [customers],
        dimensions: ['abnormal'],
        rows: q.ABNORMAL_KINDS.map((k) => ({ keys: { abnormal: k }, labels: { abnormal: ABNORMAL_NAMES[k][locale] }, labelsEn: {}, values: { customers: counts[k] } })),
        totals: {},
        drill: true,
      };
    }
    case 'abnormal_by_month': {
      const rows = await q.spendFallByMonth(db, r.reach, r.from, r.to, r.pct);
      return { ...shell, measures: [measure('customers', ABNORMAL_NAMES.spend_fall, 'accounts', locale)], dimensions: ['month'], rows: rows.map((x) => ({ keys: { month: x.month }, labels: {}, labelsEn: {}, values: { customers: x.customers } })), totals: {}, drill: false };
    }
    case 'competitors': {
      const rows = await q.competitors(db, r.reach);
      return {
        ...shell,
        measures: [customers, measure('products', both('产品数', 'Products'), 'times', locale)],
        dimensions: ['competitor'],
        rows: rows.map((x) => ({ keys: { competitor: x.competitor }, labels: { competitor: x.competitor }, labelsEn: {}, values: { customers: x.customers, products: x.products } })),
        totals: {},
        drill: true,
      };
    }
    case 'competitor_products': {
      const rows = await q.competitorProducts(db, r.reach);
      return {
        ...shell,
        measures: [customers, measure('monthlyFee', both('月费合计', 'Monthly fees'), 'yuan', locale)],
        dimensions: ['competitor', 'product'],
        rows: rows.map((x) => ({ keys: { competitor: x.competitor, product: x.product }, labels: { competitor: x.competitor, product: x.product }, labelsEn: {}, values: { customers: x.customers, monthlyFee: x.monthlyFee } })),
        totals: {},
        drill: true,
      };
    }
    case 'group_products': {
      const rows = await q.groupProducts(db, r.reach, r.from, r.to);
      return {
        ...shell,
        measures: [customers, measure('newInPeriod', both('期内新增', 'New in the period'), 'accounts', locale)],
        dimensions: ['product'],
        rows: rows.map((x) => ({ keys: { product: x.product }, labels: { product: x.product }, labelsEn: {}, values: { customers: x.customers, newInPeriod: x.newInPeriod } })),
        totals: {},
        drill: true,
      };
    }
    case 'group_products_new': {
      const rows = await q.groupProductsNew(db, r.reach, r.from, r.to);
      // one line per month: the products summed (a chart of every product would be unreadable)
      const byMonth = new Map<string, number>();
      for (const x of rows) byMonth.set(x.month, (byMonth.get(x.month) ?? 0) + x.customers);
      return { ...shell, measures: [measure('customers', both('新增订购', 'New take-ups'), 'accounts', locale)], dimensions: ['month'], rows: [...byMonth].map(([m, n]) => ({ keys: { month: m }, labels: {}, labelsEn: {}, values: { customers: n } })), totals: {}, drill: false };
    }
    case 'satisfaction_by_type': {
      const rows = await q.satisfactionByType(db, r.reach, r.from, r.to);
      return {
        ...shell,
        measures: [measure('score', both('平均满意度', 'Average score'), 'score', locale), measure('answered', both('回访数', 'Answered'), 'times', locale)],
        dimensions: ['type'],
        rows: rows.map((x) => ({ keys: { type: x.type }, labels: { type: named('request_type_', x.type, locale) }, labelsEn: {}, values: { score: x.score, answered: x.answered } })),
        totals: {},
        drill: false,
      };
    }
  }
}

/** Panels of catalogue indicators: one engine call per set of dimensions, the indicators of its panels together. */
async function enginePanels(deps: Deps, actor: Actor, panels: PanelDef[], r: Resolved, locale: Locale): Promise<Map<string, PanelData>> {
  const groups = new Map<string, { dimensions: Dimension[]; indicators: Set<string>; panels: PanelDef[] }>();
  for (const p of panels) {
    const key = JSON.stringify(p.dimensions);
    const g = groups.get(key) ?? { dimensions: p.dimensions, indicators: new Set<string>(), panels: [] };
    groups.set(key, g);
    p.indicators.forEach((i) => g.indicators.add(i));
    g.panels.push(p);
  }
  const defs = await catalogueByCode(deps);
  const out = new Map<string, PanelData>();
  await Promise.all(
    [...groups.values()].map(async (g) => {
      const result: IndicatorResult = await evaluateIndicators(deps, actor, { indicators: [...g.indicators], dimensions: g.dimensions, from: r.from, to: r.to, ...(r.filters && { filters: r.filters }) });
      for (const p of g.panels) {
        const pick = (v: Record<string, number | null>) => Object.fromEntries(p.indicators.map((c) => [c, v[c] ?? null]));
        out.set(p.id, {
          ...shellOf(p, locale),
          measures: p.indicators.map((c) => ({ code: c, name: defs.get(c)?.name[locale] ?? c, unit: defs.get(c)?.unit ?? 'times' })),
          dimensions: p.dimensions,
          rows: result.rows.map((row) => ({ keys: row.keys as Record<string, string | null>, labels: row.labels as Record<string, string | null>, labelsEn: row.labelsEn as Record<string, string | null>, values: pick(row.values) })),
          totals: pick(result.totals),
          drill: true,
        });
      }
    }),
  );
  return out;
}

/** One dashboard: every panel's data in one answer (the engine calls and the special statements run side by side). */
export async function getDashboard(deps: Deps, actor: Actor, id: string, input: DashboardQuery, locale: Locale): Promise<Dashboard> {
  const d = dashboardOf(id);
  const r = await resolve(deps, actor, input);
  const specials = d.panels.filter((p) => p.special);
  const [fromEngine, special] = await Promise.all([
    enginePanels(deps, actor, d.panels.filter((p) => !p.special), r, locale),
    Promise.all(specials.map((p) => specialPanel(deps, p, r, locale))),
  ]);
  const bySpecial = new Map(special.map((p) => [p.id, p]));
  return {
    id: d.id,
    title: d.title[locale],
    description: d.description[locale],
    from: r.from,
    to: r.to,
    unitId: r.unitId,
    panels: d.panels.map((p) => (p.special ? bySpecial.get(p.id)! : fromEngine.get(p.id)!)),
  };
}

/** One panel's data (the export). */
export async function getPanel(deps: Deps, actor: Actor, id: string, panelId: string, input: DashboardQuery, locale: Locale): Promise<PanelData> {
  const p = panelOf(dashboardOf(id), panelId);
  const r = await resolve(deps, actor, input);
  return p.special ? specialPanel(deps, p, r, locale) : (await enginePanels(deps, actor, [p], r, locale)).get(p.id)!;
}

const DIMENSION_KEYS = ['city', 'county', 'level', 'industry', 'brand', 'manager', 'month', 'archive', 'kind'] as const;

/** The customers behind one figure of a panel: the engine's drill-down, or the special panel's own. */
export async function drill(deps: Deps, actor: Actor, id: string, panelId: string, input: DrillInput): Promise<{ items: DrillCustomerRow[]; total: number }> {
  const p = panelOf(dashboardOf(id), panelId);
  const r = await resolve(deps, actor, input);
  const page = { offset: input.offset, limit: input.limit };
  if (!p.special) {
    const indicator = input.indicator ?? p.indicators[0]!;
    if (!p.indicators.includes(indicator)) throw invalid('query.indicator', 'statistics_unknown_indicator', { code: indicator });
    const keys: Partial<Record<Dimension, string>> = {};
    for (const k of DIMENSION_KEYS) if (input[k] !== undefined) keys[k] = input[k];
    // the unit chosen for the dashboard narrows the drill as it narrowed the figure
    if (r.filters?.city && !keys.city) keys.city = r.filters.city[0]!;
    if (r.filters?.county && !keys.county) keys.county = r.filters.county[0]!;
    // a figure of one month (a point of a line) drills into that month only
    const period = keys.month ? { from: keys.month.slice(0, 7), to: keys.month.slice(0, 7) } : { from: r.from, to: r.to };
    const res = await drillCustomers(deps, actor, { indicator, keys, ...period }, page);
    return { total: res.total, items: res.items.map((c) => ({ id: c.id, customerNo: c.customerNo, name: c.name, unitName: c.unitName, unitNameEn: c.unitNameEn, managerName: c.managerName, level: c.level, before: null, after: null })) };
  }
  const need = (v: string | undefined, field: string): string => {
    if (v === undefined) throw invalid(`query.${field}`, 'dashboard_drill_key_missing', { key: field });
    return v;
  };
  let ids: SQL;
  switch (p.special) {
    case 'level_migration':
      ids = q.drillSources.migration(r.from, r.to, need(input.fromLevel, 'fromLevel'), need(input.toLevel, 'toLevel'));
      break;
    case 'abnormal_summary':
      ids = q.drillSources.abnormal(input.abnormal ?? (need(undefined, 'abnormal') as never), r.to, r.pct);
      break;
    case 'competitors':
    case 'competitor_products':
      ids = q.drillSources.competitor(need(input.competitor, 'competitor'), input.product ?? null);
      break;
    case 'group_products':
      ids = q.drillSources.product(need(input.product, 'product'), null, null);
      break;
    default:
      throw invalid('query', 'dashboard_drill_unavailable');
  }
  return q.drillPage(analyticsReads(deps), r.reach, ids, page.offset, page.limit);
}

/** Column headers of a panel's export: its dimensions, then its figures with their units. */
export function panelColumns(p: PanelData, locale: Locale) {
  const SPECIAL_DIMS: Record<string, Record<Locale, string>> = {
    fromLevel: both('期初级别', 'Level at the start'),
    toLevel: both('期末级别', 'Level at the end'),
    abnormal: both('异动类型', 'Change'),
    competitor: both('竞争对手', 'Competitor'),
    product: both('产品', 'Product'),
    type: both('服务类型', 'Service type'),
  };
  const dims = p.dimensions.map((d) => ({
    key: `d_${d}`,
    header: DIMENSION_NAMES[d as Dimension] ?? SPECIAL_DIMS[d] ?? both(d, d),
    value: (row: PanelData['rows'][number]) => dimensionText(d, row, locale),
    width: 18,
  }));
  const figures = p.measures.map((m) => ({
    key: `m_${m.code}`,
    header: both(`${m.name}（${UNIT_NAMES[m.unit as keyof typeof UNIT_NAMES]?.['zh-CN'] ?? m.unit}）`, `${m.name} (${UNIT_NAMES[m.unit as keyof typeof UNIT_NAMES]?.['en-US'] ?? m.unit})`),
    value: (row: PanelData['rows'][number]) => row.values[m.code] ?? null,
    decimals: m.unit === 'accounts' || m.unit === 'times' ? 0 : 2,
    width: 18,
  }));
  return [...dims, ...figures];
}

const CODED: Record<string, string> = { level: 'level_', industry: 'industry_', brand: 'brand_', kind: 'kind_', archive: 'archive_' };
function dimensionText(d: string, row: PanelData['rows'][number], locale: Locale): string {
  const label = (locale === 'en-US' && row.labelsEn[d]) || row.labels[d];
  if (label) return label;
  const key = row.keys[d];
  if (key === null || key === undefined) return locale === 'zh-CN' ? '（未填）' : '(none)';
  return CODED[d] ? named(CODED[d], key, locale) : key;
}
