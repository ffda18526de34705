/**
 * The monthly rules run on the `large` profile (issue 4): 1,000,000 customers over 12 months of facts.
 * Goals: the run ≤ 60 s end to end, the preview ≤ 20 s. Next to them, in the same process and on the
 * same data, the floor any run must pay: one plain SQL aggregate of the paid bill per customer over
 * the same 12 months of facts, and the ratio of each to it.
 *
 * Steps: the plain aggregate; the preview of 2026-10 (nothing stored yet); the run of 2026-09; the
 * preview of 2026-10 again (now compared with 2026-09); the run of 2026-10; a rerun of 2026-10 (which
 * undoes the first and must give the same results); a rollback of 2026-10.
 *
 * Run: `npx tsx bench/rules.ts` after `npx tsx bench/large-profile.ts`. Environment: BENCH_PG_URL,
 * BENCH_LARGE_DB (kam_large). Every run this writes is rolled back or left as the latest results of
 * kam_large; rerunning the benchmark starts by rolling back what an earlier one left.
 */
import { sql } from 'drizzle-orm';
import { prepareDatabase } from '../server/src/bootstrap.js';
import { loadConfig } from '../server/src/config.js';
import { previewMonth, rollbackRun, runMonth } from '../server/src/modules/rules/engine/service.js';
import { latestCompletedRun } from '../server/src/modules/rules/engine/queries.js';
import { DEFAULT_PARAMS } from '../server/src/modules/rules/params.js';
import { ALL_PERMISSIONS } from '../server/src/platform/auth/permissions.js';
import { systemActor } from '../server/src/platform/auth/principal.js';
import { makeDeps } from '../server/src/platform/deps.js';
import { machine } from './lib.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DB = process.env.BENCH_LARGE_DB ?? 'kam_large';
const RUN_GOAL_MS = 60_000;
const PREVIEW_GOAL_MS = 20_000;

const config = loadConfig({}, { DATABASE_URL: `${PG_URL}/${DB}`, DEMO_PROFILE: 'none', LOG_LEVEL: 'silent' });
const { database } = await prepareDatabase(config);
const deps = makeDeps(config, database);
const actor = systemActor(new Set(ALL_PERMISSIONS));
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function timed<T>(label: string, fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t = performance.now();
  const result = await fn();
  const ms = performance.now() - t;
  console.log(`  ${label.padEnd(44)} ${secs(ms).padStart(8)}`);
  return { ms, result };
}

console.log(`machine: ${machine()}\ndatabase: ${DB}\n`);
// start from nothing: undo what an earlier benchmark left
for (let latest = await latestCompletedRun(database.db); latest; latest = await latestCompletedRun(database.db)) {
  await rollbackRun(deps, actor, latest.id);
}
// no run left: empty the points too (kam_large is a benchmark database, nothing else writes points there),
// so that the first run opens every account as on a new installation
await database.rows(sql`TRUNCATE points_accounts, points_ledger`);
// as autovacuum would have left them before a monthly run (the rollbacks above leave dead rows behind)
for (const table of ['points_ledger', 'points_accounts', 'customer_ratings']) await database.rows(sql`VACUUM ANALYZE ${sql.raw(table)}`);
const [{ customers }] = (await database.rows<{ customers: number }>(sql`SELECT count(*)::int AS customers FROM customers WHERE archive = 'in_network'`)) as [{ customers: number }];
const [{ facts }] = (await database.rows<{ facts: number }>(
  sql`SELECT count(*)::int AS facts FROM monthly_facts WHERE month BETWEEN '2025-11-01' AND '2026-10-01'`,
)) as [{ facts: number }];
console.log(`  ${customers.toLocaleString('en-US')} in-network customers, ${facts.toLocaleString('en-US')} fact rows in the window\n`);

// with the session settings the run uses (work_mem, no JIT), so that the two compare like for like
const floor = await timed('plain aggregate (paid per customer, 12 months)', () =>
  database.db.transaction(async (tx) => {
    await database.rows(sql`SELECT set_config('work_mem', '256MB', true), set_config('jit', 'off', true)`, tx);
    return database.rows(
      sql`SELECT count(*), sum(s) FROM (SELECT customer_id, sum(paid) AS s FROM monthly_facts
          WHERE month BETWEEN '2025-11-01' AND '2026-10-01' GROUP BY customer_id) x`,
      tx,
    );
  }),
);
const preview1 = await timed('preview 2026-10 (nothing stored: whole window)', () => previewMonth(deps, '2026-10'));
const run9 = await timed('run 2026-09 (first run: whole window)', () => runMonth(deps, actor, '2026-09', 'cli'));
const preview2 = await timed('preview 2026-10 (moved from 2026-09)', () => previewMonth(deps, '2026-10'));
const run10 = await timed('run 2026-10 (moved from 2026-09)', () => runMonth(deps, actor, '2026-10', 'cli'));
// the editing case: the month in force previewed with a changed threshold (五星钻 from ¥800)
const draft = structuredClone(DEFAULT_PARAMS.star);
draft.grades[6]!.minAvgBill = 800;
const preview3 = await timed('preview 2026-10 with a draft (month in force)', () => previewMonth(deps, '2026-10', { star: draft }));
const snapshot = () =>
  database.rows(sql`SELECT level, count(*)::int AS n, sum(points_earned)::bigint AS points FROM customer_ratings
                    WHERE month = '2026-10-01' GROUP BY level ORDER BY level`);
const first = await snapshot();
const rerun = await timed('rerun 2026-10 (undo + run)', () => runMonth(deps, actor, '2026-10', 'cli'));
const same = JSON.stringify(first) === JSON.stringify(await snapshot());
const rollback = await timed('rollback 2026-10', () => rollbackRun(deps, actor, rerun.result.id));
await database.close();

const ratio = (x: number) => `${(x / floor.ms).toFixed(1)}×`;
const verdict = (x: number, goal: number) => (x <= goal ? 'met' : 'missed');
console.log(`\n  run 2026-09 phases: ${JSON.stringify(run9.result.counts.phasesMs)}; draft preview: ${JSON.stringify(preview3.result.after.levels)}`);
console.log(`  run 2026-10 counts: ${JSON.stringify(run10.result.counts)}`);
console.log(`  rerun gave the same ratings and points: ${same ? 'yes' : 'NO'}\n`);
console.log('| step | time | ratio to the plain aggregate | goal |');
console.log('| --- | ---: | ---: | --- |');
console.log(`| plain aggregate over the facts | ${secs(floor.ms)} | 1.0× | |`);
console.log(`| preview of the month in force with a draft | ${secs(preview3.ms)} | ${ratio(preview3.ms)} | ≤ 20 s: ${verdict(preview3.ms, PREVIEW_GOAL_MS)} |`);
console.log(`| preview of the next month (moved from the last) | ${secs(preview2.ms)} | ${ratio(preview2.ms)} | ≤ 20 s: ${verdict(preview2.ms, PREVIEW_GOAL_MS)} |`);
console.log(`| preview with nothing run before (whole window) | ${secs(preview1.ms)} | ${ratio(preview1.ms)} | ≤ 20 s: ${verdict(preview1.ms, PREVIEW_GOAL_MS)} |`);
console.log(`| monthly run (moved from the last month) | ${secs(run10.ms)} | ${ratio(run10.ms)} | ≤ 60 s: ${verdict(run10.ms, RUN_GOAL_MS)} |`);
console.log(`| rerun of the month (undo + run) | ${secs(rerun.ms)} | ${ratio(rerun.ms)} | ≤ 60 s: ${verdict(rerun.ms, RUN_GOAL_MS)} |`);
console.log(`| first run (whole window) | ${secs(run9.ms)} | ${ratio(run9.ms)} | ≤ 60 s: ${verdict(run9.ms, RUN_GOAL_MS)} |`);
console.log(`| rollback | ${secs(rollback.ms)} | ${ratio(rollback.ms)} | |`);
