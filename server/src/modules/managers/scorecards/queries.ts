/**
 * SQL of the scorecards: the indicators' figures for all managers of a month in one SELECT (a UNION ALL of one
 * grouped query per indicator over a shared month-end portfolio), the run's few set-based statements, the
 * effective weights of units, the readings and the drill-down to the records behind a figure.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { AnalyticsReads, Database, Executor } from '../../../db/client.js';
import { INDICATORS, type IndicatorGroup } from './indicators.js';

/** A month as its bounds: `s` its first day, `e` the next month's first day, `base` the month growth compares with (all YYYY-MM-01). */
export interface MonthSpan {
  s: string;
  e: string;
  base: string;
}

/** Midnight of a calendar day in 广东, as a timestamptz. */
const at = (day: string) => sql`(${day}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`;
/** A timestamptz column inside the month, as people in 广东 count it. */
const inMonth = (column: SQL, m: MonthSpan) => sql`${column} >= ${at(m.s)} AND ${column} < ${at(m.e)}`;
const dayOf = (column: SQL) => sql`to_char(${column} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`;

const codesOf = (group: IndicatorGroup) => `{${INDICATORS.filter((i) => i.group === group).map((i) => i.code).join(',')}}`;

/**
 * The managers a run assesses, as `SELECT id, unit_id`: active users whose roles grant work.own and not
 * scorecards.manage (heads and administrators are not assessed as account managers), of the units at `unitPath`.
 */
export const managersSql = (unitPath: string): SQL => sql`
  SELECT u.id, u.unit_id FROM users u JOIN org_units o ON o.id = u.unit_id
  WHERE u.active AND starts_with(o.path, ${unitPath})
    AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND 'work.own' = ANY(r.permissions))
    AND NOT EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND 'scorecards.manage' = ANY(r.permissions))`;

/** One manager, as the managers of a recomputation. */
export const oneManagerSql = (managerId: number, unitId: number): SQL => sql`SELECT ${managerId}::bigint AS id, ${unitId}::bigint AS unit_id`;

/** The managers' portfolios at the month's end (customer_id, manager_id), of the managers of the relation `managers`. */
export const portfolioSql = (m: MonthSpan, managers: SQL): SQL => sql`
  SELECT p.customer_id, p.manager_id FROM portfolio_assignments p
  WHERE p.from_date < ${m.e}::date AND (p.until_date IS NULL OR p.until_date >= ${m.e}::date)
    AND p.manager_id IN (SELECT id FROM ${managers})`;

/** The relations the figures read: the managers (id, unit_id) and their portfolios (portfolioSql), by name. */
export interface FigureInputs {
  managers: SQL;
  portfolio: SQL;
}

/**
 * The common table expressions that end in `figures (manager_id, indicator, value)`: one row per manager and
 * indicator with data, for the managers and portfolios of the relations `rel` names (tables or earlier CTEs).
 */
export function figureCtes(m: MonthSpan, rel: FigureInputs): SQL {
  const managers = rel.managers;
  const portfolio = rel.portfolio;
  return sql`
  revenue AS (
    SELECT p.manager_id,
           sum(t.billed_fen) FILTER (WHERE t.month = ${m.s}::date) AS cur,
           sum(t.billed_fen) FILTER (WHERE t.month = ${m.base}::date) AS base
    FROM ${portfolio} p JOIN customer_month_totals t ON t.customer_id = p.customer_id AND t.month IN (${m.s}::date, ${m.base}::date)
    GROUP BY p.manager_id),
  churned AS (
    SELECT DISTINCT e.customer_id FROM lifecycle_events e
    WHERE e.from_archive = 'in_network' AND e.to_archive = 'retained' AND e.effective_on >= ${m.s}::date AND e.effective_on < ${m.e}::date),
  figures AS (
    SELECT manager_id, 'portfolio_revenue'::text AS indicator, round(cur / 100.0, 2) AS value FROM revenue WHERE cur IS NOT NULL
    UNION ALL
    SELECT manager_id, 'revenue_growth', round((cur - base) * 100.0 / base, 4) FROM revenue WHERE base > 0 AND cur IS NOT NULL
    UNION ALL
    SELECT a.manager_id, 'new_key_accounts', count(DISTINCT a.customer_id)::numeric FROM portfolio_assignments a
    WHERE a.from_date >= ${m.s}::date AND a.from_date < ${m.e}::date AND a.manager_id IN (SELECT id FROM ${managers})
      AND NOT EXISTS (SELECT 1 FROM portfolio_assignments o WHERE o.customer_id = a.customer_id AND o.from_date < a.from_date)
    GROUP BY a.manager_id
    UNION ALL
    SELECT p.manager_id, 'solutions_signed', count(*)::numeric FROM ${portfolio} p JOIN solutions so ON so.customer_id = p.customer_id
    WHERE so.status = 'signed' AND ${inMonth(sql`so.signed_at`, m)}
    GROUP BY p.manager_id
    UNION ALL
    SELECT wp.manager_id, 'plan_items_kept', round(count(*) FILTER (WHERE i.status = 'done') * 100.0 / count(*), 4)
    FROM work_plans wp JOIN work_plan_items i ON i.plan_id = wp.id
    WHERE i.planned_on >= ${m.s}::date AND i.planned_on < ${m.e}::date AND wp.manager_id IN (SELECT id FROM ${managers})
    GROUP BY wp.manager_id
    UNION ALL
    SELECT manager_id, 'visits', count(*)::numeric FROM (
      SELECT l.manager_id FROM work_logs l
      WHERE l.kind = 'visit' AND l.logged_on >= ${m.s}::date AND l.logged_on < ${m.e}::date AND l.manager_id IN (SELECT id FROM ${managers})
      UNION ALL
      SELECT v.manager_id FROM visits v
      WHERE v.channel IN ('visit', 'meeting') AND v.visited_on >= ${m.s}::date AND v.visited_on < ${m.e}::date AND v.manager_id IN (SELECT id FROM ${managers})
        AND NOT EXISTS (SELECT 1 FROM work_logs l WHERE l.visit_id = v.id)) x
    GROUP BY manager_id
    UNION ALL
    SELECT a.manager_id, 'tasks_on_time',
           round(count(*) FILTER (WHERE a.submitted_at IS NOT NULL AND (a.submitted_at AT TIME ZONE 'Asia/Shanghai')::date <= t.due_on) * 100.0 / count(*), 4)
    FROM manager_task_assignments a JOIN manager_tasks t ON t.id = a.task_id
    WHERE t.due_on >= ${m.s}::date AND t.due_on < ${m.e}::date AND t.status <> 'cancelled' AND a.status <> 'cancelled'
      AND a.manager_id IN (SELECT id FROM ${managers})
    GROUP BY a.manager_id
    UNION ALL
    SELECT p.manager_id, 'sla_met', round(count(*) FILTER (WHERE r.breached_at IS NULL) * 100.0 / count(*), 4)
    FROM ${portfolio} p JOIN service_requests r ON r.customer_id = p.customer_id
    WHERE ${inMonth(sql`r.resolved_at`, m)}
    GROUP BY p.manager_id
    UNION ALL
    SELECT p.manager_id, 'satisfaction', round(avg(sv.score), 4)
    FROM ${portfolio} p JOIN service_requests r ON r.customer_id = p.customer_id JOIN service_surveys sv ON sv.request_id = r.id
    WHERE sv.score IS NOT NULL AND ${inMonth(sql`sv.answered_at`, m)}
    GROUP BY p.manager_id
    UNION ALL
    SELECT p.manager_id, 'portfolio_churn', round(count(ch.customer_id) * 100.0 / count(*), 4)
    FROM ${portfolio} p JOIN customers c ON c.id = p.customer_id LEFT JOIN churned ch ON ch.customer_id = p.customer_id
    WHERE c.archive = 'in_network' OR c.archived_on >= ${m.s}::date OR ch.customer_id IS NOT NULL
    GROUP BY p.manager_id)`;
}

/** The indicators' defaults as rows (indicator, weight, target, higher, count), for SQL. */
const defaultsJson = () =>
  JSON.stringify(INDICATORS.map((i) => ({ indicator: i.code, weight: i.weight, target: i.target, higher: i.direction === 'higher', count: i.count })));

/**
 * `settings (unit_id, indicator, weight, target, higher, count)`: the weights and targets in effect in each unit
 * of the CTE `units (id)`: its own rows, else its nearest ancestor's, else the defaults (an indicator the set
 * that applies does not name weighs 0 there, with the default target).
 */
export function settingsCtes(): SQL {
  return sql`
  sources AS (
    SELECT u.id AS unit_id, (
      SELECT a.id FROM org_units a WHERE a.id IN (SELECT unit_id FROM scorecard_weights) AND starts_with(u.path, a.path)
      ORDER BY length(a.path) DESC LIMIT 1) AS source_id
    FROM org_units u WHERE u.id IN (SELECT id FROM units)),
  settings AS (
    SELECT s.unit_id, d.indicator, d.higher, d.count,
           CASE WHEN s.source_id IS NULL THEN d.weight ELSE coalesce(w.weight, 0) END AS weight,
           coalesce(w.target, d.target) AS target
    FROM sources s CROSS JOIN jsonb_to_recordset(${defaultsJson()}::jsonb) AS d(indicator text, weight numeric, target numeric, higher boolean, count boolean)
    LEFT JOIN scorecard_weights w ON w.unit_id = s.source_id AND w.indicator = d.indicator)`;
}

/** Achievement capped to [0, 1.2] as SQL, of a value (null: no data) against a line's target and direction. */
export const creditSql = (value: SQL, target: SQL, higher: SQL) => sql`coalesce(CASE
    WHEN ${value} IS NULL THEN 0
    WHEN ${higher} THEN greatest(0, least(${value} / nullif(${target}, 0), 1.2))
    WHEN ${value} <= 0 THEN 1.2
    ELSE least(${target} / ${value}, 1.2) END, 0)`;

// ---- the run

/** The run's inputs, in temporary tables dropped at commit and analysed, so that the planner sees their true sizes (thousands of managers, a million customers). */
export const RUN = { managers: sql.raw('scorecard_run_managers'), portfolio: sql.raw('scorecard_run_portfolio') } satisfies FigureInputs;

/** Fills the run's tables (RUN) in the caller's transaction: the managers assessed and their portfolios at the month's end. */
export async function prepareRun(tx: Executor, span: MonthSpan, managers: SQL): Promise<void> {
  await tx.execute(sql`CREATE TEMP TABLE ${RUN.managers} (id bigint PRIMARY KEY, unit_id bigint NOT NULL) ON COMMIT DROP`);
  await tx.execute(sql`INSERT INTO ${RUN.managers} (id, unit_id) ${managers}`);
  await tx.execute(sql`CREATE TEMP TABLE ${RUN.portfolio} (customer_id bigint NOT NULL, manager_id bigint NOT NULL) ON COMMIT DROP`);
  await tx.execute(sql`INSERT INTO ${RUN.portfolio} (customer_id, manager_id) ${portfolioSql(span, RUN.managers)}`);
  await tx.execute(sql`ANALYZE ${RUN.managers}`);
  await tx.execute(sql`ANALYZE ${RUN.portfolio}`);
}

/** The month's scorecards of the run's managers: new ones created open, open ones moved to the manager's unit now; closed ones untouched. */
export async function upsertScorecards(database: Database, tx: Executor, month: string): Promise<{ open: number; closed: number }> {
  const [row] = await database.rows<{ open: number; closed: number }>(
    sql`
    WITH upserted AS (
      INSERT INTO scorecards (month, manager_id, unit_id)
      SELECT ${month}::date, id, unit_id FROM ${RUN.managers}
      ON CONFLICT (month, manager_id) DO UPDATE SET unit_id = EXCLUDED.unit_id, computed_at = now(), updated_at = now()
      WHERE scorecards.status = 'open'
      RETURNING 1)
    SELECT (SELECT count(*) FROM upserted)::int AS open,
           (SELECT count(*) FROM scorecards s WHERE s.month = ${month}::date AND s.status = 'closed' AND s.manager_id IN (SELECT id FROM ${RUN.managers}))::int AS closed`,
    tx,
  );
  return { open: Number(row!.open), closed: Number(row!.closed) };
}

/** Every line of the run's managers' open scorecards of the month, in one INSERT … SELECT over the figures. */
export async function upsertLines(tx: Executor, span: MonthSpan): Promise<void> {
  const value = sql`coalesce(f.value, CASE WHEN st.count THEN 0 END)`;
  await tx.execute(sql`
    WITH units AS (SELECT DISTINCT unit_id AS id FROM ${RUN.managers}),
    ${figureCtes(span, RUN)},
    ${settingsCtes()}
    INSERT INTO scorecard_lines (scorecard_id, indicator, value, target, weight, score)
    SELECT s.id, st.indicator, ${value}, st.target, st.weight, round(st.weight * ${creditSql(value, sql`st.target`, sql`st.higher`)}, 2)
    FROM scorecards s
    JOIN settings st ON st.unit_id = s.unit_id
    LEFT JOIN figures f ON f.manager_id = s.manager_id AND f.indicator = st.indicator
    WHERE s.month = ${span.s}::date AND s.status = 'open' AND s.manager_id IN (SELECT id FROM ${RUN.managers})
    ON CONFLICT (scorecard_id, indicator) DO UPDATE
      SET value = EXCLUDED.value, target = EXCLUDED.target, weight = EXCLUDED.weight, score = EXCLUDED.score,
          previous_value = NULL, previous_score = NULL`);
}

/** Totals of the open scorecards of the month (of the units at `unitPath`), then the ranks per unit among all the month's cards; closed ones keep theirs. */
export async function totalsAndRanks(tx: Executor, month: string, unitPath: string): Promise<void> {
  await tx.execute(sql`
    UPDATE scorecards s SET total_score = x.total
    FROM (SELECT l.scorecard_id, sum(l.score) AS total FROM scorecard_lines l JOIN scorecards c ON c.id = l.scorecard_id
          JOIN org_units o ON o.id = c.unit_id
          WHERE c.month = ${month}::date AND c.status = 'open' AND starts_with(o.path, ${unitPath}) GROUP BY l.scorecard_id) x
    WHERE s.id = x.scorecard_id AND s.total_score IS DISTINCT FROM x.total`);
  await tx.execute(sql`
    UPDATE scorecards s SET unit_rank = x.r
    FROM (SELECT c.id, rank() OVER (PARTITION BY c.unit_id ORDER BY c.total_score DESC)::int AS r FROM scorecards c
          WHERE c.month = ${month}::date AND c.unit_id IN (SELECT o.id FROM org_units o WHERE starts_with(o.path, ${unitPath}))) x
    WHERE s.id = x.id AND s.status = 'open' AND s.unit_rank IS DISTINCT FROM x.r`);
}

/** Does the system hold any month totals of the month (a year before: growth's base)? */
export async function hasTotals(database: Database, month: string): Promise<boolean> {
  const [row] = await database.rows(sql`SELECT 1 FROM customer_month_totals WHERE month = ${month}::date LIMIT 1`);
  return !!row;
}

/** Closes the open scorecards of the month of the units at `unitPath`; answers how many. */
export async function closeScorecards(database: Database, tx: Executor, month: string, unitPath: string, closedBy: number | null): Promise<number> {
  const rows = await database.rows(
    sql`
    UPDATE scorecards s SET status = 'closed', closed_at = now(), closed_by = ${closedBy}, version = s.version + 1, updated_at = now()
    FROM org_units o
    WHERE o.id = s.unit_id AND s.month = ${month}::date AND s.status = 'open' AND starts_with(o.path, ${unitPath})
    RETURNING s.id`,
    tx,
  );
  return rows.length;
}

// ---- recomputing one closed scorecard

export interface LineDiff {
  indicator: string;
  previousValue: string | null;
  value: string | null;
  previousScore: number;
  score: number;
}

/** The card's lines recomputed over today's data with their own weights and targets; the figures before kept beside. */
export async function recomputeLines(database: Database, tx: Executor, card: { id: number; managerId: number; unitId: number }, span: MonthSpan): Promise<LineDiff[]> {
  const rows = await database.rows<{ indicator: string; previousValue: string | null; value: string | null; previousScore: string; score: string }>(
    sql`
    WITH managers AS MATERIALIZED (${oneManagerSql(card.managerId, card.unitId)}),
    portfolio AS MATERIALIZED (${portfolioSql(span, sql`managers`)}),
    ${figureCtes(span, { managers: sql`managers`, portfolio: sql`portfolio` })},
    defaults AS (SELECT * FROM jsonb_to_recordset(${defaultsJson()}::jsonb) AS d(indicator text, weight numeric, target numeric, higher boolean, count boolean)),
    fresh AS (
      SELECT l.indicator, coalesce(f.value, CASE WHEN d.count THEN 0 END) AS value, l.target, l.weight, coalesce(d.higher, true) AS higher
      FROM scorecard_lines l LEFT JOIN defaults d ON d.indicator = l.indicator
      LEFT JOIN figures f ON f.indicator = l.indicator
      WHERE l.scorecard_id = ${card.id})
    UPDATE scorecard_lines l
    SET previous_value = l.value, previous_score = l.score, value = fr.value,
        score = round(fr.weight * ${creditSql(sql`fr.value`, sql`fr.target`, sql`fr.higher`)}, 2)
    FROM fresh fr
    WHERE l.scorecard_id = ${card.id} AND l.indicator = fr.indicator
    RETURNING l.indicator, l.previous_value::text AS "previousValue", l.value::text AS value, l.previous_score::text AS "previousScore", l.score::text AS score`,
    tx,
  );
  return rows.map((r) => ({ indicator: r.indicator, previousValue: r.previousValue, value: r.value, previousScore: Number(r.previousScore), score: Number(r.score) }));
}

/** After a recomputation: the card's total, its revision and rank (its place among the unit's cards of the month as they stand). */
export async function finishRecompute(database: Database, tx: Executor, id: number): Promise<{ totalScore: number; unitRank: number }> {
  const [row] = await database.rows<{ totalScore: string; unitRank: number }>(
    sql`
    WITH t AS (SELECT coalesce(sum(score), 0) AS total FROM scorecard_lines WHERE scorecard_id = ${id})
    UPDATE scorecards s SET total_score = t.total,
      unit_rank = 1 + (SELECT count(*) FROM scorecards o WHERE o.unit_id = s.unit_id AND o.month = s.month AND o.id <> s.id AND o.total_score > t.total),
      revision = s.revision + 1, version = s.version + 1, computed_at = now(), updated_at = now()
    FROM t WHERE s.id = ${id}
    RETURNING s.total_score::text AS "totalScore", s.unit_rank AS "unitRank"`,
    tx,
  );
  return { totalScore: Number(row!.totalScore), unitRank: Number(row!.unitRank) };
}

// ---- reading

export interface CardRow {
  id: number;
  month: string;
  managerId: number;
  managerName: string;
  unitId: number;
  unitName: string;
  unitNameEn: string | null;
  unitPath: string;
  status: 'open' | 'closed';
  totalScore: number;
  unitRank: number | null;
  unitSize: number;
  revision: number;
  business: number;
  work: number;
  service: number;
  computedAt: Date;
  closedAt: Date | null;
  closedByName: string | null;
  version: number;
}

const CARD = sql`
  s.id, to_char(s.month, 'YYYY-MM') AS month, s.manager_id AS "managerId", m.display_name AS "managerName",
  s.unit_id AS "unitId", o.name AS "unitName", o.name_en AS "unitNameEn", o.path AS "unitPath", s.status,
  s.total_score::float8 AS "totalScore", s.unit_rank AS "unitRank",
  (SELECT count(*) FROM scorecards x WHERE x.unit_id = s.unit_id AND x.month = s.month)::int AS "unitSize",
  s.revision, s.computed_at AS "computedAt", s.closed_at AS "closedAt", cb.display_name AS "closedByName", s.version,
  coalesce(g.business, 0)::float8 AS business, coalesce(g.work, 0)::float8 AS work, coalesce(g.service, 0)::float8 AS service`;
const CARD_FROM = sql`
  FROM scorecards s JOIN users m ON m.id = s.manager_id JOIN org_units o ON o.id = s.unit_id LEFT JOIN users cb ON cb.id = s.closed_by
  LEFT JOIN LATERAL (
    SELECT sum(l.score) FILTER (WHERE l.indicator = ANY(${codesOf('business')}::text[])) AS business,
           sum(l.score) FILTER (WHERE l.indicator = ANY(${codesOf('work')}::text[])) AS work,
           sum(l.score) FILTER (WHERE l.indicator = ANY(${codesOf('service')}::text[])) AS service
    FROM scorecard_lines l WHERE l.scorecard_id = s.id) g ON true`;

type CardRaw = Omit<CardRow, 'computedAt' | 'closedAt'> & { computedAt: string | Date; closedAt: string | Date | null };
const toCard = (r: CardRaw): CardRow => ({
  ...r,
  id: Number(r.id),
  managerId: Number(r.managerId),
  unitId: Number(r.unitId),
  totalScore: Number(r.totalScore),
  unitRank: r.unitRank === null ? null : Number(r.unitRank),
  unitSize: Number(r.unitSize),
  revision: Number(r.revision),
  version: Number(r.version),
  business: Number(r.business),
  work: Number(r.work),
  service: Number(r.service),
  computedAt: new Date(r.computedAt),
  closedAt: r.closedAt === null ? null : new Date(r.closedAt),
});

export async function listCards(database: Database, where: SQL, offset: number, limit: number): Promise<{ items: CardRow[]; total: number }> {
  const [items, count] = await Promise.all([
    database.rows<CardRaw>(sql`SELECT ${CARD} ${CARD_FROM} WHERE ${where} ORDER BY s.month DESC, o.path, s.unit_rank NULLS LAST, m.display_name, s.id OFFSET ${offset} LIMIT ${limit}`),
    database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM scorecards s JOIN org_units o ON o.id = s.unit_id WHERE ${where}`),
  ]);
  return { items: items.map(toCard), total: Number(count[0]?.n ?? 0) };
}

export async function findCard(database: Database, id: number, executor?: Executor, lock = false): Promise<CardRow | null> {
  const [row] = await database.rows<CardRaw>(sql`SELECT ${CARD} ${CARD_FROM} WHERE s.id = ${id} ${lock ? sql`FOR UPDATE OF s` : sql``}`, executor);
  return row ? toCard(row) : null;
}

export interface LineRow {
  indicator: string;
  value: string | null;
  target: string;
  weight: number;
  score: number;
  previousValue: string | null;
  previousScore: number | null;
}

export async function cardLines(database: Database, id: number, executor?: Executor): Promise<LineRow[]> {
  const rows = await database.rows<{ indicator: string; value: string | null; target: string; weight: string; score: string; previousValue: string | null; previousScore: string | null }>(
    sql`SELECT indicator, value::text AS value, target::text AS target, weight::text AS weight, score::text AS score,
               previous_value::text AS "previousValue", previous_score::text AS "previousScore"
        FROM scorecard_lines WHERE scorecard_id = ${id}`,
    executor,
  );
  return rows.map((r) => ({ ...r, weight: Number(r.weight), score: Number(r.score), previousScore: r.previousScore === null ? null : Number(r.previousScore) }));
}

// ---- weights of a unit

export interface WeightRow {
  indicator: string;
  weight: string;
  target: string;
  version: number;
}

/** A unit's own rows, locked for a change when `lock`. */
export async function ownWeights(database: Database, unitId: number, executor?: Executor, lock = false): Promise<WeightRow[]> {
  const rows = await database.rows<WeightRow>(
    sql`SELECT indicator, weight::text AS weight, target::text AS target, version FROM scorecard_weights WHERE unit_id = ${unitId} ${lock ? sql`FOR UPDATE` : sql``}`,
    executor,
  );
  return rows.map((r) => ({ ...r, version: Number(r.version) }));
}

/** The nearest strict ancestor of the unit at `path` with rows of its own (id, name), or null. */
export async function nearestSource(database: Database, path: string, executor?: Executor): Promise<{ id: number; name: string; nameEn: string | null } | null> {
  const [row] = await database.rows<{ id: number; name: string; nameEn: string | null }>(
    sql`
    SELECT a.id, a.name, a.name_en AS "nameEn" FROM org_units a
    WHERE a.id IN (SELECT unit_id FROM scorecard_weights) AND starts_with(${path}::text, a.path) AND a.path <> ${path}
    ORDER BY length(a.path) DESC LIMIT 1`,
    executor,
  );
  return row ? { ...row, id: Number(row.id) } : null;
}

/** Replaces the unit's rows by `lines`, all at `version`. */
export async function replaceWeights(tx: Executor, unitId: number, lines: { indicator: string; weight: number; target: number }[], version: number): Promise<void> {
  await tx.execute(sql`DELETE FROM scorecard_weights WHERE unit_id = ${unitId}`);
  await tx.execute(sql`
    INSERT INTO scorecard_weights (unit_id, indicator, weight, target, version)
    SELECT ${unitId}, x.indicator, x.weight, x.target, ${version}
    FROM jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) AS x(indicator text, weight numeric, target numeric)`);
}

export const deleteWeights = (tx: Executor, unitId: number) => tx.execute(sql`DELETE FROM scorecard_weights WHERE unit_id = ${unitId}`);

// ---- the records behind a figure

export interface RecordRow {
  entity: string;
  recordId: number;
  customerId: number | null;
  customerNo: string | null;
  customerName: string | null;
  on: string | null;
  doneOn: string | null;
  kind: string | null;
  status: string | null;
  title: string | null;
  amount: string | null;
  baseAmount: string | null;
  counted: boolean;
}

const COLS = sql`entity, "recordId", "customerId", "customerNo", "customerName", "on", "doneOn", kind, status, title, amount, "baseAmount", counted`;

/** The portfolio of one manager at the month's end, as a CTE body (customer_id). */
const portfolioOf = (managerId: number, m: MonthSpan) => sql`
  SELECT p.customer_id FROM portfolio_assignments p
  WHERE p.manager_id = ${managerId} AND p.from_date < ${m.e}::date AND (p.until_date IS NULL OR p.until_date >= ${m.e}::date)`;

/** The records behind one indicator's figure of a manager's month (as the data stands now), in the order a person reads them. */
export function recordsSql(indicator: string, managerId: number, m: MonthSpan): SQL | null {
  const customer = sql`c.id AS "customerId", c.customer_no AS "customerNo", c.name AS "customerName"`;
  switch (indicator) {
    case 'portfolio_revenue':
    case 'revenue_growth':
      return sql`
        WITH mp AS (${portfolioOf(managerId, m)})
        SELECT 'customer' AS entity, c.id AS "recordId", ${customer}, NULL AS "on", NULL AS "doneOn", c.kind, c.archive AS status, NULL AS title,
               (t.billed_fen / 100.0)::numeric(14,2)::text AS amount, (b.billed_fen / 100.0)::numeric(14,2)::text AS "baseAmount", true AS counted,
               coalesce(t.billed_fen, -1) AS k1, c.id AS k2
        FROM mp JOIN customers c ON c.id = mp.customer_id
        LEFT JOIN customer_month_totals t ON t.customer_id = c.id AND t.month = ${m.s}::date
        LEFT JOIN customer_month_totals b ON b.customer_id = c.id AND b.month = ${m.base}::date
        ${indicator === 'revenue_growth' ? sql`WHERE b.billed_fen > 0 OR t.billed_fen > 0` : sql`WHERE t.customer_id IS NOT NULL`}
        ORDER BY k1 DESC, k2`;
    case 'new_key_accounts':
      return sql`
        SELECT 'customer' AS entity, c.id AS "recordId", ${customer}, to_char(a.from_date, 'YYYY-MM-DD') AS "on", NULL AS "doneOn", c.kind, c.archive AS status,
               NULL AS title, NULL AS amount, NULL AS "baseAmount", true AS counted, a.from_date AS k1, c.id AS k2
        FROM portfolio_assignments a JOIN customers c ON c.id = a.customer_id
        WHERE a.manager_id = ${managerId} AND a.from_date >= ${m.s}::date AND a.from_date < ${m.e}::date
          AND NOT EXISTS (SELECT 1 FROM portfolio_assignments o WHERE o.customer_id = a.customer_id AND o.from_date < a.from_date)
        ORDER BY k1 DESC, k2`;
    case 'solutions_signed':
      return sql`
        WITH mp AS (${portfolioOf(managerId, m)})
        SELECT 'solution' AS entity, so.id AS "recordId", ${customer}, ${dayOf(sql`so.signed_at`)} AS "on", NULL AS "doneOn", so.kind, so.status, so.title,
               so.expected_monthly_revenue::text AS amount, NULL AS "baseAmount", true AS counted, so.signed_at AS k1, so.id AS k2
        FROM mp JOIN solutions so ON so.customer_id = mp.customer_id JOIN customers c ON c.id = so.customer_id
        WHERE so.status = 'signed' AND ${inMonth(sql`so.signed_at`, m)}
        ORDER BY k1 DESC, k2`;
    case 'plan_items_kept':
      return sql`
        SELECT 'plan_item' AS entity, i.id AS "recordId", ${customer}, to_char(i.planned_on, 'YYYY-MM-DD') AS "on", NULL AS "doneOn", i.kind, i.status, i.goal AS title,
               NULL AS amount, NULL AS "baseAmount", i.status = 'done' AS counted, i.planned_on AS k1, i.id AS k2
        FROM work_plans wp JOIN work_plan_items i ON i.plan_id = wp.id JOIN customers c ON c.id = i.customer_id
        WHERE wp.manager_id = ${managerId} AND i.planned_on >= ${m.s}::date AND i.planned_on < ${m.e}::date
        ORDER BY k1 DESC, k2`;
    case 'visits':
      return sql`
        SELECT * FROM (
          SELECT 'work_log' AS entity, l.id AS "recordId", ${customer}, to_char(l.logged_on, 'YYYY-MM-DD') AS "on", NULL AS "doneOn", l.kind, l.result AS status, l.outcome AS title,
                 NULL AS amount, NULL AS "baseAmount", true AS counted, l.logged_on AS k1, l.id AS k2
          FROM work_logs l JOIN customers c ON c.id = l.customer_id
          WHERE l.manager_id = ${managerId} AND l.kind = 'visit' AND l.logged_on >= ${m.s}::date AND l.logged_on < ${m.e}::date
          UNION ALL
          SELECT 'visit', v.id, ${customer}, to_char(v.visited_on, 'YYYY-MM-DD'), NULL, v.channel, NULL, v.summary, NULL, NULL, true, v.visited_on, v.id
          FROM visits v JOIN customers c ON c.id = v.customer_id
          WHERE v.manager_id = ${managerId} AND v.channel IN ('visit', 'meeting') AND v.visited_on >= ${m.s}::date AND v.visited_on < ${m.e}::date
            AND NOT EXISTS (SELECT 1 FROM work_logs l WHERE l.visit_id = v.id)) x
        ORDER BY k1 DESC, entity, k2`;
    case 'tasks_on_time':
      return sql`
        SELECT 'task_assignment' AS entity, a.id AS "recordId", NULL::bigint AS "customerId", NULL AS "customerNo", NULL AS "customerName",
               to_char(t.due_on, 'YYYY-MM-DD') AS "on", ${dayOf(sql`a.submitted_at`)} AS "doneOn", NULL AS kind, a.status, t.title,
               NULL AS amount, NULL AS "baseAmount",
               coalesce(a.submitted_at IS NOT NULL AND (a.submitted_at AT TIME ZONE 'Asia/Shanghai')::date <= t.due_on, false) AS counted, t.due_on AS k1, a.id AS k2
        FROM manager_task_assignments a JOIN manager_tasks t ON t.id = a.task_id
        WHERE a.manager_id = ${managerId} AND t.due_on >= ${m.s}::date AND t.due_on < ${m.e}::date AND t.status <> 'cancelled' AND a.status <> 'cancelled'
        ORDER BY k1 DESC, k2`;
    case 'sla_met':
      return sql`
        WITH mp AS (${portfolioOf(managerId, m)})
        SELECT 'service_request' AS entity, r.id AS "recordId", ${customer}, ${dayOf(sql`r.created_at`)} AS "on", ${dayOf(sql`r.resolved_at`)} AS "doneOn", r.type AS kind,
               CASE WHEN r.breached_at IS NULL THEN 'met' ELSE 'breached' END AS status, r.request_no || ' ' || r.title AS title,
               NULL AS amount, NULL AS "baseAmount", r.breached_at IS NULL AS counted, r.resolved_at AS k1, r.id AS k2
        FROM mp JOIN service_requests r ON r.customer_id = mp.customer_id JOIN customers c ON c.id = r.customer_id
        WHERE ${inMonth(sql`r.resolved_at`, m)}
        ORDER BY k1 DESC, k2`;
    case 'satisfaction':
      return sql`
        WITH mp AS (${portfolioOf(managerId, m)})
        SELECT 'survey' AS entity, sv.id AS "recordId", ${customer}, ${dayOf(sql`sv.sent_at`)} AS "on", ${dayOf(sql`sv.answered_at`)} AS "doneOn", r.type AS kind,
               NULL AS status, r.request_no || ' ' || r.title || coalesce('：' || sv.comment, '') AS title,
               sv.score::text AS amount, NULL AS "baseAmount", true AS counted, sv.answered_at AS k1, sv.id AS k2
        FROM mp JOIN service_requests r ON r.customer_id = mp.customer_id JOIN service_surveys sv ON sv.request_id = r.id JOIN customers c ON c.id = r.customer_id
        WHERE sv.score IS NOT NULL AND ${inMonth(sql`sv.answered_at`, m)}
        ORDER BY k1 DESC, k2`;
    case 'portfolio_churn':
      return sql`
        WITH mp AS (${portfolioOf(managerId, m)})
        SELECT 'lifecycle_event' AS entity, e.id AS "recordId", ${customer}, to_char(e.effective_on, 'YYYY-MM-DD') AS "on", NULL AS "doneOn", e.reason AS kind,
               e.to_archive AS status, e.note AS title, NULL AS amount, NULL AS "baseAmount", true AS counted, e.effective_on AS k1, e.id AS k2
        FROM mp JOIN lifecycle_events e ON e.customer_id = mp.customer_id JOIN customers c ON c.id = e.customer_id
        WHERE e.from_archive = 'in_network' AND e.to_archive = 'retained' AND e.effective_on >= ${m.s}::date AND e.effective_on < ${m.e}::date
        ORDER BY k1 DESC, k2`;
    default:
      return null;
  }
}

export async function pageOfRecords(database: AnalyticsReads, query: SQL, offset: number, limit: number): Promise<{ items: RecordRow[]; total: number }> {
  const rows = await database.rows<RecordRow & { total: number }>(sql`
    WITH r AS (${query}) SELECT ${COLS}, count(*) OVER ()::int AS total FROM r ORDER BY k1 DESC NULLS LAST, k2 OFFSET ${offset} LIMIT ${limit}`);
  const total = rows.length ? Number(rows[0]!.total) : offset > 0 ? Number((await database.rows<{ n: number }>(sql`WITH r AS (${query}) SELECT count(*)::int AS n FROM r`))[0]!.n) : 0;
  return {
    items: rows.map(({ total: _t, ...r }) => ({ ...r, recordId: Number(r.recordId), customerId: r.customerId === null ? null : Number(r.customerId), counted: !!r.counted })),
    total,
  };
}
