/**
 * 批量装载: the customers area's writes of BOSS extracts. The import area (modules/integration) reads a
 * file, checks its rows and stages the good ones in a table of its own connection (`stage`, by name); these
 * statements load that table into the customers area's tables, set-based, in the import's transaction
 * (`ex`), through the functions at the end of service.ts. The staged table holds only the rows to load
 * (the import removes the rejected ones first), one column per column of the layout (snake_case, as
 * docs/import-formats.md names them), the ID number only sealed (id_number_enc, id_number_hash,
 * id_number_tail). Values are bound; identifiers are quoted (`sql.identifier`); what DDL cannot bind
 * (a partition's bounds) is a date the database computed, checked before it is written into the statement.
 */
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { deferMonthTotals, refreshMonthTotals } from '../../db/month-totals.js';
import { customers } from '../../db/schema/index.js';
import type { EditableField } from './schemas.js';

const rowsOf = async <T>(ex: Executor, query: SQL) => ((await ex.execute(query)) as unknown as { rows: T[] }).rows;
const id = (name: string): SQL => sql`${sql.identifier(name)}`;
const list = (items: SQL[]) => sql.join(items, sql`, `);

export interface UpsertCounts {
  inserted: number;
  updated: number;
}

/** An upsert's rows counted as inserted or updated (`RETURNING (xmax = 0)`; not for partitioned tables). */
async function counted(ex: Executor, upsert: SQL): Promise<UpsertCounts> {
  const [row] = await rowsOf<{ inserted: number; updated: number }>(
    ex,
    sql`WITH up AS (${upsert} RETURNING (xmax = 0) AS ins)
        SELECT count(*) FILTER (WHERE ins)::int AS inserted, count(*) FILTER (WHERE NOT ins)::int AS updated FROM up`,
  );
  return { inserted: Number(row?.inserted ?? 0), updated: Number(row?.updated ?? 0) };
}

// ---- customers ------------------------------------------------------------------------------------------------

/** A field an import writes: an editable field (the console's list), or the placement (unit, manager). */
export type ImportedField = EditableField | 'unitId' | 'managerId';

const COLUMNS = getTableColumns(customers);

/** The column that tells whether a field changed: the keyed hash for the ID number, else the field's own. */
const columnOf = (field: ImportedField): string =>
  field === 'idNumber' ? 'id_number_hash' : ((COLUMNS as unknown as Record<string, { name: string } | undefined>)[field]?.name ?? '');

/**
 * The fields a customers import writes: the editable fields (`editable`, EDITABLE_FIELDS of schemas.ts)
 * whose columns the staged table has, and the unit and manager it names by code and user name.
 */
export function importedFields(editable: readonly EditableField[], stagedColumns: readonly string[]): ImportedField[] {
  const staged = new Set(stagedColumns);
  // an editable field without a column of its own (none today) is never staged
  return [...editable.filter((f) => staged.has(columnOf(f))), 'unitId', 'managerId'];
}

/** A field's value as the history shows it (text; personal data masked as the console masks it). */
function shownValue(field: ImportedField, t: string, masked: ReadonlySet<string>): SQL {
  const v = sql`${id(t)}.${id(columnOf(field))}`;
  if (field === 'idNumber') return sql`CASE WHEN ${id(t)}.id_number_tail IS NULL THEN NULL ELSE repeat('*', 14) || ${id(t)}.id_number_tail END`;
  if (masked.has(field)) {
    // maskPhone (platform/pii.ts): blanks dropped; the first three and last four digits kept
    const d = sql`regexp_replace(${v}, '\\s', '', 'g')`;
    return sql`CASE WHEN ${v} IS NULL OR ${v} = '' THEN ${v} WHEN length(${d}) < 7 THEN repeat('*', length(${d}))
                    ELSE left(${d}, 3) || '****' || right(${d}, 4) END`;
  }
  const column = (COLUMNS as unknown as Record<string, { getSQLType(): string }>)[field]!;
  return column.getSQLType() === 'date' ? sql`to_char(${v}, 'YYYY-MM-DD')` : sql`${v}::text`;
}

/** The staged customers resolved to ids (unit by code, manager by user name), as rows shaped like `customers`. */
function resolvedCustomers(stage: string, fields: ImportedField[]): SQL {
  const own = fields
    .filter((f) => f !== 'unitId' && f !== 'managerId')
    .flatMap((f) => (f === 'idNumber' ? ['id_number_enc', 'id_number_hash', 'id_number_tail'] : [columnOf(f)]))
    .map((c) => sql`s.${id(c)}`);
  return sql`
    SELECT s.customer_no, s.kind, u.id AS unit_id, m.id AS manager_id, ${list(own)}
    FROM ${id(stage)} s JOIN org_units u ON u.code = s.unit_code
    LEFT JOIN users m ON lower(m.username) = lower(s.manager)`;
}

/**
 * 动态管理: one customer_changes row per changed field of an existing customer (source boss_import), before
 * the upsert. A merged customer is frozen: it has no changes.
 */
export async function insertImportedChanges(ex: Executor, stage: string, fields: ImportedField[], masked: ReadonlySet<string>, actorId: number | null) {
  const values = fields.map(
    (f) => sql`(${f}::text, ${shownValue(f, 'c', masked)}, ${shownValue(f, 'n', masked)}, c.${id(columnOf(f))} IS DISTINCT FROM n.${id(columnOf(f))})`,
  );
  const [row] = await rowsOf<{ n: number }>(
    ex,
    sql`WITH ins AS (
      INSERT INTO customer_changes (customer_id, field, old_value, new_value, source, actor_id)
      SELECT c.id, v.field, v.old_value, v.new_value, 'boss_import', ${actorId}::bigint
      FROM (${resolvedCustomers(stage, fields)}) n JOIN customers c ON c.customer_no = n.customer_no AND c.merged_into IS NULL
      CROSS JOIN LATERAL (VALUES ${list(values)}) AS v(field, old_value, new_value, changed)
      WHERE v.changed RETURNING 1)
      SELECT count(*)::int AS n FROM ins`,
  );
  return Number(row?.n ?? 0);
}

/** New customer numbers inserted, existing ones updated where a value differs; a merged customer is never changed. */
export function upsertImportedCustomers(ex: Executor, stage: string, fields: ImportedField[]): Promise<UpsertCounts> {
  const cols = fields.filter((f) => f !== 'idNumber').map(columnOf);
  const sealed = fields.includes('idNumber') ? ['id_number_enc', 'id_number_hash', 'id_number_tail'] : [];
  const compared = fields.map(columnOf);
  const set = cols.map((c) => sql`${id(c)} = excluded.${id(c)}`);
  if (sealed.length) {
    set.push(
      // the ciphertext is new at every seal: kept while the number stays the same
      sql`id_number_enc = CASE WHEN customers.id_number_hash IS DISTINCT FROM excluded.id_number_hash THEN excluded.id_number_enc ELSE customers.id_number_enc END`,
      sql`id_number_hash = excluded.id_number_hash`,
      sql`id_number_tail = excluded.id_number_tail`,
    );
  }
  const all = [...cols, ...sealed].map((c) => id(c));
  return counted(
    ex,
    sql`INSERT INTO customers (customer_no, kind, ${list(all)})
     SELECT customer_no, kind, ${list(all)} FROM (${resolvedCustomers(stage, fields)}) n
     ON CONFLICT (customer_no) DO UPDATE SET ${list(set)}, version = customers.version + 1, updated_at = now()
     WHERE customers.merged_into IS NULL
       AND (${list(compared.map((c) => sql`customers.${id(c)}`))}) IS DISTINCT FROM (${list(compared.map((c) => sql`excluded.${id(c)}`))})`,
  );
}

/** 客户经理归属: when an import sets or changes a customer's manager, the portfolio history follows. */
export async function syncImportedPortfolio(ex: Executor, stage: string, actorId: number | null) {
  await ex.execute(sql`UPDATE portfolio_assignments p SET until_date = current_date
    FROM ${id(stage)} s JOIN customers c ON c.customer_no = s.customer_no
    WHERE p.customer_id = c.id AND p.until_date IS NULL AND p.manager_id IS DISTINCT FROM c.manager_id`);
  await ex.execute(sql`INSERT INTO portfolio_assignments (customer_id, manager_id, from_date, assigned_by)
    SELECT c.id, c.manager_id, current_date, ${actorId}::bigint
    FROM ${id(stage)} s JOIN customers c ON c.customer_no = s.customer_no
    WHERE c.manager_id IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM portfolio_assignments p WHERE p.customer_id = c.id AND p.until_date IS NULL)`);
}

// ---- subscriptions --------------------------------------------------------------------------------------------

const SUBSCRIPTION_COLUMNS = ['customer_id', 'group_customer_id', 'plan', 'status', 'opened_on'];

/** Subscriptions by MSISDN, their customers by customer number (a merged customer takes none). */
export function upsertImportedSubscriptions(ex: Executor, stage: string): Promise<UpsertCounts> {
  const cols = SUBSCRIPTION_COLUMNS.map((c) => id(c));
  return counted(
    ex,
    sql`INSERT INTO subscriptions (msisdn, ${list(cols)})
     SELECT s.msisdn, c.id, g.id, s.plan, s.status, s.opened_on
     FROM ${id(stage)} s JOIN customers c ON c.customer_no = s.customer_no AND c.merged_into IS NULL
     LEFT JOIN customers g ON g.customer_no = s.group_customer_no
     ON CONFLICT (msisdn) DO UPDATE SET ${list(SUBSCRIPTION_COLUMNS.map((c) => sql`${id(c)} = excluded.${id(c)}`))},
       version = subscriptions.version + 1, updated_at = now()
     WHERE (${list(SUBSCRIPTION_COLUMNS.map((c) => sql`subscriptions.${id(c)}`))}) IS DISTINCT FROM (${list(SUBSCRIPTION_COLUMNS.map((c) => sql`excluded.${id(c)}`))})`,
  );
}

// ---- monthly facts --------------------------------------------------------------------------------------------

/** The figures of a fact (the facts layout without month and MSISDN). */
export const FACT_FIGURES = [
  'rev_voice', 'rev_sms', 'rev_data', 'rev_vas', 'rev_roaming', 'min_local', 'min_long_distance', 'min_roaming', 'sms_count', 'data_mb', 'billed', 'paid', 'arrears',
];

/** The partitions of the months (created when missing), in the months' order. */
export async function ensureFactPartitions(ex: Executor, months: string[]): Promise<string[]> {
  const parts: string[] = [];
  for (const m of months) {
    const [row] = await rowsOf<{ part: string }>(ex, sql`SELECT ensure_fact_partition(${m}::date) AS part`);
    parts.push(row!.part);
  }
  return parts;
}

/** The customers' totals partition of `month` (created if missing). */
export async function totalsPartition(ex: Executor, month: string): Promise<string> {
  const [row] = await rowsOf<{ part: string }>(ex, sql`SELECT ensure_month_partition('customer_month_totals', ${month}::date) AS part`);
  return row!.part;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The month's first day and the next month's, as the database computes them (checked: DDL takes them as literals). */
async function monthRange(ex: Executor, month: string) {
  const [r] = await rowsOf<{ lo: string; hi: string }>(
    ex,
    sql`SELECT to_char(${month}::date, 'YYYY-MM-01') AS lo, to_char((date_trunc('month', ${month}::date) + interval '1 month')::date, 'YYYY-MM-DD') AS hi`,
  );
  if (!r || !ISO_DATE.test(r.lo) || !ISO_DATE.test(r.hi)) throw new Error(`not a month: ${month}`);
  return { lo: sql.raw(`DATE '${r.lo}'`), hi: sql.raw(`DATE '${r.hi}'`), bounds: sql.raw(`FROM ('${r.lo}') TO ('${r.hi}')`) };
}

/** The partition of `month`, locked against concurrent writers, when it holds no facts yet; else null. */
export async function lockEmptyFactMonth(ex: Executor, month: string): Promise<string | null> {
  const [part] = await ensureFactPartitions(ex, [month]);
  await ex.execute(sql`LOCK TABLE ${id(part!)} IN SHARE ROW EXCLUSIVE MODE`);
  const [e] = await rowsOf<{ empty: boolean }>(ex, sql`SELECT NOT EXISTS (SELECT 1 FROM ${id(part!)}) AS empty`);
  return e?.empty ? part! : null;
}

export type LoadParent = 'monthly_facts' | 'customer_month_totals';

/**
 * 装载表: a table like a partition of `parent`, named after the partition `part` with `_load`, without
 * indexes but with a CHECK of the month's range (which lets ATTACH skip its validation scan): loaded in
 * bulk, then indexed once (indexLoadTable) and swapped in for the partition (attachLoadTable). A load table
 * left by an import that stopped half-way is replaced. In a transaction, or on a connection of its own.
 */
export async function createLoadTable(ex: Executor, parent: LoadParent, part: string, month: string): Promise<string> {
  const load = `${part}_load`;
  const { lo, hi } = await monthRange(ex, month);
  await ex.execute(sql`DROP TABLE IF EXISTS ${id(load)}`);
  await ex.execute(sql`CREATE TABLE ${id(load)} (LIKE ${id(parent)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
                       CONSTRAINT ${id(`${load}_range`)} CHECK (month >= ${lo} AND month < ${hi}))`);
  return load;
}

/** Drops a load table that was not swapped in (nothing if there is none). */
export async function dropLoadTable(ex: Executor, load: string) {
  await ex.execute(sql`DROP TABLE IF EXISTS ${id(load)}`);
}

/** The load table's indexes: the primary key's (`pkey`, unique; made the key when attached) and the facts' customer index (`cidx`). */
const LOAD_INDEXES: Record<LoadParent, Partial<Record<'pkey' | 'cidx', string[]>>> = {
  monthly_facts: { pkey: ['month', 'subscription_id'], cidx: ['customer_id', 'month'] },
  customer_month_totals: { pkey: ['customer_id', 'month'] },
};
/** The parent's index that each load index stands for, by suffix. */
const PARENT_INDEXES: Record<string, string> = { pkey: '_pkey', cidx: '_customer_idx' };

/**
 * One index of the load table (`<load>_<suffix>`). Index builds take a SHARE lock, which does not block another
 * index build: the facts' two indexes are built on two connections at once. Then its statistics, when `analyze`.
 */
export async function indexLoadTable(ex: Executor, parent: LoadParent, load: string, suffix: 'pkey' | 'cidx', analyze = false) {
  const columns = LOAD_INDEXES[parent][suffix]!.map((c) => id(c));
  const unique = suffix === 'pkey' ? sql.raw('UNIQUE ') : sql``;
  await ex.execute(sql`CREATE ${unique}INDEX ${id(`${load}_${suffix}`)} ON ${id(load)} (${list(columns)})`);
  if (analyze) await ex.execute(sql`ANALYZE ${id(load)}`);
}

/**
 * The indexed load table replaces the partition `part` of `month` (empty, locked by the caller): its unique
 * index becomes its primary key, it takes the partition's name and index names and is attached without a
 * validation scan; in the transaction `tx`.
 */
export async function attachLoadTable(tx: Executor, parent: LoadParent, part: string, month: string) {
  const load = `${part}_load`;
  const { bounds } = await monthRange(tx, month);
  // the partition's own index names, so that the swapped table looks the same
  const idx = await rowsOf<{ name: string; parent: string }>(
    tx,
    sql`SELECT c.relname AS name, pc.relname AS parent FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        JOIN pg_inherits h ON h.inhrelid = i.indexrelid JOIN pg_class pc ON pc.oid = h.inhparent
        WHERE i.indrelid = to_regclass(${part})`,
  );
  await tx.execute(sql`ALTER TABLE ${id(load)} ADD CONSTRAINT ${id(`${load}_pkey`)} PRIMARY KEY USING INDEX ${id(`${load}_pkey`)}`);
  await tx.execute(sql`ALTER TABLE ${id(parent)} DETACH PARTITION ${id(part)}`);
  await tx.execute(sql`DROP TABLE ${id(part)}`);
  await tx.execute(sql`ALTER TABLE ${id(load)} RENAME TO ${id(part)}`);
  for (const suffix of Object.keys(LOAD_INDEXES[parent])) {
    const name = idx.find((i) => i.parent === `${parent}${PARENT_INDEXES[suffix]}`)?.name ?? `${part}_${suffix}`;
    await tx.execute(sql`ALTER INDEX ${id(`${load}_${suffix}`)} RENAME TO ${id(name)}`);
  }
  await tx.execute(sql`ALTER TABLE ${id(parent)} ATTACH PARTITION ${id(part)} FOR VALUES ${bounds}`);
  await tx.execute(sql`ALTER TABLE ${id(part)} DROP CONSTRAINT ${id(`${load}_range`)}`);
}

/**
 * Facts by (month, MSISDN), each with its subscription's customer at import time. A partitioned table cannot
 * return xmax, so inserted rows are counted from the months' sizes before and after, and updated ones are the
 * rest of the rows the upsert touched. When the file's months hold no facts yet (a new monthly extract), a
 * plain INSERT, straight into the partition for one month; on PostgreSQL (`swapEmptyMonth`) one empty month
 * is loaded into a table without indexes, indexed and swapped in. The months' totals are rebuilt.
 */
export async function upsertImportedFacts(ex: Executor, stage: string, months: string[], swapEmptyMonth: boolean): Promise<UpsertCounts> {
  const figures = FACT_FIGURES.map((c) => id(c));
  const insertStaged = async (target: SQL) => {
    const [row] = await rowsOf<{ n: number }>(
      ex,
      sql`WITH ins AS (
       INSERT INTO ${target} (month, subscription_id, customer_id, ${list(figures)})
       SELECT s.month, sub.id, sub.customer_id, ${list(FACT_FIGURES.map((c) => sql`s.${id(c)}`))}
       FROM ${id(stage)} s JOIN subscriptions sub ON sub.msisdn = s.msisdn
       RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
    );
    return Number(row?.n ?? 0);
  };
  const partitions = await ensureFactPartitions(ex, months);
  if (months.length) {
    // the partitions are locked against concurrent writers first
    for (const p of partitions) await ex.execute(sql`LOCK TABLE ${id(p)} IN SHARE ROW EXCLUSIVE MODE`);
    const [e] = await rowsOf<{ empty: boolean }>(ex, sql`SELECT ${sql.join(partitions.map((p) => sql`NOT EXISTS (SELECT 1 FROM ${id(p)})`), sql` AND `)} AS empty`);
    if (e?.empty && swapEmptyMonth && partitions.length === 1) {
      const [part, month] = [partitions[0]!, months[0]!];
      const load = await createLoadTable(ex, 'monthly_facts', part, month);
      const inserted = await insertStaged(id(load));
      await indexLoadTable(ex, 'monthly_facts', load, 'pkey', true);
      await indexLoadTable(ex, 'monthly_facts', load, 'cidx');
      await attachLoadTable(ex, 'monthly_facts', part, month);
      await ex.execute(refreshMonthTotals(month));
      return { inserted, updated: 0 };
    }
    if (e?.empty) {
      await ex.execute(deferMonthTotals);
      const inserted = await insertStaged(partitions.length === 1 ? id(partitions[0]!) : sql`monthly_facts`);
      for (const m of months) await ex.execute(refreshMonthTotals(m));
      return { inserted, updated: 0 };
    }
  }
  const size = async () => {
    if (!months.length) return 0;
    const [row] = await rowsOf<{ n: number }>(ex, sql`SELECT count(*)::int AS n FROM monthly_facts WHERE month IN (${list(months.map((m) => sql`${m}::date`))})`);
    return Number(row?.n ?? 0);
  };
  const before = await size();
  const [row] = await rowsOf<{ n: number }>(
    ex,
    sql`WITH up AS (
     INSERT INTO monthly_facts (month, subscription_id, customer_id, ${list(figures)})
     SELECT s.month, sub.id, sub.customer_id, ${list(FACT_FIGURES.map((c) => sql`s.${id(c)}`))}
     FROM ${id(stage)} s JOIN subscriptions sub ON sub.msisdn = s.msisdn
     ON CONFLICT (month, subscription_id) DO UPDATE SET customer_id = excluded.customer_id, ${list(FACT_FIGURES.map((c) => sql`${id(c)} = excluded.${id(c)}`))}
     WHERE (monthly_facts.customer_id, ${list(FACT_FIGURES.map((c) => sql`monthly_facts.${id(c)}`))})
           IS DISTINCT FROM (excluded.customer_id, ${list(FACT_FIGURES.map((c) => sql`excluded.${id(c)}`))})
     RETURNING 1)
     SELECT count(*)::int AS n FROM up`,
  );
  const touched = Number(row?.n ?? 0);
  const inserted = (await size()) - before;
  return { inserted, updated: touched - inserted };
}
