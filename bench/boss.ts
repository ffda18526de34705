/**
 * BOSS interfaces benchmark (issue 15 §4, docs/boss-interfaces.md).
 *
 * 1. The inbound billing batches, over HTTP (a real listening server, a signed-in session): batches of
 *    `--batch` records (10,000) into a fresh PostgreSQL database made here with the demo profile and dropped
 *    at the end: a batch into an empty month, a batch that changes every row of it, a replay (nothing done),
 *    and, next to them, the same rows as a facts CSV through the console's import (the floor the batch adds to).
 * 2. The monthly extract on kam_large (1,000,000 customers): time and peak memory. kam_large has no rules run of
 *    its own, so a transaction gives it one (a run and a rating for every customer, made set-based), the extract
 *    reads through that transaction, and the transaction is rolled back: kam_large is left as it was.
 *
 *   npx tsx bench/boss.ts [--batch 10000] [--customers 11000] [--skip-batches] [--skip-extract]
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { buildApp } from '../server/src/app.js';
import { prepareDatabase } from '../server/src/bootstrap.js';
import { loadConfig } from '../server/src/config.js';
import { writeExtractFile } from '../server/src/modules/integration/extract.js';
import { importFile } from '../server/src/modules/integration/service.js';
import { ALL_PERMISSIONS } from '../server/src/platform/auth/permissions.js';
import { systemActor } from '../server/src/platform/auth/principal.js';
import { makeDeps } from '../server/src/platform/deps.js';
import { LARGE_DB, PG_URL, withLargeDatabase } from './large-db.js';
import { machine } from './lib.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const BATCH = arg('--batch', 10_000);
const CUSTOMERS = arg('--customers', 11_000);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function admin(text: string) {
  const c = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

const record = (month: string, msisdn: string, paid: string) =>
  JSON.stringify({ month, msisdn, revVoice: '10.00', revSms: '2.00', revData: '50.00', revVas: '5.00', revRoaming: '0', minLocal: 300, minLongDistance: 10,
    minRoaming: 0, smsCount: 20, dataMb: '2048.50', billed: '67.00', paid, arrears: '0' });
const csvLine = (month: string, msisdn: string, paid: string) => `${month},${msisdn},10.00,2.00,50.00,5.00,0,300,10,0,20,2048.50,67.00,${paid},0`;

async function benchBatches() {
  const name = `kam_boss_bench_${process.pid}`;
  await admin(`CREATE DATABASE ${name}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kam-boss-bench-'));
  try {
    const config = loadConfig({}, { DATABASE_URL: `${PG_URL}/${name}`, DATA_DIR: dir, DEMO_PROFILE: 'demo', DEMO_CUSTOMERS: CUSTOMERS, DEMO_RULE_RUNS: 0,
      DEMO_SERVICES: false, LOG_LEVEL: 'silent', LOGIN_RATE_LIMIT_PER_MINUTE: 100_000, BOSS_BATCH_MAX_LINES: Math.max(BATCH, 1000) });
    const t0 = performance.now();
    const { database } = await prepareDatabase(config);
    console.log(`fresh database ${name} with the demo profile (${CUSTOMERS} customers) in ${secs(performance.now() - t0)}`);
    const msisdns = (await database.rows<{ msisdn: string }>(sql`SELECT msisdn FROM subscriptions ORDER BY id LIMIT ${BATCH * 2}`)).map((r) => r.msisdn);
    if (msisdns.length < BATCH * 2) throw new Error(`only ${msisdns.length} subscriptions: raise --customers`);
    const app = await buildApp(config, database);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: config.DEMO_PASSWORD }) });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const post = async (id: string, body: string) => {
      const t = performance.now();
      const res = await fetch(`${base}/api/integration/billing-batches/${id}`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/x-ndjson' }, body });
      const ms = performance.now() - t;
      const json = (await res.json()) as { status?: string; inserted?: number; updated?: number; code?: string };
      if (res.status !== 200) throw new Error(`batch ${id}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
      return { ms, json, replay: res.headers.get('idempotent-replayed') === 'true' };
    };
    const slice = (from: number) => msisdns.slice(from, from + BATCH);
    const batch = (month: string, from: number, paid: string) => `${slice(from).map((m) => record(month, m, paid)).join('\n')}\n`;
    const rows: [string, number, string][] = [];
    const note = (what: string, ms: number, extra = '') => {
      rows.push([what, ms, extra]);
      console.log(`  ${what.padEnd(58)} ${secs(ms).padStart(9)}  ${fmt((BATCH / ms) * 1000).padStart(9)} records/s ${extra}`);
    };
    console.log(`\nbatches of ${fmt(BATCH)} records (${fmt(Buffer.byteLength(batch('2031-01', 0, '88.00')))} bytes) over HTTP:`);
    const a = await post('bench-2031-01-a', batch('2031-01', 0, '88.00'));
    note('a batch into an empty month (2031-01)', a.ms, `inserted ${a.json.inserted}`);
    const b = await post('bench-2031-01-b', batch('2031-01', BATCH, '88.00'));
    note('a batch of new rows into a month that has rows', b.ms, `inserted ${b.json.inserted}`);
    const c = await post('bench-2031-01-c', batch('2031-01', 0, '99.00'));
    note('a batch that changes every row it names', c.ms, `updated ${c.json.updated}`);
    const r = await post('bench-2031-01-c', batch('2031-01', 0, '99.00'));
    note('a replay of the last batch (nothing done)', r.ms, `replay ${r.replay}`);
    // the floor: the same rows as a CSV file through the import the batch feeds
    const file = path.join(dir, 'floor.csv');
    const header = 'month,msisdn,rev_voice,rev_sms,rev_data,rev_vas,rev_roaming,min_local,min_long_distance,min_roaming,sms_count,data_mb,billed,paid,arrears';
    writeFileSync(file, `${header}\n${slice(0).map((m) => csvLine('2031-01', m, '77.00')).join('\n')}\n`);
    const t = performance.now();
    const job = await importFile(makeDeps(config, database), systemActor(new Set(ALL_PERMISSIONS)), file, { kind: 'facts', fileName: 'floor.csv', fileSize: statSync(file).size, dryRun: false, setAside: false });
    const floorMs = performance.now() - t;
    note('floor: the same changes as a CSV file through importFile', floorMs, `updated ${job.updated}`);
    console.log(`  ratio file import / batch (changed rows): ${(floorMs / c.ms).toFixed(2)}`);
    await app.close();
    await database.close();
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

class Rollback extends Error {}

async function benchExtract() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kam-boss-extract-'));
  try {
    await withLargeDatabase(async (deps0, database) => {
      const deps = { ...deps0, config: { ...deps0.config, BOSS_OUTBOX_DIR: dir } };
      await database.db
        .transaction(async (tx) => {
          const t0 = performance.now();
          const [run] = await database.rows<{ id: number }>(sql`
            INSERT INTO rule_runs (month, status, trigger, versions, counts, duration_ms) VALUES ('2026-10-01', 'completed', 'cli', '{}', '{}', 0) RETURNING id`, tx);
          await database.rows(sql`SELECT ensure_month_partition('customer_ratings', '2026-10-01')`, tx);
          await database.rows(sql`
            INSERT INTO customer_ratings (month, customer_id, run_id, kind, computed_level, level, prev_level, prev_below, gap, avg_paid, avg_revenue, paid, arrears,
              tenure_months, real_name, arrears_months, paid_window, billed_window, arrears_mask, suspended_subs, members, strategic, credit_score, credit_grade,
              overdraft_limit, suspend_grace_days, points_earned, points_promo, points_expired)
            SELECT '2026-10-01', id, ${run!.id}, kind, '3', CASE WHEN kind = 'group' THEN 'B' ELSE '3' END, '2', 0, 1, 300, 0, 300, 0, 60, true, 0, 3600, 0, 0, 0, 1, false,
                   80 + (id % 20)::int, CASE WHEN id % 3 = 0 THEN 'AA' ELSE 'A' END, 500, 7, 300, 0, 0
            FROM customers`, tx);
          console.log(`\nkam_large, in a transaction rolled back at the end: a rules run and 1,000,000 ratings made in ${secs(performance.now() - t0)}`);
          let peakRss = process.memoryUsage().rss;
          let peakHeap = process.memoryUsage().heapUsed;
          const before = { rss: peakRss, heap: peakHeap };
          const sampler = setInterval(() => {
            const m = process.memoryUsage();
            peakRss = Math.max(peakRss, m.rss);
            peakHeap = Math.max(peakHeap, m.heapUsed);
          }, 20);
          const t = performance.now();
          const res = await writeExtractFile(deps, '2026-10', new Date(), tx);
          const ms = performance.now() - t;
          clearInterval(sampler);
          const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
          console.log(`extract of ${fmt(res.rows)} customers: ${secs(ms)} (${fmt((res.rows / ms) * 1000)} rows/s), ${mb(res.bytes)} written`);
          console.log(`  peak RSS ${mb(peakRss)} (${mb(before.rss)} before), peak heap ${mb(peakHeap)} (${mb(before.heap)} before)`);
          throw new Rollback();
        })
        .catch((err: unknown) => {
          if (!(err instanceof Rollback)) throw err;
        });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`BOSS interfaces benchmark on ${machine()}`);
if (!process.argv.includes('--skip-batches')) await benchBatches();
if (!process.argv.includes('--skip-extract')) {
  console.log(`(database ${LARGE_DB})`);
  await benchExtract();
}
process.exit(0);
