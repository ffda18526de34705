/**
 * SQL of 经理档案: the managers (active users holding the account_manager role) with their profiles, and their
 * portfolio figures read from the customers and their monthly totals when asked (never stored).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { managerCertifications, managerProfiles } from '../../../db/schema/index.js';
import { updateAtVersion } from '../../../db/versioned.js';
import type { Certification, ManagerListQuery } from './schemas.js';

/** Is `u` (users) an account manager: active, holding the account_manager role. */
export const isManager = sql`u.active AND EXISTS (
  SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.code = 'account_manager')`;

/** A portfolio: a manager's customers in the in-network archive, not merged (`c`). */
const inPortfolio = sql`c.merged_into IS NULL AND c.archive = 'in_network'`;

/** The managers `u` with their unit `o` and profile `p` (none until first recorded). */
const MANAGERS_FROM = sql`FROM users u JOIN org_units o ON o.id = u.unit_id LEFT JOIN manager_profiles p ON p.user_id = u.id`;

const MANAGER_COLUMNS = (today: string) => sql`
  u.id, u.username, u.display_name AS "displayName", u.unit_id AS "unitId", o.name AS "unitName", o.name_en AS "unitNameEn", o.path AS "unitPath",
  p.grade, to_char(p.started_on, 'YYYY-MM-DD') AS "startedOn",
  CASE WHEN p.started_on IS NULL THEN NULL
       ELSE (extract(year FROM age(${today}::date, p.started_on)) * 12 + extract(month FROM age(${today}::date, p.started_on)))::int END AS "tenureMonths",
  coalesce(p.skills, '{}') AS skills, p.max_portfolio AS "maxPortfolio"`;

/** Certifications of the rows of `page`: how many, the nearest expiry from today, how many expired. */
const certificationFigures = (today: string) => sql`
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS certifications,
           to_char(min(mc.expires_on) FILTER (WHERE mc.expires_on >= ${today}::date), 'YYYY-MM-DD') AS "nextExpiry",
           (count(*) FILTER (WHERE mc.expires_on < ${today}::date))::int AS "expiredCertifications"
    FROM manager_certifications mc WHERE mc.user_id = page.id) cert ON true`;

/** Yuan from fen, as the decimal text money travels in. */
const yuan = (fen: SQL) => sql`(coalesce(${fen}, 0) / 100.0)::numeric(16,2)::text`;

const SORTS: Record<ManagerListQuery['sort'], SQL> = {
  name: sql`"displayName"`,
  unit: sql`"unitPath"`,
  tenure: sql`"tenureMonths"`,
  size: sql`"portfolioSize"`,
  value: sql`"valueFen"`,
};

export interface ManagerRow {
  id: number;
  username: string;
  displayName: string;
  unitId: number;
  unitName: string;
  unitNameEn: string | null;
  unitPath: string;
  grade: string | null;
  startedOn: string | null;
  tenureMonths: number | null;
  skills: string[];
  maxPortfolio: number | null;
  certifications: number;
  nextExpiry: string | null;
  expiredCertifications: number;
  portfolioSize: number;
  portfolioValue: string;
  total?: number;
}

export interface ListOptions {
  where: SQL;
  /** The month whose totals value the portfolios (null: none has any). */
  month: string | null;
  today: string;
  sort: ManagerListQuery['sort'];
  order: 'asc' | 'desc';
  overMax: boolean | null;
  offset: number;
  limit: number;
  /** How many managers the conditions match (countManagers): picks the plan of a sort by portfolio. */
  matched: number;
}

/** Above this many managers a sort by portfolio aggregates all customers in one pass instead of walking each portfolio. */
const MANY_MANAGERS = 300;

/**
 * One page of managers with their figures, in one statement, and the total of the managers matched:
 * - sorted by name, unit or tenure (no `overMax` filter): the page is cut first and only its managers' customers
 *   are counted and valued, through the customers' manager index and the totals' key (a page costs its portfolios);
 * - sorted by portfolio size or value, or filtered by `overMax`: every matched manager's portfolio is aggregated
 *   in one pass (one hash join of the customers and the month's totals), then sorted and cut.
 */
export function selectManagers(o: ListOptions): SQL {
  const dir = o.order === 'desc' ? sql`DESC` : sql`ASC`;
  const order = sql`${SORTS[o.sort]} ${dir} NULLS LAST, "displayName" ${dir}, id`;
  const totals = o.month ? sql`LEFT JOIN customer_month_totals t ON t.customer_id = c.id AND t.month = ${o.month}::date` : sql``;
  const billed = o.month ? sql`t.billed_fen` : sql`0`;
  const matched = sql`m AS MATERIALIZED (SELECT ${MANAGER_COLUMNS(o.today)} ${MANAGERS_FROM} WHERE ${isManager} AND ${o.where})`;
  const tail = sql`
    SELECT page.*, ${yuan(sql`page."valueFen"`)} AS "portfolioValue", cert.* FROM page ${certificationFigures(o.today)}
    ORDER BY ${order}`;
  if (o.sort === 'size' || o.sort === 'value' || o.overMax !== null) {
    const over = sql`(m."maxPortfolio" IS NOT NULL AND coalesce(a.size, 0) > m."maxPortfolio")`;
    // a few managers' portfolios are read through the portfolio index; many (a province's), by one pass over all
    // customers and the month's totals, hashed (~1 s for 1M customers, where 3,000 index walks took 40 s)
    const mine = o.matched > MANY_MANAGERS ? sql`c.manager_id IS NOT NULL` : sql`c.manager_id IN (SELECT id FROM m)`;
    return sql`
      WITH ${matched},
      a AS (
        SELECT c.manager_id, count(*)::int AS size, sum(${billed})::bigint AS value_fen
        FROM customers c ${totals}
        WHERE ${mine} AND ${inPortfolio}
        GROUP BY c.manager_id),
      page AS (
        SELECT m.*, coalesce(a.size, 0) AS "portfolioSize", coalesce(a.value_fen, 0) AS "valueFen", count(*) OVER ()::int AS total
        FROM m LEFT JOIN a ON a.manager_id = m.id
        ${o.overMax === null ? sql`` : sql`WHERE ${over} = ${o.overMax}`}
        ORDER BY ${order} OFFSET ${o.offset} LIMIT ${o.limit})
      ${tail}`;
  }
  return sql`
    WITH ${matched},
    cut AS (SELECT m.*, count(*) OVER ()::int AS total FROM m ORDER BY ${order} OFFSET ${o.offset} LIMIT ${o.limit}),
    page AS (
      SELECT cut.*, a.size AS "portfolioSize", a.value_fen AS "valueFen" FROM cut
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS size, coalesce(sum(${billed}), 0)::bigint AS value_fen
        FROM customers c ${totals} WHERE c.manager_id = cut.id AND ${inPortfolio}) a)
    ${tail}`;
}

export const countManagers = (where: SQL): SQL => sql`SELECT count(*)::int AS n ${MANAGERS_FROM} WHERE ${isManager} AND ${where}`;

/** Does the month (YYYY-MM-01) hold totals? (Read from its partition alone: the month is bound, so the plan prunes the others.) */
export async function monthHasTotals(database: Database, month: string): Promise<boolean> {
  const [row] = await database.rows(sql`SELECT 1 FROM customer_month_totals WHERE month = ${month}::date LIMIT 1`);
  return !!row;
}

export interface ManagerDetailRow extends ManagerRow {
  phone: string | null;
  email: string | null;
  note: string | null;
  profileVersion: number;
  profileUpdatedAt: string | Date | null;
}

/** One manager (of any scope: the caller checks it), with their profile and figures; null when the user is no manager. */
export async function findManager(database: Database, id: number, month: string | null, today: string, executor?: Executor): Promise<ManagerDetailRow | null> {
  const [row] = await database.rows<ManagerDetailRow>(
    sql`
    WITH page AS (
      SELECT ${MANAGER_COLUMNS(today)}, u.phone, u.email, p.note, coalesce(p.version, 0) AS "profileVersion", p.updated_at AS "profileUpdatedAt",
        (SELECT count(*)::int FROM customers c WHERE c.manager_id = u.id AND ${inPortfolio}) AS "portfolioSize",
        ${
          month
            ? sql`(SELECT coalesce(sum(t.billed_fen), 0)::bigint FROM customers c JOIN customer_month_totals t ON t.customer_id = c.id AND t.month = ${month}::date WHERE c.manager_id = u.id AND ${inPortfolio})`
            : sql`0`
        } AS "valueFen"
      ${MANAGERS_FROM} WHERE u.id = ${id} AND ${isManager})
    SELECT page.*, ${yuan(sql`page."valueFen"`)} AS "portfolioValue", cert.* FROM page ${certificationFigures(today)}`,
    executor,
  );
  return row ?? null;
}

/** A manager's in-network customers by level of the latest rules run (the standings), and all theirs by archive. */
export async function portfolioBreakdown(database: Database, id: number) {
  const [byLevel, byArchive] = await Promise.all([
    database.rows<{ level: string | null; customers: number }>(sql`
      SELECT st.level, count(*)::int AS customers
      FROM customers c LEFT JOIN customer_standings st ON st.customer_id = c.id
      WHERE c.manager_id = ${id} AND ${inPortfolio}
      GROUP BY st.level ORDER BY min(st.level_rank) DESC NULLS LAST`),
    database.rows<{ archive: string; customers: number }>(sql`
      SELECT c.archive, count(*)::int AS customers FROM customers c WHERE c.manager_id = ${id} AND c.merged_into IS NULL GROUP BY c.archive ORDER BY c.archive`),
  ]);
  return { byLevel, byArchive };
}

/** The billed total of the manager's portfolio as it is today, month by month from `from` to `to` (YYYY-MM-01), 0 where none. */
export const portfolioTrend = (database: Database, id: number, from: string, to: string) =>
  database.rows<{ month: string; value: string }>(sql`
    SELECT to_char(g.month, 'YYYY-MM-DD') AS month, ${yuan(sql`v.fen`)} AS value
    FROM generate_series(${from}::date, ${to}::date, interval '1 month') AS g(month)
    LEFT JOIN (
      SELECT t.month, sum(t.billed_fen)::bigint AS fen
      FROM customers c JOIN customer_month_totals t ON t.customer_id = c.id AND t.month BETWEEN ${from}::date AND ${to}::date
      WHERE c.manager_id = ${id} AND ${inPortfolio}
      GROUP BY t.month) v ON v.month = g.month::date
    ORDER BY g.month`);

// ---- profiles

export async function lockProfile(database: Database, tx: Executor, userId: number) {
  const [row] = await database.rows<{ grade: string; startedOn: string | null; skills: string[]; maxPortfolio: number | null; note: string | null; version: number }>(
    sql`SELECT grade, to_char(started_on, 'YYYY-MM-DD') AS "startedOn", skills, max_portfolio AS "maxPortfolio", note, version
        FROM manager_profiles WHERE user_id = ${userId} FOR UPDATE`,
    tx,
  );
  return row ?? null;
}

/** The first profile of a manager; false when another edit created it first. */
export async function insertProfile(tx: Executor, row: typeof managerProfiles.$inferInsert): Promise<boolean> {
  const created = await tx.insert(managerProfiles).values(row).onConflictDoNothing().returning({ userId: managerProfiles.userId });
  return created.length > 0;
}

export async function updateProfile(tx: Executor, userId: number, version: number, set: Partial<typeof managerProfiles.$inferInsert>): Promise<boolean> {
  const rows = await tx
    .update(managerProfiles)
    .set({ ...set, version: sql`${managerProfiles.version} + 1`, updatedAt: sql`now()` })
    .where(sql`${managerProfiles.userId} = ${userId} AND ${managerProfiles.version} = ${version}`)
    .returning({ userId: managerProfiles.userId });
  return rows.length > 0;
}

// ---- certifications

const CERTIFICATION = (today: string) => sql`
  mc.id, mc.user_id AS "userId", mc.name, mc.issuer, mc.certificate_no AS "certificateNo",
  to_char(mc.issued_on, 'YYYY-MM-DD') AS "issuedOn", to_char(mc.expires_on, 'YYYY-MM-DD') AS "expiresOn",
  (mc.expires_on - ${today}::date)::int AS "expiresInDays", mc.version`;

const toCertification = (r: Certification): Certification => ({ ...r, id: Number(r.id), userId: Number(r.userId) });

export async function listCertifications(database: Database, userId: number, today: string, executor?: Executor): Promise<Certification[]> {
  const rows = await database.rows<Certification>(
    sql`SELECT ${CERTIFICATION(today)} FROM manager_certifications mc WHERE mc.user_id = ${userId} ORDER BY mc.expires_on NULLS LAST, mc.id`,
    executor,
  );
  return rows.map(toCertification);
}

export async function findCertification(database: Database, executor: Executor, userId: number, id: number, today: string, lock = false): Promise<Certification | null> {
  const [row] = await database.rows<Certification>(
    sql`SELECT ${CERTIFICATION(today)} FROM manager_certifications mc WHERE mc.id = ${id} AND mc.user_id = ${userId} ${lock ? sql`FOR UPDATE` : sql``}`,
    executor,
  );
  return row ? toCertification(row) : null;
}

export async function insertCertification(tx: Executor, row: typeof managerCertifications.$inferInsert): Promise<number> {
  const [created] = await tx.insert(managerCertifications).values(row).returning({ id: managerCertifications.id });
  return created!.id;
}

export const updateCertification = (tx: Executor, id: number, version: number, set: Partial<typeof managerCertifications.$inferInsert>) =>
  updateAtVersion(tx, managerCertifications, id, version, set);

export async function deleteCertification(tx: Executor, id: number): Promise<void> {
  await tx.delete(managerCertifications).where(sql`${managerCertifications.id} = ${id}`);
}

/** The in-network portfolio size and maximum of a manager (after a move). */
export async function portfolioSize(database: Database, executor: Executor, userId: number) {
  const [row] = await database.rows<{ size: number; max: number | null; name: string }>(
    sql`SELECT (SELECT count(*)::int FROM customers c WHERE c.manager_id = u.id AND ${inPortfolio}) AS size, p.max_portfolio AS max, u.display_name AS name
        FROM users u LEFT JOIN manager_profiles p ON p.user_id = u.id WHERE u.id = ${userId}`,
    executor,
  );
  return { size: Number(row?.size ?? 0), max: row?.max ?? null, name: row?.name ?? '' };
}

/** The unit path of a user (active or not), or null. */
export async function userUnitPath(database: Database, executor: Executor, userId: number): Promise<{ path: string } | null> {
  const [row] = await database.rows<{ path: string }>(sql`SELECT o.path FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.id = ${userId}`, executor);
  return row ?? null;
}
