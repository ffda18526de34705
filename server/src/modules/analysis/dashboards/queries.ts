/**
 * The SQL of the dashboards' special panels: figures that are not a cut of a catalogue measure (the level migration
 * matrix, the abnormal changes of single customers, products at group customers, satisfaction by service type),
 * and the customers behind each of their figures. Every statement is set-based and keeps only the customers
 * `scope` lets through (a condition on `c`, customers: the reader's unit subtree, an account manager's portfolio).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { AnalyticsReads } from '../../../db/client.js';

/** Which customers: the reader's scope and, when a unit was chosen, its subtree. */
export interface Reach {
  scope: SQL;
  unitPath: string | null;
}

const esc = (s: string) => s.replace(/[\\%_]/g, '\\$&');
const reachOf = (r: Reach): SQL =>
  r.unitPath === null ? r.scope : sql`${r.scope} AND c.unit_id IN (SELECT id FROM org_units WHERE path LIKE ${`${esc(r.unitPath)}%`})`;
const monthDate = (m: string) => `${m}-01`;

// ---- 级别迁移 ------------------------------------------------------------------------------------------------------

export interface MigrationCell {
  fromLevel: string;
  toLevel: string;
  customers: number;
}

/** Customers by (level in the first month, level in the last month), from the monthly ratings. */
export const levelMigration = (db: AnalyticsReads, r: Reach, from: string, to: string) =>
  db.rows<MigrationCell>(sql`
    SELECT a.level AS "fromLevel", b.level AS "toLevel", count(*)::int AS customers
    FROM customer_ratings a
    JOIN customer_ratings b ON b.customer_id = a.customer_id AND b.month = ${monthDate(to)}::date
    JOIN customers c ON c.id = a.customer_id
    WHERE a.month = ${monthDate(from)}::date AND ${reachOf(r)}
    GROUP BY 1, 2 ORDER BY 1, 2`);

const migrationDrill = (from: string, to: string, fromLevel: string, toLevel: string): SQL => sql`
  SELECT a.customer_id AS id, NULL::float8 AS before, NULL::float8 AS after
  FROM customer_ratings a
  JOIN customer_ratings b ON b.customer_id = a.customer_id AND b.month = ${monthDate(to)}::date AND b.level = ${toLevel}
  WHERE a.month = ${monthDate(from)}::date AND a.level = ${fromLevel}`;

// ---- 异动 ----------------------------------------------------------------------------------------------------------

export const ABNORMAL_KINDS = ['spend_fall', 'usage_fall', 'suspended', 'ported_out'] as const;
export type AbnormalKind = (typeof ABNORMAL_KINDS)[number];

/**
 * A fall counts from a month worth noticing: at least ¥10 billed, or 10 MB / 10 minutes used, the month before
 * (a customer going from ¥2 to ¥1 is no news). A customer without a total in the month fell to 0.
 */
const MIN_SPEND_FEN = 1000;
const MIN_USAGE = 10;

/** Customers whose billed revenue of `month` fell more than `pct` % below the month before (billed before and after, in yuan). */
const spendFall = (month: string, pct: number): SQL => sql`
  SELECT p.customer_id AS id, p.billed_fen / 100.0 AS before, coalesce(m.billed_fen, 0) / 100.0 AS after
  FROM customer_month_totals p
  LEFT JOIN customer_month_totals m ON m.customer_id = p.customer_id AND m.month = ${monthDate(month)}::date
  WHERE p.month = (${monthDate(month)}::date - interval '1 month')::date AND p.billed_fen >= ${MIN_SPEND_FEN}
    AND coalesce(m.billed_fen, 0) < p.billed_fen * ${1 - pct / 100}::float8`;

/** Usage of a month per customer: data MB plus voice minutes (one scale: a minute and a megabyte are both "a unit of use" here). */
const usageOf = (month: SQL): SQL => sql`
  SELECT customer_id, sum(data_mb + min_local + min_long_distance + min_roaming)::float8 AS used
  FROM monthly_facts WHERE month = ${month} GROUP BY customer_id`;

/** Customers whose usage of `month` fell more than `pct` % below the month before. */
const usageFall = (month: string, pct: number): SQL => sql`
  SELECT p.customer_id AS id, p.used AS before, coalesce(m.used, 0) AS after
  FROM (${usageOf(sql`(${monthDate(month)}::date - interval '1 month')::date`)}) p
  LEFT JOIN (${usageOf(sql`${monthDate(month)}::date`)}) m ON m.customer_id = p.customer_id
  WHERE p.used >= ${MIN_USAGE} AND coalesce(m.used, 0) < p.used * ${1 - pct / 100}::float8`;

/**
 * Subscriptions now suspended or ported out, by customer: the subscriptions carry their status, not its history,
 * so these are the customers with such numbers today (and the number of them), whatever the period.
 */
const subsIn = (status: 'suspended' | 'ported_out'): SQL => sql`
  SELECT s.customer_id AS id, NULL::float8 AS before, count(*)::float8 AS after
  FROM subscriptions s WHERE s.status = ${status} GROUP BY s.customer_id`;

const abnormal = (kind: AbnormalKind, month: string, pct: number): SQL => {
  switch (kind) {
    case 'spend_fall':
      return spendFall(month, pct);
    case 'usage_fall':
      return usageFall(month, pct);
    case 'suspended':
      return subsIn('suspended');
    case 'ported_out':
      return subsIn('ported_out');
  }
};

/**
 * How many customers of each kind of abnormal change, in one statement: the reader's customers are picked once,
 * and the subscriptions read once for both statuses.
 */
export async function abnormalSummary(db: AnalyticsReads, r: Reach, month: string, pct: number): Promise<Record<AbnormalKind, number>> {
  const [row] = await db.rows<Record<AbnormalKind, number>>(sql`
    WITH mine AS MATERIALIZED (SELECT c.id FROM customers c WHERE ${reachOf(r)}),
    subs AS (
      SELECT s.customer_id AS id, bool_or(s.status = 'suspended') AS suspended, bool_or(s.status = 'ported_out') AS ported_out
      FROM subscriptions s WHERE s.status IN ('suspended', 'ported_out') GROUP BY s.customer_id)
    SELECT (SELECT count(*)::int FROM (${spendFall(month, pct)}) x JOIN mine USING (id)) AS spend_fall,
           (SELECT count(*)::int FROM (${usageFall(month, pct)}) x JOIN mine USING (id)) AS usage_fall,
           count(*) FILTER (WHERE subs.suspended)::int AS suspended,
           count(*) FILTER (WHERE subs.ported_out)::int AS ported_out
    FROM subs JOIN mine USING (id)`);
  return row!;
}

/**
 * Customers whose spend fell more than `pct` % against the month before, for each month of the period: one pass
 * over the month totals with each customer's next month beside it (a window, not a self-join of twelve months:
 * three times faster on the large profile). No next month means billed 0: a customer who stopped being billed
 * fell by 100 %.
 */
export const spendFallByMonth = (db: AnalyticsReads, r: Reach, from: string, to: string, pct: number) =>
  db.rows<{ month: string; customers: number }>(sql`
    SELECT to_char(x.month + interval '1 month', 'YYYY-MM') AS month, count(*)::int AS customers
    FROM (
      SELECT t.month, t.billed_fen, lead(t.billed_fen) OVER w AS next, lead(t.month) OVER w AS next_month
      FROM customer_month_totals t
      WHERE t.month BETWEEN (${monthDate(from)}::date - interval '1 month')::date AND ${monthDate(to)}::date
        AND t.customer_id IN (SELECT c.id FROM customers c WHERE ${reachOf(r)})
      WINDOW w AS (PARTITION BY t.customer_id ORDER BY t.month)) x
    WHERE x.month < ${monthDate(to)}::date AND x.billed_fen >= ${MIN_SPEND_FEN}
      AND (CASE WHEN x.next_month = (x.month + interval '1 month')::date THEN x.next ELSE 0 END) < x.billed_fen * ${1 - pct / 100}::float8
    GROUP BY 1 ORDER BY 1`);

// ---- 竞争对手 / 集团产品 ----------------------------------------------------------------------------------------------

/** Group customers using each competitor (a customer with two of its products counts once). */
export const competitors = (db: AnalyticsReads, r: Reach) =>
  db.rows<{ competitor: string; customers: number; products: number }>(sql`
    SELECT p.competitor, count(DISTINCT p.customer_id)::int AS customers, count(*)::int AS products
    FROM customer_products p JOIN customers c ON c.id = p.customer_id
    WHERE p.competitor IS NOT NULL AND c.kind = 'group' AND c.merged_into IS NULL AND ${reachOf(r)}
    GROUP BY 1 ORDER BY 2 DESC`);

export const competitorProducts = (db: AnalyticsReads, r: Reach) =>
  db.rows<{ competitor: string; product: string; customers: number; monthlyFee: number | null }>(sql`
    SELECT p.competitor, p.product, count(DISTINCT p.customer_id)::int AS customers, sum(p.monthly_fee)::float8 AS "monthlyFee"
    FROM customer_products p JOIN customers c ON c.id = p.customer_id
    WHERE p.competitor IS NOT NULL AND c.kind = 'group' AND c.merged_into IS NULL AND ${reachOf(r)}
    GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`);

/** Group customers using each of our products, and those who took it up within the period. */
export const groupProducts = (db: AnalyticsReads, r: Reach, from: string, to: string) =>
  db.rows<{ product: string; customers: number; newInPeriod: number }>(sql`
    SELECT p.product, count(DISTINCT p.customer_id)::int AS customers,
           count(DISTINCT p.customer_id) FILTER (WHERE p.since >= ${monthDate(from)}::date AND p.since < (${monthDate(to)}::date + interval '1 month'))::int AS "newInPeriod"
    FROM customer_products p JOIN customers c ON c.id = p.customer_id
    WHERE p.competitor IS NULL AND c.kind = 'group' AND c.merged_into IS NULL AND ${reachOf(r)}
    GROUP BY 1 ORDER BY 2 DESC, 1`);

export const groupProductsNew = (db: AnalyticsReads, r: Reach, from: string, to: string) =>
  db.rows<{ month: string; product: string; customers: number }>(sql`
    SELECT to_char(p.since, 'YYYY-MM') AS month, p.product, count(DISTINCT p.customer_id)::int AS customers
    FROM customer_products p JOIN customers c ON c.id = p.customer_id
    WHERE p.competitor IS NULL AND c.kind = 'group' AND c.merged_into IS NULL
      AND p.since >= ${monthDate(from)}::date AND p.since < (${monthDate(to)}::date + interval '1 month') AND ${reachOf(r)}
    GROUP BY 1, 2 ORDER BY 1, 2`);

// ---- 满意度 --------------------------------------------------------------------------------------------------------

/** Average survey score and answers by service type, for surveys answered within the period. */
export const satisfactionByType = (db: AnalyticsReads, r: Reach, from: string, to: string) =>
  db.rows<{ type: string; score: number | null; answered: number; complaints: number }>(sql`
    SELECT q.type, avg(s.score)::float8 AS score, count(s.score)::int AS answered, count(*) FILTER (WHERE s.complaint)::int AS complaints
    FROM service_surveys s
    JOIN service_requests q ON q.id = s.request_id
    JOIN customers c ON c.id = q.customer_id
    WHERE s.answered_at >= ${monthDate(from)}::date AND s.answered_at < (${monthDate(to)}::date + interval '1 month') AND ${reachOf(r)}
    GROUP BY 1 ORDER BY 1`);

// ---- 钻取 ----------------------------------------------------------------------------------------------------------

/** The customers behind a special figure: `ids` selects (id, before, after); a page of them with their names, unit, manager and level. */
export interface DrillRow {
  id: number;
  customerNo: string;
  name: string;
  unitName: string;
  managerName: string | null;
  level: string | null;
  before: number | null;
  after: number | null;
}

export async function drillPage(db: AnalyticsReads, r: Reach, ids: SQL, offset: number, limit: number): Promise<{ items: DrillRow[]; total: number }> {
  const rows = await db.rows<DrillRow & { total: number }>(sql`
    WITH hit AS (SELECT x.id, x.before, x.after FROM (${ids}) x JOIN customers c ON c.id = x.id WHERE ${reachOf(r)})
    SELECT c.id::int AS id, c.customer_no AS "customerNo", c.name, u.name AS "unitName", m.display_name AS "managerName", st.level,
           h.before::float8 AS before, h.after::float8 AS after, (SELECT count(*) FROM hit)::int AS total
    FROM hit h
    JOIN customers c ON c.id = h.id
    JOIN org_units u ON u.id = c.unit_id
    LEFT JOIN users m ON m.id = c.manager_id
    LEFT JOIN customer_standings st ON st.customer_id = c.id
    ORDER BY h.before - h.after DESC NULLS LAST, c.customer_no
    OFFSET ${offset} LIMIT ${limit}`);
  const total = rows[0]?.total ?? (offset ? Number((await db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM (${ids}) x JOIN customers c ON c.id = x.id WHERE ${reachOf(r)}`))[0]?.n ?? 0) : 0);
  return { items: rows.map(({ total: _t, ...row }) => ({ ...row, id: Number(row.id) })), total };
}

export const drillSources = {
  migration: migrationDrill,
  abnormal,
  competitor: (competitor: string, product: string | null): SQL => sql`
    SELECT p.customer_id AS id, NULL::float8 AS before, sum(p.monthly_fee)::float8 AS after
    FROM customer_products p JOIN customers c ON c.id = p.customer_id
    WHERE p.competitor = ${competitor} AND c.kind = 'group'${product === null ? sql`` : sql` AND p.product = ${product}`}
    GROUP BY p.customer_id`,
  product: (product: string, from: string | null, to: string | null): SQL => sql`
    SELECT p.customer_id AS id, NULL::float8 AS before, sum(p.monthly_fee)::float8 AS after
    FROM customer_products p JOIN customers c ON c.id = p.customer_id
    WHERE p.competitor IS NULL AND p.product = ${product} AND c.kind = 'group'
      ${from && to ? sql`AND p.since >= ${monthDate(from)}::date AND p.since < (${monthDate(to)}::date + interval '1 month')` : sql``}
    GROUP BY p.customer_id`,
};
