import { Cron } from 'croner';
import { eq, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { jobRuns } from '../../db/schema/index.js';
import { purgeExpiredSessions } from '../auth/auth.queries.js';
import type { Deps } from '../deps.js';

interface JobDef {
  name: string;
  /** Cron pattern, Asia/Shanghai time. */
  pattern: string;
  run(deps: Deps): Promise<Record<string, unknown>>;
}

const JOBS: JobDef[] = [
  {
    name: 'sessions.purge',
    pattern: '*/15 * * * *',
    run: async (deps) => ({ purged: await purgeExpiredSessions(deps.database.db, deps.config.SESSION_IDLE_MINUTES) }),
  },
];

// A stable 32-bit key per job name for pg_try_advisory_lock.
function lockKey(name: string): number {
  let h = 0;
  for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

/**
 * Runs one job once across all server instances: the run holds a transaction-level advisory lock;
 * an instance that cannot take it skips. Every run is a row in job_runs.
 */
export async function runJob(deps: Deps, job: JobDef): Promise<'done' | 'skipped' | 'failed'> {
  const { db } = deps.database;
  return db.transaction(async (tx) => {
    const [lock] = await deps.database.rows<{ locked: boolean }>(
      sql`SELECT pg_try_advisory_xact_lock(${lockKey(job.name)}) AS locked`,
      tx,
    );
    if (!lock?.locked) return 'skipped';
    const [run] = await tx.insert(jobRuns).values({ job: job.name, status: 'running' }).returning({ id: jobRuns.id });
    try {
      const detail = await job.run(deps);
      await tx.update(jobRuns).set({ status: 'done', finishedAt: sql`now()`, detail }).where(eq(jobRuns.id, run!.id));
      return 'done';
    } catch (err) {
      await tx
        .update(jobRuns)
        .set({ status: 'failed', finishedAt: sql`now()`, detail: { error: String(err) } })
        .where(eq(jobRuns.id, run!.id));
      return 'failed';
    }
  });
}

export function startScheduler(deps: Deps, log: FastifyBaseLogger) {
  const crons = JOBS.map(
    (job) =>
      new Cron(job.pattern, { timezone: 'Asia/Shanghai', protect: true }, async () => {
        const outcome = await runJob(deps, job).catch((err: unknown) => {
          log.error({ err, job: job.name }, 'job failed');
          return 'failed';
        });
        log.info({ job: job.name, outcome }, 'job run');
      }),
  );
  return { stop: () => crons.forEach((c) => c.stop()) };
}
