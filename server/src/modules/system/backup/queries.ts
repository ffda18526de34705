import { sql, type SQL } from 'drizzle-orm';

type Run = <T>(query: SQL) => Promise<T[]>;

/** The tables a backup counts: the application's and drizzle's migrations, partitioned tables once (not their partitions). */
const TABLES = sql`
  SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname IN ('public', 'drizzle')
  ORDER BY 1, 2`;

/** Rows per table (`schema.table`), counted by one statement: one snapshot even without a transaction. */
export async function rowCounts(run: Run): Promise<Record<string, number>> {
  const tables = await run<{ schema: string; name: string }>(TABLES);
  if (!tables.length) return {};
  const counts = sql.join(
    tables.map((t) => sql`SELECT ${`${t.schema}.${t.name}`}::text AS t, count(*)::text AS n FROM ${sql.identifier(t.schema)}.${sql.identifier(t.name)}`),
    sql` UNION ALL `,
  );
  const rows = await run<{ t: string; n: string }>(counts);
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

/** Relations and functions a restore would collide with: none in an empty database. */
export const USER_OBJECTS = `
  SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%')
       + (SELECT count(*) FROM pg_namespace WHERE nspname NOT IN ('public', 'pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_%') AS n`;

/** The archived database's installation id, as restored. */
export const INSTALLATION = sql`SELECT id FROM system_installation`;

/** pg_dump reads in this snapshot (exported by the counting transaction, so that counts and dump agree). */
export const EXPORT_SNAPSHOT = sql`SELECT pg_export_snapshot() AS id`;

/** The backup run this instance just started (the job's advisory lock lets only one run at a time). */
export const RUNNING_BACKUP = (job: string) =>
  sql`SELECT id, job, status, started_at FROM job_runs WHERE job = ${job} AND status = 'running' ORDER BY id DESC LIMIT 1`;
