/**
 * 跨行业合作伙伴 Partner API (issue 13): the verification's confirm step — a partner enters the code the customer
 * read out and gets the level and the allowances left — p95 ≤ 30 ms at 64 connections.
 *
 * The compiled server runs on a fresh PostgreSQL database (BENCH_DB, default kam_bench_partners, dropped
 * afterwards) with the demo data. Phase 1 measures the start step (POST …/verifications by phone: a code is
 * sent through the outbound queue) over the numbers of the demo's key accounts; it also makes the codes to
 * enter, and more partners make more until there are POOL of them (at most five codes go to one customer
 * from one partner in 15 minutes). Phase 2 measures the confirm step: each request enters the right code of a
 * verification not confirmed yet (read from the SMS queue), every one a transaction that decides and counts
 * the try, appends its audit entry, and reads the level and this year's uses. The baseline is a bare Fastify
 * hello-world under the same load.
 *
 * Not for the `large` profile. Run: `npm run build -w server && npx tsx bench/partners.ts`
 * (CONNECTIONS 64, DURATION 10 s, WARMUP 3 s, POOL 40000, BENCH_PG_URL, BENCH_DB).
 */
import pg from 'pg';
import { freePort, isMain, load, machine, ms, onCleanup, runCleanups, spawnBare, spawnServer, waitFor200, type Child, type LoadResult } from './lib.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DB = process.env.BENCH_DB ?? 'kam_bench_partners';
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 64);
const DURATION = Number(process.env.DURATION ?? 10);
const WARMUP = Number(process.env.WARMUP ?? 3);
const POOL = Number(process.env.POOL ?? 40_000);
const PASSWORD = process.env.DEMO_PASSWORD ?? 'Demo@2026!';
const GOAL_MS = 30;

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_DB must be a plain identifier: ${name}`);
  return `"${name}"`;
};

async function onServer(sql: string, db = 'postgres') {
  const client = new pg.Client({ connectionString: `${PG_URL}/${db}` });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

async function withChild<T>(child: Child, fn: () => Promise<T>): Promise<T> {
  const unregister = onCleanup(child.stop);
  try {
    return await fn();
  } finally {
    await child.stop();
    unregister();
  }
}

/** Signs in as the administrator: what a write of the console sends. */
async function adminHeaders(base: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}

/** A partner allowed far more calls than the benchmark makes, with a key: its Authorization header. */
async function benchPartner(base: string, headers: Record<string, string>, n: number): Promise<string> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return res.json() as Promise<{ id: number; token: string }>;
  };
  const partner = await post('/api/services/partners', { code: `BENCH-${n}`, name: `基准测试合作伙伴 ${n}`, industry: 'airline', benefits: ['vip_lounge', 'priority_service'], rateLimitPerMinute: 1_000_000 });
  return `Bearer ${(await post(`/api/services/partners/${partner.id}/credentials`, {})).token}`;
}

const json = { 'content-type': 'application/json' };

/** The start step over the numbers, each connection taking the next one. */
function startRequests(phones: string[], authorization: string) {
  let next = 0;
  return [
    {
      method: 'POST',
      path: '/api/partner/v1/verifications',
      setupRequest: () => ({ method: 'POST', path: '/api/partner/v1/verifications', headers: { ...json, authorization }, body: JSON.stringify({ phone: phones[next++ % phones.length] }) }),
    },
  ];
}

interface Pending {
  id: number;
  code: string;
  authorization: string;
}

/** The confirm step, each request entering the code of the next verification of the pool. */
function confirmRequests(pool: Pending[]) {
  let next = 0;
  return [
    {
      method: 'POST',
      path: '/api/partner/v1/verifications/0/confirm',
      setupRequest: () => {
        const v = pool[next++ % pool.length]!;
        return { method: 'POST', path: `/api/partner/v1/verifications/${v.id}/confirm`, headers: { ...json, authorization: v.authorization }, body: JSON.stringify({ code: v.code }) };
      },
    },
  ];
}

export interface PartnersResult {
  start: LoadResult;
  confirm: LoadResult;
  bare: LoadResult;
  pool: number;
  connections: number;
  duration: number;
}

export async function runPartners(): Promise<PartnersResult> {
  const db = ident(DB);
  await onServer(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await onServer(`CREATE DATABASE ${db}`);
  onCleanup(() => onServer(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).then(() => undefined));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const opts = { connections: CONNECTIONS, duration: DURATION, warmup: WARMUP };
  console.log(`partners: starting the server on PostgreSQL database ${DB} (first start: migrations + demo data)…`);
  const server = spawnServer({ DATABASE_URL: `${PG_URL}/${DB}`, PORT: String(port) });
  const measured = await withChild(server, async () => {
    await waitFor200(`${base}/api/health`, server, 600_000);
    const headers = await adminHeaders(base);
    // one number per key account of the demo (a number shared by two customers names the first)
    const phones = (
      await onServer(
        `SELECT DISTINCT ON (c.id) s.msisdn FROM customers c JOIN subscriptions s ON s.customer_id = c.id
         WHERE c.archive = 'in_network' AND c.merged_into IS NULL ORDER BY c.id, s.id`,
        DB,
      )
    ).map((r) => String(r.msisdn));
    console.log(`  ${phones.length} numbers of in-network customers`);
    const first = await benchPartner(base, headers, 1);
    console.log(`  autocannon: ${CONNECTIONS} connections, ${DURATION} s on POST /api/partner/v1/verifications (after ${WARMUP} s warm-up)…`);
    const start = await load(base, { ...opts, requests: startRequests(phones, first) });
    report('start a verification', start);
    const pending = async () => Number((await onServer(`SELECT count(*)::int AS n FROM partner_verifications WHERE code_hash IS NOT NULL AND verified_at IS NULL`, DB))[0]!.n);
    for (let n = 2; (await pending()) < POOL; n++) {
      console.log(`  making more codes to enter (${await pending()} of ${POOL}) with partner BENCH-${n}…`);
      await load(base, { connections: CONNECTIONS, duration: Math.min(20, Math.ceil((POOL - (await pending())) / Math.max(1, start.rps)) + 1), requests: startRequests(phones, await benchPartner(base, headers, n)) });
    }
    const pool = await codesToEnter(base, headers);
    console.log(`  autocannon: ${CONNECTIONS} connections, ${DURATION} s on POST /api/partner/v1/verifications/:id/confirm, ${pool.length} codes (after ${WARMUP} s warm-up)…`);
    const confirm = await load(base, { ...opts, requests: confirmRequests(pool) });
    report('confirm step', confirm);
    const entered = Number((await onServer(`SELECT count(*)::int AS n FROM partner_verifications WHERE verified_at IS NOT NULL`, DB))[0]!.n);
    if (entered < confirm.total) console.warn(`  WARNING: ${confirm.total} requests but ${entered} verifications confirmed: the pool ran dry, figures are suspect`);
    return { start, confirm, pool: pool.length };
  });
  const barePort = await freePort();
  const bareServer = spawnBare(barePort);
  const bare = await withChild(bareServer, async () => {
    await waitFor200(`http://127.0.0.1:${barePort}/api/health`, bareServer);
    console.log('  autocannon: same load on the bare Fastify hello-world…');
    return load(`http://127.0.0.1:${barePort}/api/me`, opts);
  });
  report('bare Fastify', bare);
  return { ...measured, bare, connections: CONNECTIONS, duration: DURATION };
}

/** Every verification still waiting for its code, with the code its SMS carries and its partner's key. */
async function codesToEnter(base: string, headers: Record<string, string>): Promise<Pending[]> {
  const keys = new Map<number, string>();
  const rows = await onServer(
    `SELECT v.id, v.partner_id, o.body FROM partner_verifications v JOIN outbound_messages o ON o.entity = 'partner_verification' AND o.entity_id = v.id
     WHERE v.verified_at IS NULL AND v.code_hash IS NOT NULL AND v.attempts = 0 AND v.expires_at > now() + interval '1 minute' ORDER BY v.id`,
    DB,
  );
  // a fresh key per partner: the ones made above are not kept, as the secret is shown once
  for (const partnerId of new Set(rows.map((r) => Number(r.partner_id)))) {
    const res = await fetch(`${base}/api/services/partners/${partnerId}/credentials`, { method: 'POST', headers, body: '{}' });
    keys.set(partnerId, `Bearer ${((await res.json()) as { token: string }).token}`);
  }
  return rows.map((r) => ({ id: Number(r.id), code: String(r.body).match(/\d{6}/)![0], authorization: keys.get(Number(r.partner_id))! }));
}

function report(label: string, r: LoadResult) {
  console.log(
    `  ${label}: ${Math.round(r.rps)} req/s, p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)} ` +
      `(autocannon p90 ${r.p90} ms, p97.5 ${r.p97_5} ms); ${r.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors/timeouts`,
  );
}

if (isMain(import.meta.url)) {
  console.log(`machine: ${machine()}\n`);
  try {
    const r = await runPartners();
    printPartners(r);
  } catch (err) {
    console.error(`\nbenchmark failed: ${err instanceof Error ? err.stack : err}`);
    process.exitCode = 1;
  } finally {
    await runCleanups();
  }
}

export function printPartners(r: PartnersResult): void {
  const row = (label: string, x: LoadResult) => `| ${label} | ${Math.round(x.rps)} | ${ms(x.p50)} | ${ms(x.p95)} | ${ms(x.p99)} | ${x.non2xx + x.errors} |`;
  console.log(`\n### Partner API on PostgreSQL (${r.connections} connections, ${r.duration} s; ${r.pool} codes to enter)\n`);
  console.log('| request | req/s (avg) | p50 | p95 | p99 | non-2xx + errors |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  console.log(row('start a verification (`POST …/verifications`, a code sent)', r.start));
  console.log(row('**confirm step** (`POST …/verifications/:id/confirm`)', r.confirm));
  console.log(row('bare Fastify hello-world', r.bare));
  const verdict = r.confirm.p95 <= GOAL_MS ? 'meets' : 'MISSES';
  console.log(`\nconfirm step p95 ${ms(r.confirm.p95)}: ${verdict} the ≤ ${GOAL_MS} ms goal; ${((r.confirm.rps / r.bare.rps) * 100).toFixed(1)} % of bare's throughput.`);
}
