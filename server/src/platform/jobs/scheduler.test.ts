import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobRuns } from '../../db/schema/index.js';
import { startTestSystem, testDbKind, type TestSystem } from '../../db/testing.js';
import { makeDeps, type Deps } from '../deps.js';
import { LOCK_CLASS, runKey } from './run-locks.js';
import { failInterruptedRuns, runJob, type JobDef } from './scheduler.js';

let sys: TestSystem;
let deps: Deps;

beforeAll(async () => {
  sys = await startTestSystem({ DEMO_PROFILE: 'none' });
  deps = makeDeps(sys.config, sys.database);
});

afterAll(async () => {
  await sys?.close();
});

const runOf = (id: number) => deps.database.db.select().from(jobRuns).where(eq(jobRuns.id, id)).then((r) => r[0]!);
/** A promise and its resolver: the signal a job's work gives when it has started, or the gate it waits at. */
function signal() {
  let fire!: () => void;
  const fired = new Promise<void>((r) => (fire = r));
  return { fire, fired };
}

/** A job whose work signals that it has begun (its row committed, its locks held), then waits at a gate. */
function gatedJob(name: string) {
  const started = signal();
  const gate = signal();
  const job: JobDef = { name, pattern: '0 0 1 1 *', run: async () => (started.fire(), await gate.fired, {}) };
  return { job, started: started.fired, release: gate.fire };
}

/** A run as a crashed process leaves it: 'running', and nobody works on it. */
const crashedRun = async (job: string) => {
  const [row] = await deps.database.db.insert(jobRuns).values({ job, status: 'running' }).returning({ id: jobRuns.id });
  return row!.id;
};

describe('scheduled jobs', () => {
  it('runs a job once per tick: an instance whose timer fires after the tick’s run has ended skips it', async () => {
    let runs = 0;
    const job: JobDef = { name: 'test.tick', pattern: '0 0 1 1 *', run: async () => (runs++, {}) };
    const tick = new Date('2026-12-05T02:30:00Z');
    expect(await runJob(deps, job, undefined, tick)).toBe('done');
    expect(await runJob(deps, job, undefined, tick)).toBe('skipped');
    expect(await runJob(deps, job, undefined, new Date('2026-12-05T02:31:00Z'))).toBe('done');
    // by hand, a job runs whenever asked
    expect(await runJob(deps, job)).toBe('done');
    expect(await runJob(deps, job)).toBe('done');
    expect(runs).toBe(4);
  });

  it('a run is visible as running while it works (its work may use the database), then done', async () => {
    const seen: string[] = [];
    const job: JobDef = {
      name: 'test.visible',
      pattern: '0 0 1 1 *',
      run: async (d) => {
        const rows = await d.database.rows<{ status: string }>(sql`SELECT status FROM job_runs WHERE job = 'test.visible'`);
        seen.push(...rows.map((r) => r.status));
        return { ok: true };
      },
    };
    expect(await runJob(deps, job)).toBe('done');
    expect(seen).toEqual(['running']);
    const [run] = await deps.database.db.select().from(jobRuns).where(eq(jobRuns.job, 'test.visible'));
    expect(run).toMatchObject({ status: 'done', detail: { ok: true } });
    expect(run!.finishedAt).not.toBeNull();
  });

  it('one run of a job at a time: a second start while the first works is skipped; a failing run is failed', async () => {
    const { job: slow, started, release } = gatedJob('test.once');
    const first = runJob(deps, slow);
    await started;
    expect(await runJob(deps, slow)).toBe('skipped');
    release();
    expect(await first).toBe('done');
    const failing: JobDef = { name: 'test.fails', pattern: '0 0 1 1 *', run: () => Promise.reject(new Error('boom')) };
    expect(await runJob(deps, failing)).toBe('failed');
    const [run] = await deps.database.db.select().from(jobRuns).where(eq(jobRuns.job, 'test.fails'));
    expect(run).toMatchObject({ status: 'failed', detail: { error: 'Error: boom' } });
  });

  it('at start-up, runs left running by a process that no longer exists are marked failed, interrupted by a restart', async () => {
    const crashed = await crashedRun('test.crashed');
    // a run this process is working on is left alone
    const { job, started, release } = gatedJob('test.live');
    const live = runJob(deps, job);
    await started;
    const [liveRun] = await deps.database.db.select().from(jobRuns).where(eq(jobRuns.job, 'test.live'));

    expect(await failInterruptedRuns(deps)).toEqual([crashed]);
    const run = await runOf(crashed);
    expect(run).toMatchObject({ status: 'failed', detail: { code: 'job_interrupted', error: '因服务重启而中断' } });
    expect(run.finishedAt).not.toBeNull();
    expect((await runOf(liveRun!.id)).status).toBe('running');
    release();
    expect(await live).toBe('done');
    // nothing left to mark
    expect(await failInterruptedRuns(deps)).toEqual([]);
  });

  it.skipIf(testDbKind !== 'postgres')('PostgreSQL: a run held by another live server is left alone until that server is gone', async () => {
    const id = await crashedRun('test.elsewhere');
    const other = new pg.Client({ connectionString: sys.config.DATABASE_URL });
    await other.connect();
    try {
      const [cls, n] = runKey(LOCK_CLASS.jobRun, id);
      await other.query('SELECT pg_advisory_lock($1::int, $2::int)', [cls, n]);
      expect(await failInterruptedRuns(deps)).toEqual([]);
      expect((await runOf(id)).status).toBe('running');
    } finally {
      await other.end();
    }
    expect(await failInterruptedRuns(deps)).toEqual([id]);
    expect((await runOf(id)).status).toBe('failed');
  });
});
