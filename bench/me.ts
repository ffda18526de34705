/**
 * Throughput and latency of `GET /api/me` (session cookie → principal → user row → zod-serialized JSON)
 * on PostgreSQL, against a bare Fastify hello-world measured the same way. Goal: ≥ 40 % of bare.
 *
 * Both servers run as child processes started by tsx (the load generator keeps its own event loop);
 * autocannon: 50 connections, 10 s, after a 3 s warm-up that is not reported. The database is a fresh
 * `kam_bench` (BENCH_DB) on BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432), dropped afterwards.
 *
 * Run alone: `npx tsx bench/me.ts`.
 */
import pg from 'pg';
import { freePort, isMain, load, machine, ms, onCleanup, runCleanups, spawnBare, spawnServer, waitFor200, type Child, type LoadResult } from './lib.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DB = process.env.BENCH_DB ?? 'kam_bench';
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const DURATION_S = Number(process.env.DURATION ?? 10);
const WARMUP_S = Number(process.env.WARMUP ?? 3);
const GOAL = 0.4;

export interface MeResult {
  me: LoadResult;
  bare: LoadResult;
  ratio: number;
  connections: number;
  duration: number;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_DB must be a plain identifier: ${name}`);
  return `"${name}"`;
};

async function withChild<T>(child: Child, fn: (child: Child) => Promise<T>): Promise<T> {
  const unregister = onCleanup(child.stop);
  try {
    return await fn(child);
  } finally {
    await child.stop();
    unregister();
  }
}

async function signIn(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: process.env.DEMO_PASSWORD ?? 'Demo@2026!' }),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`login answered ${res.status}: ${body}`);
  const sid = res.headers.getSetCookie().find((c) => c.startsWith('kam_sid='));
  if (!sid) throw new Error('login set no kam_sid cookie');
  const cookie = sid.split(';')[0]!;
  const me = await fetch(`${base}/api/me`, { headers: { cookie } });
  if (me.status !== 200) throw new Error(`GET /api/me with the cookie answered ${me.status}: ${await me.text()}`);
  const bytes = (await me.arrayBuffer()).byteLength;
  console.log(`  signed in as admin; /api/me answers 200 with ${bytes} bytes of JSON`);
  return cookie;
}

export async function runMe(): Promise<MeResult> {
  const db = ident(DB);
  await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${db}`);
  onCleanup(() => admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
  const opts = { connections: CONNECTIONS, duration: DURATION_S, warmup: WARMUP_S };

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  console.log(`me: starting the server on PostgreSQL database ${DB} (first start: migrations + demo data)…`);
  const me = await withChild(spawnServer({ DATABASE_URL: `${PG_URL}/${DB}`, PORT: String(port) }), async (child) => {
    await waitFor200(`${base}/api/health`, child);
    const cookie = await signIn(base);
    console.log(`  autocannon: ${CONNECTIONS} connections, ${DURATION_S} s on GET /api/me (after ${WARMUP_S} s warm-up)…`);
    return load(`${base}/api/me`, { ...opts, headers: { cookie } });
  });
  report('server /api/me', me);

  const barePort = await freePort();
  const bare = await withChild(spawnBare(barePort), async (child) => {
    await waitFor200(`http://127.0.0.1:${barePort}/api/health`, child);
    console.log(`  autocannon: same load on the bare Fastify hello-world…`);
    return load(`http://127.0.0.1:${barePort}/api/me`, opts);
  });
  report('bare Fastify', bare);
  return { me, bare, ratio: me.rps / bare.rps, connections: CONNECTIONS, duration: DURATION_S };
}

function report(label: string, r: LoadResult) {
  console.log(
    `  ${label}: ${Math.round(r.rps)} req/s, p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)} ` +
      `(autocannon p90 ${r.p90} ms, p97.5 ${r.p97_5} ms); ${r.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors/timeouts`,
  );
  if (r.non2xx || r.errors) console.warn(`  WARNING: ${label} had ${r.non2xx} non-2xx answers and ${r.errors} errors: figures are suspect`);
}

export function printMe(r: MeResult): void {
  const row = (label: string, x: LoadResult) =>
    `| ${label} | ${Math.round(x.rps)} | ${ms(x.p50)} | ${ms(x.p95)} | ${ms(x.p99)} | ${x.non2xx + x.errors} |`;
  console.log(`\n### GET /api/me on PostgreSQL vs bare Fastify (${r.connections} connections, ${r.duration} s)\n`);
  console.log('| server | req/s (avg) | p50 | p95 | p99 | non-2xx + errors |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  console.log(row('server `GET /api/me` (PostgreSQL)', r.me));
  console.log(row('bare Fastify hello-world', r.bare));
  const verdict = r.ratio >= GOAL ? 'meets' : 'MISSES';
  console.log(`\n/api/me throughput is ${(r.ratio * 100).toFixed(1)} % of bare: ${verdict} the ≥ ${GOAL * 100} % goal.`);
}

if (isMain(import.meta.url)) {
  console.log(`machine: ${machine()}`);
  try {
    printMe(await runMe());
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  } finally {
    await runCleanups();
  }
}
