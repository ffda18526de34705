/**
 * Generating and loading the `large` profile on PostgreSQL: 1,000,000 customers, 2,000,000
 * subscriptions, 12 months of facts (24,000,000 rows). Goal (issue 3): ≤ 15 minutes in total.
 *
 * Creates a fresh database (default `kam_large` on postgres://postgres@127.0.0.1:5432), applies the
 * migrations, runs the `large` seed (organisation and users, then customers by COPY, related rows by
 * COPY, secondary indexes rebuilt, facts by INSERT … SELECT per month into detached partitions, VACUUM
 * ANALYZE) and prints the time and rows/s of each phase and the total; then builds the analysis rollups of every
 * month (timed apart, about 8 minutes). The database is left in place for the other benchmarks (bench/customers.ts
 * reads it).
 *
 * Run: `npx tsx bench/large-profile.ts`. Environment: BENCH_PG_URL, BENCH_LARGE_DB (kam_large),
 * CUSTOMERS (1000000; smaller for a trial run), DEMO_SEED (20261125).
 */
import pg from 'pg';
import { loadConfig } from '../server/src/config.js';
import { openDatabase } from '../server/src/db/client.js';
import { seedDemo } from '../server/src/demo/seed.js';
import { rebuildAllMonths } from '../server/src/modules/analysis/indicators/service.js';
import { ensureBuiltinRoles } from '../server/src/modules/roles/service.js';
import { PiiVault } from '../server/src/platform/pii.js';
import { withLargeDatabase } from './large-db.js';
import { isMain, machine } from './lib.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DB = process.env.BENCH_LARGE_DB ?? 'kam_large';
const GOAL_MS = 15 * 60_000;

export interface Phase {
  phase: string;
  ms: number;
  rows: number;
}

export interface LargeProfileResult {
  database: string;
  phases: Phase[];
  totalMs: number;
  sizeBytes: number;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function runLargeProfile(customers?: number): Promise<LargeProfileResult> {
  if (!/^[a-z_][a-z0-9_]*$/.test(DB)) throw new Error('BENCH_LARGE_DB must be a plain identifier');
  const config = loadConfig();
  const phases: Phase[] = [];
  const note = (p: Phase) => {
    phases.push(p);
    console.log(`  ${p.phase.padEnd(16)} ${fmt(p.ms).padStart(9)}  ${p.rows ? `${p.rows.toLocaleString('en-US')} rows, ${rate(p)}` : ''}`);
  };
  const t0 = performance.now();
  let t = t0;
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${DB}`);
  });
  const database = await openDatabase({ databaseUrl: `${PG_URL}/${DB}` });
  try {
    await database.migrate();
    await ensureBuiltinRoles(database.db);
    note({ phase: 'create + migrate', ms: performance.now() - t, rows: 0 });
    t = performance.now();
    let seen = 0;
    await seedDemo(database, 'large', config.DEMO_SEED, config.DEMO_PASSWORD, {
      vault: new PiiVault(config.PII_ENCRYPTION_KEY, config.PII_HASH_KEY),
      ...(customers !== undefined && { customers }),
      onPhase: (p) => {
        if (seen++ === 0) {
          // the first customer phase began when the organisation and users were loaded
          note({ phase: 'org + users', ms: performance.now() - t - p.ms, rows: 0 });
        }
        note(p);
      },
    });
  } finally {
    await database.close();
  }
  const totalMs = performance.now() - t0;
  const sizeBytes = await admin(async (c) => Number((await c.query(`SELECT pg_database_size('${DB}') AS n`)).rows[0].n));
  return { database: DB, phases, totalMs, sizeBytes };
}

const fmt = (ms: number) => {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000); // rounded once: 119.6 s is 2 min 0 s, not 1 min 60 s
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
};
const rate = (p: Phase) => `${Math.round(p.rows / (p.ms / 1000)).toLocaleString('en-US')} rows/s`;

export function printLargeProfile(r: LargeProfileResult): void {
  const rows = r.phases.reduce((s, p) => s + p.rows, 0);
  console.log(`\n| phase | time | rows | rows/s |\n| --- | ---: | ---: | ---: |`);
  for (const p of r.phases) console.log(`| ${p.phase} | ${fmt(p.ms)} | ${p.rows ? p.rows.toLocaleString('en-US') : ''} | ${p.rows ? rate(p) : ''} |`);
  console.log(`| **total** | **${fmt(r.totalMs)}** | ${rows.toLocaleString('en-US')} | ${rate({ phase: '', ms: r.totalMs, rows })} |`);
  console.log(`\ngoal ≤ ${fmt(GOAL_MS)}: ${r.totalMs <= GOAL_MS ? 'met' : 'NOT met'}; database ${r.database} (${(r.sizeBytes / 2 ** 30).toFixed(2)} GiB) left in place for the other benchmarks`);
}

/**
 * The analysis rollups of every month, as the server builds them after a load (its job, or the demo loader): the
 * migrations ran on the empty database, so the analysis benchmarks would otherwise read empty cubes. Timed apart:
 * not part of the load's goal.
 */
async function buildRollups(): Promise<void> {
  const t = performance.now();
  const months = await withLargeDatabase((_deps, database) => rebuildAllMonths(database));
  console.log(`analysis rollups of ${months} months rebuilt in ${fmt(performance.now() - t)}`);
}

if (isMain(import.meta.url)) {
  console.log(`machine: ${machine()}`);
  const n = process.env.CUSTOMERS ? Number(process.env.CUSTOMERS) : undefined;
  console.log(`loading the large profile${n ? ` (${n} customers)` : ''} into ${DB} …`);
  runLargeProfile(n)
    .then(printLargeProfile)
    .then(buildRollups)
    .catch((err: unknown) => {
      console.error(`\nbenchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : err}`);
      process.exitCode = 1;
    });
}
