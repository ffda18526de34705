/**
 * The features of a customer-month for 流失预警, in one set-based SQL over the monthly totals, the facts, the
 * complaints, the competitor products and the contracts. Every feature is computable for any past month from what
 * the system keeps of that month (no current status that a past month did not know), so training on month M with
 * labels from M+1 … M+h sees exactly what scoring the latest month sees.
 */
import { sql, type SQL } from 'drizzle-orm';

/** The feature codes, in the order of a model's arrays. Each has a reason text in the web catalogue (analysis-churn.reason.<code>). */
export const FEATURES = [
  'spend_change', // spend of the last 3 months against the 3 before, −1 … +2 (−0.42: down 42 %)
  'spend_last_change', // spend of the month against the average of the 3 before it
  'usage_change', // voice minutes and data of the last 3 months against the 3 before (the mean of the two changes)
  'arrears_months', // months of the last 3 ending in arrears, 0 … 3
  'silent_share', // share of the numbers billing 3 months ago that bill nothing in the month (suspended, silent)
  'complaints', // complaints in the 90 days up to the month's end
  'competitor', // holds a competitor's product (1/0)
  'contract_expiring', // a contract expires within 90 days after the month's end (1/0)
  'tenure_years', // years since joining, at the month's end (at most 30)
  'spend_level', // ln(1 + average monthly spend of the last 3 months in yuan)
] as const;
export type Feature = (typeof FEATURES)[number];

/** A change of a 3-month sum against the 3 months before, bounded so that a few tiny bills do not dominate. */
const change = (recent: SQL, prev: SQL) => sql`CASE WHEN coalesce(${prev}, 0) > 0 THEN least(2, coalesce(${recent}, 0)::float8 / ${prev} - 1) ELSE 0 END`;

export interface FeatureRowsOptions {
  /** The feature months (first days). */
  months: string[];
  /** A condition on `c` (customers): the customers to compute for (a scope, a sample, the in-network ones). */
  customers: SQL;
  /** Also the label: left within this many months after the feature month (training and validation). */
  labelHorizon?: number;
}

/**
 * SELECT customer_id, month, <FEATURES…> [, label] for the customers billing in each month (billed > 0) and,
 * with labels, not gone by then. A customer leaves in the month it moved to the retained archive, or, when
 * every number of it was ported out or closed, in its last billed month.
 */
export function featureRowsSql(o: FeatureRowsOptions): SQL {
  const months = sql`${`{${o.months.join(',')}}`}::date[]`;
  const first = o.months.reduce((a, b) => (a < b ? a : b));
  const last = o.months.reduce((a, b) => (a > b ? a : b));
  // static bounds let PostgreSQL prune the month partitions of the facts and totals
  const lo = sql`(${first}::date - interval '5 months')::date`;
  const hi = sql`${last}::date`;
  const labelled = o.labelHorizon !== undefined;
  return sql`
    WITH fm AS (SELECT unnest(${months}) AS m),
    ${
      labelled
        ? sql`gone AS (
      SELECT c.id AS customer_id,
             CASE WHEN c.archive = 'retained' AND c.archived_on IS NOT NULL THEN date_trunc('month', c.archived_on)::date
                  ELSE (SELECT max(t.month) FROM customer_month_totals t WHERE t.customer_id = c.id AND t.billed_fen > 0) END AS leave_month
      FROM customers c
      WHERE (${o.customers})
        AND ((c.archive = 'retained' AND c.archived_on IS NOT NULL)
             OR (EXISTS (SELECT 1 FROM subscriptions s WHERE s.customer_id = c.id)
                 AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.customer_id = c.id AND s.status IN ('normal', 'suspended'))))),`
        : sql``
    }
    base AS (
      SELECT t.customer_id, fm.m, (fm.m + interval '1 month')::date AS m_end, c.joined_on
             ${labelled ? sql`, coalesce(g.leave_month > fm.m AND g.leave_month <= (fm.m + make_interval(months => ${o.labelHorizon}))::date, false) AS label` : sql``}
      FROM fm JOIN customer_month_totals t ON t.month = fm.m AND t.billed_fen > 0
      JOIN customers c ON c.id = t.customer_id
      ${labelled ? sql`LEFT JOIN gone g ON g.customer_id = t.customer_id` : sql``}
      WHERE t.month BETWEEN ${first}::date AND ${hi} AND (${o.customers})
        ${labelled ? sql`AND (g.leave_month IS NULL OR g.leave_month > fm.m)` : sql``}),
    tot AS (
      SELECT b.customer_id, b.m,
             sum(t.billed_fen) FILTER (WHERE t.month > b.m - interval '3 months') AS s_recent,
             sum(t.billed_fen) FILTER (WHERE t.month <= b.m - interval '3 months') AS s_prev,
             sum(t.billed_fen) FILTER (WHERE t.month = b.m) AS s_m,
             sum(t.billed_fen) FILTER (WHERE t.month < b.m AND t.month >= b.m - interval '3 months') AS s_m3,
             count(*) FILTER (WHERE t.month > b.m - interval '3 months' AND t.arrears_fen > 0) AS arrears_months
      FROM base b JOIN customer_month_totals t ON t.customer_id = b.customer_id AND t.month BETWEEN b.m - interval '5 months' AND b.m
      WHERE t.month BETWEEN ${lo} AND ${hi}
      GROUP BY b.customer_id, b.m),
    per_sub AS (
      SELECT b.customer_id, b.m, f.subscription_id,
             sum(f.min_local + f.min_long_distance + f.min_roaming) FILTER (WHERE f.month > b.m - interval '3 months') AS min_r,
             sum(f.min_local + f.min_long_distance + f.min_roaming) FILTER (WHERE f.month <= b.m - interval '3 months') AS min_p,
             sum(f.data_mb) FILTER (WHERE f.month > b.m - interval '3 months') AS mb_r,
             sum(f.data_mb) FILTER (WHERE f.month <= b.m - interval '3 months') AS mb_p,
             sum(f.billed) FILTER (WHERE f.month = b.m - interval '3 months') AS billed_then,
             sum(f.billed) FILTER (WHERE f.month = b.m) AS billed_now
      FROM base b JOIN monthly_facts f ON f.customer_id = b.customer_id AND f.month BETWEEN b.m - interval '5 months' AND b.m
      WHERE f.month BETWEEN ${lo} AND ${hi}
      GROUP BY b.customer_id, b.m, f.subscription_id),
    use AS (
      SELECT customer_id, m, sum(min_r) AS min_r, sum(min_p) AS min_p, sum(mb_r)::float8 AS mb_r, sum(mb_p)::float8 AS mb_p,
             count(*) FILTER (WHERE billed_then > 0) AS subs_then,
             count(*) FILTER (WHERE billed_then > 0 AND coalesce(billed_now, 0) = 0) AS subs_silent
      FROM per_sub GROUP BY customer_id, m),
    compl AS (
      SELECT b.customer_id, b.m, count(*) AS n
      FROM base b JOIN service_requests q ON q.customer_id = b.customer_id AND q.type = 'complaint'
        AND q.created_at >= (b.m_end - 90)::timestamp AT TIME ZONE 'Asia/Shanghai' AND q.created_at < b.m_end::timestamp AT TIME ZONE 'Asia/Shanghai'
      GROUP BY b.customer_id, b.m)
    SELECT b.customer_id, b.m AS month,
           ${change(sql`t.s_recent`, sql`t.s_prev`)} AS spend_change,
           CASE WHEN coalesce(t.s_m3, 0) > 0 THEN least(2, coalesce(t.s_m, 0) * 3.0 / t.s_m3 - 1) ELSE 0 END::float8 AS spend_last_change,
           ((${change(sql`u.min_r`, sql`u.min_p`)}) + (${change(sql`u.mb_r`, sql`u.mb_p`)})) / 2 AS usage_change,
           coalesce(t.arrears_months, 0)::float8 AS arrears_months,
           CASE WHEN coalesce(u.subs_then, 0) > 0 THEN u.subs_silent::float8 / u.subs_then ELSE 0 END AS silent_share,
           coalesce(q.n, 0)::float8 AS complaints,
           (EXISTS (SELECT 1 FROM customer_products p WHERE p.customer_id = b.customer_id AND p.competitor IS NOT NULL
                      AND (p.since IS NULL OR p.since < b.m_end)))::int::float8 AS competitor,
           (EXISTS (SELECT 1 FROM contracts k WHERE k.customer_id = b.customer_id AND k.expires_on >= b.m_end AND k.expires_on < b.m_end + 90))::int::float8 AS contract_expiring,
           least(30, greatest(0, (b.m_end - coalesce(b.joined_on, b.m_end)) / 365.25))::float8 AS tenure_years,
           ln(1 + coalesce(t.s_recent, 0) / 300.0)::float8 AS spend_level
           ${labelled ? sql`, b.label` : sql``}
    FROM base b
    LEFT JOIN tot t ON t.customer_id = b.customer_id AND t.m = b.m
    LEFT JOIN use u ON u.customer_id = b.customer_id AND u.m = b.m
    LEFT JOIN compl q ON q.customer_id = b.customer_id AND q.m = b.m`;
}
