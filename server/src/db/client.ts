import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle has the same query surface as the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;
export type DbKind = 'pglite' | 'postgres';

export interface Database {
  kind: DbKind;
  db: Db;
  /** Runs raw SQL (set-based jobs, analysis) and returns plain rows. */
  rows<T = Record<string, unknown>>(query: SQL, executor?: Executor): Promise<T[]>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');


export interface OpenOptions {
  databaseUrl?: string;
  /** Folder of the embedded database; undefined means in memory (tests). */
  dataDir?: string;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl);
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
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    async rows<T>(query: SQL, executor: Executor = db) {
      const res = (await executor.execute(query)) as unknown as { rows: T[] };
      return res.rows;
    },
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    close: () => client.close(),
  };
}

async function openPostgres(url: string): Promise<Database> {
  const [{ default: pg }, { drizzle: drizzlePg }, { migrate: migratePg }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
    import('drizzle-orm/node-postgres/migrator'),
  ]);
  // int8 and numeric come back as strings by default; ids fit in a JS number, money stays a decimal string.
  pg.types.setTypeParser(20, (v) => Number(v));
  // int8[] is parsed like int4[]: ids fit in a JS number
  pg.types.setTypeParser(1016 as never, pg.types.getTypeParser(1007 as never));
  const pool = new pg.Pool({ connectionString: url, max: 20 });
  // An idle connection that the server ends (restart, failover, a dropped test database) is discarded
  // by the pool; without a listener its error would crash the process.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    async rows<T>(query: SQL, executor: Executor = db) {
      const res = (await executor.execute(query)) as unknown as { rows: T[] };
      return res.rows;
    },
    migrate: () => migratePg(db as never, { migrationsFolder }),
    close: () => pool.end(),
  };
}
