/**
 * The SQL of the indicators: how each built-in indicator is computed, one SELECT per source.
 *
 * Sources, as the engine groups them:
 * - `cube`: analysis_month_cube, the monthly rollup (customers, facts, totals, ratings and points figures
 *   summed per month, unit, manager, level, industry, brand, archive and kind; refreshed per month by
 *   refresh_analysis_month(), see the migration).
 * - `requests`, `surveys`, `campaigns`: raw events per customer and month, joined to the customer for the cuts.
 * - `scorecards`: the managers' computed scorecards (scorecards + scorecard_lines), never computed again here.
 */
import { sql, type SQL } from 'drizzle-orm';
import { SCORECARD_INDICATORS } from '../../managers/scorecards/service.js';
import type { Dimension } from './catalogue.js';

export type SourceKey = 'cube' | 'requests' | 'surveys' | 'campaigns' | 'scorecards';

/** How an aggregate is written for one statement: stocks (balances, head counts) take the range's last month unless cut by month. */
export interface AggContext {
  /** sum of a cube column over the group */
  S(column: string): SQL;
  /** a stock: the group's value in the last month of the range (the plain sum within one month) */
  L(column: string): SQL;
}

export interface Measure {
  source: SourceKey;
  expr(a: AggContext): SQL;
}

const raw = (s: string) => sql.raw(s);
const ratio = (n: SQL, d: SQL, scale = 1) => sql`(${n})::float8 * ${scale} / nullif((${d})::float8, 0)`;
const yuan = (a: AggContext, col: string) => sql`${a.S(col)} / 100.0`;
const cube = (expr: (a: AggContext) => SQL): Measure => ({ source: 'cube', expr });
const PRODUCT_COLUMNS = ['rev_voice_fen', 'rev_sms_fen', 'rev_data_fen', 'rev_vas_fen', 'rev_roaming_fen'];
const productTotal = (a: AggContext) => sql.join(PRODUCT_COLUMNS.map((c) => a.S(c)), sql` + `);

/** Every built-in indicator of catalogue.ts, by code: its source and its aggregate. */
export const MEASURES: Record<string, Measure> = {
  customers: cube((a) => a.L('customers')),
  in_network_customers: cube((a) => a.L('in_network')),
  new_customers: cube((a) => a.S('new_customers')),
  lost_customers: cube((a) => a.S('lost_customers')),
  churn_rate: cube((a) => ratio(a.S('lost_customers'), sql`${a.L('in_network')} + ${a.S('lost_customers')} - ${a.S('new_customers')}`, 100)),
  strategic_customers: cube((a) => a.L('strategic')),
  rated_customers: cube((a) => a.L('rated')),
  level_upgrades: cube((a) => a.S('level_up')),
  level_downgrades: cube((a) => a.S('level_down')),

  voice_minutes: cube((a) => sql`${a.S('min_local')} + ${a.S('min_long_distance')} + ${a.S('min_roaming')}`),
  local_minutes: cube((a) => a.S('min_local')),
  long_distance_minutes: cube((a) => a.S('min_long_distance')),
  roaming_minutes: cube((a) => a.S('min_roaming')),
  data_mb: cube((a) => a.S('data_mb')),
  sms_count: cube((a) => a.S('sms_count')),
  // per account: over several months, the average month (customer-months in the denominator)
  mou: cube((a) => ratio(sql`${a.S('min_local')} + ${a.S('min_long_distance')} + ${a.S('min_roaming')}`, a.S('billed_customers'))),
  dou: cube((a) => ratio(a.S('data_mb'), a.S('billed_customers'))),
  billed_subscriptions: cube((a) => a.S('subs')),

  billed_revenue: cube((a) => yuan(a, 'billed_fen')),
  paid_revenue: cube((a) => yuan(a, 'paid_fen')),
  collection_rate: cube((a) => ratio(a.S('paid_fen'), a.S('billed_fen'), 100)),
  billed_customers: cube((a) => a.L('billed_customers')),
  arpu: cube((a) => ratio(a.S('billed_fen'), a.S('billed_customers'), 0.01)),
  ...Object.fromEntries(
    ['voice', 'sms', 'data', 'vas', 'roaming'].flatMap((p) => [
      [`revenue_${p}`, cube((a) => yuan(a, `rev_${p}_fen`))],
      [`revenue_share_${p}`, cube((a) => ratio(a.S(`rev_${p}_fen`), productTotal(a), 100))],
    ]),
  ),

  arrears_amount: cube((a) => sql`${a.L('arrears_fen')} / 100.0`),
  arrears_customers: cube((a) => a.L('arrears_customers')),
  arrears_rate: cube((a) => ratio(a.S('arrears_customers'), a.S('billed_customers'), 100)),
  arrears_per_account: cube((a) => ratio(a.S('arrears_fen'), a.S('arrears_customers'), 0.01)),
  arrears_age_1: cube((a) => a.L('arrears_age_1')),
  arrears_age_2_3: cube((a) => a.L('arrears_age_2_3')),
  arrears_age_4_plus: cube((a) => a.L('arrears_age_4_plus')),

  points_earned: cube((a) => a.S('points_earned')),
  points_redeemed: cube((a) => a.S('points_redeemed')),
  points_expired: cube((a) => a.S('points_expired')),
  points_liability: cube((a) => a.L('points_balance')),

  requests_raised: { source: 'requests', expr: () => sql`sum(e.raised)` },
  complaints: { source: 'requests', expr: () => sql`sum(e.complaint)` },
  requests_resolved: { source: 'requests', expr: () => sql`sum(e.resolved)` },
  sla_met_rate: { source: 'requests', expr: () => ratio(sql`sum(e.resolved_ok)`, sql`sum(e.resolved)`, 100) },
  sla_breaches: { source: 'requests', expr: () => sql`sum(e.breached)` },
  fee_waivers: { source: 'requests', expr: () => sql`sum(e.waived)` },
  satisfaction_avg: { source: 'surveys', expr: () => ratio(sql`sum(e.score)`, sql`sum(e.answered)`) },
  surveys_answered: { source: 'surveys', expr: () => sql`sum(e.answered)` },

  campaign_reach: { source: 'campaigns', expr: () => sql`sum(e.reached)` },
  campaign_responses: { source: 'campaigns', expr: () => sql`sum(e.responded)` },
  campaign_response_rate: { source: 'campaigns', expr: () => ratio(sql`sum(e.responded)`, sql`sum(e.reached)`, 100) },

  ...Object.fromEntries(
    SCORECARD_INDICATORS.map((i) => [
      `scorecard_${i.code}`,
      { source: 'scorecards', expr: () => (i.count ? sql`sum(p.${raw(i.code)})` : sql`avg(p.${raw(i.code)})`) } satisfies Measure,
    ]),
  ),
  scorecard_total: { source: 'scorecards', expr: () => sql`avg(s.total_score)::float8` },
  scored_managers: { source: 'scorecards', expr: () => sql`count(*)` },
};

/** A month 'YYYY-MM' as the date of its first day. */
export const monthDate = (m: string) => `${m}-01`;
/** The instant a month starts as people in 广东 count it. */
const monthStart = (m: string) => sql`(${monthDate(m)}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`;
const afterMonth = (m: string) => sql`((${monthDate(m)}::date + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai')`;
const monthOf = (column: SQL) => sql`date_trunc('month', ${column} AT TIME ZONE 'Asia/Shanghai')::date`;

/** A bound text[] from strings (values are data, never SQL). */
export const textArray = (values: readonly string[]): SQL =>
  sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`}::text[]`;

/** The reader's data scope as the engine applies it: a unit subtree, and for an account manager their own customers. */
export interface AnalysisScope {
  unitPath: string;
  managerId: number | null;
  /**
   * The scope as cities and counties, when it is one (the whole organisation, a province, a city, a county):
   * the rollup by area (analysis_month_area_cube) can serve it. Null for an outlet's scope.
   */
  area?: AreaScope | null;
}
export type AreaScope = { all: true } | { column: 'city_id' | 'county_id'; id: number };

/** The reader's unit as an area of the rollup by area: HQ and province see all, a city or county itself, an outlet none. */
export const areaOfUnit = (unitPath: string) => sql`SELECT id, kind FROM org_units WHERE path = ${unitPath}`;
export function areaScope(unit: { id: number; kind: string } | undefined, unitPath: string): AreaScope | null {
  if (unitPath === '/' || unit?.kind === 'hq' || unit?.kind === 'province') return { all: true };
  if (unit?.kind === 'city') return { column: 'city_id', id: Number(unit.id) };
  if (unit?.kind === 'county') return { column: 'county_id', id: Number(unit.id) };
  return null;
}

/** What one source statement is asked. */
export interface SourceQuery {
  dimensions: Dimension[];
  from: string;
  to: string;
  filters: Partial<Record<Dimension, string[]>>;
  scope: AnalysisScope;
}

/**
 * A source as a FROM clause, its dimension expressions (as text) and its scope and period conditions.
 * Event sources are rows (customer_id, unit_id, month, measures…) joined to the customer here.
 */
interface SourceShape {
  from: SQL;
  dims: Partial<Record<Dimension, SQL>>;
  where: SQL[];
  /** the month column, for stocks */
  month: SQL;
}

const unitPathLike = (path: string) => `${path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The rollup table a query reads: the one by area when it has no manager (as a cut, a filter or the reader's
 * portfolio) and its scope is a whole city or county or more; the one by manager when it has a manager but no
 * industry or brand; else the full one (by unit and manager, with every cut).
 */
export function rollupOf(q: Pick<SourceQuery, 'dimensions' | 'filters' | 'scope'>): { table: 'area' | 'manager' | 'full'; area: AreaScope | null } {
  const uses = (d: Dimension) => q.dimensions.includes(d) || !!q.filters[d];
  const manager = q.scope.managerId !== null || uses('manager');
  if (!manager && q.scope.area) return { table: 'area', area: q.scope.area };
  return { table: uses('industry') || uses('brand') ? 'full' : 'manager', area: null };
}

const ROLLUP_TABLES = { area: 'analysis_month_area_cube', manager: 'analysis_month_manager_cube', full: 'analysis_month_cube' };

function cubeShape(q: SourceQuery): SourceShape {
  const where = [sql`k.month BETWEEN ${monthDate(q.from)}::date AND ${monthDate(q.to)}::date`];
  const { table, area } = rollupOf(q);
  if (area) {
    if ('column' in area) where.push(sql`k.${raw(area.column)} = ${area.id}`);
  } else {
    // the unit subtree as the ids of its units: the cube is keyed by unit, not by path
    if (q.scope.unitPath !== '/') where.push(sql`k.unit_id IN (SELECT id FROM org_units WHERE path LIKE ${unitPathLike(q.scope.unitPath)})`);
    if (q.scope.managerId !== null) where.push(sql`k.manager_id = ${q.scope.managerId}`);
  }
  return {
    from: sql`${raw(ROLLUP_TABLES[table])} k`,
    month: sql`k.month`,
    where,
    dims: {
      month: sql`to_char(k.month, 'YYYY-MM')`,
      city: sql`k.city_id::text`,
      county: sql`k.county_id::text`,
      manager: sql`k.manager_id::text`,
      level: sql`k.level`,
      industry: sql`k.industry`,
      brand: sql`k.brand`,
      archive: sql`k.archive`,
      kind: sql`k.kind`,
    },
  };
}

/** The rows of an event source: (customer_id, unit_id, month, measure columns…) in the period. */
export type EventRows = (from: string, to: string) => SQL;

const requestEvents: EventRows = (from, to) => {
  const inRange = (c: string) => sql`${raw(c)} >= ${monthStart(from)} AND ${raw(c)} < ${afterMonth(to)}`;
  // one row per thing that happened, in the month it happened: raised, resolved, breached, waived
  return sql`
    SELECT customer_id, home_unit_id AS unit_id, ${monthOf(raw('created_at'))} AS month,
           1 AS raised, (type = 'complaint')::int AS complaint, 0 AS resolved, 0 AS resolved_ok, 0 AS breached, 0 AS waived
    FROM service_requests WHERE ${inRange('created_at')}
    UNION ALL
    SELECT customer_id, home_unit_id, ${monthOf(raw('resolved_at'))}, 0, 0, 1, (breached_at IS NULL)::int, 0, 0
    FROM service_requests WHERE ${inRange('resolved_at')}
    UNION ALL
    SELECT customer_id, home_unit_id, ${monthOf(raw('breached_at'))}, 0, 0, 0, 0, 1, 0
    FROM service_requests WHERE ${inRange('breached_at')}
    UNION ALL
    SELECT w.customer_id, r.home_unit_id, w.month, 0, 0, 0, 0, 0, 1
    FROM fee_waivers w JOIN service_requests r ON r.id = w.request_id
    WHERE w.month BETWEEN ${monthDate(from)}::date AND ${monthDate(to)}::date`;
};

const surveyEvents: EventRows = (from, to) => sql`
  SELECT r.customer_id, r.home_unit_id AS unit_id, ${monthOf(sql`v.answered_at`)} AS month, 1 AS answered, v.score
  FROM service_surveys v JOIN service_requests r ON r.id = v.request_id
  WHERE v.answered_at >= ${monthStart(from)} AND v.answered_at < ${afterMonth(to)} AND v.score IS NOT NULL`;

/**
 * 营销活动 (the segments sub-area's campaigns): each member of a started campaign, in the month the campaign starts, cut
 * by the unit the customer had when added; reached once contacted (a response recorded), responded when they answered.
 */
const campaignEvents: EventRows = (from, to) => sql`
  SELECT cm.customer_id, cm.unit_id, date_trunc('month', k.starts_on)::date AS month,
         (cm.response IS NOT NULL)::int AS reached,
         (cm.response IS NOT NULL AND cm.response IN ('responded', 'accepted', 'declined'))::int AS responded
  FROM analysis_campaign_members cm JOIN analysis_campaigns k ON k.id = cm.campaign_id AND k.status <> 'draft'
  WHERE k.starts_on BETWEEN ${monthDate(from)}::date AND (${monthDate(to)}::date + interval '1 month' - interval '1 day')::date`;

/** Event sources by key (columns customer_id, unit_id, month and the source's 0/1 or value columns). */
const eventSources = new Map<SourceKey, EventRows>([
  ['requests', requestEvents],
  ['surveys', surveyEvents],
  ['campaigns', campaignEvents],
]);

function eventShape(key: SourceKey, q: SourceQuery): SourceShape {
  const rows = eventSources.get(key)!;
  const where: SQL[] = [];
  if (q.scope.unitPath !== '/') where.push(sql`u.path LIKE ${unitPathLike(q.scope.unitPath)}`);
  if (q.scope.managerId !== null) where.push(sql`c.manager_id = ${q.scope.managerId}`);
  return {
    // the level is the customer's rating of the event's month; the other cuts are the profile's current values
    from: sql`(${rows(q.from, q.to)}) e
      JOIN customers c ON c.id = e.customer_id
      JOIN analysis_unit_areas u ON u.unit_id = e.unit_id
      LEFT JOIN customer_ratings r ON r.customer_id = e.customer_id AND r.month = e.month`,
    month: sql`e.month`,
    where,
    dims: {
      month: sql`to_char(e.month, 'YYYY-MM')`,
      city: sql`u.city_id::text`,
      county: sql`u.county_id::text`,
      manager: sql`c.manager_id::text`,
      level: sql`r.level`,
      industry: sql`c.industry`,
      brand: sql`c.brand`,
      archive: sql`c.archive`,
      kind: sql`c.kind`,
    },
  };
}

function scorecardShape(q: SourceQuery): SourceShape {
  const where = [sql`s.month BETWEEN ${monthDate(q.from)}::date AND ${monthDate(q.to)}::date`];
  if (q.scope.unitPath !== '/') where.push(sql`u.path LIKE ${unitPathLike(q.scope.unitPath)}`);
  if (q.scope.managerId !== null) where.push(sql`s.manager_id = ${q.scope.managerId}`);
  // the lines of a scorecard as one row: a column per indicator
  const columns = sql.join(
    SCORECARD_INDICATORS.map((i) => sql`max(l.value) FILTER (WHERE l.indicator = ${i.code})::float8 AS ${raw(i.code)}`),
    sql`, `,
  );
  return {
    from: sql`scorecards s
      JOIN analysis_unit_areas u ON u.unit_id = s.unit_id
      CROSS JOIN LATERAL (SELECT ${columns} FROM scorecard_lines l WHERE l.scorecard_id = s.id) p`,
    month: sql`s.month`,
    where,
    dims: {
      month: sql`to_char(s.month, 'YYYY-MM')`,
      city: sql`u.city_id::text`,
      county: sql`u.county_id::text`,
      manager: sql`s.manager_id::text`,
    },
  };
}

function shapeOf(key: SourceKey, q: SourceQuery): SourceShape {
  if (key === 'cube') return cubeShape(q);
  if (key === 'scorecards') return scorecardShape(q);
  return eventShape(key, q);
}

/**
 * One statement for the indicators of one source: the groups of the dimensions and the grand total
 * (GROUPING SETS), with `g` = 1 on the total row. Values come back as columns v0, v1, … in `codes` order.
 */
export function sourceStatement(key: SourceKey, codes: string[], q: SourceQuery): SQL {
  const shape = shapeOf(key, q);
  const dims = q.dimensions.map((d) => shape.dims[d]!);
  const where = [...shape.where];
  for (const [d, values] of Object.entries(q.filters) as [Dimension, string[]][]) {
    if (values && shape.dims[d]) where.push(sql`${shape.dims[d]} = ANY(${textArray(values)})`);
  }
  const last = sql`${shape.month} = ${monthDate(q.to)}::date`;
  const monthDim = q.dimensions.includes('month') ? shape.dims.month! : null;
  const agg: AggContext = {
    S: (c) => sql`sum(k.${raw(c)})`,
    // within a month-row the month's own value; on the total row (or without a month cut) the last month's
    L: (c) =>
      monthDim
        ? sql`CASE WHEN GROUPING(${monthDim}) = 0 THEN sum(k.${raw(c)}) ELSE sum(k.${raw(c)}) FILTER (WHERE ${last}) END`
        : sql`sum(k.${raw(c)}) FILTER (WHERE ${last})`,
  };
  const values = sql.join(
    codes.map((code, i) => sql`(${MEASURES[code]!.expr(agg)})::float8 AS ${raw(`v${i}`)}`),
    sql`, `,
  );
  const keys = dims.map((d, i) => sql`${d} AS ${raw(`d${i}`)}`);
  const select = sql.join([...keys, dims.length ? sql`GROUPING(${dims[0]!}) AS g` : sql`1 AS g`, values], sql`, `);
  const whereSql = where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``;
  const groupBy = dims.length ? sql`GROUP BY GROUPING SETS ((${sql.join(dims, sql`, `)}), ())` : sql``;
  return sql`SELECT ${select} FROM ${shape.from} ${whereSql} ${groupBy}`;
}

/** The names of the units and managers among the keys (labels of city, county and manager). */
export const unitNames = (ids: number[]) => sql`SELECT id::text AS id, name, name_en AS "nameEn" FROM org_units WHERE id = ANY(${`{${ids.join(',')}}`}::bigint[])`;
export const userNames = (ids: number[]) => sql`SELECT id::text AS id, display_name AS name FROM users WHERE id = ANY(${`{${ids.join(',')}}`}::bigint[])`;

/**
 * Rebuilds one month of the rollup (delete + insert in one transaction inside the function), and the next month's
 * abnormal changes, measured against it, unless `nextToo` is false (every month rebuilt in order).
 */
export const refreshMonth = (month: string, nextToo = true) => sql`SELECT refresh_analysis_month(${monthDate(month)}::date, ${nextToo})`;
/** Rebuilds the current-state rollups, group products and numbers' statuses (removing the marks it sees first: migration 0035). */
export const refreshCurrent = sql`SELECT refresh_analysis_current()`;
/**
 * After a rebuild, outside its transaction: the dashboards count the abnormal changes from their indexes alone, which
 * needs the new pages marked all-visible (and the planner the new statistics), not left to autovacuum's next visit.
 */
export const vacuumMonthRollups = sql`VACUUM (ANALYZE) analysis_month_changes`;
export const vacuumCurrentRollups = sql`VACUUM (ANALYZE) analysis_group_products, analysis_number_states`;
/** Whether a change marked the current-state rollups out of date. */
export const currentStale = sql`SELECT EXISTS (SELECT 1 FROM analysis_stale_current) AS stale`;
/** The months with facts, for "rebuild all". */
export const factMonths = sql`SELECT to_char(month, 'YYYY-MM') AS month FROM customer_month_totals GROUP BY month ORDER BY month`;

/**
 * Marks the rollup's months out of date in the caller's transaction: a facts import of those months and a rules run
 * (levels change) call it; the job analysis.rollups rebuilds them (service.ts). Months as 'YYYY-MM' or 'YYYY-MM-01'.
 */
export async function markRollupMonths(executor: { execute(query: SQL): Promise<unknown> }, months: string[]): Promise<void> {
  if (!months.length) return;
  await executor.execute(sql`
    INSERT INTO analysis_stale_months (month) SELECT DISTINCT m FROM unnest(${textArray(months.map((m) => monthDate(m.slice(0, 7))))}::date[]) m
    ON CONFLICT (month) DO UPDATE SET marked_at = now()`);
}

/** The months marked out of date, oldest first, with the time of their mark. */
export const staleMonths = sql`SELECT to_char(month, 'YYYY-MM') AS month, marked_at::text AS "markedAt" FROM analysis_stale_months ORDER BY month`;

/** The mark of a month rebuilt, unless it was marked again since the rebuild began. */
export const clearStaleMonth = (month: string, markedAt: string) =>
  sql`DELETE FROM analysis_stale_months WHERE month = ${monthDate(month)}::date AND marked_at <= ${markedAt}::timestamptz`;
