/**
 * 事件投递 benchmark (platform/outbox): events published in transactions and delivered to a local listener by the
 * delivery loop of a server instance, on PostgreSQL (a fresh BENCH_DB on BENCH_PG_URL, dropped afterwards).
 *
 *   throughput  N events (default 100,000) published in batches as fast as the database takes them; the rate is
 *               events delivered per second from the first commit to the last delivery (one subscription: the
 *               delivery is in order, one POST at a time)
 *   latency     events published at a steady RATE (default 2,000/s) for SECONDS (default 15): commit → delivery
 *               percentiles (stamped in the transaction just before its commit)
 *   baseline    the same POSTs sent straight to the listener, one at a time over a kept-alive connection, with
 *               no database: what the delivery's rate is compared with
 *
 * The listener runs in a process of its own (it counts and measures; it never shares the sender's event loop).
 * Events carry no renderer (each travels as { id, href }, as a type without one does).
 * Run alone: `npx tsx bench/events.ts`.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { loadConfig } from '../server/src/config.js';
import { openDatabase } from '../server/src/db/client.js';
import { makeDeps } from '../server/src/platform/deps.js';
import { systemActor } from '../server/src/platform/auth/principal.js';
import { startEventDelivery } from '../server/src/platform/outbox/delivery.js';
import { publishEvents } from '../server/src/platform/outbox/outbox.js';
import { Poster } from '../server/src/platform/outbox/post.js';
import { registerListener } from '../server/src/platform/outbox/subscriptions.js';
import type { DomainEvent } from '../server/src/platform/outbox/types.js';
import { machine, onCleanup, runCleanups } from './lib.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DB = process.env.BENCH_DB ?? 'kam_bench_events';
const N = Number(process.env.N ?? 100_000);
const BATCH = Number(process.env.BATCH ?? 1000);
const RATE = Number(process.env.RATE ?? 2000);
const SECONDS = Number(process.env.SECONDS ?? 15);
const BASELINE = Number(process.env.BASELINE ?? 20_000);

/** The listener: counts events, and the delay from the commit stamp in each body to its arrival; GET answers the figures. */
const LISTENER = `
const http = require('node:http');
let count = 0, first = 0, last = 0, lat = [];
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'GET') {
      lat.sort((a, b) => a - b);
      const p = (q) => lat.length ? lat[Math.min(lat.length - 1, Math.floor(q * lat.length))] : null;
      res.end(JSON.stringify({ count, first, last, p50: p(0.5), p95: p(0.95), p99: p(0.99), max: lat[lat.length - 1] ?? null }));
      if (req.url === '/reset') { count = 0; first = 0; last = 0; lat = []; }
      return;
    }
    const now = Date.now();
    const body = JSON.parse(Buffer.concat(chunks).toString());
    const stamp = body.event && Object.values(body.event)[0].committedAt;
    if (stamp) lat.push(now - stamp);
    if (!count) first = now;
    count++; last = now;
    res.writeHead(200).end();
  });
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;

interface Stats {
  count: number;
  first: number;
  last: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

async function startListener(): Promise<string> {
  const child = spawn(process.execPath, ['-e', LISTENER], { stdio: ['ignore', 'pipe', 'inherit'] });
  onCleanup(() => void child.kill());
  const port = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
  return `http://127.0.0.1:${port}`;
}

const stats = async (base: string, reset = false): Promise<Stats> => (await fetch(`${base}/${reset ? 'reset' : 'stats'}`)).json() as Promise<Stats>;

async function waitFor(base: string, count: number): Promise<Stats> {
  for (;;) {
    const s = await stats(base);
    if (s.count >= count) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const admin = async (statement: string) => {
  const c = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await c.connect();
  await c.query(statement);
  await c.end();
};

const events = (from: number, n: number): DomainEvent[] =>
  Array.from({ length: n }, (_, i) => ({ api: 'tmf629', eventType: 'CustomerAttributeValueChangeEvent', resourceType: 'Customer', resourceId: String((from + i) % 5000), fields: { committedAt: Date.now() } }));

console.log(`machine: ${machine()}\n`);
try {
  await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${DB}`);
  onCleanup(() => admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`));
  const url = `${PG_URL}/${DB}`;
  const database = await openDatabase({ databaseUrl: url });
  onCleanup(() => database.close());
  await database.migrate();
  const deps = makeDeps(loadConfig({}, { DATABASE_URL: url, LOG_LEVEL: 'silent' }), database);
  const base = await startListener();

  // baseline: the same POSTs, no database
  const poster = new Poster(10_000);
  const body = JSON.stringify({ eventId: '1', eventType: 'CustomerAttributeValueChangeEvent', event: { customer: { id: '1', href: '/tmf-api/customerManagement/v4/customer/1' } } });
  const t0 = performance.now();
  for (let i = 0; i < BASELINE; i++) await poster.post(new URL(`${base}/events`), body, {}, new AbortController().signal);
  const rawRate = BASELINE / ((performance.now() - t0) / 1000);
  poster.close();
  await stats(base, true);

  const caller = { kind: 'user' as const, actor: systemActor(new Set()), clientId: null, pii: false };
  await registerListener(deps, 'tmf629', caller, { callback: `${base}/events` });
  const delivery = startEventDelivery(deps, console);
  onCleanup(() => delivery.stop());

  // throughput
  const p0 = Date.now();
  for (let i = 0; i < N; i += BATCH) await database.db.transaction((tx) => publishEvents(tx, events(i, Math.min(BATCH, N - i))));
  const published = Date.now();
  const burst = await waitFor(base, N);
  const rate = N / ((burst.last - p0) / 1000);
  await stats(base, true);

  // latency at a steady rate: a batch every 100 ms
  const perTick = Math.round(RATE / 10);
  const ticks = SECONDS * 10;
  const start = performance.now();
  for (let t = 0; t < ticks; t++) {
    await database.db.transaction((tx) => publishEvents(tx, events(t * perTick, perTick)));
    const wait = start + (t + 1) * 100 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const steady = await waitFor(base, ticks * perTick);

  console.log(`| measurement | figure | baseline | ratio | goal |`);
  console.log(`| --- | ---: | ---: | ---: | --- |`);
  console.log(`| publish ${N.toLocaleString('en')} events in transactions of ${BATCH} | ${Math.round(N / ((published - p0) / 1000)).toLocaleString('en')} events/s | | | |`);
  console.log(`| deliver them to one listener (first commit → last delivery) | ${Math.round(rate).toLocaleString('en')} events/s | ${Math.round(rawRate).toLocaleString('en')} POST/s without a database | ${(rate / rawRate).toFixed(2)} | ≥ 2,000/s |`);
  console.log(
    `| commit → delivery at ${RATE.toLocaleString('en')} events/s for ${SECONDS} s (${steady.count.toLocaleString('en')} events) | p50 ${steady.p50} ms, p95 ${steady.p95} ms, p99 ${steady.p99} ms, max ${steady.max} ms | | | p99 ≤ 2,000 ms |`,
  );
} catch (err) {
  console.error(`\nbenchmark failed: ${err instanceof Error ? err.stack : err}`);
  process.exitCode = 1;
} finally {
  await runCleanups();
}
