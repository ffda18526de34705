/** The `large` profile's database (made by `bench/large-profile.ts`) opened as the server opens it, for the job benchmarks. */
import { loadConfig } from '../server/src/config.js';
import { openDatabase, type Database } from '../server/src/db/client.js';
import { refuseNewerSchema, schemaState } from '../server/src/modules/system/version/service.js';
import { makeDeps, type Deps } from '../server/src/platform/deps.js';

export const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const LARGE_DB = process.env.BENCH_LARGE_DB ?? 'kam_large';

/**
 * Runs `fn` with the system's dependencies on the large database, closed afterwards however `fn` ends. The
 * database is first brought to this build's schema by the server's own migrate step, as `prepareDatabase`
 * (server/src/bootstrap.ts) does at a start: a database a newer build migrated is refused, pending migrations are
 * applied (and recorded), so every job bench runs on the current schema. The first run after new migrations pays
 * for them (the analysis migration fills the rollup of every month: minutes on this profile); it says so.
 */
export async function withLargeDatabase<T>(fn: (deps: Deps, database: Database) => Promise<T>): Promise<T> {
  const config = loadConfig({ ...process.env, DATABASE_URL: `${PG_URL}/${LARGE_DB}`, LOG_LEVEL: 'silent' });
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: '', hotConnections: 1 });
  try {
    await refuseNewerSchema(database);
    const { pending } = await schemaState(database);
    if (pending.length) {
      console.log(`${LARGE_DB}: applying ${pending.length} pending migration(s) ${pending.join(', ')} …`);
      const t = performance.now();
      await database.migrate();
      console.log(`${LARGE_DB}: migrated in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    }
    return await fn(makeDeps(config, database), database);
  } finally {
    await database.close();
  }
}
