/** The `large` profile's database (made by `bench/large-profile.ts`) opened as the server opens it, for the job benchmarks. */
import { loadConfig } from '../server/src/config.js';
import { openDatabase, type Database } from '../server/src/db/client.js';
import { makeDeps, type Deps } from '../server/src/platform/deps.js';

export const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const LARGE_DB = process.env.BENCH_LARGE_DB ?? 'kam_large';

/** Runs `fn` with the system's dependencies on the large database, closed afterwards however `fn` ends. */
export async function withLargeDatabase<T>(fn: (deps: Deps, database: Database) => Promise<T>): Promise<T> {
  const config = loadConfig({ ...process.env, DATABASE_URL: `${PG_URL}/${LARGE_DB}`, LOG_LEVEL: 'silent' });
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: '', hotConnections: 1 });
  try {
    return await fn(makeDeps(config, database), database);
  } finally {
    await database.close();
  }
}
