/**
 * 高级分析 and 综合统计 on the `large` profile (PostgreSQL database kam_large: 1,000,000 customers, 2,000,000
 * subscriptions, 24,000,000 fact rows). Goals (issue 16): any dashboard for the whole province over twelve months
 * p95 ≤ 1 s; a pivot by three dimensions ≤ 2 s; each next to the same figures computed by one hand-written SQL
 * statement on the raw facts in the same run, with the ratio.
 *
 * The dashboards and the pivot are timed through their services (getDashboard, statistics: the engine's calls and
 * the special panels' statements, as the routes run them, without HTTP). The rollup they read comes from the
 * server's analysis migration (0034_analysis, which fills every month), applied by `withLargeDatabase` (bench/large-db.ts).
 *
 * Run: `npx tsx bench/analysis-dashboards.ts` (BENCH_PG_URL, BENCH_LARGE_DB as in bench/services.ts; RUNS=10;
 * DASHBOARDS=revenue,abnormal to time only some; PIVOT=no to skip the pivot).
 */
import { sql, type SQL } from 'drizzle-orm';
import { DASHBOARDS } from '../server/src/modules/analysis/dashboards/definitions.js';
import { getDashboard } from '../server/src/modules/analysis/dashboards/service.js';
import { vacuumCurrentRollups, vacuumMonthRollups } from '../server/src/modules/analysis/indicators/queries.js';
import { statistics } from '../server/src/modules/analysis/statistics/service.js';
import { ALL_PERMISSIONS } from '../server/src/platform/auth/permissions.js';
import { systemActor } from '../server/src/platform/auth/principal.js';
import { addMonths } from '../server/src/platform/months.js';
import { LARGE_DB as DB, withLargeDatabase } from './large-db.js';
import { isMain, machine, ms, repeat, timed } from './lib.js';

const RUNS = Number(process.env.RUNS ?? 10);
const DASHBOARD_GOAL_MS = 1000;
const PIVOT_GOAL_MS = 2000;

/** The city of a customer's unit from its path (/hq/province/city/…): the raw statements' own roll-up. */
const CITY = sql`split_part(u.path, '/', 4)`;

/**
 * Each dashboard's main figures by one statement on the raw tables (facts, not the rollup or the month totals),
 * as an analyst would write it by hand.
 */
function rawStatement(id: string, from: string, to: string): SQL | null {
  const f = sql`${`${from}-01`}::date`;
  const t = sql`${`${to}-01`}::date`;
  switch (id) {
    case 'development':
      return sql`SELECT month, count(DISTINCT customer_id) AS customers FROM monthly_facts WHERE month BETWEEN ${f} AND ${t} GROUP BY month`;
    case 'revenue':
      return sql`SELECT month, sum(billed), sum(paid), sum(billed) / count(DISTINCT customer_id), sum(rev_voice), sum(rev_sms), sum(rev_data), sum(rev_vas), sum(rev_roaming)
                 FROM monthly_facts WHERE month BETWEEN ${f} AND ${t} GROUP BY month`;
    case 'behaviour':
      return sql`SELECT month, sum(min_local), sum(min_long_distance), sum(min_roaming), sum(data_mb), sum(sms_count) FROM monthly_facts WHERE month BETWEEN ${f} AND ${t} GROUP BY month`;
    case 'arrears':
      return sql`SELECT ${CITY} AS city, f.month, sum(f.arrears), count(DISTINCT f.customer_id) FILTER (WHERE f.arrears > 0)
                 FROM monthly_facts f JOIN customers c ON c.id = f.customer_id JOIN org_units u ON u.id = c.unit_id
                 WHERE f.month BETWEEN ${f} AND ${t} GROUP BY 1, 2`;
    case 'abnormal':
      return sql`SELECT count(*) FROM (SELECT customer_id, sum(billed) FILTER (WHERE month = ${t}) AS now, sum(billed) FILTER (WHERE month = (${t} - interval '1 month')::date) AS before
                 FROM monthly_facts WHERE month IN (${t}, (${t} - interval '1 month')::date) GROUP BY customer_id) x WHERE before >= 10 AND coalesce(now, 0) < before * 0.7`;
    case 'points':
      return sql`SELECT month, kind, sum(points) FROM points_ledger WHERE month BETWEEN ${f} AND ${t} GROUP BY 1, 2`;
    case 'satisfaction':
      return sql`SELECT date_trunc('month', s.answered_at), avg(s.score), count(s.score) FROM service_surveys s WHERE s.answered_at >= ${f} AND s.answered_at < ${t} + interval '1 month' GROUP BY 1`;
    case 'competitors':
      return sql`SELECT p.competitor, p.product, count(DISTINCT p.customer_id) FROM customer_products p JOIN customers c ON c.id = p.customer_id WHERE p.competitor IS NOT NULL AND c.kind = 'group' GROUP BY 1, 2`;
    case 'managers':
      return sql`SELECT month, avg(total_score) FROM scorecards WHERE month BETWEEN ${f} AND ${t} GROUP BY 1`;
    case 'group_products':
      return sql`SELECT p.product, count(DISTINCT p.customer_id) FROM customer_products p JOIN customers c ON c.id = p.customer_id WHERE p.competitor IS NULL AND c.kind = 'group' GROUP BY 1`;
    default:
      return null; // marketing: the campaigns' responses (query sub-area) — no raw table of facts to compare with
  }
}

async function main() {
  await withLargeDatabase(async (deps, database) => {
    const [latest] = await database.rows<{ month: string; months: number; cubeRows: number }>(sql`
      SELECT to_char(max(month), 'YYYY-MM') AS month, count(DISTINCT month)::int AS months, (SELECT count(*) FROM analysis_month_cube)::int AS "cubeRows" FROM customer_month_totals`);
    const to = latest!.month;
    const from = addMonths(to, -11);
    console.log(`machine: ${machine()}; database ${DB}; period ${from} … ${to} (${latest!.months} months with facts); rollup rows ${latest!.cubeRows.toLocaleString('en')}; ${RUNS} runs after a warm-up\n`);
    const actor = systemActor(new Set(ALL_PERMISSIONS));
    // the rollups as the job analysis.rollups leaves them after a rebuild: vacuumed, so the counts read their indexes alone
    await database.rows(vacuumMonthRollups);
    await database.rows(vacuumCurrentRollups);

    console.log('dashboard            p95        median     raw SQL    ratio (p95 / raw)   goal p95 ≤ 1 s');
    const only = process.env.DASHBOARDS?.split(',');
    for (const d of DASHBOARDS.filter((x) => !only || only.includes(x.id))) {
      let r: { p95: number; median: number };
      try {
        r = await repeat(() => getDashboard(deps, actor, d.id, { from, to, pct: 30 }, 'zh-CN'), RUNS);
      } catch (err) {
        // on the migrated schema a failure is a defect: say which, time the others, end with a failure status
        console.log(`${d.id.padEnd(20)} failed: ${(err as { cause?: Error }).cause?.message ?? (err as Error).message}`);
        process.exitCode = 1;
        continue;
      }
      const raw = rawStatement(d.id, from, to);
      const rawMs = raw ? (await timed(() => database.rows(raw))).ms : NaN;
      console.log(
        `${d.id.padEnd(20)} ${ms(r.p95).padEnd(10)} ${ms(r.median).padEnd(10)} ${ms(rawMs).padEnd(10)} ${(raw ? (r.p95 / rawMs).toFixed(3) : 'n/a').padEnd(19)} ${r.p95 <= DASHBOARD_GOAL_MS ? 'met' : 'MISSED'}`,
      );
    }

    const pivot = { indicators: ['billed_revenue', 'arpu', 'customers'], dimensions: ['city', 'level', 'month'] as ('city' | 'level' | 'month')[], from, to };
    const rawPivot = sql`
      SELECT ${CITY} AS city, st.level, f.month, sum(f.billed), sum(f.billed) / count(DISTINCT f.customer_id), count(DISTINCT f.customer_id)
      FROM monthly_facts f JOIN customers c ON c.id = f.customer_id JOIN org_units u ON u.id = c.unit_id LEFT JOIN customer_standings st ON st.customer_id = c.id
      WHERE f.month BETWEEN ${`${from}-01`}::date AND ${`${to}-01`}::date GROUP BY 1, 2, 3`;
    if (process.env.PIVOT === 'no') return;
    const rawMs = (await timed(() => database.rows(rawPivot))).ms;
    console.log('\npivot city × level × month (出账收入, ARPU, 客户数)   p95        median     raw SQL    ratio   goal ≤ 2 s');
    for (const compare of ['none', 'both'] as const) {
      let r: { p95: number; median: number };
      try {
        r = await repeat(() => statistics(deps, actor, { ...pivot, compare }, 'zh-CN'), RUNS);
      } catch (err) {
        console.log(`  compare ${compare}: failed: ${(err as { cause?: Error }).cause?.message ?? (err as Error).message}`);
        process.exitCode = 1;
        continue;
      }
      console.log(`  compare ${compare.padEnd(5)} (${compare === 'both' ? 'six engine calls: period, 环比, 同比, each with subtotals' : 'two engine calls: rows and subtotals'})`.padEnd(52) + ` ${ms(r.p95).padEnd(10)} ${ms(r.median).padEnd(10)} ${ms(rawMs).padEnd(10)} ${(r.p95 / rawMs).toFixed(3).padEnd(7)} ${r.p95 <= PIVOT_GOAL_MS ? 'met' : 'MISSED'}`);
    }
  });
}

if (isMain(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
