/**
 * The SQL of the dashboards' special panels: figures that are not a cut of a catalogue measure (the level migration
 * matrix, the abnormal changes of single customers, products at group customers, satisfaction by service type),
 * and the customers behind each of their figures. Every statement is set-based and keeps only the customers
 * `scope` lets through (a condition on `c`'s unit_id and manager_id: the reader's unit subtree, an account manager's
 * portfolio), `c` being the customers or a rollup's rows, which carry their customer's unit and manager.
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
 * The falls are read from analysis_month_changes (migration 0035): every customer whose spend or usage of a month
 * fell more than 10 % against the month before, rebuilt with the month's rollup. A fall counts from a month worth
 * noticing (¥10 billed, or 10 MB/minutes used); a customer without facts in the month fell to 0.
 */
const falls = (kind: 'spend_fall' | 'usage_fall', month: string, pct: number): SQL =>
  kind === 'spend_fall'
    ? sql`SELECT customer_id AS id, billed_before AS before, billed_after AS after FROM analysis_month_changes WHERE month = ${monthDate(month)}::date AND spend_fall > ${pct}`
    : sql`SELECT customer_id AS id, used_before AS before, used_after AS after FROM analysis_month_changes WHERE month = ${monthDate(month)}::date AND usage_fall > ${pct}`;

/**
 * Customers with numbers now suspended or ported out (analysis_number_states, migration 0035; the subscriptions carry
 * their status, not its history, so these are today's, whatever the period), and the number of such numbers.
 */
const subsIn = (status: 'suspended' | 'ported_out'): SQL =>
  status === 'suspended'
    ? sql`SELECT customer_id AS id, NULL::float8 AS before, suspended::float8 AS after FROM analysis_number_states WHERE suspended > 0`
    : sql`SELECT customer_id AS id, NULL::float8 AS before, ported_out::float8 AS after FROM analysis_number_states WHERE ported_out > 0`;

const abnormal = (kind: AbnormalKind, month: string, pct: number): SQL =>
  kind === 'spend_fall' || kind === 'usage_fall' ? falls(kind, month, pct) : subsIn(kind);

/**
 * How many customers of each kind of abnormal change, from the rollups (their rows carry the customer's unit and
 * manager, so the reader's scope applies to them as `c`).
 */
export async function abnormalSummary(db: AnalyticsReads, r: Reach, month: string, pct: number): Promise<Record<AbnormalKind, number>> {
  const [row] = await db.rows<Record<AbnormalKind, number>>(sql`
    SELECT f.spend_fall, f.usage_fall, n.suspended, n.ported_out
    FROM (SELECT count(*) FILTER (WHERE c.spend_fall > ${pct})::int AS spend_fall, count(*) FILTER (WHERE c.usage_fall > ${pct})::int AS usage_fall
          FROM analysis_month_changes c WHERE c.month = ${monthDate(month)}::date AND ${reachOf(r)}) f,
         (SELECT count(*) FILTER (WHERE c.suspended > 0)::int AS suspended, count(*) FILTER (WHERE c.ported_out > 0)::int AS ported_out
          FROM analysis_number_states c WHERE ${reachOf(r)}) n`);
  return row!;
}

/** Customers whose spend fell more than `pct` % against the month before, for each month of the period. */
export const spendFallByMonth = (db: AnalyticsReads, r: Reach, from: string, to: string, pct: number) =>
  db.rows<{ month: string; customers: number }>(sql`
    SELECT to_char(c.month, 'YYYY-MM') AS month, count(*)::int AS customers
    FROM analysis_month_changes c
    WHERE c.spend_fall > ${pct} AND c.month BETWEEN ${monthDate(from)}::date AND ${monthDate(to)}::date AND ${reachOf(r)}
    GROUP BY 1 ORDER BY 1`);

// ---- 竞争对手 / 集团产品 ----------------------------------------------------------------------------------------------

/*
 * Read from analysis_group_products (migration 0035): one row per group customer (not merged away) and product,
 * with its unit and manager, so the reader's scope applies to the rows as `c`; rebuilt by the job analysis.rollups
 * within a minute of a change of products or of customers' units, managers, kinds or merges.
 */

/** Group customers using each competitor (a customer with two of its products counts once). */
export const competitors = (db: AnalyticsReads, r: Reach) =>
  db.rows<{ competitor: string; customers: number; products: number }>(sql`
    SELECT c.competitor, count(DISTINCT c.customer_id)::int AS customers, sum(c.products)::int AS products
    FROM analysis_group_products c
    WHERE c.competitor IS NOT NULL AND ${reachOf(r)}
    GROUP BY 1 ORDER BY 2 DESC`);

export const competitorProducts = (db: AnalyticsReads, r: Reach) =>
  db.rows<{ competitor: string; product: string; customers: number; monthlyFee: number | null }>(sql`
    SELECT c.competitor, c.product, count(*)::int AS customers, sum(c.monthly_fee)::float8 AS "monthlyFee"
    FROM analysis_group_products c
    WHERE c.competitor IS NOT NULL AND ${reachOf(r)}
    GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`);

/** Group customers using each of our products, and those who first took it up within the period. */
export const groupProducts = (db: AnalyticsReads, r: Reach, from: string, to: string) =>
  db.rows<{ product: string; customers: number; newInPeriod: number }>(sql`
    SELECT c.product, count(*)::int AS customers,
           count(*) FILTER (WHERE c.first_since >= ${monthDate(from)}::date AND c.first_since < (${monthDate(to)}::date + interval '1 month'))::int AS "newInPeriod"
    FROM analysis_group_products c
    WHERE c.competitor IS NULL AND ${reachOf(r)}
    GROUP BY 1 ORDER BY 2 DESC, 1`);

export const groupProductsNew = (db: AnalyticsReads, r: Reach, from: string, to: string) =>
  db.rows<{ month: string; product: string; customers: number }>(sql`
    SELECT to_char(c.first_since, 'YYYY-MM') AS month, c.product, count(*)::int AS customers
    FROM analysis_group_products c
    WHERE c.competitor IS NULL AND c.first_since >= ${monthDate(from)}::date AND c.first_since < (${monthDate(to)}::date + interval '1 month') AND ${reachOf(r)}
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
  unitNameEn: string | null;
  managerName: string | null;
  level: string | null;
  before: number | null;
  after: number | null;
}

export async function drillPage(db: AnalyticsReads, r: Reach, ids: SQL, offset: number, limit: number): Promise<{ items: DrillRow[]; total: number }> {
  const rows = await db.rows<DrillRow & { total: number }>(sql`
    WITH hit AS (SELECT x.id, x.before, x.after FROM (${ids}) x JOIN customers c ON c.id = x.id WHERE ${reachOf(r)})
    SELECT c.id::int AS id, c.customer_no AS "customerNo", c.name, u.name AS "unitName", u.name_en AS "unitNameEn", m.display_name AS "managerName", st.level,
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
    SELECT customer_id AS id, NULL::float8 AS before, sum(monthly_fee)::float8 AS after
    FROM analysis_group_products
    WHERE competitor = ${competitor}${product === null ? sql`` : sql` AND product = ${product}`}
    GROUP BY customer_id`,
  product: (product: string, from: string | null, to: string | null): SQL => sql`
    SELECT customer_id AS id, NULL::float8 AS before, monthly_fee AS after
    FROM analysis_group_products
    WHERE competitor IS NULL AND product = ${product}
      ${from && to ? sql`AND first_since >= ${monthDate(from)}::date AND first_since < (${monthDate(to)}::date + interval '1 month')` : sql``}`,
};
