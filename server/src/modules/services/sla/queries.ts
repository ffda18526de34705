/** SQL of the SLA policies and the holiday calendar. */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { namedRows } from '../../../db/statements.js';
import { slaPolicies } from '../../../db/schema/index.js';
import { updateAtVersion } from '../../../db/versioned.js';
import { REQUEST_TYPES, type Holiday, type HolidayKind, type Policy } from './schemas.js';

const POLICY = sql`
  p.id, p.request_type AS "requestType", p.level, p.area_kind AS "areaKind", p.respond_minutes AS "respondMinutes",
  p.resolve_minutes AS "resolveMinutes", p.clock, p.warn_percent AS "warnPercent", p.waives_fee AS "waivesFee", p.active, p.note,
  p.version, p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;

type RawPolicy = Omit<Policy, 'createdAt' | 'updatedAt'> & { createdAt: string | Date; updatedAt: string | Date };
// raw SQL rows carry timestamps as text on both drivers
const toPolicy = (r: RawPolicy): Policy => ({ ...r, id: Number(r.id), createdAt: new Date(r.createdAt), updatedAt: new Date(r.updatedAt) });

// by type in the order of REQUEST_TYPES, then the most specific first, as slaTargetsFor picks them
const typeRank = sql`array_position(ARRAY[${sql.raw(REQUEST_TYPES.map((t) => `'${t}'`).join(','))}]::text[], p.request_type)`;
const ORDER = sql`${typeRank}, p.level IS NULL, p.level, p.area_kind IS NULL, p.area_kind, p.id`;

export async function listPolicies(database: Database, where: SQL, offset: number, limit: number): Promise<Policy[]> {
  const rows = await database.rows<RawPolicy>(sql`SELECT ${POLICY} FROM sla_policies p WHERE ${where} ORDER BY ${ORDER} OFFSET ${offset} LIMIT ${limit}`);
  return rows.map(toPolicy);
}

export async function countPolicies(database: Database, where: SQL): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM sla_policies p WHERE ${where}`);
  return Number(row?.n ?? 0);
}

export async function getPolicy(database: Database, id: number, executor?: Executor, lock = false): Promise<Policy | null> {
  const [row] = await database.rows<RawPolicy>(sql`SELECT ${POLICY} FROM sla_policies p WHERE p.id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`, executor);
  return row ? toPolicy(row) : null;
}

/**
 * The most specific active policy for a request: a named level before any level, then a named area before
 * any area (a 五星钻 fault takes the 五星钻 policy before the town's).
 */
export async function applicablePolicy(database: Database, executor: Executor, r: { type: string; level: string | null; areaKind: string }): Promise<Policy | null> {
  const [row] = await namedRows<RawPolicy>(
    executor,
    sql`SELECT ${POLICY} FROM sla_policies p
        WHERE p.active AND p.request_type = ${r.type}
          AND (p.level IS NULL OR p.level = ${r.level}) AND (p.area_kind IS NULL OR p.area_kind = ${r.areaKind})
        ORDER BY p.level IS NULL, p.area_kind IS NULL, p.id
        LIMIT 1`,
  );
  return row ? toPolicy(row) : null;
}

/** The policy holding a scope (type, level or any, area or any), other than `exceptId`. */
export async function policyWithScope(tx: Executor, database: Database, scope: Pick<Policy, 'requestType' | 'level' | 'areaKind'>, exceptId = 0): Promise<number | null> {
  const [row] = await database.rows<{ id: number }>(
    sql`SELECT id FROM sla_policies
        WHERE request_type = ${scope.requestType} AND coalesce(level, '') = ${scope.level ?? ''} AND coalesce(area_kind, '') = ${scope.areaKind ?? ''} AND id <> ${exceptId}`,
    tx,
  );
  return row ? Number(row.id) : null;
}

export async function insertPolicy(db: Executor, row: typeof slaPolicies.$inferInsert): Promise<number> {
  const [created] = await db.insert(slaPolicies).values(row).returning({ id: slaPolicies.id });
  return created!.id;
}

export const updatePolicy = (db: Executor, id: number, version: number, set: Partial<typeof slaPolicies.$inferInsert>) => updateAtVersion(db, slaPolicies, id, version, set);

const HOLIDAY = sql`h.day::text AS day, h.kind, h.name, h.created_at AS "createdAt"`;
type RawHoliday = Omit<Holiday, 'createdAt'> & { createdAt: string | Date };
const toHoliday = (r: RawHoliday): Holiday => ({ ...r, createdAt: new Date(r.createdAt) });

const ofYear = (year: number) => sql`h.day >= ${`${year}-01-01`}::date AND h.day < ${`${year + 1}-01-01`}::date`;

export async function holidaysOfYear(database: Database, year: number, offset: number, limit: number): Promise<Holiday[]> {
  const rows = await database.rows<RawHoliday>(sql`SELECT ${HOLIDAY} FROM holidays h WHERE ${ofYear(year)} ORDER BY h.day OFFSET ${offset} LIMIT ${limit}`);
  return rows.map(toHoliday);
}

export async function countHolidaysOfYear(database: Database, year: number): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM holidays h WHERE ${ofYear(year)}`);
  return Number(row?.n ?? 0);
}

export async function getHoliday(database: Database, executor: Executor, day: string, lock = false): Promise<Holiday | null> {
  const [row] = await database.rows<RawHoliday>(sql`SELECT ${HOLIDAY} FROM holidays h WHERE h.day = ${day}::date ${lock ? sql`FOR UPDATE` : sql``}`, executor);
  return row ? toHoliday(row) : null;
}

/** Every day of the calendar: a few dozen a year, read whole. */
export async function allCalendarDays(database: Database, executor?: Executor): Promise<{ day: string; kind: HolidayKind }[]> {
  return database.rows<{ day: string; kind: HolidayKind }>(sql`SELECT day::text AS day, kind FROM holidays ORDER BY day`, executor);
}

export async function upsertHoliday(database: Database, tx: Executor, row: { day: string; kind: HolidayKind; name: string; createdBy: number | null }): Promise<void> {
  await database.rows(
    sql`INSERT INTO holidays (day, kind, name, created_by) VALUES (${row.day}::date, ${row.kind}, ${row.name}, ${row.createdBy})
        ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name`,
    tx,
  );
}

export async function deleteHoliday(database: Database, tx: Executor, day: string): Promise<void> {
  await database.rows(sql`DELETE FROM holidays WHERE day = ${day}::date`, tx);
}

/** Adds the days the calendar lacks; a day already set is left as it is. */
export async function insertMissingHolidays(database: Database, days: { day: string; kind: HolidayKind; name: string }[]): Promise<void> {
  if (!days.length) return;
  const values = sql.join(
    days.map((d) => sql`(${d.day}::date, ${d.kind}, ${d.name})`),
    sql`, `,
  );
  await database.rows(sql`INSERT INTO holidays (day, kind, name) VALUES ${values} ON CONFLICT (day) DO NOTHING`);
}
