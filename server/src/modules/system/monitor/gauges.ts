/**
 * The console's figures as Prometheus gauges on /api/metrics: jobs, outbox, sessions, database size, the disk.
 * They are read when scraped, all from one reading shared by the gauges and kept a few seconds, so that a scrape
 * costs a handful of index and statistics reads however many gauges there are.
 */
import { Gauge, type Registry } from 'prom-client';
import type { Deps } from '../../../platform/deps.js';
import { outboxHealth } from '../../../platform/outbox/health.js';
import * as q from './queries.js';
import { databaseFacts, diskOf, jobsOf } from './service.js';

const FRESH_MS = 5_000;

async function reading(deps: Deps) {
  const [jobs, outbox, sessions, database, disk] = await Promise.all([
    jobsOf(deps),
    outboxHealth(deps.database),
    q.activeSessions(deps.database, deps.config.SESSION_IDLE_MINUTES),
    databaseFacts(deps),
    diskOf(deps.config.DATA_DIR),
  ]);
  return { jobs, outbox, sessions, database, disk };
}
type Reading = Awaited<ReturnType<typeof reading>>;

export function installMonitorGauges(registry: Registry, deps: Deps): void {
  let last: { at: number; value: Promise<Reading> } | null = null;
  const read = () => {
    if (!last || Date.now() - last.at > FRESH_MS) {
      const value = reading(deps);
      last = { at: Date.now(), value };
      value.catch(() => (last = null)); // a failed reading is not kept
    }
    return last.value;
  };
  const gauge = (name: string, help: string, set: (g: Gauge, r: Reading) => void, labelNames: string[] = []) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const r = await read();
        this.reset();
        set(this, r);
      },
    });

  gauge('kam_job_last_run_success', 'Whether the last run of a job succeeded (1), failed (0) or is running (0.5)', (g, r) => {
    for (const j of r.jobs) if (j.status) g.set({ job: j.name }, j.status === 'done' ? 1 : j.status === 'failed' ? 0 : 0.5);
  }, ['job']);
  gauge('kam_job_last_run_duration_seconds', 'Duration of the last run of a job (so far, when running)', (g, r) => {
    for (const j of r.jobs) if (j.durationMs !== null) g.set({ job: j.name }, j.durationMs / 1000);
  }, ['job']);
  gauge('kam_job_last_run_timestamp_seconds', 'When the last run of a job started (Unix time)', (g, r) => {
    for (const j of r.jobs) if (j.startedAt) g.set({ job: j.name }, j.startedAt.getTime() / 1000);
  }, ['job']);
  gauge('kam_job_failures_24h', 'Failed runs of a job in the last 24 hours', (g, r) => {
    for (const j of r.jobs) g.set({ job: j.name }, j.failures24h);
  }, ['job']);
  gauge('kam_outbox_pending', 'Events still owed to at least one listener', (g, r) => g.set(r.outbox.pending));
  gauge('kam_outbox_oldest_pending_seconds', 'Age of the oldest event still owed (0: none)', (g, r) =>
    g.set(r.outbox.oldestPendingAt ? (Date.now() - r.outbox.oldestPendingAt.getTime()) / 1000 : 0),
  );
  gauge('kam_outbox_dead_letters', 'Events given up on and not replayed', (g, r) => g.set(r.outbox.deadLetters));
  gauge('kam_sessions_active', 'Sessions in use (not expired nor idle)', (g, r) => g.set(r.sessions.count));
  gauge('kam_database_size_bytes', 'Size of the database (PGlite: its data folder)', (g, r) => {
    if (r.database.sizeBytes !== null) g.set(r.database.sizeBytes);
  });
  gauge('kam_replication_lag_seconds', 'Replay lag: a replica’s own, or the largest of a primary’s replicas', (g, r) => {
    if (r.database.replication?.lagSeconds != null) g.set(r.database.replication.lagSeconds);
  });
  gauge('kam_data_dir_free_ratio', 'Share of the disk holding DATA_DIR that is free (0–1)', (g, r) => {
    if (r.disk) g.set(r.disk.freePercent / 100);
  });
}
