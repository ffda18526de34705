/**
 * The floor of the write figures of issue 13 on this machine: PostgreSQL alone, driven by pgbench (a C client,
 * no server, no HTTP), doing the database work of one operation. When the database work alone misses a goal
 * here, no change to the server can meet it on this machine.
 *
 *   - Raising a request (goal: p95 ≤ 50 ms at 32 connections): floor/raise.sql, the statements a raise sends,
 *     at 32 clients and at 4 (PostgreSQL's best rate here, which bounds the mean time of 32 requests in
 *     flight); floor/raise-compact.sql, the same work in the fewest round trips the data allows, at 32.
 *   - The partner API's confirm step (goal: p95 ≤ 30 ms at 64 connections; one transaction that updates the
 *     verification and appends its audit entry, then a read): pgbench's own "simple update" transaction (an
 *     UPDATE, a SELECT and an INSERT in one transaction: less than the confirm step) at 64 clients, on a
 *     pgbench database of scale 10 made and dropped here.
 *
 * Needs kam_large (`npx tsx bench/large-profile.ts`, then `PHASES=generate npx tsx bench/services.ts`); the
 * raises it commits stay there, as the HTTP benchmark's do. Run: `npx tsx bench/floor.ts` (BENCH_PG_URL,
 * BENCH_LARGE_DB, DURATION 15 s).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { benchDir, isMain, machine, median, ms } from './lib.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DB = process.env.BENCH_LARGE_DB ?? 'kam_large';
const DURATION = Number(process.env.DURATION ?? 15);
const PGBENCH_DB = 'bench_floor_pgbench';

interface Floor {
  tps: number;
  p50: number;
  p95: number;
}

/** pgbench for DURATION seconds; throughput and percentiles from its per-transaction log (latency in µs). */
function pgbench(db: string, clients: number, script: string[]): Floor {
  const dir = mkdtempSync(path.join(tmpdir(), 'floor-'));
  try {
    const out = execFileSync('pgbench', ['-n', '-M', 'prepared', '-c', String(clients), '-j', '2', '-T', String(DURATION), '-l', ...script, `${PG_URL}/${db}`], { cwd: dir, encoding: 'utf8' });
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? NaN);
    const latencies = readdirSync(dir)
      .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').trim().split('\n'))
      .map((line) => Number(line.split(' ')[2]) / 1000)
      .sort((a, b) => a - b);
    return { tps, p50: median(latencies), p95: latencies[Math.floor(latencies.length * 0.95)] ?? NaN };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const line = (what: string, f: Floor, goal: number) =>
  `  ${what}: ${Math.round(f.tps)} tx/s, p50 ${ms(f.p50)}, p95 ${ms(f.p95)} (the goal's p95 ≤ ${goal} ms: ${f.p95 <= goal ? 'within' : 'BEYOND'} reach of the database alone)`;

async function onDb<T>(db: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${PG_URL}/${db}` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function run() {
  console.log(`machine: ${machine()}; database ${DB}; pgbench, ${DURATION} s each\n`);
  // the customers the HTTP benchmark raises requests for (bench/services.ts): 300 of 广州
  await onDb(DB, (c) =>
    c.query(`
      DROP TABLE IF EXISTS bench_floor_customers;
      CREATE TABLE bench_floor_customers AS
        SELECT row_number() OVER (ORDER BY c.id) AS n, c.id FROM customers c JOIN org_units u ON u.id = c.unit_id
        WHERE u.path LIKE (SELECT path FROM org_units WHERE code = 'GD-GZ') || '%' AND c.merged_into IS NULL ORDER BY c.id LIMIT 300;
      CREATE UNIQUE INDEX ON bench_floor_customers (n);`),
  );
  try {
    const raise = ['-f', path.join(benchDir, 'floor', 'raise.sql')];
    console.log('raising a request, the database work alone (goal of the HTTP figure: p95 ≤ 50 ms at 32 connections)');
    console.log(line('as the server sends it, 32 clients', pgbench(DB, 32, raise), 50));
    // a server queueing its 32 requests for fewer connections gets at most the best rate: by Little's law their
    // mean time is then at least 32 ÷ that rate
    const best = pgbench(DB, 4, raise);
    console.log(`  as the server sends it, 4 clients (the best rate here): ${Math.round(best.tps)} tx/s, p95 ${ms(best.p95)}; 32 requests in flight at this rate: mean ≥ ${ms((32 / best.tps) * 1000)}`);
    console.log(line('in the fewest round trips, 32 clients', pgbench(DB, 32, ['-f', path.join(benchDir, 'floor', 'raise-compact.sql')]), 50));
  } finally {
    await onDb(DB, (c) => c.query('DROP TABLE IF EXISTS bench_floor_customers'));
  }

  await onDb('postgres', (c) => c.query(`DROP DATABASE IF EXISTS ${PGBENCH_DB}`).then(() => c.query(`CREATE DATABASE ${PGBENCH_DB}`)));
  try {
    execFileSync('pgbench', ['-i', '-s', '10', '-q', `${PG_URL}/${PGBENCH_DB}`], { stdio: 'ignore' });
    console.log('\nthe partner API\'s confirm step (goal of the HTTP figure: p95 ≤ 30 ms at 64 connections)');
    console.log(line("pgbench's simple update (UPDATE, SELECT, INSERT, COMMIT), 64 clients", pgbench(PGBENCH_DB, 64, ['-N']), 30));
  } finally {
    await onDb('postgres', (c) => c.query(`DROP DATABASE IF EXISTS ${PGBENCH_DB}`));
  }
}

if (isMain(import.meta.url)) {
  try {
    await run();
  } catch (err) {
    console.error(`benchmark failed: ${err instanceof Error ? err.message : err}`);
    process.exitCode = 1;
  }
}
