/**
 * BOSS 经营分析数据 of the demo: 12 months (2025-11 … 2026-10) of facts for every subscription, made
 * set-based in SQL (one INSERT … SELECT per month) and deterministic: every "random" value is a slice
 * of `hashint8extended(id, seed)`, never random(). Runs on PGlite and on PostgreSQL 15+.
 *
 * Patterns: a spend level per subscription from its plan's fee (group customers' numbers higher),
 * revenue split into voice/SMS/data/value-added/roaming with seasonality (Spring Festival: roaming
 * and SMS up; summer: data and roaming up; National Day: roaming up), slowly declining customers and
 * the retained ones falling faster, numbers that were ported out or closed billing 0 from the month
 * after they left, suspended numbers that ran into arrears before suspension, a few customers in
 * persistent arrears and some unpaid bills of the latest month.
 * Planted churn (流失预警 has something real to find): three in four customers that leave (moved to the retained
 * archive, or every number ported out or closed) show it over the 2–4 months before their last billed month —
 * spend and usage falling step by step to 25–65 % of their level, bills left unpaid, and for customers with
 * several numbers some of the other numbers going silent (suspended). As noise, the other leavers go without
 * warning and one in twenty-five staying customers declines the same way from a random month and stays.
 * billed = the sum of the five revenue columns; paid ≤ billed; arrears = billed − paid.
 */
import { FACT_MONTHS } from './catalog.js';

export const FACT_BASE = 'demo_fact_base';

/** Month factors by calendar month (1–12): voice, sms, data, value-added, roaming. */
const SEASON: Record<number, [number, number, number, number, number]> = {
  1: [1.05, 1.1, 1.0, 1.0, 1.3],
  2: [1.15, 1.35, 1.05, 1.1, 3.0], // 春节 2026-02-17
  3: [1.0, 1.0, 1.0, 1.0, 1.0],
  4: [1.0, 1.0, 1.0, 1.0, 1.1],
  5: [1.0, 1.0, 1.02, 1.0, 1.4], // 五一
  6: [1.0, 1.0, 1.05, 1.0, 1.0],
  7: [0.95, 1.0, 1.2, 1.05, 1.8], // summer
  8: [0.95, 1.0, 1.25, 1.05, 1.9],
  9: [1.0, 1.0, 1.05, 1.0, 1.0],
  10: [1.0, 1.0, 1.05, 1.0, 2.0], // 国庆
  11: [1.0, 1.2, 1.0, 1.0, 1.0], // 双十一
  12: [1.05, 1.1, 1.0, 1.05, 1.2],
};

/** The n-th 16-bit slice of a bigint hash as a float8 in [0, 1). */
const u = (h: string, n: number) => `(((${h} >> ${16 * n}) & 65535)::float8 / 65536)`;
/** Index of a date's month in the 12 fact months (2025-11 → 0). */
const monthIndex = (d: string) => `(extract(year from ${d})::int * 12 + extract(month from ${d})::int - ${2025 * 12 + 11})`;

function seedLiteral(seed: number): string {
  if (!Number.isSafeInteger(seed)) throw new Error('demo seed must be an integer');
  return String(seed);
}

/** Per-subscription parameters of the facts, computed once (the months then read this table). */
export function factBaseSql(seed: number): string {
  const s = seedLiteral(seed);
  return `
CREATE UNLOGGED TABLE ${FACT_BASE} AS
SELECT sub_id, customer_id, level,
       sv / st AS sv, ss / st AS ss, sd / st AS sd, sa / st AS sa, sr / st AS sr,
       decline, start_k, end_k, debt_k, arrears_from, warn_k, warn_len, warn_depth,
       CASE WHEN warn_k < 99 AND sub_rank > 1 AND silent_u < 0.4 THEN warn_k + 1 ELSE 99 END AS silent_k
FROM (
SELECT b.*,
       -- the planted warning: from warn_k on, spend falls over warn_len months to (1 − warn_depth) of its level
       CASE WHEN leave_k IS NOT NULL THEN CASE WHEN warn_u < 0.75 THEN leave_k - warn_len + 1 ELSE 99 END
            WHEN warn_u < 0.04 THEN noise_k ELSE 99 END AS warn_k
FROM (
SELECT b.*,
       -- the customer's last billed month when it leaves: its archive month, or when every number ended, the last one's end
       CASE WHEN retained_k IS NOT NULL THEN retained_k
            WHEN bool_and(ended) OVER w THEN max(end_k) OVER w END AS leave_k,
       row_number() OVER (PARTITION BY customer_id ORDER BY sub_id) AS sub_rank
FROM (
  SELECT s.id AS sub_id, s.customer_id,
         s.status IN ('ported_out', 'closed') AS ended,
         CASE WHEN c.archive = 'retained' AND c.archived_on IS NOT NULL THEN ${monthIndex('c.archived_on')} END AS retained_k,
         ${u('hw', 0)} AS warn_u, 2 + abs(hw % 3)::int AS warn_len, 0.35 + 0.4 * ${u('hw', 1)} AS warn_depth,
         3 + abs((hw >> 32) % 8)::int AS noise_k, ${u('hs2', 2)} AS silent_u,
         coalesce(substring(s.plan from '([0-9]+)元')::float8, 100) * (0.85 + 0.5 * ${u('hs', 0)})
           * CASE WHEN c.kind = 'group' THEN 1.3 + 1.7 * ${u('hc', 0)} ELSE 0.9 + 0.4 * ${u('hc', 0)} END AS level,
         0.22 + 0.15 * ${u('hs', 1)} AS sv, 0.02 + 0.03 * ${u('hs', 2)} AS ss, 0.35 + 0.2 * ${u('hs', 3)} AS sd,
         0.05 + 0.07 * ${u('hs2', 0)} AS sa, 0.02 + 0.05 * ${u('hs2', 1)} AS sr,
         0.22 + 0.15 * ${u('hs', 1)} + 0.02 + 0.03 * ${u('hs', 2)} + 0.35 + 0.2 * ${u('hs', 3)}
           + 0.05 + 0.07 * ${u('hs2', 0)} + 0.02 + 0.05 * ${u('hs2', 1)} AS st,
         CASE WHEN c.archive = 'retained' THEN 0.85 + 0.06 * ${u('hc', 1)}
              WHEN ${u('hc', 1)} < 0.06 THEN 0.9 + 0.06 * ${u('hc', 2)}
              ELSE 0.995 + 0.01 * ${u('hc', 2)} END AS decline,
         greatest(0, ${monthIndex('s.opened_on')}) AS start_k,
         CASE WHEN s.status IN ('ported_out', 'closed') THEN
                CASE WHEN c.archive = 'retained' AND c.archived_on IS NOT NULL THEN ${monthIndex('c.archived_on')}
                     ELSE 1 + abs(hs2 % 10)::int END
              WHEN s.status = 'suspended' THEN 3 + abs(hs2 % 8)::int
              ELSE 11 END AS end_k,
         CASE WHEN ${u('hc', 3)} < 0.04 THEN 5 + abs(hc % 7)::int ELSE 99 END AS debt_k,
         CASE WHEN s.status = 'suspended' THEN 2 + abs(hs2 % 8)::int ELSE 99 END AS arrears_from
  FROM subscriptions s
  JOIN customers c ON c.id = s.customer_id
  CROSS JOIN LATERAL (SELECT hashint8extended(s.id, ${s}) AS hs, hashint8extended(s.id, ${s} + 1) AS hs2,
                             hashint8extended(-c.id, ${s}) AS hc, hashint8extended(-c.id, ${s} + 2) AS hw) h
) b
WINDOW w AS (PARTITION BY customer_id)
) b
) b
ORDER BY sub_id`;
}

/** Inserts month k (0 = 2025-11) of the facts into `target` (the parent table or one month's table). */
export function factMonthSql(target: string, k: number, seed: number): string {
  if (!/^[a-z_0-9]+$/.test(target) || !Number.isInteger(k) || k < 0 || k > 11) throw new Error('bad fact month target');
  const s = seedLiteral(seed);
  const month = FACT_MONTHS[k]!;
  const [fv, fs, fd, fa, fr] = SEASON[Number(month.slice(5, 7))]!;
  return `
INSERT INTO ${target} (month, subscription_id, customer_id, rev_voice, rev_sms, rev_data, rev_vas, rev_roaming,
                       min_local, min_long_distance, min_roaming, sms_count, data_mb, billed, paid, arrears)
SELECT DATE '${month}', sub_id, customer_id,
       rv * 0.01, rs * 0.01, rd * 0.01, ra * 0.01, rr * 0.01,
       (rv * (0.08 + 0.05 * u1))::int, (rv * (0.004 + 0.008 * u2))::int, (rr * (0.025 + 0.02 * u3))::int,
       (rs * (0.08 + 0.04 * u1))::int, (rd * (80 + 80 * u2))::bigint * 0.01,
       billed * 0.01, paid * 0.01, (billed - paid) * 0.01
FROM (
  SELECT y.*, CASE WHEN unpaid THEN round(billed * pay_share)::bigint ELSE billed END AS paid
  FROM (
    SELECT x.*, rv + rs + rd + ra + rr AS billed
    FROM (
      -- money in whole cents (bigint) until the final "* 0.01": float→numeric casts are slow
      SELECT b.sub_id, b.customer_id,
             round(amt * b.sv * ${fv})::bigint AS rv,
             round(amt * b.ss * ${fs})::bigint AS rs,
             round(amt * b.sd * ${fd})::bigint AS rd,
             round(amt * b.sa * ${fa})::bigint AS ra,
             round(amt * b.sr * ${fr} * (0.3 + 2.1 * ${u('h', 1)} * ${u('h', 1)}))::bigint AS rr,
             ${u('h2', 0)} AS u1, ${u('h2', 1)} AS u2, ${u('h2', 2)} AS u3,
             (amt > 0 AND (${k} >= b.debt_k OR ${k} >= b.arrears_from OR ${u('h', 2)} < 0.008
                           OR (${k} = 11 AND ${u('h', 2)} < 0.05) OR (${k} >= b.warn_k AND ${u('h', 2)} < 0.35))) AS unpaid,
             CASE WHEN ${u('h', 3)} < 0.3 THEN 0.5 ELSE 0 END AS pay_share
      FROM ${FACT_BASE} b
      CROSS JOIN LATERAL (SELECT hashint8extended(b.sub_id * 12 + ${k}, ${s}) AS h,
                                 hashint8extended(b.sub_id * 12 + ${k}, ${s} + 1) AS h2) hh
      CROSS JOIN LATERAL (SELECT CASE WHEN ${k} < b.start_k OR ${k} > b.end_k OR ${k} >= b.silent_k THEN 0::float8
                                      ELSE 100 * b.level * power(b.decline, ${k}) * (0.88 + 0.24 * ${u('h', 0)})
                                           * (1 - b.warn_depth * least(1, greatest(0, ${k} - b.warn_k + 1)::float8 / b.warn_len)) END AS amt) a
      OFFSET 0 -- computed once per row, not once per reference
    ) x
  ) y
) z`;
}

/** The name of month k's partition, as ensure_fact_partition() names it. */
export function factPartition(k: number): string {
  return `monthly_facts_${FACT_MONTHS[k]!.slice(0, 7).replace('-', '')}`;
}
