import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { singleStatementSnapshot, type ReadSnapshot } from './snapshot.js';

/**
 * No relational schema is given to Drizzle: nothing reads through `db.query`, and with one every transaction built a
 * query builder for each of the ninety tables (docs/decisions.md, "Hot reads and writes").
 */
export type Db = PgDatabase<PgQueryResultHKT>;
/** A transaction handle has the same query surface as the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;
export type DbKind = 'pglite' | 'postgres';

export interface Database {
  kind: DbKind;
  db: Db;
  /** Runs raw SQL (set-based jobs, analysis) and returns plain rows. */
  rows<T = Record<string, unknown>>(query: SQL, executor?: Executor): Promise<T[]>;
  /**
   * A hot read of few shapes (the 360° view, the lists and the search box): on PostgreSQL a named
   * prepared statement on a pool whose sessions always use generic plans (db/prepared.ts), so the read is
   * planned once per connection, not per request (planning was most of a 360° view's time). Only for
   * statements written for generic plans (each condition keeps its index with bound values). Outside a
   * transaction; the same rows as `rows`.
   */
  hotRows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  /** A read-only snapshot for long reads (exports, db/snapshot.ts); close it when done. */
  snapshot(): Promise<ReadSnapshot>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Heavy reads that may be served a moment behind the primary: by a streaming replica when
 * ANALYTICS_DATABASE_URL is set (db/read-replica.ts), else by the database itself (`analyticsReads` in
 * platform/deps.ts). Never for a read that must see the caller's own write just made.
 */
export type AnalyticsReads = Pick<Database, 'kind' | 'snapshot'> & {
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
};

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');


export interface OpenOptions {
  databaseUrl?: string;
  /** Folder of the embedded database; undefined means in memory (tests). */
  dataDir?: string;
  /** Connections of the hot-read pool on PostgreSQL (HOT_READ_CONNECTIONS). */
  hotConnections?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.hotConnections ?? 4);
  return openPglite(opts.dataDir);
}

// Each driver is imported only when used: start-up time matters (docs/performance.md).
async function openPglite(dataDir?: string): Promise<Database> {
  const [{ PGlite }, { pg_trgm }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({
    ...(dataDir && { dataDir: path.resolve(dataDir) }),
    parsers: { 20: (v: string) => Number(v) },
    extensions: { pg_trgm },
  });
  const db = drizzlePglite(client) as unknown as Db;
  const rows = async <T>(query: SQL, executor: Executor = db) => ((await executor.execute(query)) as unknown as { rows: T[] }).rows;
  return {
    kind: 'pglite',
    db,
    rows,
    // one connection, in process: nothing to gain from naming statements
    hotRows: (query) => rows(query),
    snapshot: async () => singleStatementSnapshot((query) => rows(query)),
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    close: () => client.close(),
  };
}

async function openPostgres(url: string, hotConnections: number): Promise<Database> {
  const [{ default: pg }, { drizzle: drizzlePg }, { migrate: migratePg }, { preparedReads }, { openSnapshot }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
    import('drizzle-orm/node-postgres/migrator'),
    import('./prepared.js'),
    import('./snapshot-pg.js'),
  ]);
  // int8 and numeric come back as strings by default; ids fit in a JS number, money stays a decimal string.
  pg.types.setTypeParser(20, (v) => Number(v));
  // int8[] is parsed like int4[]: ids fit in a JS number
  pg.types.setTypeParser(1016 as never, pg.types.getTypeParser(1007 as never));
  const pool = new pg.Pool({ connectionString: url, max: 20 });
  // An idle connection that the server ends (restart, failover, a dropped test database) is discarded
  // by the pool; without a listener its error would crash the process.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool) as unknown as Db;
  const hot = preparedReads(url, hotConnections);
  return {
    kind: 'postgres',
    db,
    async rows<T>(query: SQL, executor: Executor = db) {
      const res = (await executor.execute(query)) as unknown as { rows: T[] };
      return res.rows;
    },
    hotRows: hot.read,
    snapshot: () => openSnapshot(pool),
    migrate: () => migratePg(db as never, { migrationsFolder }),
    close: async () => {
      await Promise.all([pool.end(), hot.close()]);
    },
  };
}
