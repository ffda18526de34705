/**
 * 系统监控 on the `large` profile (PostgreSQL database kam_large, made by `npx tsx bench/large-profile.ts`): the
 * parts of `GET /api/system/monitor` (and of the gauges on /api/metrics) that read the database, each timed
 * alone, read-only: the server's facts (size of a 7–8 GB database, connections, replication), every job's last
 * run and failures (an index read per job), the sessions in use by role, and the last imports. The console asks
 * for all of them every 15 s; the goal is well under 100 ms for the whole answer.
 *
 * Run: `npx tsx bench/monitor.ts` (BENCH_PG_URL, BENCH_LARGE_DB, ROUNDS 50).
 */
import { ALL_PERMISSIONS } from '../server/src/platform/auth/permissions.js';
import { systemActor } from '../server/src/platform/auth/principal.js';
import { registerJobs } from '../server/src/platform/jobs/scheduler.js';
import { managerJobs } from '../server/src/modules/managers/jobs.js';
import { serviceJobs } from '../server/src/modules/services/jobs.js';
import { listImports } from '../server/src/modules/integration/service.js';
import { activeSessions } from '../server/src/modules/system/monitor/queries.js';
import { databaseFacts, jobsOf } from '../server/src/modules/system/monitor/service.js';
import { LARGE_DB as DB, withLargeDatabase } from './large-db.js';
import { isMain, machine, ms } from './lib.js';

const ROUNDS = Number(process.env.ROUNDS ?? 50);
const GOAL_MS = 100;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

async function timed(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm: plans, connections
  const out: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function main() {
  console.log(`系统监控 on ${DB} — ${machine()}; ${ROUNDS} rounds each`);
  registerJobs([...serviceJobs, ...managerJobs]);
  await withLargeDatabase(async (deps) => {
    const actor = systemActor(new Set(ALL_PERMISSIONS));
    const parts: [string, () => Promise<unknown>][] = [
      ['database facts (size, connections, replication)', () => databaseFacts(deps)],
      ['jobs: last run, failures 24 h, next run', () => jobsOf(deps)],
      ['sessions in use by role', () => activeSessions(deps.database, deps.config.SESSION_IDLE_MINUTES)],
      ['last 5 imports (with their total)', () => listImports(deps, actor, { offset: 0, limit: 5 }, 'zh-CN')],
      ['all of them, in parallel as the answer asks', () => Promise.all([databaseFacts(deps), jobsOf(deps), activeSessions(deps.database, 30), listImports(deps, actor, { offset: 0, limit: 5 }, 'zh-CN')])],
    ];
    let whole = 0;
    for (const [name, fn] of parts) {
      const xs = await timed(fn);
      console.log(`  ${name.padEnd(48)} p50 ${ms(pct(xs, 0.5))}  p95 ${ms(pct(xs, 0.95))}`);
      whole = pct(xs, 0.95);
    }
    console.log(`  goal: the whole answer well under ${GOAL_MS} ms — ${whole < GOAL_MS ? 'met' : 'NOT met'} (p95 ${ms(whole)})`);
  });
}

if (isMain(import.meta.url)) await main();
