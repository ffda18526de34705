/**
 * SQL of the imports: the staging table, the set-based checks that write rejected rows, and the jobs. The rows
 * themselves are written by the customers area (customers/service.ts, 批量装载), in the import's transaction.
 * Everything here runs on an ImportConnection: a dedicated pg client on PostgreSQL (the staging table is a
 * temporary table of that session, loaded with COPY), the database itself on PGlite (batched INSERTs).
 */
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Db, Executor } from '../../db/client.js';
import { importJobs, importRejects } from '../../db/schema/index.js';
import { inSubtree } from '../../platform/auth/scope.js';
import type { Deps } from '../../platform/deps.js';
import * as customers from '../customers/service.js';
import { selectDuplicatePairs, type DuplicateMatch } from '../customers/service.js';
import { LAYOUTS, type ImportKind } from './layouts.js';
import { reasonSql, reasonValue } from './reasons.js';

export interface StageColumn {
  name: string;
  type: string;
}

/** The staging columns of a kind: row_no, then the layout's columns (the ID number only sealed). */
export function stageColumns(kind: ImportKind): StageColumn[] {
  const cols: StageColumn[] = [{ name: 'row_no', type: 'integer' }];
  for (const c of LAYOUTS[kind]) {
    if (c.key === 'id_number') {
      cols.push({ name: 'id_number_enc', type: 'bytea' }, { name: 'id_number_hash', type: 'text' }, { name: 'id_number_tail', type: 'text' });
    } else cols.push({ name: c.key, type: c.type });
  }
  return cols;
}

export interface ImportConnection {
  kind: 'pglite' | 'postgres';
  db: Db;
  rows<T = Record<string, unknown>>(query: SQL, executor?: Executor): Promise<T[]>;
  /** A COPY … FROM STDIN (text format, or CSV) into the table; postgres only. */
  copyIn?(table: string, columns: string[], format?: 'text' | 'csv'): Writable;
  /** A COPY … TO STDOUT of `statement`; postgres only. */
  copyOut?(statement: string): Readable;
  close(): Promise<void>;
}

export async function openImportConnection(deps: Deps): Promise<ImportConnection> {
  const { database, config } = deps;
  if (database.kind !== 'postgres' || !config.DATABASE_URL) {
    return { kind: 'pglite', db: database.db, rows: (q, ex) => database.rows(q, ex), close: async () => {} };
  }
  const client = new pg.Client({ connectionString: config.DATABASE_URL, application_name: 'kam-import' });
  await client.connect();
  // the staging table is temporary: keep it in memory; hash joins and aggregates over a few million rows
  await client.query("SET temp_buffers = '512MB'; SET work_mem = '256MB'; SET maintenance_work_mem = '256MB'");
  const db = drizzlePg(client) as unknown as Db;
  const ident = (name: string) => pg.escapeIdentifier(name);
  return {
    kind: 'postgres',
    db,
    async rows<T>(query: SQL, executor: Executor = db) {
      return ((await executor.execute(query)) as unknown as { rows: T[] }).rows;
    },
    copyIn: (table, columns, format = 'text') =>
      client.query(copyFrom(`COPY ${ident(table)} (${columns.map(ident).join(', ')}) FROM STDIN${format === 'csv' ? ' (FORMAT csv)' : ''}`)),
    copyOut: (statement) => client.query(copyTo(statement)),
    close: () => client.end(),
  };
}

export const stageTable = (jobId: number) => `import_stage_${jobId}`;
const stage = (jobId: number): SQL => sql`${sql.identifier(stageTable(jobId))}`;

export async function createStage(conn: ImportConnection, jobId: number, kind: ImportKind) {
  // the column types are the layout's own (constants), not input
  const cols = stageColumns(kind).map((c) => sql`${sql.identifier(c.name)} ${sql.raw(c.type)}`);
  await conn.rows(sql`CREATE TEMP TABLE ${stage(jobId)} (${sql.join(cols, sql`, `)})`);
}

export async function dropStage(conn: ImportConnection, jobId: number) {
  await conn.rows(sql`DROP TABLE IF EXISTS ${stage(jobId)}`);
}

/** PGlite (and small batches anywhere): one INSERT of a JSON array of rows. */
export async function insertStageBatch(conn: ImportConnection, jobId: number, rows: Record<string, unknown>[]) {
  if (!rows.length) return;
  const t = stage(jobId);
  await conn.rows(sql`INSERT INTO ${t} SELECT * FROM json_populate_recordset(NULL::${t}, ${JSON.stringify(rows)}::json)`);
}

export async function analyzeStage(conn: ImportConnection, jobId: number) {
  await conn.rows(sql`ANALYZE ${stage(jobId)}`);
}

/** The rows set aside leave the staging table before the load (in its transaction), which then loads all of it. */
export async function dropRejectedRows(conn: ImportConnection, tx: Executor, jobId: number) {
  await conn.rows(sql`DELETE FROM ${stage(jobId)} s USING import_rejects r WHERE r.job_id = ${jobId}::bigint AND r.row_no = s.row_no`, tx);
}

// ---- rejected rows -------------------------------------------------------------------------------------------

export interface RejectRow {
  rowNo: number;
  key: string | null;
  column: string | null;
  reason: string;
}

export async function insertRejects(db: Executor, jobId: number, rows: RejectRow[]) {
  for (let i = 0; i < rows.length; i += 2000) {
    await db.insert(importRejects).values(rows.slice(i, i + 2000).map((r) => ({ jobId, ...r })));
  }
}

/** The SQL expression of a staged row's natural key, as the report shows it. */
const keyExpr: Record<ImportKind, SQL> = {
  customers: sql`s.customer_no`,
  subscriptions: sql`s.msisdn`,
  facts: sql`to_char(s.month, 'YYYY-MM') || ' ' || s.msisdn`,
};
const keyCols: Record<ImportKind, SQL> = { customers: sql`customer_no`, subscriptions: sql`msisdn`, facts: sql`month, msisdn` };
const keyColumnName: Record<ImportKind, string> = { customers: 'customer_no', subscriptions: 'msisdn', facts: 'msisdn' };

/** The rows of a group as the report names them: the first ten, in order, then "…". */
const rowList = sql`array_to_string((array_agg(row_no ORDER BY row_no))[1:10], ', ') || CASE WHEN count(*) > 10 THEN ', …' ELSE '' END`;

/** INSERT INTO import_rejects of `select`'s (row_no, key, column, reason) for the job. */
const rejectsFrom = (conn: ImportConnection, jobId: number, select: SQL) =>
  conn.rows(sql`INSERT INTO import_rejects (job_id, row_no, key, "column", reason) SELECT ${jobId}::bigint, x.* FROM (${select}) x`);

/**
 * Every occurrence of a key that appears more than once in the file is rejected, naming the rows. The
 * repeated keys are found first by a plain count: listing the rows of every key, most of them alone, sorted
 * the whole file (2 M rows) for an ordered aggregate.
 */
export async function rejectDuplicates(conn: ImportConnection, jobId: number, kind: ImportKind) {
  const t = stage(jobId);
  const k = keyCols[kind];
  await rejectsFrom(
    conn,
    jobId,
    sql`
    WITH k AS (SELECT ${k} FROM ${t} GROUP BY ${k} HAVING count(*) > 1),
         d AS (SELECT ${k}, ${rowList} AS rows FROM ${t} JOIN k USING (${k}) GROUP BY ${k})
    SELECT s.row_no, ${keyExpr[kind]}, ${keyColumnName[kind]}::text, ${reasonSql('import_duplicate_in_file', { rows: sql`d.rows` })}
    FROM ${t} s JOIN d USING (${k})`,
  );
}

/** Does every organisation unit lie in the scope? Then the scope needs no join. */
export async function wholeOrgInScope(conn: ImportConnection, scopePath: string): Promise<boolean> {
  const [row] = await conn.rows<{ all: boolean }>(
    sql`SELECT coalesce(bool_and(${inSubtree(sql`path`, scopePath)}), true) AS "all" FROM org_units`,
  );
  return row?.all ?? true;
}

/** The importer's data scope, for the checks: everything, or the units of a subtree. */
export interface ImportScope {
  path: string;
  all: boolean;
}
/** Is the unit `alias` (org_units) outside the scope? */
const outside = (scope: ImportScope, alias: string): SQL => (scope.all ? sql`false` : sql`NOT (${inSubtree(sql`${sql.identifier(alias)}.path`, scope.path)})`);

/**
 * A customer merged into another (客户合并) is frozen (customers/service.ts): a row naming it (by the staged
 * column `no`) is rejected with the customers area's reason (CUSTOMER_MERGED), naming the customer it lives on
 * in, or not when that one lies outside the importer's scope.
 */
function mergedCustomers(stageTable: SQL, key: SQL, no: string, column: string, scope: ImportScope): SQL {
  const hidden = scope.all
    ? sql`false`
    : sql`NOT EXISTS (SELECT 1 FROM customers sv JOIN org_units su ON su.id = sv.unit_id WHERE sv.id = m.survivor_id AND ${inSubtree(sql`su.path`, scope.path)})`;
  return sql`SELECT s.row_no, ${key}, ${column}::text,
               CASE WHEN ${hidden} THEN ${reasonValue('import_customer_merged_hidden')}
                    ELSE ${reasonSql(customers.CUSTOMER_MERGED, { survivorNo: sql`m.survivor_no`, survivorName: sql`m.survivor_name` })} END
             FROM ${stageTable} s JOIN (${customers.mergedCustomersSql()}) m ON m.customer_no = s.${sql.identifier(no)}`;
}

/** Reference checks per kind (unknown keys, data scope, allowed changes, merged customers), each rejected row with its reason. */
export async function rejectReferences(conn: ImportConnection, jobId: number, kind: ImportKind, scope: ImportScope) {
  const t = stage(jobId);
  const ins = (select: SQL) => rejectsFrom(conn, jobId, select);
  const r = reasonValue;
  if (kind === 'facts') {
    if (scope.all) {
      await ins(sql`SELECT s.row_no, ${keyExpr.facts}, 'msisdn', ${r('import_unknown_subscription')}
                    FROM ${t} s WHERE NOT EXISTS (SELECT 1 FROM subscriptions sub WHERE sub.msisdn = s.msisdn)`);
    } else {
      await ins(sql`SELECT s.row_no, ${keyExpr.facts}, 'msisdn',
                      CASE WHEN sub.id IS NULL THEN ${r('import_unknown_subscription')} ELSE ${r('import_subscription_out_of_scope')} END
                    FROM ${t} s LEFT JOIN subscriptions sub ON sub.msisdn = s.msisdn
                    LEFT JOIN customers c ON c.id = sub.customer_id LEFT JOIN org_units u ON u.id = c.unit_id
                    WHERE sub.id IS NULL OR ${outside(scope, 'u')}`);
    }
    return;
  }
  if (kind === 'subscriptions') {
    await ins(sql`SELECT s.row_no, s.msisdn, 'customer_no',
                    CASE WHEN c.id IS NULL THEN ${r('import_unknown_customer')} ELSE ${r('import_customer_out_of_scope')} END
                  FROM ${t} s LEFT JOIN customers c ON c.customer_no = s.customer_no LEFT JOIN org_units u ON u.id = c.unit_id
                  WHERE c.id IS NULL OR ${outside(scope, 'u')}`);
    await ins(sql`SELECT s.row_no, s.msisdn, 'group_customer_no',
                    CASE WHEN g.id IS NULL THEN ${r('import_unknown_customer')} ELSE ${r('import_not_group_customer')} END
                  FROM ${t} s LEFT JOIN customers g ON g.customer_no = s.group_customer_no
                  WHERE s.group_customer_no IS NOT NULL AND (g.id IS NULL OR g.kind <> 'group')`);
    await ins(mergedCustomers(t, sql`s.msisdn`, 'customer_no', 'customer_no', scope));
    await ins(mergedCustomers(t, sql`s.msisdn`, 'group_customer_no', 'group_customer_no', scope));
    if (!scope.all) {
      await ins(sql`SELECT s.row_no, s.msisdn, 'msisdn', ${r('import_subscription_out_of_scope')}
                    FROM ${t} s JOIN subscriptions sub ON sub.msisdn = s.msisdn JOIN customers c ON c.id = sub.customer_id
                    JOIN org_units u ON u.id = c.unit_id WHERE ${outside(scope, 'u')}`);
    }
    return;
  }
  // customers
  await ins(sql`SELECT s.row_no, s.customer_no, 'unit_code',
                  CASE WHEN u.id IS NULL THEN ${r('import_unknown_unit')} ELSE ${r('import_unit_out_of_scope')} END
                FROM ${t} s LEFT JOIN org_units u ON u.code = s.unit_code
                WHERE u.id IS NULL OR ${outside(scope, 'u')}`);
  await ins(sql`SELECT s.row_no, s.customer_no, 'manager', ${r('import_unknown_manager')}
                FROM ${t} s WHERE s.manager IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users m WHERE lower(m.username) = lower(s.manager))`);
  await ins(sql`SELECT s.row_no, s.customer_no, 'kind', ${r('import_kind_change')}
                FROM ${t} s JOIN customers c ON c.customer_no = s.customer_no WHERE c.kind <> s.kind`);
  await ins(mergedCustomers(t, sql`s.customer_no`, 'customer_no', 'customer_no', scope));
  if (!scope.all) {
    await ins(sql`SELECT s.row_no, s.customer_no, 'customer_no', ${r('import_existing_out_of_scope')}
                  FROM ${t} s JOIN customers c ON c.customer_no = s.customer_no JOIN org_units u ON u.id = c.unit_id WHERE ${outside(scope, 'u')}`);
  }
}

/** The keys of a customer that another customer must not hold (the duplicate rule of the customers module). */
const DUPLICATE_KEYS = [
  { key: 'credit_code', cols: ['credit_code'], column: 'credit_code' },
  { key: 'id_number', cols: ['id_number_hash'], column: 'id_number' },
  { key: 'name_phone', cols: ['name', 'contact_phone'], column: 'contact_phone' },
] as const;

/** The staged columns whose change makes an existing customer stop matching, per kind of match. */
const MATCH_COLUMNS: Record<DuplicateMatch, string[]> = {
  credit_code: ['credit_code'],
  id_number: ['id_number_hash'],
  name_phone: ['name', 'contact_phone'],
  name_msisdn: ['name'], // the numbers stay with the customer
};

const columnsOf = (alias: string, cols: readonly string[]) => sql.join(cols.map((c) => sql`${sql.identifier(alias)}.${sql.identifier(c)}`), sql`, `);

/**
 * Possible duplicates of other customers (客户查重), set-based. A staged customer is rejected
 * - when its unified social credit code, its ID number (keyed hash) or its name with its phone (contact phone, or one
 *   of the customer's numbers) belongs to another existing customer (another customer number, not merged away),
 *   named when it lies in the importer's scope. An existing customer whose own row in this file is good and changes
 *   those values does not hold them any more: a file may move a credit code from one customer to another. A row
 *   rejected here keeps its customer's stored values, which may make other rows duplicates: the check repeats until
 *   nothing changes (once in nearly every file).
 * - when rows of different customer numbers in the file share such a key (naming the rows), except a row whose
 *   customer already holds that key or which is already rejected above for it.
 * A re-imported customer is never its own duplicate: the same customer number is the same customer.
 */
export async function rejectDuplicateCustomers(conn: ImportConnection, jobId: number, scope: ImportScope) {
  const t = stage(jobId);
  const job = sql`${jobId}::bigint`;
  const candidates = sql`SELECT row_no, customer_no, credit_code, id_number_hash, name, contact_phone FROM ${t}`;
  // the customer's good row in this file changes what matched
  const movedAway = (match: DuplicateMatch) =>
    sql`EXISTS (SELECT 1 FROM ${t} s2 WHERE s2.customer_no = c.customer_no
      AND (${columnsOf('s2', MATCH_COLUMNS[match])}, true) IS DISTINCT FROM (${columnsOf('c', MATCH_COLUMNS[match])}, true)
      AND NOT EXISTS (SELECT 1 FROM import_rejects r2 WHERE r2.job_id = ${job} AND r2.row_no = s2.row_no))`;
  const inScope = scope.all ? sql`true` : inSubtree(sql`u.path`, scope.path);
  const columnOf = sql`CASE p.key ${sql.join(DUPLICATE_KEYS.map((k) => sql`WHEN ${k.key}::text THEN ${k.column}::text`), sql` `)} END`;
  /** Is the row `alias` already rejected as a duplicate by `key` (an SQL text: the kind of key)? */
  const recorded = (alias: string, key: SQL) => sql`EXISTS (SELECT 1 FROM import_rejects r WHERE r.job_id = ${job} AND r.row_no = ${sql.identifier(alias)}.row_no
      AND (r.reason LIKE '{"code" : "import_duplicate_' || ${key} || '"%' OR r.reason LIKE '{"code" : "import_duplicate_' || ${key} || '_hidden"%'))`;
  for (;;) {
    const [row] = await conn.rows<{ unlocking: number }>(sql`
      WITH p AS (${selectDuplicatePairs(candidates, movedAway)}),
      f AS (
        SELECT p.row_no, p.key, ${columnOf} AS col, min(p.customer_no) FILTER (WHERE ${inScope}) AS shown
        FROM p LEFT JOIN org_units u ON u.id = p.unit_id
        GROUP BY p.row_no, p.key),
      fresh AS (
        SELECT f.*, s.customer_no FROM f JOIN ${t} s ON s.row_no = f.row_no WHERE NOT ${recorded('f', sql`f.key`)}),
      ins AS (
        INSERT INTO import_rejects (job_id, row_no, key, "column", reason)
        SELECT ${job}, row_no, customer_no, col,
               CASE WHEN shown IS NULL THEN json_build_object('code', 'import_duplicate_' || key || '_hidden')::text
                    ELSE json_build_object('code', 'import_duplicate_' || key, 'params', json_build_object('customer', shown))::text END
        FROM fresh)
      SELECT count(DISTINCT row_no)::int AS unlocking FROM fresh
      WHERE NOT EXISTS (SELECT 1 FROM import_rejects r WHERE r.job_id = ${job} AND r.row_no = fresh.row_no)
        AND EXISTS (SELECT 1 FROM customers c WHERE c.customer_no = fresh.customer_no)`);
    // rows newly rejected whose customer exists keep that customer's stored values: look again
    if (!Number(row?.unlocking ?? 0)) break;
  }
  for (const k of DUPLICATE_KEYS) {
    const cols = columnsOf('s', k.cols);
    const bare = sql.join(k.cols.map((c) => sql`${sql.identifier(c)}`), sql`, `);
    const same = sql.join(k.cols.map((c) => sql`c.${sql.identifier(c)} = s.${sql.identifier(c)}`), sql` AND `);
    await rejectsFrom(
      conn,
      jobId,
      sql`
      WITH d AS (SELECT ${bare}, ${rowList} AS rows FROM ${t} s WHERE ${sql.join(k.cols.map((c) => sql`${sql.identifier(c)} IS NOT NULL`), sql` AND `)}
                 GROUP BY ${cols} HAVING count(DISTINCT customer_no) > 1)
      SELECT s.row_no, s.customer_no, ${k.column}::text, ${reasonSql(`import_duplicate_${k.key}_in_file`, { rows: sql`d.rows` })}
      FROM ${t} s JOIN d USING (${bare})
      WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_no = s.customer_no AND ${same})
        AND NOT ${recorded('s', sql`${k.key}::text`)}`,
    );
  }
}

export async function countRejectedRows(db: Executor, jobId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(DISTINCT ${importRejects.rowNo})::int` })
    .from(importRejects)
    .where(eq(importRejects.jobId, jobId));
  return Number(row?.n ?? 0);
}

// ---- the direct load's transport (direct-load.ts) ------------------------------------------------------------

/** Copies `chunks` (CSV of `columns`) into `table`, on the connection's COPY. */
export async function copyChunks(conn: ImportConnection, table: string, columns: string[], chunks: Iterable<Buffer>) {
  await pipeline(Readable.from(chunks), conn.copyIn!(table, columns, 'csv'));
}

/** The subscriptions as the direct load resolves them (facts-direct.ts): MSISDN, id, customer, in customer order. */
export const SUBSCRIPTIONS_COPY = 'COPY (SELECT msisdn, id, customer_id FROM subscriptions ORDER BY customer_id) TO STDOUT';

// ---- jobs ----------------------------------------------------------------------------------------------------

export type JobRow = typeof importJobs.$inferSelect;

export async function insertJob(db: Executor, values: typeof importJobs.$inferInsert): Promise<JobRow> {
  const [row] = await db.insert(importJobs).values(values).returning();
  return row!;
}

export async function updateJob(db: Executor, id: number, set: Partial<typeof importJobs.$inferInsert>) {
  await db.update(importJobs).set(set).where(eq(importJobs.id, id));
}

export const findJob = (db: Executor, id: number) =>
  db.select().from(importJobs).where(eq(importJobs.id, id)).then((r) => r[0]);

export async function listJobs(db: Executor, f: { scopePath: string; kind?: string; offset: number; limit: number }) {
  const conds = [inSubtree(importJobs.unitPath, f.scopePath)];
  if (f.kind) conds.push(eq(importJobs.kind, f.kind));
  const rows = await db
    .select({ job: importJobs, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(importJobs)
    .where(and(...conds))
    .orderBy(desc(importJobs.id))
    .offset(f.offset)
    .limit(f.limit);
  return { items: rows.map((r) => r.job), total: rows[0]?.total ?? 0 };
}

/** The rejected rows of a job in row order, a few thousand rows at a time, for the report. */
export async function* rejectsOf(db: Executor, jobId: number): AsyncGenerator<RejectRow> {
  let after = 0;
  for (;;) {
    const page = await db
      .select({ rowNo: importRejects.rowNo, key: importRejects.key, column: importRejects.column, reason: importRejects.reason })
      .from(importRejects)
      .where(
        and(
          eq(importRejects.jobId, jobId),
          sql`${importRejects.rowNo} > ${after}`,
          sql`${importRejects.rowNo} <= (SELECT max(row_no) FROM (SELECT DISTINCT row_no FROM import_rejects
                WHERE job_id = ${jobId} AND row_no > ${after} ORDER BY row_no LIMIT 2000) x)`,
        ),
      )
      .orderBy(importRejects.rowNo, importRejects.column);
    if (!page.length) return;
    yield* page;
    after = page[page.length - 1]!.rowNo;
  }
}

/** Jobs not ended: queued or running. */
export async function unfinishedJobIds(db: Executor): Promise<number[]> {
  const rows = await db.select({ id: importJobs.id }).from(importJobs).where(inArray(importJobs.status, ['queued', 'running']));
  return rows.map((r) => r.id);
}

/**
 * Ends unfinished jobs as failed with `error`; a job that ended meanwhile is left alone. `committed` tells whether
 * the load's transaction had committed (its audit entry is written in it). Returns the ids changed.
 */
export async function failUnfinishedJobs(db: Executor, ids: number[], error: { code: string; message: string }): Promise<number[]> {
  const rows = await db
    .update(importJobs)
    .set({
      status: 'failed',
      committed: sql`EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'import' AND a.entity_id = ${importJobs.id}::text)`,
      phase: 'done',
      error,
      finishedAt: new Date(),
    })
    .where(and(inArray(importJobs.id, ids), inArray(importJobs.status, ['queued', 'running'])))
    .returning({ id: importJobs.id });
  return rows.map((r) => r.id);
}
