/**
 * Demo key accounts (§3): customers, subscriptions, key persons, contracts, products, portfolio,
 * archive moves, visits, change history and 12 months of billing facts, for the profiles `demo`
 * (~5,000 customers, PGlite or PostgreSQL) and `large` (1,000,000 customers, PostgreSQL).
 *
 * Loading: pass 1 writes the customers, pass 2 the rows that refer to them (so that foreign keys hold
 * while several COPY streams run at once); both passes regenerate the same customers from the seed.
 * PGlite gets multi-row INSERTs in one transaction; PostgreSQL gets one COPY stream per table and, for
 * the large profile, secondary indexes dropped around the load and fact partitions built detached
 * (loaded, indexed, then attached). The facts are set-based SQL (facts.ts).
 */
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Database, Executor } from '../db/client.js';
import { refreshMonthTotals } from '../db/month-totals.js';
import type { PiiVault } from '../platform/pii.js';
import { CITY_INFO, FACT_MONTHS } from './catalog.js';
import { factBaseSql, factMonthSql, factPartition, FACT_BASE } from './facts.js';
import { CustomerGenerator, type CityCtx, type Row, type TableKey } from './generate.js';
import { CITIES } from './guangdong.js';
import { abortSink, BatchSink, CopySink, type RowSink } from './sinks.js';

export const CUSTOMER_COUNT = { demo: 5_000, large: 1_000_000 } as const;
/** From this many customers on, PostgreSQL loads drop and rebuild secondary indexes and build fact partitions detached. */
const BULK_FROM = 100_000;

const RELATED: TableKey[] = ['subscriptions', 'keyPersons', 'contracts', 'customerProducts', 'portfolioAssignments', 'lifecycleEvents', 'visits', 'customerChanges'];
// org_units and users too: the scope subquery's estimate decides the plan of every customer list
const TABLE_NAMES = ['org_units', 'users', 'user_roles', 'customers', 'subscriptions', 'key_persons', 'contracts', 'customer_products', 'portfolio_assignments', 'lifecycle_events', 'visits', 'customer_changes'];

export interface PhaseReport {
  phase: string;
  ms: number;
  rows: number;
}

export interface CustomerSeedOptions {
  seed: number;
  /** Seals ID numbers (AES-256-GCM + keyed hash) with the configured keys. */
  vault: PiiVault;
  customers: number;
  /** Called after each phase (customers, related, indexes, facts, analyze) with its time and rows. */
  onPhase?: (report: PhaseReport) => void;
}

/** The cities of the demo organisation with their county units and account managers. */
export async function loadCities(database: Database, executor?: Executor): Promise<CityCtx[]> {
  const units = await database.rows<{ city_id: number; city_code: string; county_id: number; county_name: string }>(
    sql`SELECT c.id AS city_id, c.code AS city_code, k.id AS county_id, k.name AS county_name
        FROM org_units c JOIN org_units k ON k.parent_id = c.id AND k.kind = 'county'
        WHERE c.kind = 'city' AND c.code LIKE 'GD-%'
        ORDER BY c.id, k.code`,
    executor,
  );
  const managers = await database.rows<{ id: number; unit_id: number }>(
    sql`SELECT u.id, u.unit_id FROM users u
        JOIN user_roles ur ON ur.user_id = u.id
        JOIN roles r ON r.id = ur.role_id AND r.code = 'account_manager'
        WHERE u.active ORDER BY u.username`,
    executor,
  );
  const byId = new Map<number, CityCtx>();
  for (const u of units) {
    const code = u.city_code.slice(3);
    const info = CITY_INFO[code];
    const data = CITIES.find((c) => c.code === code);
    if (!info || !data) continue;
    let city = byId.get(u.city_id);
    if (!city) byId.set(u.city_id, (city = { code, name: data.name, tel: info.tel, weight: info.weight, counties: [], managers: [] }));
    city.counties.push({ unitId: u.county_id, name: u.county_name.replace(/分公司$/, ''), area6: info.area + String(city.counties.length + 1).padStart(2, '0') });
  }
  for (const m of managers) byId.get(m.unit_id)?.managers.push(m.id);
  return [...byId.values()];
}

async function timed<T extends number>(o: CustomerSeedOptions, phase: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const rows = await fn();
  o.onPhase?.({ phase, ms: performance.now() - t0, rows });
  return rows;
}

/** Runs one pass over all customers into `sink`; returns the rows written. */
async function pass(o: CustomerSeedOptions, cities: CityCtx[], which: 1 | 2, sink: RowSink): Promise<number> {
  const gen = new CustomerGenerator({ seed: o.seed, cities, idBase: 0 });
  const waits: Promise<void>[] = [];
  const emit = (t: TableKey, row: Row) => {
    const p = sink.write(t, row);
    if (p) waits.push(p);
  };
  try {
    for (let i = 0; i < o.customers; i++) {
      const core = gen.core(i);
      if (which === 1) emit('customers', gen.customer(core, o.vault));
      else gen.related(core, emit);
      if (waits.length) {
        await Promise.all(waits);
        waits.length = 0;
      }
    }
    await sink.close();
  } catch (err) {
    abortSink(sink);
    throw err;
  }
  return sink.rows;
}

const setIdentity = sql`SELECT setval(pg_get_serial_sequence('customers', 'id'), greatest((SELECT max(id) FROM customers), 1))`;

/** Loads the demo customers and their facts into a database that has the organisation and users but no customers. */
export async function seedCustomers(database: Database, o: CustomerSeedOptions): Promise<void> {
  if (o.customers <= 0) return;
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM customers LIMIT 1) x`);
  if (Number(row?.n) > 0) throw new Error('demo customers: the customers table is not empty');
  if (database.kind === 'postgres') return seedPostgres(database, o);

  await database.db.transaction(async (tx) => {
    const cities = await loadCities(database, tx);
    await timed(o, 'customers', () => pass(o, cities, 1, new BatchSink(tx)));
    await timed(o, 'related', () => pass(o, cities, 2, new BatchSink(tx)));
    await tx.execute(setIdentity);
    await timed(o, 'facts', () => factsInPlace(database, tx, o.seed));
  });
  // the fact partitions are left to the caller: ANALYZE of 12 partitions costs PGlite ~2 s at every first start
  await timed(o, 'analyze', async () => {
    await database.db.execute(sql.raw(`ANALYZE ${TABLE_NAMES.join(', ')}`));
    return 0;
  });
}

/** Facts into partitions that exist (or are created by ensure_fact_partition) with their indexes in place. */
async function factsInPlace(database: Database, executor: Executor, seed: number): Promise<number> {
  await executor.execute(sql.raw(`DROP TABLE IF EXISTS ${FACT_BASE}`));
  await executor.execute(sql.raw(factBaseSql(seed)));
  for (let k = 0; k < FACT_MONTHS.length; k++) {
    await executor.execute(sql`SELECT ensure_fact_partition(${FACT_MONTHS[k]}::date)`);
    await executor.execute(sql.raw(factMonthSql(factPartition(k), k, seed)));
    await executor.execute(refreshMonthTotals(FACT_MONTHS[k]!));
  }
  const [n] = await database.rows<{ n: number }>(sql.raw(`SELECT count(*)::int AS n FROM ${FACT_BASE}`), executor);
  await executor.execute(sql.raw(`DROP TABLE ${FACT_BASE}`));
  return Number(n?.n ?? 0) * FACT_MONTHS.length;
}

async function seedPostgres(database: Database, o: CustomerSeedOptions): Promise<void> {
  const pool = (database.db as unknown as { $client: pg.Pool }).$client;
  const bulk = o.customers >= BULK_FROM;
  const cities = await loadCities(database);
  let dropped: { name: string; def: string }[] = [];
  try {
    if (bulk) dropped = await dropSecondaryIndexes(pool);
    await timed(o, 'customers', async () => pass(o, cities, 1, await CopySink.open(pool, ['customers'])));
    await timed(o, 'related', async () => pass(o, cities, 2, await CopySink.open(pool, RELATED)));
    await database.db.execute(setIdentity);
  } finally {
    if (dropped.length) {
      const defs = dropped;
      await timed(o, 'indexes', async () => {
        await parallel(pool, 2, defs.map((d) => d.def));
        return 0;
      });
    }
  }
  await timed(o, 'facts', () => (bulk ? factsDetached(pool, o.seed) : factsInPlace(database, database.db, o.seed)));
  // VACUUM sets the visibility map (index-only scans) and keeps autovacuum from doing it during the
  // first benchmarks; ANALYZE of the partitioned parent also analyses every partition
  await timed(o, 'analyze', async () => {
    await parallel(pool, 2, [...FACT_MONTHS.map((_, k) => `VACUUM ${factPartition(k)}`), ...TABLE_NAMES.map((t) => `VACUUM (ANALYZE) ${t}`)]);
    await pool.query('ANALYZE monthly_facts');
    return 0;
  });
}

/** Secondary (non-constraint) indexes of the customer tables: dropped before a bulk load, rebuilt after. */
async function dropSecondaryIndexes(pool: pg.Pool): Promise<{ name: string; def: string }[]> {
  const { rows } = await pool.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.schemaname = current_schema() AND i.tablename = ANY($1::text[])
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)
     ORDER BY (i.indexdef LIKE '%gin%') DESC, i.tablename IN ('customers', 'subscriptions') DESC, i.indexname`,
    [TABLE_NAMES],
  );
  for (const r of rows) await pool.query(`DROP INDEX "${r.name}"`);
  return rows;
}

/** Runs statements on `n` connections at once, in order of the list. */
async function parallel(pool: pg.Pool, n: number, statements: string[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      const client = await pool.connect();
      try {
        await client.query("SET maintenance_work_mem = '1GB'");
        await client.query('SET max_parallel_maintenance_workers = 0');
        while (next < statements.length) await client.query(statements[next++]!);
        // back to the application's pool as it was lent (a statement may have turned synchronous_commit off)
        await client.query('RESET ALL');
        client.release();
      } catch (err) {
        client.release(true); // never hand back a connection inside a failed transaction
        throw err;
      }
    }),
  );
}

/**
 * Large loads: each month is built as a plain table (LIKE monthly_facts), filled by one INSERT … SELECT,
 * given its primary key and index afterwards and then attached as the partition; a CHECK constraint
 * of its range lets ATTACH skip the validation scan. Two months are built at once (two cores).
 */
async function factsDetached(pool: pg.Pool, seed: number): Promise<number> {
  await pool.query(`DROP TABLE IF EXISTS ${FACT_BASE}`);
  await pool.query(factBaseSql(seed));
  const todo: string[] = [];
  const attach: string[] = [];
  for (let k = 0; k < FACT_MONTHS.length; k++) {
    const part = factPartition(k);
    const from = FACT_MONTHS[k]!;
    const until = FACT_MONTHS[k + 1] ?? '2026-11-01';
    const { rows } = await pool.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [part]);
    if (rows[0]?.exists) {
      todo.push(factMonthSql(part, k, seed));
      continue;
    }
    todo.push(
      [
        'BEGIN',
        `CREATE TABLE ${part} (LIKE monthly_facts INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
        factMonthSql(part, k, seed),
        `ALTER TABLE ${part} ADD CONSTRAINT ${part}_range CHECK (month >= DATE '${from}' AND month < DATE '${until}')`,
        `ALTER TABLE ${part} ADD CONSTRAINT ${part}_pkey PRIMARY KEY (month, subscription_id)`,
        `CREATE INDEX ${part}_customer_id_month_idx ON ${part} (customer_id, month)`,
        'COMMIT',
      ].join(';\n'),
    );
    attach.push(`ALTER TABLE monthly_facts ATTACH PARTITION ${part} FOR VALUES FROM ('${from}') TO ('${until}')`, `ALTER TABLE ${part} DROP CONSTRAINT ${part}_range`);
  }
  await parallel(pool, 2, todo.map((s) => `SET synchronous_commit = off;\n${s}`));
  for (const s of attach) await pool.query(s);
  await parallel(pool, 2, FACT_MONTHS.map((m) => `SELECT refresh_month_totals(DATE '${m}')`));
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${FACT_BASE}`);
  await pool.query(`DROP TABLE ${FACT_BASE}`);
  return Number(rows[0]?.n ?? 0) * FACT_MONTHS.length;
}
