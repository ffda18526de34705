/**
 * 流失预警 on the `large` profile (PostgreSQL database kam_large, made by `npx tsx bench/large-profile.ts`: 1,000,000
 * customers, 24M fact rows). Measures, in this order:
 *   - training: the sample (≤ 100k customer-months of the training months, and ≤ 100k of the validation month) read
 *     in one query each, the logistic regression fitted in TypeScript, the validation figures (AUC, top-decile
 *     precision, lift) — printed, since they say how well the model finds the planted churn;
 *   - scoring: every in-network key account of the latest month in ONE INSERT … SELECT, with the counts by band;
 *   - the same features SELECT, every feature summed (so that no join is planned away): the floor of the scoring
 *     statement, to see what the standardising, ranking, reasons and the insert add.
 * The planted churn (server/src/demo/facts.ts) exists only in a kam_large made after it: on an older one the figures
 * are those of unplanted data (declines of the retained customers only), and the output says to regenerate.
 *
 * churn_models and churn_scores come from the server's analysis migration (0034_analysis), applied to kam_large by
 * `withLargeDatabase` (bench/large-db.ts) as the server's start applies it. The model trained and the scores written
 * stay, as the monthly job would leave them.
 * Run: `npx tsx bench/analysis-churn.ts` (BENCH_PG_URL, BENCH_LARGE_DB as in bench/services.ts).
 */
import { sql } from 'drizzle-orm';
import { FEATURES, featureRowsSql } from '../server/src/modules/analysis/churn/features.js';
import { score, train } from '../server/src/modules/analysis/churn/service.js';
import { ALL_PERMISSIONS } from '../server/src/platform/auth/permissions.js';
import { systemActor } from '../server/src/platform/auth/principal.js';
import { LARGE_DB as DB, withLargeDatabase } from './large-db.js';
import { isMain, machine, ms, timed } from './lib.js';

async function main() {
  await withLargeDatabase(async (deps, database) => {
    const actor = systemActor(new Set(ALL_PERMISSIONS));
    const [sizes] = await database.rows<Record<string, number | string>>(sql`SELECT
      (SELECT count(*) FROM customers)::int AS customers, (SELECT count(*) FROM subscriptions)::int AS subscriptions,
      (SELECT count(*) FROM customers WHERE archive = 'retained')::int AS retained,
      (SELECT to_char(max(month), 'YYYY-MM') FROM customer_month_totals) AS "latestMonth"`);
    console.log(`machine: ${machine()}; database ${DB}; ${JSON.stringify(sizes)}\n`);

    const { value: model, ms: trainMs } = await timed(() => train(deps, actor, { horizonMonths: 2 }));
    const f = model.figures;
    console.log(`  training: ${ms(trainMs)} (months ${model.trainFrom} … ${model.trainTo}, sample rate ${f.sampleRate.toFixed(4)}, ${f.trainRows.toLocaleString('en')} rows, ${f.trainPositives.toLocaleString('en')} leaving)`);
    console.log(
      `  validation on ${model.validationMonth}: AUC ${f.auc.toFixed(3)}, top-decile precision ${(f.topDecilePrecision * 100).toFixed(2)}%, lift ${f.lift.toFixed(1)}× ` +
        `(base rate ${(f.baseRate * 100).toFixed(2)}%, ${f.validationRows.toLocaleString('en')} rows, ${f.validationPositives.toLocaleString('en')} leaving)`,
    );
    console.log(`  coefficients: ${model.features.map((name, i) => `${name} ${model.coefficients[i]!.toFixed(2)}`).join(', ')}`);
    // the profile does not record which generator made it: say what the figures depend on
    console.log('  (the planted churn exists only in a kam_large generated with server/src/demo/facts.ts of issue 16 or later; on an older one these are the figures of unplanted data)');

    const { value: run, ms: scoreMs } = await timed(() => score(deps, actor, {}));
    console.log(`  scoring ${run.month} in one statement: ${ms(scoreMs)} (${run.scored.toLocaleString('en')} customers; high ${run.high.toLocaleString('en')}, medium ${run.medium.toLocaleString('en')})`);

    const features = sql`SELECT count(*)::int AS n, sum(${sql.raw(FEATURES.join(' + '))}) AS s
      FROM (${featureRowsSql({ months: [`${run.month}-01`], customers: sql`c.archive = 'in_network' AND c.merged_into IS NULL` })}) r`;
    const { value: floor, ms: floorMs } = await timed(() => database.rows<{ n: number; s: number }>(features));
    console.log(`  the features SELECT alone: ${ms(floorMs)} (${floor[0]!.n.toLocaleString('en')} rows; scoring ÷ features ${(scoreMs / floorMs).toFixed(2)})`);
  });
}

if (isMain(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`benchmark failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exitCode = 1;
  });
}
