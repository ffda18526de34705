/**
 * 多实例: two server processes on one PostgreSQL database. A user signed in on one is served by the other (the
 * sessions are in the database); every scheduled job started at the same moment on both runs once (the other
 * instance skips it); a run cut short by a killed process is marked failed when a server next starts.
 * PostgreSQL only: the embedded database is opened by one process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { openDatabase, type Database } from '../../db/client.js';
import { jobRuns } from '../../db/schema/index.js';
import { startTestSystem, testDbKind, type TestSystem } from '../../db/testing.js';
import { scheduledJobs } from '../../scheduled-jobs.js';
import { makeDeps, type Deps } from '../deps.js';
import { failInterruptedRuns, registeredJobs, registerJobs, runJob, type JobDef } from './scheduler.js';

type Outcome = Awaited<ReturnType<typeof runJob>>;
let dataDirs: string[] = [];

let a: TestSystem;
let b: { app: FastifyInstance; database: Database };
let depsA: Deps;
let depsB: Deps;

/** A promise and the function that settles it. */
function signal() {
  let fire!: () => void;
  const fired = new Promise<void>((r) => (fire = r));
  return { fire, fired };
}

/**
 * `job` started on both instances at once. An instance whose run begins waits, before its work, until the other
 * instance's start has ended (skipped) or has begun working too (the lock failed): a fast job's run cannot end
 * before the other instance has tried, as it could if one instance's timer fired a little later.
 */
async function startOnBoth(job: JobDef): Promise<Outcome[]> {
  const begun = [signal(), signal()];
  const settled: Promise<unknown>[] = [];
  const on = (self: number): JobDef => ({
    ...job,
    run: async (deps) => {
      begun[self]!.fire();
      await Promise.race([settled[1 - self]!.catch(() => undefined), begun[1 - self]!.fired]);
      return job.run(deps);
    },
  });
  const runs = [runJob(depsA, on(0)), runJob(depsB, on(1))];
  settled.push(...runs);
  return Promise.all(runs);
}

describe.skipIf(testDbKind !== 'postgres')('two server instances on one PostgreSQL database', () => {
  beforeAll(async () => {
    dataDirs = ['a', 'b'].map((n) => mkdtempSync(path.join(tmpdir(), `kam-instance-${n}-`)));
    a = await startTestSystem({ DEMO_CUSTOMERS: 60, DATA_DIR: dataDirs[0] });
    // the second instance: its own process state, connections and data folder; the same database and keys
    const configB = { ...a.config, DATA_DIR: dataDirs[1]! };
    const database = await openDatabase({ databaseUrl: a.config.DATABASE_URL });
    b = { app: await buildApp(configB, database), database };
    await b.app.ready();
    depsA = makeDeps(a.config, a.database);
    depsB = makeDeps(configB, database);
  });
  afterAll(async () => {
    await b?.app.close();
    await b?.database.close();
    await a?.close();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('a user signed in on one instance is served by the other, and a sign-out on that one ends the session on both', async () => {
    const session = await a.login('admin');
    const me = await b.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: session.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'admin' });
    const out = await b.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken } });
    expect(out.statusCode).toBeLessThan(300);
    expect((await session.request({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
  });

  it('every scheduled job started at the same moment on both instances runs once', async () => {
    registerJobs(scheduledJobs(a.config, a.app.log));
    const jobs = registeredJobs();
    expect(jobs.length).toBeGreaterThan(10);
    for (const job of jobs) {
      const outcomes = await startOnBoth(job);
      expect({ job: job.name, outcomes: outcomes.filter((o) => o !== 'skipped') }).toEqual({ job: job.name, outcomes: [expect.stringMatching(/^(done|failed)$/)] });
      const runs = await a.database.db.select({ status: jobRuns.status }).from(jobRuns).where(eq(jobRuns.job, job.name));
      expect({ job: job.name, runs: runs.length }).toEqual({ job: job.name, runs: 1 });
    }
  }, 600_000);

  it('a run whose server was killed mid-way is marked failed when a server next starts', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./instances.child.testing.ts', import.meta.url)), a.config.DATABASE_URL!], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((r) => child.once('exit', r));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('started') && resolve());
      child.once('exit', (code) => reject(new Error(`the child ended first (${code})`)));
    });
    const running = and(eq(jobRuns.job, 'test.killed'), eq(jobRuns.status, 'running'));
    const [run] = await a.database.db.select({ id: jobRuns.id }).from(jobRuns).where(running);
    // the child is alive and holds its run: nothing to mark
    expect(await failInterruptedRuns(depsB)).toEqual([]);
    child.kill('SIGKILL');
    await exited;
    // PostgreSQL ends the killed process's sessions (and its locks) as soon as it sees their sockets close
    let marked: number[] = [];
    for (let i = 0; i < 100 && !marked.length; i++) {
      marked = await failInterruptedRuns(depsB);
      if (!marked.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(marked).toEqual([run!.id]);
    const [after] = await a.database.db.select().from(jobRuns).where(eq(jobRuns.id, run!.id));
    expect(after).toMatchObject({ status: 'failed', detail: { code: 'job_interrupted' } });
  });
});
