/**
 * 系统监控: the console's one answer (database, jobs, outbox, imports, sessions, requests per route, the process,
 * the disk, the alerts standing), running a job now, and the thresholds. Every figure is read from statistics or
 * an index, never a count over a large table, so that the answer stays fast on the large database.
 */
import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { Cron } from 'croner';
import type { Registry } from 'prom-client';
import { monitorThresholds } from '../../../db/schema/index.js';
import { updateAtVersion } from '../../../db/versioned.js';
import { audit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/principal.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError, notFound, versionConflict } from '../../../platform/errors.js';
import type { Locale } from '../../../platform/i18n/messages.js';
import { registeredJob, registeredJobs, runJob } from '../../../platform/jobs/scheduler.js';
import { outboxHealth } from '../../../platform/outbox/health.js';
import { listImports } from '../../integration/service.js';
import { folderSize } from './folder-size.js';
import { routeTotals, statsOf } from './http-stats.js';
import * as q from './queries.js';
import type { Alert, AlertKind, MonitorSnapshot, Thresholds, ThresholdValues } from './schemas.js';

const JOB_RUN = 'job_run';
const THRESHOLDS = 'monitor_thresholds';
/** Routes listed in each of the console's two tables. */
const TOP_ROUTES = 10;
const RECENT_IMPORTS = 5;

type Database = MonitorSnapshot['database'];

/** The database: on PostgreSQL its server, size, connections and replication; on PGlite the size of its folder. */
export async function databaseFacts(deps: Deps): Promise<Database> {
  const { database } = deps;
  if (database.kind === 'pglite') {
    return { kind: 'pglite', version: null, sizeBytes: deps.config.DATA_DIR ? await folderSize(deps.config.DATA_DIR) : null, connections: null, replication: null };
  }
  const facts = await q.postgresFacts(database);
  return { kind: 'postgres', version: facts.version, sizeBytes: facts.sizeBytes, connections: facts.connections, replication: await replicationOf(deps, facts.replica) };
}

async function replicationOf(deps: Deps, replica: boolean): Promise<Database['replication']> {
  if (replica) return { role: 'replica', replicas: [], lagSeconds: await q.replayLag(deps.database) };
  const replicas = (await q.replicasOf(deps.database)).map((r) => ({ name: r.name, state: r.state, lagSeconds: r.lag }));
  if (!replicas.length) return null;
  const lags = replicas.map((r) => r.lagSeconds ?? 0);
  return { role: 'primary', replicas, lagSeconds: Math.max(...lags) };
}

/** The next time a cron pattern fires, Asia/Shanghai time as the scheduler reads it. */
const nextRun = (pattern: string): Date | null => new Cron(pattern, { timezone: 'Asia/Shanghai', paused: true }).nextRun();

type Job = MonitorSnapshot['jobs'][number];

/** Every job this process knows: its pattern, its last run, its next, its failures of the last 24 hours. */
export async function jobsOf(deps: Deps): Promise<Job[]> {
  const defs = registeredJobs().sort((a, b) => a.name.localeCompare(b.name));
  const runs = new Map((await q.jobSummaries(deps.database, defs.map((d) => d.name))).map((r) => [r.name, r]));
  const now = Date.now();
  return defs.map((def) => {
    const run = runs.get(def.name);
    const started = run?.startedAt ?? null;
    const ended = run?.finishedAt?.getTime() ?? (run?.status === 'running' ? now : null);
    return {
      name: def.name,
      pattern: def.pattern,
      status: (run?.status ?? null) as Job['status'],
      startedAt: started,
      durationMs: started && ended !== null ? ended - started.getTime() : null,
      nextRunAt: nextRun(def.pattern),
      failures24h: run?.failures24h ?? 0,
    };
  });
}

/** The disk that holds DATA_DIR (the nearest folder that exists, before the first start; empty: the working folder). */
export async function diskOf(dataDir: string): Promise<MonitorSnapshot['disk']> {
  let dir = path.resolve(dataDir);
  for (;;) {
    try {
      const s = await statfs(dir);
      const total = s.blocks * s.bsize;
      const free = s.bavail * s.bsize;
      return { path: dir, freeBytes: free, totalBytes: total, freePercent: total ? (free / total) * 100 : 0 };
    } catch {
      const up = path.dirname(dir);
      if (up === dir) return null;
      dir = up;
    }
  }
}

/** Requests since this process started: the busiest API routes and the slowest by p95 (the console's own files set aside). */
export async function httpOf(registry: Registry): Promise<MonitorSnapshot['http']> {
  const stats = [...(await routeTotals(registry)).values()].map(statsOf);
  const requests = stats.reduce((n, s) => n + s.count, 0);
  const errors = stats.reduce((n, s) => n + s.errorRate * s.count, 0);
  const api = stats.filter((s) => s.route.startsWith('/api/') || s.route.startsWith('/tmf-api/'));
  return {
    requests,
    errorRate: requests ? errors / requests : 0,
    byCount: [...api].sort((a, b) => b.count - a.count).slice(0, TOP_ROUTES),
    byP95: api.filter((s) => s.p95 !== null).sort((a, b) => b.p95! - a.p95!).slice(0, TOP_ROUTES),
  };
}

async function processOf(registry: Registry): Promise<MonitorSnapshot['process']> {
  const memory = process.memoryUsage();
  const lag = await registry.getSingleMetric('kam_nodejs_eventloop_lag_p99_seconds')?.get();
  return { uptimeSeconds: process.uptime(), rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, eventLoopLagSeconds: lag?.values[0]?.value ?? null };
}

async function importsOf(deps: Deps, actor: Actor, locale: Locale): Promise<MonitorSnapshot['imports']> {
  const page = await listImports(deps, actor, { offset: 0, limit: RECENT_IMPORTS }, locale);
  return page.items.map((j) => ({
    id: j.id,
    kind: j.kind,
    fileName: j.fileName,
    status: j.status,
    createdAt: j.createdAt,
    finishedAt: j.finishedAt,
    rowsRead: j.rowsRead,
    rowsRejected: j.rowsRejected,
  }));
}

export const toThresholds = (row: q.ThresholdsRow): Thresholds => ({
  diskFreePercent: Number(row.diskFreePercent),
  outboxOldestSeconds: row.outboxOldestSeconds,
  deadLetters: row.deadLetters,
  jobFailed: row.jobFailed,
  replicationLagSeconds: row.replicationLagSeconds,
  errorRatePercent: Number(row.errorRatePercent),
  p95Seconds: Number(row.p95Seconds),
  version: row.version,
  updatedAt: row.updatedAt,
});

export const toAlert = (row: q.AlertRow): Alert => ({ ...row, kind: row.kind as AlertKind, detail: row.detail as Record<string, unknown> });

/** The console's one answer. */
export async function monitorSnapshot(deps: Deps, registry: Registry, actor: Actor, locale: Locale): Promise<MonitorSnapshot> {
  const { db } = deps.database;
  const [database, jobs, outbox, imports, sessions, http, proc, disk, alerts, thresholds] = await Promise.all([
    databaseFacts(deps),
    jobsOf(deps),
    outboxHealth(deps.database),
    importsOf(deps, actor, locale),
    q.activeSessions(deps.database, deps.config.SESSION_IDLE_MINUTES),
    httpOf(registry),
    processOf(registry),
    diskOf(deps.config.DATA_DIR),
    q.openAlerts(db),
    q.thresholds(db),
  ]);
  return { at: new Date(), database, jobs, outbox, imports, sessions, http, process: proc, disk, alerts: alerts.map(toAlert), thresholds: toThresholds(thresholds) };
}

/**
 * Runs a job now, once across the instances, through the scheduler's runJob: answered as soon as its run is
 * recorded (the work goes on; the console shows it running), or 409 when a run of it is going on already.
 */
export async function runJobNow(deps: Deps, actor: Actor, name: string): Promise<{ job: string; runId: number }> {
  const job = registeredJob(name);
  if (!job) throw notFound('job');
  let started!: (runId: number) => void;
  const runId = new Promise<number>((resolve) => (started = resolve));
  const outcome = runJob(deps, job, started);
  const first = await Promise.race([runId, outcome]);
  if (first === 'skipped') throw new AppError(409, 'job_running', { job: name });
  if (typeof first !== 'number') throw new Error(`job ${name} ended without a run`);
  // the outcome is the run's row; a database failure of the scheduler itself is in the logs of runJob's caller
  outcome.catch(() => undefined);
  await audit(deps.database.db, actor, { action: 'create', entity: JOB_RUN, entityId: first, after: { job: name, manual: true } });
  return { job: name, runId: first };
}

export const getThresholds = async (deps: Deps): Promise<Thresholds> => toThresholds(await q.thresholds(deps.database.db));

/** Changes the thresholds at the version the administrator read (409 when someone changed them first), audited. */
export async function updateThresholds(deps: Deps, actor: Actor, input: ThresholdValues & { version: number }): Promise<Thresholds> {
  const { version, ...values } = input;
  return deps.database.db.transaction(async (tx) => {
    const before = toThresholds(await q.thresholds(tx));
    if (!(await updateAtVersion(tx, monitorThresholds, 1, version, values))) throw versionConflict();
    const after = toThresholds(await q.thresholds(tx));
    await audit(tx, actor, { action: 'update', entity: THRESHOLDS, entityId: 1, before: { ...before }, after: { ...after } });
    return after;
  });
}

export async function listAlerts(deps: Deps, offset: number, limit: number) {
  const [items, total] = await Promise.all([q.recentAlerts(deps.database.db, offset, limit), q.countAlerts(deps.database)]);
  return { items: items.map(toAlert), total };
}
