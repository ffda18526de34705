import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { monitorAlerts, monitorThresholds } from '../../../db/schema/index.js';

/** The PostgreSQL server: version, size of this database, connections in use of the most allowed, and whether it replays a primary. */
export async function postgresFacts(database: Database) {
  const [row] = await database.rows<{ version: string; size: number; in_use: number; max: number; replica: boolean }>(sql`
    SELECT current_setting('server_version') AS version,
           pg_database_size(current_database())::bigint AS size,
           (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS in_use,
           current_setting('max_connections')::int AS max,
           pg_is_in_recovery() AS replica`);
  return { version: row!.version, sizeBytes: Number(row!.size), connections: { inUse: row!.in_use, max: row!.max }, replica: row!.replica };
}

/** On a primary: its streaming replicas and how far behind each replays (seconds; null when it is idle and caught up). */
export const replicasOf = (database: Database) =>
  database.rows<{ name: string; state: string; lag: number | null }>(sql`
    SELECT application_name AS name, state, EXTRACT(EPOCH FROM replay_lag)::float8 AS lag FROM pg_stat_replication ORDER BY application_name`);

/** On a replica: seconds since the last transaction it replayed was committed on the primary. */
export async function replayLag(database: Database): Promise<number | null> {
  const [row] = await database.rows<{ lag: number | null }>(sql`SELECT EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 AS lag`);
  return row?.lag ?? null;
}

export interface JobRunSummary {
  name: string;
  status: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  failures24h: number;
}

/** Each job's last run and its failures in the last 24 hours, through the (job, started_at) index: a few rows a job, however long the history. */
export async function jobSummaries(database: Database, names: string[]): Promise<JobRunSummary[]> {
  if (!names.length) return [];
  const rows = await database.rows<{ name: string; status: string | null; started_at: string | null; finished_at: string | null; failures: number }>(sql`
    SELECT j.name, last.status, last.started_at, last.finished_at,
           (SELECT count(*)::int FROM job_runs f WHERE f.job = j.name AND f.started_at > now() - interval '24 hours' AND f.status = 'failed') AS failures
    FROM unnest(ARRAY[${sql.join(names.map((n) => sql`${n}`), sql`, `)}]::text[]) AS j(name)
    LEFT JOIN LATERAL (SELECT status, started_at, finished_at FROM job_runs r WHERE r.job = j.name ORDER BY started_at DESC LIMIT 1) last ON true`);
  const date = (v: string | null) => (v === null ? null : new Date(v));
  return rows.map((r) => ({ name: r.name, status: r.status, startedAt: date(r.started_at), finishedAt: date(r.finished_at), failures24h: r.failures }));
}

/** Sessions in use now (neither expired nor idle too long), by the roles of their users. */
export async function activeSessions(database: Database, idleMinutes: number) {
  const live = sql`s.expires_at > now() AND s.last_seen_at > now() - make_interval(mins => ${idleMinutes})`;
  const [total] = await database.rows<{ n: number; users: number }>(sql`SELECT count(*)::int AS n, count(DISTINCT s.user_id)::int AS users FROM sessions s WHERE ${live}`);
  const byRole = await database.rows<{ code: string; name: string; name_en: string | null; n: number }>(sql`
    SELECT r.code, r.name, r.name_en, count(DISTINCT s.id)::int AS n
    FROM sessions s JOIN user_roles ur ON ur.user_id = s.user_id JOIN roles r ON r.id = ur.role_id
    WHERE ${live} GROUP BY r.code, r.name, r.name_en ORDER BY n DESC, r.code`);
  return { count: total!.n, users: total!.users, byRole: byRole.map((r) => ({ role: r.code, name: r.name, nameEn: r.name_en, count: r.n })) };
}

export type ThresholdsRow = typeof monitorThresholds.$inferSelect;

/** The thresholds (the migration writes the one row). */
export async function thresholds(db: Executor): Promise<ThresholdsRow> {
  const [row] = await db.select().from(monitorThresholds).where(eq(monitorThresholds.id, 1));
  return row!;
}

export type AlertRow = typeof monitorAlerts.$inferSelect;

export const openAlerts = (db: Executor): Promise<AlertRow[]> => db.select().from(monitorAlerts).where(isNull(monitorAlerts.clearedAt));

/** Raises an alert unless the same one stands; the row when it is new. */
export async function raiseAlert(db: Executor, kind: string, subject: string, detail: Record<string, unknown>): Promise<AlertRow | null> {
  const [row] = await db
    .insert(monitorAlerts)
    .values({ kind, subject, detail })
    .onConflictDoNothing({ target: [monitorAlerts.kind, monitorAlerts.subject], where: sql`${monitorAlerts.clearedAt} IS NULL` })
    .returning();
  return row ?? null;
}

export async function clearAlert(db: Executor, id: number): Promise<AlertRow | null> {
  const [row] = await db
    .update(monitorAlerts)
    .set({ clearedAt: sql`now()` })
    .where(and(eq(monitorAlerts.id, id), isNull(monitorAlerts.clearedAt)))
    .returning();
  return row ?? null;
}

/** The newest alerts first, standing or cleared. */
export const recentAlerts = (db: Executor, offset: number, limit: number) =>
  db.select().from(monitorAlerts).orderBy(desc(monitorAlerts.raisedAt), desc(monitorAlerts.id)).offset(offset).limit(limit);

export const countAlerts = async (database: Database) =>
  (await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM monitor_alerts`))[0]!.n;

/** The users an alert goes to: the active holders of `system.monitor`. */
export const monitorHolders = (database: Database, executor?: Executor) =>
  database.rows<{ id: number }>(
    sql`SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
        WHERE u.active AND 'system.monitor' = ANY(r.permissions) ORDER BY u.id`,
    executor,
  );
