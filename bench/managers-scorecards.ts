/**
 * 业绩考核 on the `large` profile (PostgreSQL database kam_large, made by `npx tsx bench/large-profile.ts`:
 * 1,000,000 customers, about 3,000 account managers). Goal (issue 14): the monthly scorecards of every manager
 * ≤ 30 s.
 *
 * The month is the latest one the profile holds totals for. Its scorecards are removed first, so that the first
 * run creates every card and line (the job's run on the 3rd); the second recomputes them all while open (a head
 * pressing 计算 again); then they are closed and a third run finds nothing to change. The figures SELECT alone is
 * timed too, and the revenue part of it done by the engine as a bare GROUP BY (the floor of any such run).
 *
 * Run: `npx tsx bench/managers-scorecards.ts` (BENCH_PG_URL, BENCH_LARGE_DB as in bench/services.ts).
 */
import { sql } from 'drizzle-orm';
import { figureCtes, managersSql, prepareRun, RUN } from '../server/src/modules/managers/scorecards/queries.js';
import { run, spanOf } from '../server/src/modules/managers/scorecards/service.js';
import { ALL_PERMISSIONS } from '../server/src/platform/auth/permissions.js';
import { systemActor } from '../server/src/platform/auth/principal.js';
import { LARGE_DB as DB, withLargeDatabase } from './large-db.js';
import { isMain, machine, ms } from './lib.js';

const GOAL_MS = 30_000;

async function main() {
  await withLargeDatabase(async (deps, database) => {
    const actor = systemActor(new Set(ALL_PERMISSIONS));
    const [latest] = await database.rows<{ month: string }>(sql`SELECT to_char(max(month), 'YYYY-MM') AS month FROM customer_month_totals`);
    const month = process.env.MONTH ?? latest!.month;
    const [sizes] = await database.rows<Record<string, number>>(sql`SELECT
      (SELECT count(*) FROM customers)::int AS customers, (SELECT count(*) FROM portfolio_assignments)::int AS assignments,
      (SELECT count(*) FROM (${managersSql('/')}) m)::int AS managers,
      (SELECT count(*) FROM service_requests)::int AS requests, (SELECT count(*) FROM service_surveys)::int AS surveys,
      (SELECT count(*) FROM solutions)::int AS solutions, (SELECT count(*) FROM work_plan_items)::int AS "planItems",
      (SELECT count(*) FROM work_logs)::int AS "workLogs", (SELECT count(*) FROM visits)::int AS visits,
      (SELECT count(*) FROM manager_task_assignments)::int AS "taskAssignments", (SELECT count(*) FROM lifecycle_events)::int AS "lifecycleEvents"`);
    console.log(`machine: ${machine()}; database ${DB}; month ${month}; ${JSON.stringify(sizes)}\n`);

    await database.rows(sql`DELETE FROM scorecard_lines WHERE scorecard_id IN (SELECT id FROM scorecards WHERE month = ${`${month}-01`}::date)`);
    await database.rows(sql`DELETE FROM scorecards WHERE month = ${`${month}-01`}::date`);

    const span = await spanOf(deps, month);
    let t = Date.now();
    let prepareMs = 0;
    const figures = await database.db.transaction(async (tx) => {
      await prepareRun(tx, span, managersSql('/'));
      prepareMs = Date.now() - t;
      t = Date.now();
      return (await database.rows<{ n: number }>(sql`WITH ${figureCtes(span, RUN)} SELECT count(*)::int AS n FROM figures`, tx))[0];
    });
    const figuresMs = Date.now() - t;
    console.log(`  the run's managers and portfolios (temporary tables, analysed): ${ms(prepareMs)}`);
    t = Date.now();
    await database.rows(sql`
      SELECT c.manager_id, sum(t.billed_fen) FROM customers c JOIN customer_month_totals t ON t.customer_id = c.id AND t.month = ${span.s}::date GROUP BY 1`);
    const floorMs = Date.now() - t;
    console.log(`  the figures SELECT alone: ${ms(figuresMs)} (${figures!.n.toLocaleString('en')} figures); the engine's bare revenue GROUP BY: ${ms(floorMs)} (ratio ${(figuresMs / floorMs).toFixed(1)})`);

    for (const label of ['first run (every card created)', 'second run (every card open, recomputed)']) {
      const r = await run(deps, actor, month);
      console.log(`  ${label}: ${ms(r.ms)} (goal ≤ 30 s: ${r.ms <= GOAL_MS ? 'met' : 'MISSED'}), ${r.computed.toLocaleString('en')} cards computed, growth against ${r.base}`);
    }
    t = Date.now();
    const [closed] = await database.rows<{ n: number }>(sql`WITH c AS (UPDATE scorecards SET status = 'closed', closed_at = now() WHERE month = ${`${month}-01`}::date AND status = 'open' RETURNING 1) SELECT count(*)::int AS n FROM c`);
    console.log(`  closing ${closed!.n.toLocaleString('en')} cards: ${ms(Date.now() - t)}`);
    const r = await run(deps, actor, month);
    console.log(`  third run (every card closed): ${ms(r.ms)}, ${r.computed} computed, ${r.closed.toLocaleString('en')} left as they were`);
    const [lines] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM scorecard_lines l JOIN scorecards s ON s.id = l.scorecard_id WHERE s.month = ${`${month}-01`}::date`);
    console.log(`  lines of the month: ${lines!.n.toLocaleString('en')}`);
  });
}

if (isMain(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`benchmark failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exitCode = 1;
  });
}
