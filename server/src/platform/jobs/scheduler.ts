import { Cron } from 'croner';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { jobRuns } from '../../db/schema/index.js';
import { purgeExpiredSessions } from '../auth/auth.queries.js';
import type { Deps } from '../deps.js';
import { translate } from '../i18n/messages.js';
import { LOCK_CLASS, runKey, runLocks, type LockKey } from './run-locks.js';

export interface JobDef {
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

/**
 * Every job this process knows, by name: the platform's and those the modules hand to `startScheduler` (or to
 * `registerJobs`), so that the monitoring console lists them with their patterns and can run one now.
 */
const registry = new Map<string, JobDef>(JOBS.map((j) => [j.name, j]));
export function registerJobs(jobs: JobDef[]): void {
  for (const job of jobs) registry.set(job.name, job);
}
export const registeredJobs = (): JobDef[] => [...registry.values()];
export const registeredJob = (name: string): JobDef | undefined => registry.get(name);

// A stable 32-bit key per job name for the job's advisory lock.
function lockKey(name: string): number {
  let h = 0;
  for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

/**
 * Runs one job once across all server instances: the run holds the job's advisory lock (an instance that cannot
 * take it skips) and its row in job_runs is visible while it runs, marked as this process's by a lock of its own
 * (see run-locks.ts), so that a run cut short by a crash is found and marked failed at the next start.
 * The work runs outside any transaction of the scheduler's: on PGlite, with its single connection, a transaction
 * held open around the work would wait for the work forever.
 */
export async function runJob(deps: Deps, job: JobDef, onStart?: (runId: number) => void, scheduledFor?: Date): Promise<'done' | 'skipped' | 'failed'> {
  const { db } = deps.database;
  const locks = runLocks(deps);
  const jobKey = [LOCK_CLASS.jobName, lockKey(job.name)] as const;
  if (!(await locks.tryLock(jobKey))) return 'skipped';
  let held: LockKey | null = null;
  try {
    // the run's lock is taken before its row is committed: no other instance ever sees the row unheld
    const id = await db.transaction(async (tx) => {
      // one run per tick: an instance whose timer fires after another instance's run of this tick has ended finds its row
      const [run] = await tx
        .insert(jobRuns)
        .values({ job: job.name, status: 'running', scheduledFor: scheduledFor ?? null })
        .onConflictDoNothing()
        .returning({ id: jobRuns.id });
      if (!run) return null;
      const key = runKey(LOCK_CLASS.jobRun, run.id);
      if (await locks.tryLock(key)) held = key;
      return run.id;
    });
    if (id === null) return 'skipped';
    try {
      onStart?.(id); // a run started by hand is answered now, while it works
      const detail = await job.run(deps);
      await db.update(jobRuns).set({ status: 'done', finishedAt: sql`now()`, detail }).where(eq(jobRuns.id, id));
      return 'done';
    } catch (err) {
      await db
        .update(jobRuns)
        .set({ status: 'failed', finishedAt: sql`now()`, detail: { error: String(err) } })
        .where(eq(jobRuns.id, id));
      return 'failed';
    }
  } finally {
    if (held) await locks.unlock(held);
    await locks.unlock(jobKey);
  }
}

/**
 * At start-up: the runs left 'running' by a process that no longer exists (nobody holds their lock) are marked
 * failed, "interrupted by a restart" (detail.code job_interrupted; the text in zh-CN, readers may translate the
 * code). A run that another live instance is working on is left alone. Returns the ids marked.
 */
export async function failInterruptedRuns(deps: Deps): Promise<number[]> {
  const { db } = deps.database;
  const running = await db.select({ id: jobRuns.id }).from(jobRuns).where(eq(jobRuns.status, 'running'));
  if (!running.length) return [];
  return runLocks(deps).withUnheld(LOCK_CLASS.jobRun, running.map((r) => r.id), async (ids) => {
    if (!ids.length) return [];
    const detail = { code: 'job_interrupted', error: translate('job_interrupted', 'zh-CN') };
    const marked = await db
      .update(jobRuns)
      .set({ status: 'failed', finishedAt: sql`now()`, detail })
      .where(and(inArray(jobRuns.id, ids), eq(jobRuns.status, 'running')))
      .returning({ id: jobRuns.id });
    return marked.map((r) => r.id);
  });
}

/** The instant a timer fired for, to the second: the same on every instance whose clock is within the tick. */
function tickOf(cron: Cron): Date {
  const at = cron.currentRun() ?? new Date();
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}

/** Starts the platform's jobs and those of the modules (`moduleJobs`: the platform does not import modules). */
export function startScheduler(deps: Deps, log: FastifyBaseLogger, moduleJobs: JobDef[] = []) {
  failInterruptedRuns(deps)
    .then((ids) => ids.length && log.warn({ runs: ids }, 'job runs interrupted by a restart marked failed'))
    .catch((err: unknown) => log.error({ err }, 'cannot mark interrupted job runs'));
  registerJobs(moduleJobs);
  const crons = [...JOBS, ...moduleJobs].map(
    (job) =>
      new Cron(job.pattern, { timezone: 'Asia/Shanghai', protect: true }, async (self: Cron) => {
        const outcome = await runJob(deps, job, undefined, tickOf(self)).catch((err: unknown) => {
          log.error({ err, job: job.name }, 'job failed');
          return 'failed';
        });
        log.info({ job: job.name, outcome }, 'job run');
      }),
  );
  return { stop: () => crons.forEach((c) => c.stop()) };
}
