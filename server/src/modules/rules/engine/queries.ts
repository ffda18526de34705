/**
 * The monthly run's SQL (月度计算), set-based: the window read from the customers' monthly totals, one
 * classification over every in-network customer, then whole-table inserts into the month's ratings
 * partition and the points ledger. Rule parameters are validated numbers and fixed level codes, so
 * they are written into the statement as literals: the planner sees constants (partition pruning,
 * no generic plans) and there is nothing a user typed in them. Credit grade names are bound.
 */
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { ruleRuns, users } from '../../../db/schema/index.js';
import type { Database, Executor } from '../../../db/client.js';
import { LEVELS, type CreditParams, type RuleParams } from '../params.js';

/** A validated month as `YYYY-MM-01`. */
export type MonthDate = string;

const num = (n: number) => {
  if (!Number.isFinite(n)) throw new Error('rule parameter is not a number');
  return sql.raw(String(n));
};
const level = (l: string) => {
  if (!(LEVELS as readonly string[]).includes(l)) throw new Error(`unknown level ${l}`);
  return sql.raw(`'${l}'`);
};
export const monthLit = (m: MonthDate) => {
  if (!/^\d{4}-(0[1-9]|1[0-2])-01$/.test(m)) throw new Error(`bad month ${m}`);
  return sql.raw(`DATE '${m}'`);
};
/**
 * A share of the customers (customer_id % of = part). A preview computes its shares on connections of
 * their own at once: the joins and the classification of a million customers use one core each.
 */
export interface Slice {
  of: number;
  part: number;
}
const inSlice = (col: SQL, slice?: Slice) => (slice ? sql` AND ${col} % ${num(slice.of)} = ${num(slice.part)}` : sql``);

/** Fen (the monthly totals' whole numbers, summed exactly as float8) as yuan, numeric with two decimals. */
const yuan = (fen: SQL) => sql`(${fen})::int8 * 0.01`;
const monthsBefore = (m: MonthDate, n: number) => sql`(${monthLit(m)} - ${num(n)} * interval '1 month')::date`;
/** Index of a month counted from year 0, so that differences are whole months across year ends. */
const monthIndex = (d: SQL) => sql`(extract(year from ${d})::int * 12 + extract(month from ${d})::int)`;
/** Levels ranked lowest first; stars and group classes are only compared within their kind. */
const rank = (l: SQL) => sql`array_position(ARRAY[${sql.raw(LEVELS.map((x) => `'${x}'`).join(','))}]::text[], ${l})`;

export const partitionOf = (m: MonthDate) => `customer_ratings_${m.slice(0, 4)}${m.slice(5, 7)}`;

/**
 * The facts a rating needs, one row per customer, from the customers' monthly totals (客户月度汇总,
 * kept equal to the facts; one row per customer and month): the paid bill and arrears of the month,
 * the star window's paid total, the group window's billed total, and the months of the star window that
 * ended in arrears as a bit mask (bit k: month M−k). `only` restricts it to some customers (read by index).
 */
function windowFactsSql(m: MonthDate, p: RuleParams, only?: SQL, slice?: Slice): SQL {
  const starFrom = p.star.windowMonths - 1;
  const groupFrom = p.group_class.windowMonths - 1;
  const M = monthLit(m);
  return sql`
  SELECT customer_id,
         ${yuan(sql`sum(paid_fen::float8) FILTER (WHERE month = ${M})`)} AS paid_m,
         ${yuan(sql`sum(arrears_fen::float8) FILTER (WHERE month = ${M})`)} AS arrears_m,
         ${yuan(sql`sum(paid_fen::float8) FILTER (WHERE month >= ${monthsBefore(m, starFrom)})`)} AS paid_star,
         ${yuan(sql`sum(billed_fen::float8) FILTER (WHERE month >= ${monthsBefore(m, groupFrom)})`)} AS billed_group,
         bit_or(1 << (${monthIndex(M)} - ${monthIndex(sql`month`)}))
           FILTER (WHERE arrears_subs > 0 AND month >= ${monthsBefore(m, starFrom)}) AS arrears_mask
  FROM customer_month_totals
  WHERE month BETWEEN ${monthsBefore(m, Math.max(starFrom, groupFrom))} AND ${M} ${only ? sql`AND customer_id IN (${only})` : sql``}
        ${inSlice(sql`customer_id`, slice)}
  GROUP BY customer_id`;
}

/**
 * The same figures from last month's ratings (`prevMonth` = M − 1, same windows): each window total
 * moved by one month — plus month M, minus the month that leaves the window — so that the run joins
 * three months of totals instead of summing the whole window. Customers not rated last month get their
 * whole window read by index.
 */
function movedWindowFactsSql(m: MonthDate, p: RuleParams, prevMonth: MonthDate, slice?: Slice): SQL {
  const ws = p.star.windowMonths;
  const wg = p.group_class.windowMonths;
  const prev = sql.raw(partitionOf(prevMonth));
  const totalsOf = (alias: string, month: SQL) =>
    sql`LEFT JOIN customer_month_totals ${sql.raw(alias)} ON ${sql.raw(alias)}.customer_id = pr.customer_id AND ${sql.raw(alias)}.month = ${month}
        ${inSlice(sql`${sql.raw(alias)}.customer_id`, slice)}`;
  return sql`
  SELECT pr.customer_id, ${yuan(sql`cur.paid_fen`)} AS paid_m, ${yuan(sql`cur.arrears_fen`)} AS arrears_m,
         pr.paid_window + ${yuan(sql`coalesce(cur.paid_fen, 0) - coalesce(out_star.paid_fen, 0)`)} AS paid_star,
         pr.billed_window + ${yuan(sql`coalesce(cur.billed_fen, 0) - coalesce(${sql.raw(wg === ws ? 'out_star' : 'out_group')}.billed_fen, 0)`)} AS billed_group,
         ((pr.arrears_mask << 1) & ${num(2 ** ws - 1)}) | (CASE WHEN cur.arrears_subs > 0 THEN 1 ELSE 0 END) AS arrears_mask
  FROM ${prev} pr
  ${totalsOf('cur', monthLit(m))}
  ${totalsOf('out_star', monthsBefore(m, ws))}
  ${wg === ws ? sql`` : totalsOf('out_group', monthsBefore(m, wg))}
  WHERE true ${inSlice(sql`pr.customer_id`, slice)}
  UNION ALL
  ${windowFactsSql(
    m,
    p,
    sql`SELECT c.id FROM customers c WHERE c.archive = 'in_network' AND c.merged_into IS NULL ${inSlice(sql`c.id`, slice)}
          AND NOT EXISTS (SELECT 1 FROM ${prev} x WHERE x.customer_id = c.id)`,
    slice,
  )}`;
}

/** How a run reads its facts: moved from last month's totals when it can, else the whole window. */
export interface FactsSource {
  prevMonth: MonthDate | null;
  /** Last month was rated with the same windows, so its totals can be moved by one month. */
  movable: boolean;
  /** A preview of a month already run with the same windows reclassifies the inputs that run stored. */
  storedMonth?: MonthDate;
  /** Only these customers (a preview's share). */
  slice?: Slice;
}

/** The inputs a run stored with its ratings, shaped as inputsSql's rows. */
function storedInputsSql(m: MonthDate, slice?: Slice): SQL {
  return sql`
SELECT r.customer_id, r.kind, r.tenure_months, r.real_name, r.paid, r.arrears, r.paid_window AS paid_star,
       r.billed_window AS billed_group, r.arrears_mask, r.arrears_months, r.suspended_subs, r.members, r.strategic,
       extract(month from c.birthday)::int AS birthday_month, r.prev_level, r.prev_below, r.gap
FROM ${sql.raw(partitionOf(m))} r JOIN customers c ON c.id = r.customer_id
WHERE true ${inSlice(sql`r.customer_id`, slice)}`;
}

/** One row per in-network customer: the inputs of every rule for month `m`. */
export function inputsSql(m: MonthDate, p: RuleParams, { prevMonth, movable, storedMonth, slice }: FactsSource): SQL {
  if (storedMonth) return storedInputsSql(storedMonth, slice);
  const M = monthLit(m);
  const prev = prevMonth
    ? sql`LEFT JOIN ${sql.raw(partitionOf(prevMonth))} pr ON pr.customer_id = c.id ${inSlice(sql`pr.customer_id`, slice)}`
    : sql`LEFT JOIN (SELECT NULL::bigint AS customer_id, NULL::text AS level, 0 AS below_months) pr ON false`;
  const gap = prevMonth ? sql`${monthIndex(M)} - ${monthIndex(monthLit(prevMonth))}` : sql`0`;
  return sql`
SELECT c.id AS customer_id, c.kind,
       greatest(0, ${monthIndex(M)} - ${monthIndex(sql`coalesce(c.joined_on, s.first_opened, ${M})`)}) AS tenure_months,
       c.real_name_verified AS real_name,
       coalesce(f.paid_m, 0) AS paid, coalesce(f.arrears_m, 0) AS arrears,
       coalesce(f.paid_star, 0) AS paid_star, coalesce(f.billed_group, 0) AS billed_group,
       coalesce(f.arrears_mask, 0) AS arrears_mask, coalesce(bit_count(f.arrears_mask::bit(32))::int, 0) AS arrears_months,
       coalesce(s.suspended, 0) AS suspended_subs, coalesce(g.members, 0) AS members, c.strategic,
       extract(month from c.birthday)::int AS birthday_month,
       pr.level AS prev_level, coalesce(pr.below_months, 0) AS prev_below, ${gap} AS gap
FROM customers c
LEFT JOIN (${prevMonth && movable ? movedWindowFactsSql(m, p, prevMonth, slice) : windowFactsSql(m, p, undefined, slice)}) f ON f.customer_id = c.id
LEFT JOIN (
  SELECT customer_id, min(opened_on) AS first_opened, count(*) FILTER (WHERE status = 'suspended')::int AS suspended
  FROM subscriptions WHERE true ${inSlice(sql`customer_id`, slice)} GROUP BY customer_id
) s ON s.customer_id = c.id
LEFT JOIN (${membersSql(slice)}) g ON g.group_customer_id = c.id
${prev}
WHERE c.archive = 'in_network' AND c.merged_into IS NULL ${inSlice(sql`c.id`, slice)}`;
}

/** Members of each group customer: its subscriptions that are still on the network. */
const membersSql = (slice?: Slice) => sql`SELECT group_customer_id, count(*)::int AS members FROM subscriptions
  WHERE group_customer_id IS NOT NULL AND status IN ('normal', 'suspended') ${inSlice(sql`group_customer_id`, slice)}
  GROUP BY group_customer_id`;

function starCase(p: RuleParams['star']): SQL {
  const grades = [...p.grades].reverse(); // highest first: the first grade reached wins
  const whens = grades.map((g) => sql`WHEN i.avg_paid >= ${num(g.minAvgBill)} AND i.tenure_months >= ${num(g.minTenureMonths)} THEN ${level(g.level)}`);
  return sql`CASE WHEN i.unrated_reason IS NOT NULL THEN 'unrated' ${sql.join(whens, sql` `)} ELSE 'unrated' END`;
}

function groupCase(p: RuleParams['group_class']): SQL {
  const classes = [...p.classes].reverse();
  const whens = classes.map(
    (c) => sql`WHEN i.avg_revenue >= ${num(c.minMonthlyRevenue)} OR i.members >= ${num(c.minMembers)} THEN ${level(c.level)}`,
  );
  return sql`CASE WHEN i.strategic THEN ${level(p.strategicClass)} ${sql.join(whens, sql` `)} ELSE ${level(p.classes[0]!.level)} END`;
}

function creditScore(p: CreditParams): SQL {
  const w = p.weights;
  return sql`round(
      ${num(w.tenure)} * least(1, j.tenure_months::numeric / ${num(p.fullTenureMonths)})
    + ${num(w.bill)} * least(1, j.avg_paid / ${num(p.fullBill)})
    + ${num(w.payment)} * greatest(0, 1 - j.arrears_months * ${num(p.arrearsMonthPenalty)})
    + ${num(w.realName)} * (CASE WHEN j.real_name THEN 1 ELSE 0 END)
    + ${num(w.arrears)} * (CASE WHEN j.arrears > 0 THEN 0 ELSE 1 END))::int`;
}

function gradeColumns(p: CreditParams): SQL {
  const pick = (col: (g: CreditParams['grades'][number]) => SQL) =>
    sql`CASE ${sql.join(
      p.grades.map((g) => sql`WHEN k.credit_score >= ${num(g.minScore)} THEN ${col(g)}`),
      sql` `,
    )} END`;
  return sql`${pick((g) => sql`${g.grade}::text`)} AS credit_grade,
    ${pick((g) => sql`${num(g.overdraftLimit)}::numeric(14,2)`)} AS overdraft_limit,
    greatest(${pick((g) => num(g.suspendGraceDays))},
             CASE WHEN k.kind = 'individual' AND ${rank(sql`k.level`)} >= ${rank(level(p.noSuspendFromLevel))}
                  THEN ${num(p.noSuspendDays)} ELSE 0 END) AS suspend_grace_days`;
}

/**
 * The points accounts as they were before month m's results were posted, when `pointsOfMonth` (customer_id,
 * points_earned, points_promo, points_expired) holds results of m still in the balances: a rerun, or a
 * preview of the month in force, must expire points from the balances the month started with.
 */
function accountsBefore(pointsOfMonth?: SQL): SQL {
  if (!pointsOfMonth) return sql`points_accounts`;
  return sql`(SELECT a.customer_id, a.balance - coalesce(o.points_earned + o.points_promo - o.points_expired, 0) AS balance,
                     a.redeemed, a.expired - coalesce(o.points_expired, 0) AS expired, a.adjusted
              FROM points_accounts a LEFT JOIN ${pointsOfMonth} o ON o.customer_id = a.customer_id)`;
}

/**
 * The classification of `inputs` (a relation shaped as inputsSql's rows) for month `m`: computed
 * level, the level in force after the downgrade grace, credit, points earned, promotional and expired
 * (`pointsOfMonth`: see accountsBefore).
 */
export function classifySql(m: MonthDate, p: RuleParams, inputs: SQL, pointsOfMonth?: SQL): SQL {
  const graceStar = num(p.star.downgradeGraceMonths);
  const graceGroup = num(p.group_class.downgradeGraceMonths);
  const mult = sql`CASE k.level ${sql.join(
    LEVELS.map((l) => sql`WHEN ${level(l)} THEN ${num(p.points.multipliers[l])}`),
    sql` `,
  )} ELSE 0 END`;
  const expiry = p.points.expiryMonths;
  const aged =
    expiry > 0
      ? sql`LEFT JOIN (
          SELECT customer_id, sum(points)::int AS aged FROM points_ledger
          WHERE kind IN ('earn', 'promo') AND month <= ${monthsBefore(m, expiry)} GROUP BY customer_id
        ) ag ON ag.customer_id = k.customer_id
        LEFT JOIN ${accountsBefore(pointsOfMonth)} pa ON pa.customer_id = k.customer_id`
      : sql`LEFT JOIN (SELECT NULL::bigint AS customer_id, 0 AS aged) ag ON false
        LEFT JOIN (SELECT NULL::bigint AS customer_id, 0 AS balance, 0 AS redeemed, 0 AS expired, 0 AS adjusted) pa ON false`;
  return sql`
SELECT k.*, ${gradeColumns(p.credit)},
       CASE WHEN k.level = 'unrated' THEN 0 ELSE ceil(k.paid * ${mult})::int END AS points_earned,
       CASE WHEN k.kind = 'individual' AND k.level <> 'unrated' AND k.birthday_month = ${num(Number(m.slice(5, 7)))}
            THEN ${num(p.points.birthdayBonus)} ELSE 0 END AS points_promo,
       -- FIFO expiry: what was earned before the cutoff and not yet consumed (never more than the balance)
       greatest(0, least(coalesce(pa.balance, 0),
                         coalesce(ag.aged, 0) - coalesce(pa.redeemed, 0) - coalesce(pa.expired, 0)
                         - greatest(0, -coalesce(pa.adjusted, 0))))::int AS points_expired
FROM (
  SELECT j.*,
         CASE WHEN j.prev_level IS NULL OR ${rank(sql`j.computed_level`)} >= ${rank(sql`j.prev_level`)} THEN j.computed_level
              WHEN j.prev_below + j.gap >= j.grace THEN j.computed_level
              ELSE j.prev_level END AS level,
         CASE WHEN j.prev_level IS NULL OR ${rank(sql`j.computed_level`)} >= ${rank(sql`j.prev_level`)} THEN 0
              WHEN j.prev_below + j.gap >= j.grace THEN 0
              ELSE j.prev_below + j.gap END AS below_months,
         ${creditScore(p.credit)} AS credit_score
  FROM (
    SELECT i.*,
           CASE WHEN i.kind = 'group' THEN ${groupCase(p.group_class)} ELSE ${starCase(p.star)} END AS computed_level,
           CASE WHEN i.kind = 'group' THEN ${graceGroup} ELSE ${graceStar} END AS grace
    FROM (
      SELECT x.*,
             round(x.paid_star / greatest(1, least(${num(p.star.windowMonths)}, x.tenure_months + 1)), 2) AS avg_paid,
             round(x.billed_group / greatest(1, least(${num(p.group_class.windowMonths)}, x.tenure_months + 1)), 2) AS avg_revenue,
             CASE WHEN x.kind = 'group' THEN NULL
                  WHEN x.tenure_months < ${num(p.star.minTenureMonths)} THEN 'tenure'
                  WHEN ${p.star.requireRealName ? sql`NOT x.real_name` : sql`false`} THEN 'real_name'
                  WHEN x.arrears_months >= ${num(p.star.blacklistArrearsMonths)} THEN 'blacklist' END AS unrated_reason
      FROM (SELECT * FROM (${inputs}) inputs OFFSET 0) x
      OFFSET 0 -- each level of this query is computed once per row, not inlined into every reference
    ) i
    OFFSET 0
  ) j
  OFFSET 0
) k
${aged}`;
}

const RATING_COLUMNS = sql.raw(`month, customer_id, run_id, kind, computed_level, level, prev_level, below_months, prev_below, gap, unrated_reason,
  avg_paid, avg_revenue, paid, arrears, tenure_months, real_name, arrears_months, paid_window, billed_window, arrears_mask, suspended_subs, members, strategic, credit_score,
  credit_grade, overdraft_limit, suspend_grace_days, points_earned, points_promo, points_expired`);

/** Writes the classification of every in-network customer into the month's ratings partition. */
export async function insertRatings(db: Database, tx: Executor, m: MonthDate, p: RuleParams, source: FactsSource, runId: number, pointsOfMonth?: SQL) {
  await db.rows(sql`SELECT ensure_rating_partition(${monthLit(m)})`, tx);
  await db.rows(
    sql`INSERT INTO ${sql.raw(partitionOf(m))} (${RATING_COLUMNS})
      SELECT ${monthLit(m)}, r.customer_id, ${num(runId)}, r.kind, r.computed_level, r.level, r.prev_level, r.below_months, r.prev_below, r.gap,
             r.unrated_reason, r.avg_paid, r.avg_revenue, r.paid, r.arrears, r.tenure_months, r.real_name, r.arrears_months,
             r.paid_star, r.billed_group, r.arrears_mask,
             r.suspended_subs, r.members, r.strategic, r.credit_score, r.credit_grade, r.overdraft_limit,
             r.suspend_grace_days, r.points_earned, r.points_promo, r.points_expired
      FROM (${classifySql(m, p, inputsSql(m, p, source), pointsOfMonth)}) r
      -- in the order of the partition's primary key: its index is appended to, not inserted into all over
      ORDER BY r.customer_id`,
    tx,
  );
}

/** The points of a run: ledger entries from the ratings partition, then every account in one upsert. */
export async function postPoints(db: Database, tx: Executor, m: MonthDate, runId: number) {
  const part = sql.raw(partitionOf(m));
  await db.rows(
    sql`INSERT INTO points_ledger (customer_id, kind, points, month, run_id)
        SELECT customer_id, e.kind, e.points, ${monthLit(m)}, ${num(runId)}
        FROM ${part} r
        CROSS JOIN LATERAL (VALUES ('earn', r.points_earned), ('promo', r.points_promo), ('expire', -r.points_expired)) e(kind, points)
        WHERE e.points <> 0
        -- in customer order: one pass along the ledger's customer index (and the run index's new month
        -- is appended to at three places, one per kind)
        ORDER BY r.customer_id, e.kind`,
    tx,
  );
  await applyToAccounts(db, tx, pointsOf(m, 1));
}

/** A month's points per customer as account changes, added (sign 1) or taken back (−1). */
function pointsOf(m: MonthDate, sign: 1 | -1) {
  return sql`(SELECT customer_id, ${num(sign)} * (points_earned + points_promo - points_expired) AS net,
                     ${num(sign)} * (points_earned + points_promo) AS earned, ${num(sign)} * points_expired AS expired
              FROM ${sql.raw(partitionOf(m))} WHERE points_earned + points_promo + points_expired > 0)`;
}

/**
 * Adds point changes per customer (`changes`: customer_id, net, earned, expired) to the accounts. The
 * customers without an account are found first, into a temporary table, by a plain query: an anti-join
 * inside the INSERT into the accounts was planned, on a fresh database, as a nested loop scanning the
 * (still empty) accounts for every row while the INSERT filled them, and ran for minutes. Then the new
 * accounts are inserted with their points (the conflict clause catches one opened meanwhile by an
 * adjustment) and the others updated in one hash join.
 */
async function applyToAccounts(db: Database, tx: Executor, changes: SQL) {
  await db.rows(
    sql`CREATE TEMP TABLE points_new_accounts ON COMMIT DROP AS
        SELECT * FROM ${changes} c WHERE NOT EXISTS (SELECT 1 FROM points_accounts a WHERE a.customer_id = c.customer_id)`,
    tx,
  );
  await db.rows(
    sql`INSERT INTO points_accounts (customer_id, balance, earned, expired)
        SELECT customer_id, net, earned, expired FROM points_new_accounts ORDER BY customer_id
        ON CONFLICT (customer_id) DO UPDATE
        SET balance = points_accounts.balance + excluded.balance, earned = points_accounts.earned + excluded.earned,
            expired = points_accounts.expired + excluded.expired, updated_at = now()`,
    tx,
  );
  await db.rows(
    sql`UPDATE points_accounts a SET balance = a.balance + c.net, earned = a.earned + c.earned, expired = a.expired + c.expired, updated_at = now()
        FROM ${changes} c
        WHERE c.customer_id = a.customer_id AND NOT EXISTS (SELECT 1 FROM points_new_accounts n WHERE n.customer_id = c.customer_id)`,
    tx,
  );
  await db.rows(sql`DROP TABLE points_new_accounts`, tx);
}

/** 潜在大客户: retained customers still on the network whose recent spend, growth or scale qualifies. */
export async function insertCandidates(db: Database, tx: Executor, m: MonthDate, p: RuleParams['potential'], runId: number) {
  const lb = p.lookbackMonths;
  const M = monthLit(m);
  const rows = await db.rows<{ n: number }>(
    sql`WITH q AS (
      SELECT c.id, round(coalesce(f.paid_recent, 0) / ${num(lb)}, 2) AS recent, round(coalesce(f.paid_earlier, 0) / ${num(lb)}, 2) AS earlier,
             CASE WHEN f.paid_earlier >= ${num(p.minGrowthBase * lb)}
                  THEN round((f.paid_recent - f.paid_earlier) / f.paid_earlier * 100, 1) END AS growth,
             c.employees, coalesce(g.members, 0) AS members
      FROM customers c
      -- retained customers are few: their facts come by index, not from another pass over the month
      LEFT JOIN LATERAL (
        SELECT ${yuan(sql`sum(paid_fen) FILTER (WHERE month > ${monthsBefore(m, lb)})`)} AS paid_recent,
               ${yuan(sql`sum(paid_fen) FILTER (WHERE month <= ${monthsBefore(m, lb)})`)} AS paid_earlier
        FROM customer_month_totals mf WHERE mf.customer_id = c.id AND mf.month > ${monthsBefore(m, 2 * lb)} AND mf.month <= ${M}
      ) f ON true
      LEFT JOIN (${membersSql()}) g ON g.group_customer_id = c.id
      WHERE c.archive = 'retained' AND c.merged_into IS NULL
        AND coalesce(c.archived_reason, '') NOT IN ('port_out', 'closure', 'merged')
        -- a rejection stands for half a year
        AND NOT EXISTS (SELECT 1 FROM potential_candidates pc WHERE pc.customer_id = c.id AND pc.status = 'rejected'
                        AND pc.month > ${monthsBefore(m, 6)})
    ), ins AS (
      INSERT INTO potential_candidates (customer_id, month, run_id, reasons)
      SELECT id, ${M}, ${num(runId)},
             jsonb_build_object('avgPaid', recent::text, 'earlierAvgPaid', earlier::text, 'growthPct', growth,
                                'employees', employees, 'members', members,
                                'by', to_jsonb(array_remove(ARRAY[
                                  CASE WHEN recent >= ${num(p.minAvgPaid)} THEN 'spend' END,
                                  CASE WHEN growth >= ${num(p.minGrowthPct)} THEN 'growth' END,
                                  CASE WHEN employees >= ${num(p.minEmployees)} THEN 'employees' END,
                                  CASE WHEN members >= ${num(p.minMembers)} THEN 'members' END], NULL)))
      FROM q
      WHERE recent >= ${num(p.minAvgPaid)} OR growth >= ${num(p.minGrowthPct)}
         OR employees >= ${num(p.minEmployees)} OR members >= ${num(p.minMembers)}
      ON CONFLICT (customer_id) WHERE status = 'open' DO NOTHING
      RETURNING 1)
    SELECT count(*)::int AS n FROM ins`,
    tx,
  );
  return rows[0]!.n;
}

/**
 * Counts of a run, in one pass over its ratings: customers per level and per credit grade, points earned
 * and expired, and how many moved up or down a level or were held within the grace period.
 */
export async function ratingCounts(db: Database, tx: Executor, relation: SQL) {
  const rows = await db.rows<{ level: string | null; credit_grade: string | null; n: number; earned: number; expired: number; upgraded: number; downgraded: number; held: number }>(
    sql`SELECT level, credit_grade, count(*)::int AS n,
               coalesce(sum(points_earned + points_promo), 0)::int AS earned, coalesce(sum(points_expired), 0)::int AS expired,
               count(*) FILTER (WHERE ${rank(sql`level`)} > ${rank(sql`prev_level`)})::int AS upgraded,
               count(*) FILTER (WHERE ${rank(sql`level`)} < ${rank(sql`prev_level`)})::int AS downgraded,
               count(*) FILTER (WHERE below_months > 0)::int AS held
        FROM ${relation} r GROUP BY GROUPING SETS ((level), (credit_grade), ())`,
    tx,
  );
  const out = { levels: {} as Record<string, number>, creditGrades: {} as Record<string, number>, pointsEarned: 0, pointsExpired: 0, customers: 0 };
  const changes = { upgraded: 0, downgraded: 0, held: 0 };
  for (const r of rows) {
    if (r.level !== null) out.levels[r.level] = r.n;
    else if (r.credit_grade !== null) out.creditGrades[r.credit_grade] = r.n;
    else {
      Object.assign(out, { customers: r.n, pointsEarned: r.earned, pointsExpired: r.expired });
      Object.assign(changes, { upgraded: r.upgraded, downgraded: r.downgraded, held: r.held });
    }
  }
  return { ...out, ...changes };
}

/** Undoes a run's points (refusing when customers have spent them) and empties its month. */
export async function undoRun(db: Database, tx: Executor, m: MonthDate, runId: number): Promise<{ spent: number }> {
  const part = sql.raw(partitionOf(m));
  const spent = await db.rows<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM ${part} r JOIN points_accounts a ON a.customer_id = r.customer_id
        WHERE a.balance < r.points_earned + r.points_promo - r.points_expired`,
    tx,
  );
  if (spent[0]!.n > 0) return { spent: spent[0]!.n };
  await applyToAccounts(db, tx, pointsOf(m, -1));
  // every run entry of the month: entries a rerun found unchanged keep the run that first wrote them
  await db.rows(sql`DELETE FROM points_ledger WHERE month = ${monthLit(m)} AND kind IN ('earn', 'promo', 'expire') AND run_id IS NOT NULL`, tx);
  await emptyMonth(db, tx, m, runId);
  return { spent: 0 };
}

/** Removes a run's open candidates and its ratings. */
async function emptyMonth(db: Database, tx: Executor, m: MonthDate, runId: number) {
  await db.rows(sql`DELETE FROM potential_candidates WHERE run_id = ${runId} AND status = 'open'`, tx);
  await db.rows(sql`TRUNCATE ${sql.raw(partitionOf(m))}`, tx);
}

/** The points of the month's previous run during a rerun (a temporary table of the run's transaction). */
export const PREVIOUS_POINTS = sql.raw('rerun_previous_points');

/**
 * Before a rerun: the previous run's points per customer are kept (they are still in the balances and the
 * ledger; reconcilePoints moves only what the rerun changes), then its candidates and ratings are removed.
 */
export async function clearForRerun(db: Database, tx: Executor, m: MonthDate, runId: number) {
  await db.rows(
    sql`CREATE TEMP TABLE ${PREVIOUS_POINTS} ON COMMIT DROP AS
        SELECT customer_id, points_earned, points_promo, points_expired FROM ${sql.raw(partitionOf(m))}
        WHERE points_earned + points_promo + points_expired > 0`,
    tx,
  );
  await emptyMonth(db, tx, m, runId);
}

/**
 * A rerun's points: the entries (customer, kind) whose points differ from the previous run's, and from
 * them the balances and the ledger — a rerun on the same inputs writes nothing. Refused (returns how
 * many) when a balance would go below zero because points the rerun takes back were spent.
 */
export async function reconcilePoints(db: Database, tx: Executor, m: MonthDate, runId: number): Promise<{ spent: number }> {
  const M = monthLit(m);
  await db.rows(
    sql`CREATE TEMP TABLE rerun_points_change ON COMMIT DROP AS
        SELECT customer_id, e.kind, e.was, e.now
        FROM (SELECT coalesce(n.customer_id, o.customer_id) AS customer_id,
                     coalesce(o.points_earned, 0) AS o_earn, coalesce(n.points_earned, 0) AS n_earn,
                     coalesce(o.points_promo, 0) AS o_promo, coalesce(n.points_promo, 0) AS n_promo,
                     coalesce(o.points_expired, 0) AS o_exp, coalesce(n.points_expired, 0) AS n_exp
              FROM (SELECT * FROM ${sql.raw(partitionOf(m))} WHERE points_earned + points_promo + points_expired > 0) n
              FULL JOIN ${PREVIOUS_POINTS} o ON o.customer_id = n.customer_id) x
        CROSS JOIN LATERAL (VALUES ('earn', o_earn, n_earn), ('promo', o_promo, n_promo), ('expire', -o_exp, -n_exp)) e(kind, was, now)
        WHERE e.was <> e.now`,
    tx,
  );
  const perCustomer = sql`(SELECT customer_id, sum(now - was)::int AS net,
                                  coalesce(sum(now - was) FILTER (WHERE kind <> 'expire'), 0)::int AS earned,
                                  coalesce(-sum(now - was) FILTER (WHERE kind = 'expire'), 0)::int AS expired
                           FROM rerun_points_change GROUP BY customer_id)`;
  const [spent] = await db.rows<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM ${perCustomer} c LEFT JOIN points_accounts a ON a.customer_id = c.customer_id
        WHERE coalesce(a.balance, 0) + c.net < 0`,
    tx,
  );
  if (spent!.n > 0) return { spent: spent!.n };
  await applyToAccounts(db, tx, perCustomer);
  const entry = sql`l.month = ${M} AND l.run_id IS NOT NULL AND l.kind = c.kind AND l.customer_id = c.customer_id`;
  await db.rows(sql`DELETE FROM points_ledger l USING rerun_points_change c WHERE ${entry} AND c.now = 0`, tx);
  await db.rows(
    sql`UPDATE points_ledger l SET points = c.now, run_id = ${num(runId)}, at = now()
        FROM rerun_points_change c WHERE ${entry} AND c.was <> 0 AND c.now <> 0`,
    tx,
  );
  await db.rows(
    sql`INSERT INTO points_ledger (customer_id, kind, points, month, run_id)
        SELECT customer_id, kind, now, ${M}, ${num(runId)} FROM rerun_points_change c WHERE c.was = 0 ORDER BY customer_id, kind`,
    tx,
  );
  return { spent: 0 };
}

export interface PreviewRow {
  before_level: string | null;
  level: string | null;
  credit_grade: string | null;
  before_credit: string | null;
  grp: number; // which grouping set: 0 matrix, 1 credit after, 2 credit before, 3 totals
  n: number;
  earned: number;
  expired: number;
  before_earned: number;
  before_expired: number;
  changed: string[] | null;
}

/**
 * A preview in one pass: the classification of month `m` next to the stored results `before` (a
 * ratings partition), grouped at once by (before, after) level, by credit grade after and before, and
 * in total with the first changed customers ("id|from|to|avgPaid"). Nothing is written or materialised.
 */
export function previewSql(m: MonthDate, p: RuleParams, source: FactsSource, before: MonthDate | null, sample: number): SQL {
  const joinBefore = before
    ? sql`LEFT JOIN ${sql.raw(partitionOf(before))} b ON b.customer_id = a.customer_id ${inSlice(sql`b.customer_id`, source.slice)}`
    : sql`LEFT JOIN (SELECT NULL::bigint AS customer_id, NULL::text AS level, NULL::text AS credit_grade,
                         0 AS points_earned, 0 AS points_promo, 0 AS points_expired) b ON false`;
  return sql`
SELECT b_level AS before_level, level, credit_grade, b_credit AS before_credit,
       (CASE WHEN GROUPING(b_level, level) = 0 THEN 0 WHEN GROUPING(credit_grade) = 0 THEN 1 WHEN GROUPING(b_credit) = 0 THEN 2 ELSE 3 END) AS grp,
       count(*)::int AS n, coalesce(sum(earned), 0)::bigint AS earned, coalesce(sum(expired), 0)::bigint AS expired,
       coalesce(sum(b_earned), 0)::bigint AS before_earned, coalesce(sum(b_expired), 0)::bigint AS before_expired,
       (array_agg(customer_id || '|' || coalesce(b_level, '') || '|' || level || '|' || avg_paid)
          FILTER (WHERE b_level IS DISTINCT FROM level))[1:${num(sample)}] AS changed
FROM (
  SELECT a.customer_id, a.level, a.credit_grade, a.avg_paid, a.points_earned + a.points_promo AS earned,
         a.points_expired AS expired, b.level AS b_level, b.credit_grade AS b_credit,
         b.points_earned + b.points_promo AS b_earned, b.points_expired AS b_expired
  FROM (${classifySql(m, p, inputsSql(m, p, source), source.storedMonth ? sql.raw(partitionOf(source.storedMonth)) : undefined)}) a
  ${joinBefore}
) r
GROUP BY GROUPING SETS ((b_level, level), (credit_grade), (b_credit), ())`;
}

export function customerNames(db: Database, tx: Executor, ids: number[]) {
  if (!ids.length) return Promise.resolve([]);
  return db.rows<{ id: number; customerNo: string; name: string }>(
    sql`SELECT id, customer_no AS "customerNo", name FROM customers WHERE id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`,
    tx,
  );
}

// ---- run records and stored ratings ----------------------------------------------------------------------

export interface RunRow {
  id: number;
  month: string;
  status: string;
  trigger: string;
  versions: Record<string, number>;
  counts: Record<string, unknown>;
  error: string | null;
  durationMs: number;
  actor: string | null;
  actorName: string | null;
  startedAt: Date;
  rolledBackAt: Date | null;
}

export function listRuns(db: Executor, offset: number, limit: number): Promise<RunRow[]> {
  return db
    .select({
      id: ruleRuns.id,
      month: ruleRuns.month,
      status: ruleRuns.status,
      trigger: ruleRuns.trigger,
      versions: sql<Record<string, number>>`${ruleRuns.versions}`,
      counts: sql<Record<string, unknown>>`${ruleRuns.counts}`,
      error: ruleRuns.error,
      durationMs: ruleRuns.durationMs,
      actor: users.username,
      actorName: users.displayName,
      startedAt: ruleRuns.startedAt,
      rolledBackAt: ruleRuns.rolledBackAt,
    })
    .from(ruleRuns)
    .leftJoin(users, eq(users.id, ruleRuns.actorId))
    .orderBy(desc(ruleRuns.startedAt), desc(ruleRuns.id))
    .offset(offset)
    .limit(limit);
}

export async function countRuns(db: Executor): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(ruleRuns);
  return row?.n ?? 0;
}

/** The latest completed run (the month whose results are in force), or the latest before a month. */
export async function latestCompletedRun(db: Executor, beforeMonthDate?: string) {
  const [row] = await db
    .select({ id: ruleRuns.id, month: ruleRuns.month, versions: ruleRuns.versions })
    .from(ruleRuns)
    .where(
      beforeMonthDate
        ? and(eq(ruleRuns.status, 'completed'), sql`${ruleRuns.month} < ${beforeMonthDate}::date`)
        : eq(ruleRuns.status, 'completed'),
    )
    .orderBy(desc(ruleRuns.month))
    .limit(1);
  return row ?? null;
}

export async function getRun(db: Executor, id: number) {
  const [row] = await db.select().from(ruleRuns).where(eq(ruleRuns.id, id));
  return row ?? null;
}

export function insertRun(db: Executor, row: typeof ruleRuns.$inferInsert) {
  return db.insert(ruleRuns).values(row).returning({ id: ruleRuns.id });
}

export function updateRun(db: Executor, id: number, set: Partial<typeof ruleRuns.$inferInsert>) {
  return db.update(ruleRuns).set(set).where(eq(ruleRuns.id, id));
}

/**
 * The months that have facts, newest first, each with whether a completed run rated it: a walk of the
 * facts' key (month first) from one month to the next, an index probe per month, never a scan.
 */
export function monthsWithFacts(database: Database): Promise<{ month: string; rated: boolean }[]> {
  return database.rows(sql`
    WITH RECURSIVE m(month) AS (
      (SELECT month FROM monthly_facts ORDER BY month LIMIT 1)
      UNION ALL
      SELECT (SELECT f.month FROM monthly_facts f WHERE f.month > m.month ORDER BY f.month LIMIT 1) FROM m WHERE m.month IS NOT NULL
    )
    SELECT to_char(m.month, 'YYYY-MM') AS month,
           EXISTS (SELECT 1 FROM rule_runs r WHERE r.month = m.month AND r.status = 'completed') AS rated
    FROM m WHERE m.month IS NOT NULL ORDER BY m.month DESC`);
}

export async function factsExist(database: Database, monthDate: string, executor?: Executor): Promise<boolean> {
  const rows = await database.rows(sql`SELECT 1 FROM monthly_facts WHERE month = ${monthDate}::date LIMIT 1`, executor);
  return rows.length > 0;
}

/** A customer's stored ratings, newest first, with the versions of the run that produced each. */
export function selectRatings(database: Database, customerId: number, limit: number) {
  return database.rows<import('../explain.js').RatingInputs & { month: string; runId: number; versions: Record<string, number> }>(
    sql`SELECT to_char(r.month, 'YYYY-MM') AS month, r.run_id AS "runId", rr.versions, r.kind, r.level,
               r.computed_level AS "computedLevel", r.below_months AS "belowMonths", r.unrated_reason AS "unratedReason",
               r.avg_paid::text AS "avgPaid", r.avg_revenue::text AS "avgRevenue", r.paid::text AS paid, r.arrears::text AS arrears,
               r.tenure_months AS "tenureMonths", r.real_name AS "realName", r.arrears_months AS "arrearsMonths",
               r.members, r.strategic, r.credit_score AS "creditScore", r.credit_grade AS "creditGrade",
               r.overdraft_limit::text AS "overdraftLimit", r.suspend_grace_days AS "suspendGraceDays",
               r.points_earned AS "pointsEarned", r.points_promo AS "pointsPromo", r.points_expired AS "pointsExpired"
        FROM customer_ratings r JOIN rule_runs rr ON rr.id = r.run_id
        WHERE r.customer_id = ${customerId}
        ORDER BY r.month DESC LIMIT ${limit}`,
  );
}

export async function pointsBalance(database: Database, customerId: number): Promise<number> {
  const rows = await database.rows<{ balance: number }>(sql`SELECT balance FROM points_accounts WHERE customer_id = ${customerId}`);
  return rows[0]?.balance ?? 0;
}
