/**
 * TM Forum Open APIs on the `large` profile (PostgreSQL database kam_large, 1 million key accounts, made by
 * `npx tsx bench/large-profile.ts`). Goals (issue 15), p95 at 32 connections:
 *   - TMF629 `GET /tmf-api/customerManagement/v4/customer?limit=100` ≤ 50 ms;
 *   - TMF629 `GET /tmf-api/customerManagement/v4/customer/{id}` ≤ 50 ms.
 * Signed in (a session, as the console and the tests call the façade) as the province head (every key account
 * of 广东: the widest list) and, beside it, a city head (广州) for the list; the single reads cycle through
 * 500 customers spread over the whole table. Printed beside them: the console's own list of 100
 * (`GET /api/customers?limit=100`), the same work without the TMF mapping, as a ratio.
 *
 * Run: `npx tsx bench/tmf.ts`. Environment: BENCH_PG_URL, BENCH_LARGE_DB (kam_large), CONNECTIONS (32), DURATION (10 s).
 */
import { loadavg } from 'node:os';
import pg from 'pg';
import { freePort, isMain, load, machine, ms, onCleanup, runCleanups, signIn, spawnServer, waitFor200, type LoadResult } from './lib.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DB = process.env.BENCH_LARGE_DB ?? 'kam_large';
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const DURATION = Number(process.env.DURATION ?? 10);
const GOAL_MS = 50;
const API = '/tmf-api/customerManagement/v4';


const line = (what: string, r: LoadResult, goal?: number) =>
  `  ${what}: ${Math.round(r.rps)} req/s, p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)}${goal ? ` (goal ≤ ${goal} ms: ${r.p95 <= goal ? 'met' : 'MISSED'})` : ''}, ${r.non2xx} non-2xx, ${r.errors} errors, load avg ${loadavg()[0]!.toFixed(2)}`;

async function run() {
  console.log(`machine: ${machine()}; database ${DB}; ${CONNECTIONS} connections, ${DURATION} s each\n`);
  const db = new pg.Client({ connectionString: `${PG_URL}/${DB}` });
  await db.connect();
  let ids: number[];
  try {
    // 500 key accounts spread over the table (every 2,000th)
    const { rows } = await db.query(`SELECT id FROM customers WHERE id % 2000 = 7 AND merged_into IS NULL ORDER BY id LIMIT 500`);
    ids = rows.map((r) => Number(r.id));
  } finally {
    await db.end();
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawnServer({ DATABASE_URL: `${PG_URL}/${DB}`, PORT: String(port), DEMO_PROFILE: 'none' });
  onCleanup(() => child.stop());
  await waitFor200(`${base}/api/health`, child);
  const { cookie: province } = await signIn(base, 'gd_head');
  const { cookie: city } = await signIn(base, 'gz_head');

  const first = await fetch(`${base}${API}/customer?limit=100`, { headers: { cookie: province } });
  console.log(`  one page: ${first.status}, X-Total-Count ${first.headers.get('x-total-count')}, X-Result-Count ${first.headers.get('x-result-count')}, ${(await first.arrayBuffer()).byteLength} bytes`);

  const list = await load(base, { connections: CONNECTIONS, duration: DURATION, warmup: 3, headers: { cookie: province }, paths: [`${API}/customer?limit=100`] });
  console.log(line('GET /customer?limit=100, province head (1 M)', list, GOAL_MS));
  const pages = await load(base, { connections: CONNECTIONS, duration: DURATION, warmup: 2, headers: { cookie: province }, paths: [0, 100, 500, 2000, 9900].map((o) => `${API}/customer?limit=100&offset=${o}`) });
  console.log(line('GET /customer?limit=100&offset=0…9,900, province head', pages, GOAL_MS));
  const cityList = await load(base, { connections: CONNECTIONS, duration: DURATION, warmup: 2, headers: { cookie: city }, paths: [`${API}/customer?limit=100`] });
  console.log(line('GET /customer?limit=100, 广州 city head', cityList, GOAL_MS));
  const one = await load(base, { connections: CONNECTIONS, duration: DURATION, warmup: 3, headers: { cookie: province }, paths: ids.map((id) => `${API}/customer/${id}`) });
  console.log(line(`GET /customer/{id}, ${ids.length} ids`, one, GOAL_MS));
  const console_ = await load(base, { connections: CONNECTIONS, duration: DURATION, warmup: 2, headers: { cookie: province }, paths: ['/api/customers?limit=100'] });
  console.log(line('console GET /api/customers?limit=100 (same list, no TMF mapping)', console_));
  console.log(`  TMF list / console list, p95: ${(list.p95 / console_.p95).toFixed(2)}×`);
  await child.stop();
}

if (isMain(import.meta.url)) {
  try {
    await run();
  } catch (err) {
    console.error(`benchmark failed: ${err instanceof Error ? err.stack : err}`);
    process.exitCode = 1;
  } finally {
    await runCleanups();
  }
}
