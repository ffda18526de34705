/**
 * Exports of the whole `large` profile (1,000,000 customers, PostgreSQL database kam_large): goals (issue 11)
 * CSV ≤ 60 s and .xlsx ≤ 4 min, the server process below 300 MB of memory throughout.
 *
 * The way a person gets such a file: a background export (POST /api/customers/exports), followed until done,
 * then downloaded. Timed: from the request to the finished file, and the download. The server's resident
 * memory is sampled every 100 ms from /proc while it works. In the same run, the floor: `psql \copy` of the
 * same rows and columns (the export's own SELECT, with its joins) to a CSV file, and the ratio to it.
 *
 * Run: `npm run build -w server && npx tsx bench/export.ts` (FORMATS=csv,xlsx by default).
 */
import { execFile } from 'node:child_process';
import { readFileSync, statSync, unlinkSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { matchCustomers, selectExport } from '../server/src/modules/customers/queries.js';
import { freePort, isMain, machine, onCleanup, runCleanups, spawnServer, tmpDir, waitFor200 } from './lib.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DB = process.env.BENCH_LARGE_DB ?? 'kam_large';
const FORMATS = (process.env.FORMATS ?? 'csv,xlsx').split(',') as ('csv' | 'xlsx')[];
const GOAL_MS = { csv: 60_000, xlsx: 240_000 };
const RSS_GOAL_MB = 300;

interface ExportResult {
  format: 'csv' | 'xlsx';
  rows: number;
  bytes: number;
  jobMs: number;
  downloadMs: number;
  /** Resident memory of the server: its peak while the file was written, and while it was downloaded. */
  peakRssMb: number;
  downloadRssMb: number;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The resident memory of a process, in MB, from /proc. */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** The export's SELECT of every customer, its parameters written in (for psql). */
function exportSql(): string {
  const match = matchCustomers(null, null, {}, { idHash: '', fragment: 'index' });
  const { sql, params } = new PgDialect().sqlToQuery(selectExport(match, false));
  return sql.replace(/\$(\d+)/g, (_, i: string) => {
    const v = params[Number(i) - 1];
    return typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
  });
}

async function psqlCopy(): Promise<{ ms: number; bytes: number }> {
  const file = path.join(tmpDir(), `kam-export-floor-${process.pid}.csv`);
  const t = performance.now();
  await promisify(execFile)('psql', [`${PG_URL}/${DB}`, '-q', '-c', `\\copy (${exportSql().replace(/\s+/g, ' ')}) TO '${file}' CSV HEADER`], { maxBuffer: 1 << 20 });
  const ms = performance.now() - t;
  const bytes = statSync(file).size;
  unlinkSync(file);
  return { ms, bytes };
}

/** The benchmark's file leaves kam_large at once (hundreds of megabytes; a user's would stay a day). */
async function dropJob(id: number) {
  const db = new pg.Client({ connectionString: `${PG_URL}/${DB}` });
  await db.connect();
  await db.query('DELETE FROM export_jobs WHERE id = $1', [id]).finally(() => db.end());
}

async function signIn(base: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: process.env.DEMO_PASSWORD ?? 'Demo@2026!' }),
  });
  if (res.status !== 200) throw new Error(`login answered ${res.status}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
  return { cookie: cookies.join('; '), csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

async function backgroundExport(base: string, session: { cookie: string; csrf: string }, pid: number, format: 'csv' | 'xlsx'): Promise<ExportResult> {
  let peak = rssMb(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
  try {
    const t0 = performance.now();
    const started = await fetch(`${base}/api/customers/exports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
      body: JSON.stringify({ filter: {}, format }),
    });
    if (started.status !== 202) throw new Error(`export answered ${started.status}: ${await started.text()}`);
    const { id } = (await started.json()) as { id: number };
    let job: { status: string; rowsDone: number; bytes: number };
    for (;;) {
      job = (await (await fetch(`${base}/api/customers/exports/${id}`, { headers: { cookie: session.cookie } })).json()) as typeof job;
      if (job.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const jobMs = performance.now() - t0;
    const writingPeak = peak;
    peak = rssMb(pid);
    if (job.status !== 'done') throw new Error(`export ${id} ${job.status}`);
    const t1 = performance.now();
    const file = await fetch(`${base}/api/customers/exports/${id}/file`, { headers: { cookie: session.cookie } });
    let bytes = 0;
    for await (const chunk of file.body!) bytes += (chunk as Uint8Array).length;
    const downloadMs = performance.now() - t1;
    if (bytes !== job.bytes) throw new Error(`downloaded ${bytes} bytes of ${job.bytes}`);
    await dropJob(id);
    return { format, rows: job.rowsDone, bytes, jobMs, downloadMs, peakRssMb: writingPeak, downloadRssMb: peak };
  } finally {
    clearInterval(sampler);
  }
}

export async function runExport() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawnServer({ DATABASE_URL: `${PG_URL}/${DB}`, PORT: String(port), DEMO_PROFILE: 'none' });
  onCleanup(() => child.stop());
  await waitFor200(`${base}/api/health`, child);
  const session = await signIn(base);
  const idleMb = rssMb(child.proc.pid!);
  const results: ExportResult[] = [];
  for (const format of FORMATS) {
    const r = await backgroundExport(base, session, child.proc.pid!, format);
    results.push(r);
    console.log(
      `${format}: ${r.rows.toLocaleString('en-US')} rows, ${(r.bytes / 2 ** 20).toFixed(0)} MB in ${secs(r.jobMs)} (${Math.round(r.rows / (r.jobMs / 1000)).toLocaleString('en-US')} rows/s), download ${secs(r.downloadMs)}, server RSS peak ${r.peakRssMb.toFixed(0)} MB writing, ${r.downloadRssMb.toFixed(0)} MB downloading (idle ${idleMb.toFixed(0)} MB), load avg ${loadavg()[0]!.toFixed(2)}`,
    );
  }
  await child.stop();
  const floor = await psqlCopy();
  console.log(`psql \\copy of the same rows and columns: ${secs(floor.ms)}, ${(floor.bytes / 2 ** 20).toFixed(0)} MB, load avg ${loadavg()[0]!.toFixed(2)}\n`);
  console.log('| export | rows | file | time to the finished file | download | ratio to psql \\copy | server RSS peak (writing / downloading) | goal |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of results) {
    const peakMb = Math.max(r.peakRssMb, r.downloadRssMb);
    const met = r.jobMs <= GOAL_MS[r.format] && peakMb < RSS_GOAL_MB ? 'met' : '**missed**';
    console.log(
      `| ${r.format} | ${r.rows.toLocaleString('en-US')} | ${(r.bytes / 2 ** 20).toFixed(0)} MB | ${secs(r.jobMs)} | ${secs(r.downloadMs)} | ${(r.jobMs / floor.ms).toFixed(1)}× | ${r.peakRssMb.toFixed(0)} / ${r.downloadRssMb.toFixed(0)} MB | ≤ ${secs(GOAL_MS[r.format])}, < ${RSS_GOAL_MB} MB: ${met} |`,
    );
  }
  console.log(`| psql \\copy (floor) | | ${(floor.bytes / 2 ** 20).toFixed(0)} MB | ${secs(floor.ms)} | | 1.0× | | |`);
  return { results, floor };
}

if (isMain(import.meta.url)) {
  console.log(`machine: ${machine()}; database ${DB}\n`);
  try {
    await runExport();
  } catch (err) {
    console.error(`benchmark failed: ${err instanceof Error ? err.message : err}`);
    process.exitCode = 1;
  } finally {
    await runCleanups();
  }
}
