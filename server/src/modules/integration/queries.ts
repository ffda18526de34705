/**
 * SQL of the imports: the staging table, set-based checks that write rejected rows, and one upsert per kind.
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
import { deferMonthTotals, refreshMonthTotals } from '../../db/month-totals.js';
import * as schema from '../../db/schema/index.js';
import { importJobs, importRejects } from '../../db/schema/index.js';
import { likeEscape } from '../../platform/db-errors.js';
import { inSubtree } from '../../platform/auth/scope.js';
import type { Deps } from '../../platform/deps.js';
import { selectDuplicatePairs, type DuplicateMatch } from '../customers/queries.js';
import { LAYOUTS, type ImportKind } from './layouts.js';
import { reasonExpr, reasonLiteral } from './reasons.js';

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
  const db = drizzlePg(client, { schema }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    async rows<T>(query: SQL, executor: Executor = db) {
      return ((await executor.execute(query)) as unknown as { rows: T[] }).rows;
    },
    copyIn: (table, columns, format = 'text') =>
      client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN${format === 'csv' ? ' (FORMAT csv)' : ''}`)),
    copyOut: (statement) => client.query(copyTo(statement)),
    close: () => client.end(),
  };
}

export const stageTable = (jobId: number) => `import_stage_${jobId}`;

export async function createStage(conn: ImportConnection, jobId: number, kind: ImportKind) {
  const cols = stageColumns(kind).map((c) => `${c.name} ${c.type}`).join(', ');
  await conn.rows(sql.raw(`CREATE TEMP TABLE ${stageTable(jobId)} (${cols})`));
}

export async function dropStage(conn: ImportConnection, jobId: number) {
  await conn.rows(sql.raw(`DROP TABLE IF EXISTS ${stageTable(jobId)}`));
}

/** PGlite (and small batches anywhere): one INSERT of a JSON array of rows. */
export async function insertStageBatch(conn: ImportConnection, jobId: number, rows: Record<string, unknown>[]) {
  if (!rows.length) return;
  const t = sql.raw(stageTable(jobId));
  await conn.rows(sql`INSERT INTO ${t} SELECT * FROM json_populate_recordset(NULL::${t}, ${JSON.stringify(rows)}::json)`);
}

export async function analyzeStage(conn: ImportConnection, jobId: number) {
  await conn.rows(sql.raw(`ANALYZE ${stageTable(jobId)}`));
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
const keyExpr: Record<ImportKind, string> = {
  customers: 's.customer_no',
  subscriptions: 's.msisdn',
  facts: "to_char(s.month, 'YYYY-MM') || ' ' || s.msisdn",
};
const keyCols: Record<ImportKind, string> = { customers: 'customer_no', subscriptions: 'msisdn', facts: 'month, msisdn' };
const keyColumnName: Record<ImportKind, string> = { customers: 'customer_no', subscriptions: 'msisdn', facts: 'msisdn' };

/** The rows of a group as the report names them: the first ten, in order, then "…". */
const rowList = (col = 'row_no') =>
  `array_to_string((array_agg(${col} ORDER BY ${col}))[1:10], ', ') || CASE WHEN count(*) > 10 THEN ', …' ELSE '' END`;

/**
 * Every occurrence of a key that appears more than once in the file is rejected, naming the rows. The
 * repeated keys are found first by a plain count: listing the rows of every key, most of them alone, sorted
 * the whole file (2 M rows) for an ordered aggregate.
 */
export async function rejectDuplicates(conn: ImportConnection, jobId: number, kind: ImportKind) {
  const t = stageTable(jobId);
  await conn.rows(
    sql.raw(`
    WITH k AS (SELECT ${keyCols[kind]} FROM ${t} GROUP BY ${keyCols[kind]} HAVING count(*) > 1),
         d AS (SELECT ${keyCols[kind]}, ${rowList()} AS rows FROM ${t} JOIN k USING (${keyCols[kind]}) GROUP BY ${keyCols[kind]})
    INSERT INTO import_rejects (job_id, row_no, key, "column", reason)
    SELECT ${jobId}, s.row_no, ${keyExpr[kind]}, '${keyColumnName[kind]}', ${reasonExpr('import_duplicate_in_file', { rows: 'd.rows' })}
    FROM ${t} s JOIN d USING (${keyCols[kind]})`),
  );
}

/** Does every organisation unit lie in the scope? Then the scope needs no join. */
export async function wholeOrgInScope(conn: ImportConnection, scopePath: string): Promise<boolean> {
  const [row] = await conn.rows<{ all: boolean }>(
    sql`SELECT coalesce(bool_and(${inSubtree(sql`path`, scopePath)}), true) AS "all" FROM org_units`,
  );
  return row?.all ?? true;
}

const scopeLiteral = (scopePath: string) => `'${likeEscape(scopePath).replace(/'/g, "''")}%'`;

/** Reference checks per kind (unknown keys, data scope, allowed changes), each rejected row with its reason. */
export async function rejectReferences(conn: ImportConnection, jobId: number, kind: ImportKind, scopePath: string, allInScope: boolean) {
  const t = stageTable(jobId);
  const ins = (select: string) =>
    conn.rows(sql`INSERT INTO import_rejects (job_id, row_no, key, "column", reason) ${sql.raw(select.replaceAll('$job', String(jobId)))}`);
  const scopeLit = scopeLiteral(scopePath);
  const out = (alias: string) => (allInScope ? 'false' : `NOT (${alias}.path LIKE ${scopeLit})`);
  const r = reasonLiteral;
  if (kind === 'facts') {
    if (allInScope) {
      await ins(`SELECT $job, s.row_no, ${keyExpr.facts}, 'msisdn', ${r('import_unknown_subscription')}
                 FROM ${t} s WHERE NOT EXISTS (SELECT 1 FROM subscriptions sub WHERE sub.msisdn = s.msisdn)`);
    } else {
      await ins(`SELECT $job, s.row_no, ${keyExpr.facts}, 'msisdn',
                   CASE WHEN sub.id IS NULL THEN ${r('import_unknown_subscription')} ELSE ${r('import_subscription_out_of_scope')} END
                 FROM ${t} s LEFT JOIN subscriptions sub ON sub.msisdn = s.msisdn
                 LEFT JOIN customers c ON c.id = sub.customer_id LEFT JOIN org_units u ON u.id = c.unit_id
                 WHERE sub.id IS NULL OR ${out('u')}`);
    }
    return;
  }
  if (kind === 'subscriptions') {
    await ins(`SELECT $job, s.row_no, s.msisdn, 'customer_no',
                 CASE WHEN c.id IS NULL THEN ${r('import_unknown_customer')} ELSE ${r('import_customer_out_of_scope')} END
               FROM ${t} s LEFT JOIN customers c ON c.customer_no = s.customer_no LEFT JOIN org_units u ON u.id = c.unit_id
               WHERE c.id IS NULL OR ${out('u')}`);
    await ins(`SELECT $job, s.row_no, s.msisdn, 'group_customer_no',
                 CASE WHEN g.id IS NULL THEN ${r('import_unknown_customer')} ELSE ${r('import_not_group_customer')} END
               FROM ${t} s LEFT JOIN customers g ON g.customer_no = s.group_customer_no
               WHERE s.group_customer_no IS NOT NULL AND (g.id IS NULL OR g.kind <> 'group')`);
    if (!allInScope) {
      await ins(`SELECT $job, s.row_no, s.msisdn, 'msisdn', ${r('import_subscription_out_of_scope')}
                 FROM ${t} s JOIN subscriptions sub ON sub.msisdn = s.msisdn JOIN customers c ON c.id = sub.customer_id
                 JOIN org_units u ON u.id = c.unit_id WHERE ${out('u')}`);
    }
    return;
  }
  // customers
  await ins(`SELECT $job, s.row_no, s.customer_no, 'unit_code',
               CASE WHEN u.id IS NULL THEN ${r('import_unknown_unit')} ELSE ${r('import_unit_out_of_scope')} END
             FROM ${t} s LEFT JOIN org_units u ON u.code = s.unit_code
             WHERE u.id IS NULL OR ${out('u')}`);
  await ins(`SELECT $job, s.row_no, s.customer_no, 'manager', ${r('import_unknown_manager')}
             FROM ${t} s WHERE s.manager IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users m WHERE lower(m.username) = lower(s.manager))`);
  await ins(`SELECT $job, s.row_no, s.customer_no, 'kind', ${r('import_kind_change')}
             FROM ${t} s JOIN customers c ON c.customer_no = s.customer_no WHERE c.kind <> s.kind`);
  if (!allInScope) {
    await ins(`SELECT $job, s.row_no, s.customer_no, 'customer_no', ${r('import_existing_out_of_scope')}
               FROM ${t} s JOIN customers c ON c.customer_no = s.customer_no JOIN org_units u ON u.id = c.unit_id WHERE ${out('u')}`);
  }
}

/** The keys of a customer that another customer must not hold (the duplicate rule of the customers module). */
const DUPLICATE_KEYS = [
  { key: 'credit_code', cols: ['credit_code'], stored: ['credit_code'], column: 'credit_code' },
  { key: 'id_number', cols: ['id_number_hash'], stored: ['id_number_hash'], column: 'id_number' },
  { key: 'name_phone', cols: ['name', 'contact_phone'], stored: ['name', 'contact_phone'], column: 'contact_phone' },
] as const;

/** The staged columns whose change makes an existing customer stop matching, per kind of match. */
const MATCH_COLUMNS: Record<DuplicateMatch, string[]> = {
  credit_code: ['credit_code'],
  id_number: ['id_number_hash'],
  name_phone: ['name', 'contact_phone'],
  name_msisdn: ['name'], // the numbers stay with the customer
};

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
export async function rejectDuplicateCustomers(conn: ImportConnection, jobId: number, scopePath: string, allInScope: boolean) {
  const t = stageTable(jobId);
  const candidates = sql.raw(`SELECT row_no, customer_no, credit_code, id_number_hash, name, contact_phone FROM ${t}`);
  // the customer's good row in this file changes what matched
  const movedAway = (match: DuplicateMatch) =>
    sql.raw(`EXISTS (SELECT 1 FROM ${t} s2 WHERE s2.customer_no = c.customer_no
      AND (${MATCH_COLUMNS[match].map((col) => `s2.${col}`).join(', ')}, true) IS DISTINCT FROM (${MATCH_COLUMNS[match].map((col) => `c.${col}`).join(', ')}, true)
      AND NOT EXISTS (SELECT 1 FROM import_rejects r2 WHERE r2.job_id = ${jobId} AND r2.row_no = s2.row_no))`);
  const inScope = allInScope ? 'true' : `u.path LIKE ${scopeLiteral(scopePath)}`;
  const columnOf = `CASE p.key ${DUPLICATE_KEYS.map((k) => `WHEN '${k.key}' THEN '${k.column}'`).join(' ')} END`;
  const recorded = (alias: string, key: string) => `EXISTS (SELECT 1 FROM import_rejects r WHERE r.job_id = ${jobId} AND r.row_no = ${alias}.row_no
      AND (r.reason LIKE '{"code" : "import_duplicate_' || ${key} || '"%' OR r.reason LIKE '{"code" : "import_duplicate_' || ${key} || '_hidden"%'))`;
  for (;;) {
    const [row] = await conn.rows<{ unlocking: number }>(sql`
      WITH p AS (${selectDuplicatePairs(candidates, movedAway)}),
      f AS (
        SELECT p.row_no, p.key, ${sql.raw(columnOf)} AS col, min(p.customer_no) FILTER (WHERE ${sql.raw(inScope)}) AS shown
        FROM p LEFT JOIN org_units u ON u.id = p.unit_id
        GROUP BY p.row_no, p.key),
      fresh AS (
        SELECT f.*, s.customer_no FROM f JOIN ${sql.raw(t)} s ON s.row_no = f.row_no WHERE NOT ${sql.raw(recorded('f', 'f.key'))}),
      ins AS (
        INSERT INTO import_rejects (job_id, row_no, key, "column", reason)
        SELECT ${jobId}, row_no, customer_no, col,
               CASE WHEN shown IS NULL THEN json_build_object('code', 'import_duplicate_' || key || '_hidden')::text
                    ELSE json_build_object('code', 'import_duplicate_' || key, 'params', json_build_object('customer', shown))::text END
        FROM fresh)
      SELECT count(DISTINCT row_no)::int AS unlocking FROM fresh
      WHERE NOT EXISTS (SELECT 1 FROM import_rejects r WHERE r.job_id = ${jobId} AND r.row_no = fresh.row_no)
        AND EXISTS (SELECT 1 FROM customers c WHERE c.customer_no = fresh.customer_no)`);
    // rows newly rejected whose customer exists keep that customer's stored values: look again
    if (!Number(row?.unlocking ?? 0)) break;
  }
  for (const k of DUPLICATE_KEYS) {
    const cols = k.cols.join(', ');
    const same = (a: string, b: string) => k.cols.map((c, i) => `${a}.${k.stored[i]} = ${b}.${c}`).join(' AND ');
    await conn.rows(
      sql.raw(`
      WITH d AS (SELECT ${cols}, ${rowList()} AS rows FROM ${t} WHERE ${k.cols.map((c) => `${c} IS NOT NULL`).join(' AND ')}
                 GROUP BY ${cols} HAVING count(DISTINCT customer_no) > 1)
      INSERT INTO import_rejects (job_id, row_no, key, "column", reason)
      SELECT ${jobId}, s.row_no, s.customer_no, '${k.column}', ${reasonExpr(`import_duplicate_${k.key}_in_file`, { rows: 'd.rows' })}
      FROM ${t} s JOIN d USING (${cols})
      WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_no = s.customer_no AND ${same('c', 's')})
        AND NOT ${recorded('s', `'${k.key}'`)}`),
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

// ---- the upserts ---------------------------------------------------------------------------------------------

export interface UpsertCounts {
  inserted: number;
  updated: number;
}

const FACT_COLS = LAYOUTS.facts.map((c) => c.key).filter((k) => k !== 'month' && k !== 'msisdn');

/** The months present in the staging table get their partitions. */
export async function ensurePartitions(conn: ImportConnection, tx: Executor | undefined, months: string[]): Promise<string[]> {
  const parts: string[] = [];
  for (const m of months) {
    const [row] = await conn.rows<{ part: string }>(sql`SELECT ensure_fact_partition(${m}::date) AS part`, tx);
    parts.push(row!.part);
  }
  return parts;
}

function notRejected(jobId: number, excludeRejected: boolean) {
  return excludeRejected ? `NOT EXISTS (SELECT 1 FROM import_rejects r WHERE r.job_id = ${jobId} AND r.row_no = s.row_no)` : 'true';
}

async function counts(conn: ImportConnection, tx: Executor, upsert: string): Promise<UpsertCounts> {
  const [row] = await conn.rows<{ inserted: number; updated: number }>(
    sql.raw(`WITH up AS (${upsert} RETURNING (xmax = 0) AS ins)
             SELECT count(*) FILTER (WHERE ins)::int AS inserted, count(*) FILTER (WHERE NOT ins)::int AS updated FROM up`),
    tx,
  );
  return { inserted: Number(row?.inserted ?? 0), updated: Number(row?.updated ?? 0) };
}

/**
 * Facts: a partitioned table cannot return xmax, so inserted rows are counted from the partitions' sizes
 * before and after, and updated ones are the rest of the rows the upsert touched.
 */
export async function upsertFacts(
  conn: ImportConnection,
  tx: Executor,
  jobId: number,
  excludeRejected: boolean,
  months: string[],
  partitions: string[] = [],
): Promise<UpsertCounts> {
  const cols = FACT_COLS.join(', ');
  /** Inserts the staged rows that were not rejected into `target` (a quoted table name); returns how many. */
  const insertStaged = async (target: string) => {
    const [row] = await conn.rows<{ n: number }>(
      sql.raw(`WITH ins AS (
       INSERT INTO ${target} (month, subscription_id, customer_id, ${cols})
       SELECT s.month, sub.id, sub.customer_id, ${FACT_COLS.map((c) => `s.${c}`).join(', ')}
       FROM ${stageTable(jobId)} s JOIN subscriptions sub ON sub.msisdn = s.msisdn
       WHERE ${notRejected(jobId, excludeRejected)}
       RETURNING 1)
       SELECT count(*)::int AS n FROM ins`),
      tx,
    );
    return Number(row?.n ?? 0);
  };
  // fast path: the file's months are still empty (a new monthly extract) → a plain INSERT, straight into the
  // partition when there is one month; the partitions are locked against concurrent writers first
  if (partitions.length === months.length && months.length) {
    for (const p of partitions) await conn.rows(sql.raw(`LOCK TABLE ${pg.escapeIdentifier(p)} IN SHARE ROW EXCLUSIVE MODE`), tx);
    const [e] = await conn.rows<{ empty: boolean }>(
      sql.raw(`SELECT ${partitions.map((p) => `NOT EXISTS (SELECT 1 FROM ${pg.escapeIdentifier(p)})`).join(' AND ')} AS empty`),
      tx,
    );
    if (e?.empty && conn.kind === 'postgres' && partitions.length === 1) {
      // PostgreSQL, one empty month: load a table without indexes, then index it and swap it in (swapInFacts)
      const load = await createLoadTable(conn, tx, 'monthly_facts', partitions[0]!, months[0]!);
      const inserted = await insertStaged(pg.escapeIdentifier(load));
      await swapInFacts(conn, tx, partitions[0]!, months[0]!);
      await conn.rows(refreshMonthTotals(months[0]!), tx);
      return { inserted, updated: 0 };
    }
    if (e?.empty) {
      const target = partitions.length === 1 ? pg.escapeIdentifier(partitions[0]!) : 'monthly_facts';
      await conn.rows(deferMonthTotals, tx);
      const inserted = await insertStaged(target);
      for (const m of months) await conn.rows(refreshMonthTotals(m), tx);
      return { inserted, updated: 0 };
    }
  }
  const size = async () => {
    if (!months.length) return 0;
    const list = sql.join(months.map((m) => sql`${m}::date`), sql`, `);
    const [row] = await conn.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM monthly_facts WHERE month IN (${list})`, tx);
    return Number(row?.n ?? 0);
  };
  const before = await size();
  const [row] = await conn.rows<{ n: number }>(
    sql.raw(`WITH up AS (
     INSERT INTO monthly_facts (month, subscription_id, customer_id, ${cols})
     SELECT s.month, sub.id, sub.customer_id, ${FACT_COLS.map((c) => `s.${c}`).join(', ')}
     FROM ${stageTable(jobId)} s JOIN subscriptions sub ON sub.msisdn = s.msisdn
     WHERE ${notRejected(jobId, excludeRejected)}
     ON CONFLICT (month, subscription_id) DO UPDATE SET customer_id = excluded.customer_id, ${FACT_COLS.map((c) => `${c} = excluded.${c}`).join(', ')}
     WHERE (monthly_facts.customer_id, ${FACT_COLS.map((c) => `monthly_facts.${c}`).join(', ')})
           IS DISTINCT FROM (excluded.customer_id, ${FACT_COLS.map((c) => `excluded.${c}`).join(', ')})
     RETURNING 1)
     SELECT count(*)::int AS n FROM up`),
    tx,
  );
  const touched = Number(row?.n ?? 0);
  const inserted = (await size()) - before;
  return { inserted, updated: touched - inserted };
}

/**
 * 装载表: a table like a partition of `parent` (monthly_facts or customer_month_totals), named after the
 * partition `part` with `_load`, without indexes but with a CHECK of the month's range (which lets ATTACH
 * skip its validation scan): loaded in bulk, then indexed once (indexLoadTable) and swapped in for the
 * partition (attachLoadTable). A load table left by an import that stopped half-way is replaced. In the
 * caller's transaction (`tx`), or on a connection of its own, committed.
 */
export async function createLoadTable(conn: ImportConnection, tx: Executor | undefined, parent: string, part: string, month: string): Promise<string> {
  const load = `${part}_load`;
  const { lo, hi } = await monthRange(conn, tx, month);
  await conn.rows(sql.raw(`DROP TABLE IF EXISTS ${pg.escapeIdentifier(load)}`), tx);
  await conn.rows(sql.raw(`CREATE TABLE ${pg.escapeIdentifier(load)} (LIKE ${parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
                           CONSTRAINT ${pg.escapeIdentifier(`${load}_range`)} CHECK (month >= DATE '${lo}' AND month < DATE '${hi}'))`), tx);
  return load;
}

/** Drops a load table that was not swapped in (nothing if there is none). */
export async function dropLoadTable(conn: ImportConnection, load: string) {
  await conn.rows(sql.raw(`DROP TABLE IF EXISTS ${pg.escapeIdentifier(load)}`));
}

const monthRange = async (conn: ImportConnection, tx: Executor | undefined, month: string) =>
  (await conn.rows<{ lo: string; hi: string }>(
    sql`SELECT to_char(${month}::date, 'YYYY-MM-DD') AS lo, to_char((${month}::date + interval '1 month')::date, 'YYYY-MM-DD') AS hi`,
    tx,
  ))[0]!;

/** The load table's indexes: the primary key's (`pkey`, unique; made the key when attached) and the facts' customer index (`cidx`). */
const LOAD_INDEXES = {
  monthly_facts: { pkey: 'month, subscription_id', cidx: 'customer_id, month' },
  customer_month_totals: { pkey: 'customer_id, month' },
} as const;
type LoadParent = keyof typeof LOAD_INDEXES;
/** The parent's index that each load index stands for, by suffix. */
const PARENT_INDEXES: Record<string, string> = { pkey: '_pkey', cidx: '_customer_idx' };

/**
 * One index of the load table (`<load>_<suffix>`). Index builds take a SHARE lock, which does not block another
 * index build: the facts' two indexes are built on two connections at once. Then its statistics, when `analyze`.
 */
export async function indexLoadTable(conn: ImportConnection, tx: Executor | undefined, parent: LoadParent, load: string, suffix: 'pkey' | 'cidx', analyze = false) {
  const columns = (LOAD_INDEXES[parent] as Record<string, string>)[suffix]!;
  await conn.rows(sql.raw(`CREATE ${suffix === 'pkey' ? 'UNIQUE ' : ''}INDEX ${pg.escapeIdentifier(`${load}_${suffix}`)} ON ${pg.escapeIdentifier(load)} (${columns})`), tx);
  if (analyze) await conn.rows(sql.raw(`ANALYZE ${pg.escapeIdentifier(load)}`), tx);
}

/**
 * The indexed load table replaces the partition `part` of `month` (empty, locked by the caller): its unique
 * index becomes its primary key, it takes the partition's name and index names and is attached without a
 * validation scan; in `tx`.
 */
export async function attachLoadTable(conn: ImportConnection, tx: Executor, parent: LoadParent, part: string, month: string) {
  const load = `${part}_load`;
  const { lo, hi } = await monthRange(conn, tx, month);
  const run = (text: string) => conn.rows(sql.raw(text), tx);
  // the partition's own index names, so that the swapped table looks the same
  const idx = await conn.rows<{ name: string; parent: string }>(
    sql`SELECT c.relname AS name, pc.relname AS parent FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        JOIN pg_inherits h ON h.inhrelid = i.indexrelid JOIN pg_class pc ON pc.oid = h.inhparent
        WHERE i.indrelid = to_regclass(${part})`,
    tx,
  );
  await run(`ALTER TABLE ${pg.escapeIdentifier(load)} ADD CONSTRAINT ${pg.escapeIdentifier(`${load}_pkey`)} PRIMARY KEY USING INDEX ${pg.escapeIdentifier(`${load}_pkey`)}`);
  await run(`ALTER TABLE ${parent} DETACH PARTITION ${pg.escapeIdentifier(part)}`);
  await run(`DROP TABLE ${pg.escapeIdentifier(part)}`);
  await run(`ALTER TABLE ${pg.escapeIdentifier(load)} RENAME TO ${pg.escapeIdentifier(part)}`);
  for (const suffix of Object.keys(LOAD_INDEXES[parent])) {
    const name = idx.find((i) => i.parent === `${parent}${PARENT_INDEXES[suffix]}`)?.name ?? `${part}_${suffix}`;
    await run(`ALTER INDEX ${pg.escapeIdentifier(`${load}_${suffix}`)} RENAME TO ${pg.escapeIdentifier(name)}`);
  }
  await run(`ALTER TABLE ${parent} ATTACH PARTITION ${pg.escapeIdentifier(part)} FOR VALUES FROM ('${lo}') TO ('${hi}')`);
  await run(`ALTER TABLE ${pg.escapeIdentifier(part)} DROP CONSTRAINT ${pg.escapeIdentifier(`${load}_range`)}`);
}

/** The facts' load table of an empty partition, loaded, indexed and swapped in: all in `tx`, one step after another. */
export async function swapInFacts(conn: ImportConnection, tx: Executor, part: string, month: string) {
  const load = `${part}_load`;
  await indexLoadTable(conn, tx, 'monthly_facts', load, 'pkey', true);
  await indexLoadTable(conn, tx, 'monthly_facts', load, 'cidx');
  await attachLoadTable(conn, tx, 'monthly_facts', part, month);
}

/** The partition of `month`, locked against concurrent writers, when it holds no facts yet; else null. */
export async function lockEmptyMonth(conn: ImportConnection, tx: Executor, month: string): Promise<string | null> {
  const [part] = await ensurePartitions(conn, tx, [month]);
  await conn.rows(sql.raw(`LOCK TABLE ${pg.escapeIdentifier(part!)} IN SHARE ROW EXCLUSIVE MODE`), tx);
  const [e] = await conn.rows<{ empty: boolean }>(sql.raw(`SELECT NOT EXISTS (SELECT 1 FROM ${pg.escapeIdentifier(part!)}) AS empty`), tx);
  return e?.empty ? part! : null;
}

/** The customers' totals partition of `month` (created if missing). */
export async function totalsPartition(conn: ImportConnection, tx: Executor | undefined, month: string): Promise<string> {
  const [row] = await conn.rows<{ part: string }>(sql`SELECT ensure_month_partition('customer_month_totals', ${month}::date) AS part`, tx);
  return row!.part;
}

/** Copies `chunks` (CSV of `columns`) into `table`, on the connection's COPY. */
export async function copyChunks(conn: ImportConnection, table: string, columns: string[], chunks: Iterable<Buffer>) {
  await pipeline(Readable.from(chunks), conn.copyIn!(pg.escapeIdentifier(table), columns, 'csv'));
}

/** The subscriptions as the direct load resolves them (facts-direct.ts): MSISDN, id, customer, in customer order. */
export const SUBSCRIPTIONS_COPY = 'COPY (SELECT msisdn, id, customer_id FROM subscriptions ORDER BY customer_id) TO STDOUT';

export function upsertSubscriptions(conn: ImportConnection, tx: Executor, jobId: number, excludeRejected: boolean) {
  const cols = ['customer_id', 'group_customer_id', 'plan', 'status', 'opened_on'];
  return counts(
    conn,
    tx,
    `INSERT INTO subscriptions (msisdn, ${cols.join(', ')})
     SELECT s.msisdn, c.id, g.id, s.plan, s.status, s.opened_on
     FROM ${stageTable(jobId)} s JOIN customers c ON c.customer_no = s.customer_no
     LEFT JOIN customers g ON g.customer_no = s.group_customer_no
     WHERE ${notRejected(jobId, excludeRejected)}
     ON CONFLICT (msisdn) DO UPDATE SET ${cols.map((c) => `${c} = excluded.${c}`).join(', ')},
       version = subscriptions.version + 1, updated_at = now()
     WHERE (${cols.map((c) => `subscriptions.${c}`).join(', ')}) IS DISTINCT FROM (${cols.map((c) => `excluded.${c}`).join(', ')})`,
  );
}

/** Customer fields an import may change: history field name (as the customers module names it), column, text of the value. */
const CUSTOMER_FIELDS: { field: string; col: string; text: (t: string) => string }[] = [
  { field: 'name', col: 'name', text: (t) => `${t}.name` },
  { field: 'unitId', col: 'unit_id', text: (t) => `${t}.unit_id::text` },
  { field: 'managerId', col: 'manager_id', text: (t) => `${t}.manager_id::text` },
  { field: 'industry', col: 'industry', text: (t) => `${t}.industry` },
  { field: 'brand', col: 'brand', text: (t) => `${t}.brand` },
  { field: 'contactPhone', col: 'contact_phone', text: (t) => `${t}.contact_phone` },
  { field: 'address', col: 'address', text: (t) => `${t}.address` },
  { field: 'joinedOn', col: 'joined_on', text: (t) => `to_char(${t}.joined_on, 'YYYY-MM-DD')` },
  { field: 'creditCode', col: 'credit_code', text: (t) => `${t}.credit_code` },
  { field: 'employees', col: 'employees', text: (t) => `${t}.employees::text` },
  { field: 'gender', col: 'gender', text: (t) => `${t}.gender` },
  { field: 'birthday', col: 'birthday', text: (t) => `to_char(${t}.birthday, 'YYYY-MM-DD')` },
  { field: 'idType', col: 'id_type', text: (t) => `${t}.id_type` },
  // the ID number is compared by its keyed hash and recorded masked, never in clear
  { field: 'idNumber', col: 'id_number_hash', text: (t) => `CASE WHEN ${t}.id_number_tail IS NULL THEN NULL ELSE '**************' || ${t}.id_number_tail END` },
];

/** The staged customers resolved to ids (unit, manager), as rows shaped like `customers`. */
const resolvedCustomers = (jobId: number, excludeRejected: boolean) => `
  SELECT s.customer_no, s.kind, s.name, u.id AS unit_id, m.id AS manager_id, s.industry, s.brand, s.contact_phone, s.address,
         s.joined_on, s.credit_code, s.employees, s.gender, s.birthday, s.id_type, s.id_number_enc, s.id_number_hash, s.id_number_tail
  FROM ${stageTable(jobId)} s JOIN org_units u ON u.code = s.unit_code
  LEFT JOIN users m ON lower(m.username) = lower(s.manager)
  WHERE ${notRejected(jobId, excludeRejected)}`;

/** 动态管理: one customer_changes row per changed field of an existing customer, written before the upsert. */
export async function insertCustomerChanges(conn: ImportConnection, tx: Executor, jobId: number, excludeRejected: boolean, actorId: number | null) {
  const values = CUSTOMER_FIELDS.map(
    (f) => `('${f.field}', ${f.text('c')}, ${f.text('n')}, c.${f.col} IS DISTINCT FROM n.${f.col})`,
  ).join(',\n');
  const [row] = await conn.rows<{ n: number }>(
    sql.raw(`WITH ins AS (
      INSERT INTO customer_changes (customer_id, field, old_value, new_value, source, actor_id)
      SELECT c.id, v.field, v.old_value, v.new_value, 'boss_import', ${actorId ?? 'NULL'}
      FROM (${resolvedCustomers(jobId, excludeRejected)}) n JOIN customers c ON c.customer_no = n.customer_no
      CROSS JOIN LATERAL (VALUES ${values}) AS v(field, old_value, new_value, changed)
      WHERE v.changed RETURNING 1)
      SELECT count(*)::int AS n FROM ins`),
    tx,
  );
  return Number(row?.n ?? 0);
}

export function upsertCustomers(conn: ImportConnection, tx: Executor, jobId: number, excludeRejected: boolean) {
  const cols = CUSTOMER_FIELDS.map((f) => f.col).filter((c) => c !== 'id_number_hash');
  const compared = CUSTOMER_FIELDS.map((f) => f.col);
  return counts(
    conn,
    tx,
    `INSERT INTO customers (customer_no, kind, ${cols.join(', ')}, id_number_enc, id_number_hash, id_number_tail)
     SELECT customer_no, kind, ${cols.join(', ')}, id_number_enc, id_number_hash, id_number_tail
     FROM (${resolvedCustomers(jobId, excludeRejected)}) n
     ON CONFLICT (customer_no) DO UPDATE SET ${cols.map((c) => `${c} = excluded.${c}`).join(', ')},
       id_number_enc = CASE WHEN customers.id_number_hash IS DISTINCT FROM excluded.id_number_hash THEN excluded.id_number_enc ELSE customers.id_number_enc END,
       id_number_hash = excluded.id_number_hash, id_number_tail = excluded.id_number_tail,
       version = customers.version + 1, updated_at = now()
     WHERE (${compared.map((c) => `customers.${c}`).join(', ')}) IS DISTINCT FROM (${compared.map((c) => `excluded.${c}`).join(', ')})`,
  );
}

/** 客户经理归属: when an import sets or changes a customer's manager, the portfolio history follows. */
export async function syncPortfolio(conn: ImportConnection, tx: Executor, jobId: number, actorId: number | null) {
  const t = stageTable(jobId);
  await conn.rows(
    sql.raw(`UPDATE portfolio_assignments p SET until_date = current_date
             FROM ${t} s JOIN customers c ON c.customer_no = s.customer_no
             WHERE p.customer_id = c.id AND p.until_date IS NULL AND p.manager_id IS DISTINCT FROM c.manager_id`),
    tx,
  );
  await conn.rows(
    sql.raw(`INSERT INTO portfolio_assignments (customer_id, manager_id, from_date, assigned_by)
             SELECT c.id, c.manager_id, current_date, ${actorId ?? 'NULL'}
             FROM ${t} s JOIN customers c ON c.customer_no = s.customer_no
             WHERE c.manager_id IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM portfolio_assignments p WHERE p.customer_id = c.id AND p.until_date IS NULL)`),
    tx,
  );
}

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
