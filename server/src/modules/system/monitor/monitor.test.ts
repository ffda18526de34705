import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, testDbKind, type Session, type TestSystem } from '../../../db/testing.js';
import { makeDeps, type Deps } from '../../../platform/deps.js';
import { isMessageCode } from '../../../platform/i18n/messages.js';
import { registeredJobs, registerJobs, runJob, type JobDef } from '../../../platform/jobs/scheduler.js';
import { scheduledJobs } from '../../../scheduled-jobs.js';
import { Histogram, Registry } from 'prom-client';
import { alertsJob, requestConditions } from './alerts.js';
import { HTTP_HISTOGRAM, quantile } from './http-stats.js';

const PROMETHEUS_TOKEN = 'prometheus-scrape-token-0123456789';
let sys: TestSystem;
let deps: Deps;
let admin: Session;

/** A job that waits at a gate once it has begun, so that a second run can be tried while it runs. */
let gate: { opened: Promise<void>; open: () => void } = newGate();
function newGate() {
  let open!: () => void;
  return { opened: new Promise<void>((r) => (open = r)), open };
}
const gatedJob: JobDef = { name: 'test.gated', pattern: '0 3 * * *', run: async () => (await gate.opened, { ok: true }) };
let failNext = false;
const flakyJob: JobDef = {
  name: 'test.flaky',
  pattern: '*/5 * * * *',
  run: () => (failNext ? Promise.reject(new Error('boom')) : Promise.resolve({})),
};

beforeAll(async () => {
  sys = await startTestSystem({ METRICS_TOKEN: PROMETHEUS_TOKEN });
  deps = makeDeps(sys.config, sys.database);
  registerJobs([gatedJob, flakyJob, alertsJob]);
  admin = await sys.login('admin');
});
afterAll(async () => {
  gate.open();
  await sys?.close();
});

const monitor = async () => {
  const res = await admin.request({ method: 'GET', url: '/api/system/monitor' });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const thresholds = async () => (await admin.request({ method: 'GET', url: '/api/system/thresholds' })).json();
const putThresholds = (body: Record<string, unknown>) => admin.request({ method: 'PUT', url: '/api/system/thresholds', payload: body });
const runsOf = (job: string) => sys.database.rows<{ status: string }>(sql`SELECT status FROM job_runs WHERE job = ${job} ORDER BY id`);
const notificationsOf = (code: string) => sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE code = ${code}`).then((r) => r[0]!.n);

describe('系统监控: the console’s one answer', () => {
  it('tells the database, every job with its next run, the outbox, sessions, requests per route, the process and the disk', async () => {
    const m = await monitor();
    expect(m.database.kind).toBe(testDbKind);
    if (testDbKind === 'postgres') {
      expect(m.database.version).toMatch(/^\d+/);
      expect(m.database.sizeBytes).toBeGreaterThan(0);
      expect(m.database.connections.inUse).toBeGreaterThan(0);
      expect(m.database.connections.max).toBeGreaterThanOrEqual(m.database.connections.inUse);
    } else {
      expect(m.database).toMatchObject({ version: null, connections: null, replication: null });
    }
    const names = m.jobs.map((j: { name: string }) => j.name);
    expect(names).toEqual(expect.arrayContaining(['sessions.purge', 'system.alerts', 'test.gated']));
    const gated = m.jobs.find((j: { name: string }) => j.name === 'test.gated');
    expect(gated).toMatchObject({ pattern: '0 3 * * *', status: null, failures24h: 0 });
    expect(new Date(gated.nextRunAt).getTime()).toBeGreaterThan(Date.now());
    expect(m.outbox).toMatchObject({ pending: 0, deadLetters: 0 });
    expect(m.sessions.count).toBeGreaterThanOrEqual(1);
    expect(m.sessions.byRole.map((r: { role: string }) => r.role)).toContain('sysadmin');
    // the sign-in and this very page were requests of this process
    expect(m.http.requests).toBeGreaterThan(0);
    expect(m.http.byCount.map((r: { route: string }) => r.route)).toContain('/api/auth/login');
    expect(m.process.uptimeSeconds).toBeGreaterThan(0);
    expect(m.disk.freePercent).toBeGreaterThan(0);
    expect(m.thresholds).toMatchObject({ diskFreePercent: 10, outboxOldestSeconds: 300, deadLetters: 0, jobFailed: true, replicationLagSeconds: 60, errorRatePercent: 1, p95Seconds: 1, version: 1 });
  });

  it('shows the console’s figures as gauges on /api/metrics', async () => {
    const res = await admin.request({ method: 'GET', url: '/api/metrics' });
    expect(res.statusCode).toBe(200);
    for (const name of ['kam_job_failures_24h{job="sessions.purge"} 0', 'kam_outbox_pending 0', 'kam_outbox_dead_letters 0', 'kam_sessions_active', 'kam_data_dir_free_ratio']) {
      expect(res.body).toContain(name);
    }
    if (testDbKind === 'postgres') expect(res.body).toMatch(/kam_database_size_bytes \d+/);
  });

  it('refuses the console to a user without system.monitor, and running a job to one without system.operate', async () => {
    const manager = await sys.login('gz_am01');
    for (const url of ['/api/system/monitor', '/api/system/alerts', '/api/system/thresholds']) {
      expect((await manager.request({ method: 'GET', url })).statusCode, url).toBe(403);
    }
    expect((await manager.request({ method: 'POST', url: '/api/system/jobs/sessions.purge/run' })).statusCode).toBe(403);
    expect((await manager.request({ method: 'PUT', url: '/api/system/thresholds', payload: { ...(await thresholds()) } })).statusCode).toBe(403);
  });

  it('lets Prometheus’s token read /api/metrics and nothing of the console', async () => {
    const authorization = `Bearer ${PROMETHEUS_TOKEN}`;
    expect((await sys.app.inject({ method: 'GET', url: '/api/metrics', headers: { authorization } })).statusCode).toBe(200);
    for (const url of ['/api/system/monitor', '/api/system/alerts', '/api/system/thresholds']) {
      const res = await sys.app.inject({ method: 'GET', url, headers: { authorization } });
      expect([res.statusCode, res.json().code], url).toEqual([401, 'unauthenticated']);
    }
  });
});

describe('the jobs by name', () => {
  it('names every job a server schedules in the catalogue (the alerts say it so; the console’s names are job.<name> of the web catalogue)', () => {
    const names = [...registeredJobs(), ...scheduledJobs(sys.config, sys.app.log)].map((j) => j.name).filter((n) => !n.startsWith('test.'));
    expect(names.length).toBeGreaterThan(12);
    expect(names.filter((n) => !isMessageCode(`job_${n}`))).toEqual([]);
  });
});

describe('running a job now', () => {
  it('runs it once: a second run while the first works is refused with 409, and both are audited or not accordingly', async () => {
    const first = await admin.request({ method: 'POST', url: '/api/system/jobs/test.gated/run' });
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toMatchObject({ job: 'test.gated', runId: expect.any(Number) });
    const second = await admin.request({ method: 'POST', url: '/api/system/jobs/test.gated/run' });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'job_running' });
    expect((await monitor()).jobs.find((j: { name: string }) => j.name === 'test.gated').status).toBe('running');
    gate.open();
    await expect.poll(async () => (await runsOf('test.gated')).map((r) => r.status)).toEqual(['done']);
    const audited = await sys.database.rows(sql`SELECT entity, entity_id, after FROM audit_log WHERE entity = 'job_run'`);
    expect(audited).toEqual([{ entity: 'job_run', entity_id: String(first.json().runId), after: { job: 'test.gated', manual: true } }]);
    gate = newGate();
  });

  it('answers 404 for a job nobody registered, and 400 for a name that cannot be one', async () => {
    const unknown = await admin.request({ method: 'POST', url: '/api/system/jobs/no.such-job/run' });
    expect(unknown.statusCode).toBe(404);
    const bad = await admin.request({ method: 'POST', url: '/api/system/jobs/DROP%20TABLE/run' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('params.name');
  });
});

describe('thresholds', () => {
  it('names the field out of range in the problem, and refuses a change made at a stale version with 409', async () => {
    const { updatedAt: _u, ...current } = await thresholds();
    const bad = await putThresholds({ ...current, diskFreePercent: 140 });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.diskFreePercent']);
    const ok = await putThresholds({ ...current, p95Seconds: 2.5 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ p95Seconds: 2.5, version: current.version + 1 });
    const stale = await putThresholds({ ...current, p95Seconds: 3 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('version_conflict');
    const audited = await sys.database.rows<{ diff: unknown }>(sql`SELECT diff FROM audit_log WHERE entity = 'monitor_thresholds'`);
    expect(audited).toEqual([{ diff: { p95Seconds: [1, 2.5] } }]);
  });
});

describe('alerts', () => {
  const alerts = async () => (await admin.request({ method: 'GET', url: '/api/system/alerts?limit=50' })).json() as { kind: string; subject: string; clearedAt: string | null }[];
  const setThresholds = async (change: Record<string, unknown>) => {
    const { updatedAt: _u, ...current } = await thresholds();
    expect((await putThresholds({ ...current, ...change })).statusCode).toBe(200);
  };

  it('raises a failed job once however often it runs, tells the holders of system.monitor, and announces the recovery', async () => {
    failNext = true;
    expect(await runJob(deps, flakyJob)).toBe('failed');
    expect(await runJob(deps, alertsJob)).toBe('done');
    expect(await runJob(deps, alertsJob)).toBe('done');
    const raised = (await alerts()).filter((a) => a.kind === 'job_failed');
    expect(raised).toMatchObject([{ subject: 'test.flaky', clearedAt: null }]);
    expect(await notificationsOf('monitor_alert_raised')).toBeGreaterThanOrEqual(1);
    const raisedOnce = await notificationsOf('monitor_alert_raised');
    expect((await monitor()).alerts.map((a: { kind: string }) => a.kind)).toContain('job_failed');
    // the admin reads it in Chinese, the job by its name
    const inbox = await admin.request({ method: 'GET', url: '/api/me/notifications?limit=5' });
    expect(inbox.body).toContain('定时任务“test.flaky”最近一次运行失败');

    failNext = false;
    expect(await runJob(deps, flakyJob)).toBe('done');
    expect(await runJob(deps, alertsJob)).toBe('done');
    expect((await alerts()).filter((a) => a.kind === 'job_failed')).toMatchObject([{ subject: 'test.flaky', clearedAt: expect.any(String) }]);
    expect(await notificationsOf('monitor_alert_raised')).toBe(raisedOnce);
    expect(await notificationsOf('monitor_alert_cleared')).toBe(raisedOnce);
  });

  it('raises the disk alert when the threshold is above what is free, and clears it when lowered again', async () => {
    await setThresholds({ diskFreePercent: 100 });
    await runJob(deps, alertsJob);
    await runJob(deps, alertsJob);
    expect((await alerts()).filter((a) => a.kind === 'disk_low')).toMatchObject([{ clearedAt: null }]);
    await setThresholds({ diskFreePercent: 0 });
    await runJob(deps, alertsJob);
    expect((await alerts()).filter((a) => a.kind === 'disk_low')).toMatchObject([{ clearedAt: expect.any(String) }]);
  });
});

describe('request alerts over the last five minutes', () => {
  const registryWith = () => {
    const registry = new Registry();
    const h = new Histogram({ name: HTTP_HISTOGRAM, help: 'test', labelNames: ['method', 'route', 'status'], buckets: [0.1, 0.5, 1, 2.5, 5], registers: [registry] });
    const observe = (route: string, status: number, seconds: number, n: number) => {
      for (let i = 0; i < n; i++) h.observe({ method: 'GET', route, status: String(status) }, seconds);
    };
    return { registry, observe };
  };
  const limits = { errorRatePercent: 1, p95Seconds: 1 };

  it('raises the 5xx share and a slow route, judged on the requests since the last readings', async () => {
    const { registry, observe } = registryWith();
    observe('/api/fast', 200, 0.02, 95);
    observe('/api/fast', 500, 0.02, 5);
    observe('/api/slow', 200, 3, 30); // all in (2.5, 5]: p95 = 2.5 + 2.5 × 28.5 / 30
    const found = await requestConditions(registry, limits);
    expect(found).toEqual([
      { kind: 'error_rate', subject: '', detail: { percent: 3.85, threshold: 1, requests: 130 } },
      { kind: 'latency_p95', subject: 'GET /api/slow', detail: { route: 'GET /api/slow', seconds: 4.875, threshold: 1 } },
    ]);
    // nothing new since: the window holds no request, so nothing holds
    expect(await requestConditions(registry, limits)).toEqual([]);
  });

  it('judges nothing on fewer than 20 requests (one 500 of three is no trend)', async () => {
    const { registry, observe } = registryWith();
    observe('/api/x', 500, 3, 3);
    expect(await requestConditions(registry, limits)).toEqual([]);
  });
});

describe('percentiles from histogram buckets', () => {
  it('interpolates within the bucket, as Prometheus does, and caps at the highest finite bound', () => {
    const buckets = new Map([[0.1, 50], [0.5, 90], [1, 100], [Infinity, 100]]);
    expect(quantile(0.5, buckets)).toBeCloseTo(0.1);
    expect(quantile(0.7, buckets)).toBeCloseTo(0.3);
    expect(quantile(0.95, buckets)).toBeCloseTo(0.75);
    expect(quantile(0.99, new Map([[1, 10], [Infinity, 100]]))).toBe(1);
    expect(quantile(0.5, new Map([[1, 0], [Infinity, 0]]))).toBeNull();
  });
});

describe('docs/ops: the Prometheus rules and the Grafana dashboard', () => {
  const ops = (file: string) => readFileSync(new URL(`../../../../../docs/ops/${file}`, import.meta.url), 'utf8');
  /** The metric names an expression reads (functions, labels, keywords and Prometheus's own `up` set aside). */
  const metricsIn = (expr: string) =>
    [...expr.replace(/\{[^}]*\}/g, '').matchAll(/\b(kam_[a-z0-9_]+)\b/g)].map((m) => m[1]!.replace(/_(bucket|count|sum)$/, ''));

  it('has rules that each carry an expression, a duration, a severity and a summary, on metrics the server exports', async () => {
    const doc = parse(ops('prometheus-alerts.yml')) as { groups: { name: string; rules: Record<string, unknown>[] }[] };
    const rules = doc.groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThanOrEqual(8);
    const exported = (await admin.request({ method: 'GET', url: '/api/metrics' })).body;
    for (const rule of rules) {
      expect(rule, String(rule.alert)).toMatchObject({ alert: expect.any(String), expr: expect.any(String), for: expect.stringMatching(/^\d+[smh]$/) });
      expect(rule.labels, String(rule.alert)).toMatchObject({ severity: expect.stringMatching(/^(warning|critical)$/) });
      expect(rule.annotations, String(rule.alert)).toMatchObject({ summary: expect.any(String), description: expect.any(String) });
      for (const metric of metricsIn(String(rule.expr))) expect(exported, `${String(rule.alert)}: ${metric}`).toContain(`# TYPE ${metric} `);
    }
  });

  it('has a dashboard whose every panel query reads metrics the server exports', async () => {
    const dashboard = JSON.parse(ops('grafana-dashboard.json')) as { panels: { type: string; title: string; targets?: { expr: string }[] }[] };
    const exported = (await admin.request({ method: 'GET', url: '/api/metrics' })).body;
    const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => [p.title, t.expr] as const));
    expect(queries.length).toBeGreaterThan(10);
    for (const [title, expr] of queries) {
      expect(metricsIn(expr).length, title).toBeGreaterThan(0);
      for (const metric of metricsIn(expr)) expect(exported, `${title}: ${metric}`).toContain(`# TYPE ${metric} `);
    }
  });
});
