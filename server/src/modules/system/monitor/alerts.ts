/**
 * The alerts job (`system.alerts`, every minute): compares the console's figures with the thresholds and keeps
 * one row per standing condition. A condition that appears is raised once (the open row stops a second) and told
 * to every holder of system.monitor; one that goes away is cleared, and its recovery told.
 *
 * Request rates and latencies are this process's (the instance whose turn the job is): a fleet-wide view is
 * Prometheus's, with the rules of docs/ops/prometheus-alerts.yml.
 */
import type { Registry } from 'prom-client';
import type { Database } from '../../../db/client.js';
import type { Deps } from '../../../platform/deps.js';
import { isMessageCode, messageRef } from '../../../platform/i18n/messages.js';
import type { JobDef } from '../../../platform/jobs/scheduler.js';
import { notifyUsers } from '../../../platform/notify/notify.js';
import { outboxHealth } from '../../../platform/outbox/health.js';
import { quantile, windowed } from './http-stats.js';
import * as q from './queries.js';
import type { AlertKind } from './schemas.js';
import { databaseFacts, diskOf, jobsOf } from './service.js';

/** Request rates and latencies are judged over this window, and only on this many requests at least (one 500 of three is no trend). */
const WINDOW_MS = 5 * 60_000;
const MIN_REQUESTS = 20;

export interface Condition {
  kind: AlertKind;
  subject: string;
  detail: Record<string, string | number>;
}

/** The registry of this process's requests, per database (the app registers it; the scheduler's deps share the database). */
const registries = new WeakMap<Database, Registry>();
export const useRegistry = (database: Database, registry: Registry) => registries.set(database, registry);

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function systemConditions(deps: Deps, t: q.ThresholdsRow): Promise<Condition[]> {
  const out: Condition[] = [];
  const disk = await diskOf(deps.config.DATA_DIR);
  if (disk && disk.freePercent < Number(t.diskFreePercent)) {
    out.push({ kind: 'disk_low', subject: '', detail: { freePercent: round(disk.freePercent), threshold: Number(t.diskFreePercent) } });
  }
  const outbox = await outboxHealth(deps.database);
  const waiting = outbox.oldestPendingAt ? (Date.now() - outbox.oldestPendingAt.getTime()) / 1000 : 0;
  if (waiting > t.outboxOldestSeconds) out.push({ kind: 'outbox_lag', subject: '', detail: { minutes: round(waiting / 60), threshold: round(t.outboxOldestSeconds / 60) } });
  if (outbox.deadLetters > t.deadLetters) out.push({ kind: 'dead_letters', subject: '', detail: { count: outbox.deadLetters, threshold: t.deadLetters } });
  const replication = deps.database.kind === 'postgres' ? (await databaseFacts(deps)).replication : null;
  if (replication?.lagSeconds != null && replication.lagSeconds > t.replicationLagSeconds) {
    out.push({ kind: 'replication_lag', subject: '', detail: { seconds: round(replication.lagSeconds), threshold: t.replicationLagSeconds } });
  }
  return out;
}

async function jobConditions(deps: Deps, t: q.ThresholdsRow): Promise<Condition[]> {
  if (!t.jobFailed) return [];
  return (await jobsOf(deps)).filter((j) => j.status === 'failed').map((j) => ({ kind: 'job_failed', subject: j.name, detail: { job: j.name } }));
}

/** The 5xx share and the routes' p95 over the last five minutes against their thresholds. */
export async function requestConditions(registry: Registry | undefined, t: Pick<q.ThresholdsRow, 'errorRatePercent' | 'p95Seconds'>): Promise<Condition[]> {
  if (!registry) return [];
  const routes = await windowed(registry, WINDOW_MS);
  const out: Condition[] = [];
  const requests = routes.reduce((n, r) => n + r.count, 0);
  const errors = routes.reduce((n, r) => n + r.errors, 0);
  const rate = requests ? (errors / requests) * 100 : 0;
  if (requests >= MIN_REQUESTS && rate > Number(t.errorRatePercent)) {
    out.push({ kind: 'error_rate', subject: '', detail: { percent: round(rate, 2), threshold: Number(t.errorRatePercent), requests } });
  }
  for (const r of routes) {
    const p95 = r.count >= MIN_REQUESTS ? quantile(0.95, r.buckets) : null;
    if (p95 !== null && p95 > Number(t.p95Seconds)) {
      const route = `${r.method} ${r.route}`;
      out.push({ kind: 'latency_p95', subject: route, detail: { route, seconds: round(p95, 3), threshold: Number(t.p95Seconds) } });
    }
  }
  return out;
}

/** The conditions that hold now. */
export async function currentConditions(deps: Deps, t: q.ThresholdsRow): Promise<Condition[]> {
  const registry = registries.get(deps.database);
  return [...(await systemConditions(deps, t)), ...(await jobConditions(deps, t)), ...(await requestConditions(registry, t))];
}

/** The words of an alert, as a message of the catalogue (a job by its name in the reader's language). */
function alertMessage(kind: string, detail: Record<string, unknown>) {
  const job = typeof detail.job === 'string' && isMessageCode(`job_${detail.job}`) ? messageRef(`job_${detail.job}` as never) : detail.job;
  const code = `alert_${kind}`;
  return isMessageCode(code) ? messageRef(code, { ...detail, job }) : kind;
}

/**
 * The alert as the notification's one parameter: a message of the catalogue, worded when the notification is read
 * (translate renders a nested message; notify's type names only the scalar parameters most notices carry).
 */
const alertParams = (kind: string, detail: Record<string, unknown>) => ({ alert: alertMessage(kind, detail) }) as unknown as Record<string, string>;

const keyOf = (c: { kind: string; subject: string }) => `${c.kind}\u0000${c.subject}`;

/** Raises the conditions newly true and clears those no longer true, telling the holders of system.monitor of each. */
export async function evaluateAlerts(deps: Deps): Promise<{ raised: number; cleared: number; standing: number }> {
  const { db } = deps.database;
  const now = await currentConditions(deps, await q.thresholds(db));
  const open = await q.openAlerts(db);
  const holding = new Set(now.map(keyOf));
  const standing = new Set(open.map(keyOf));
  const holders = (await q.monitorHolders(deps.database)).map((u) => u.id);
  let raised = 0;
  let cleared = 0;
  for (const c of now.filter((c) => !standing.has(keyOf(c)))) {
    await db.transaction(async (tx) => {
      const row = await q.raiseAlert(tx, c.kind, c.subject, c.detail);
      if (!row) return; // raised meanwhile by another instance
      raised++;
      const params = alertParams(c.kind, c.detail);
      await notifyUsers(tx, holders.map((userId) => ({ userId, code: 'monitor_alert_raised', params, link: '/system/monitor', entity: 'monitor_alert', entityId: row.id })));
    });
  }
  for (const a of open.filter((a) => !holding.has(keyOf(a)))) {
    await db.transaction(async (tx) => {
      const row = await q.clearAlert(tx, a.id);
      if (!row) return;
      cleared++;
      const params = alertParams(a.kind, a.detail as Record<string, unknown>);
      await notifyUsers(tx, holders.map((userId) => ({ userId, code: 'monitor_alert_cleared', params, link: '/system/monitor', entity: 'monitor_alert', entityId: row.id })));
    });
  }
  return { raised, cleared, standing: now.length };
}

export const alertsJob: JobDef = { name: 'system.alerts', pattern: '* * * * *', run: (deps) => evaluateAlerts(deps) };
