/**
 * `npm run bench`: every benchmark in turn, then one Markdown summary. Children are stopped and the
 * bench database is dropped on success, on failure and on Ctrl-C.
 * Environment: RUNS (startup runs, 5), CONNECTIONS (50), DURATION (10 s), WARMUP (3 s),
 * BENCH_PG_URL (postgres://postgres@127.0.0.1:5432), BENCH_DB (kam_bench), ONLY=startup|me.
 */
import { machine, ms, runCleanups } from './lib.js';
import { printMe, runMe, type MeResult } from './me.js';
import { printStartup, runStartup, type StartupResult } from './startup.js';

const only = process.env.ONLY;
let startup: StartupResult | undefined;
let me: MeResult | undefined;

console.log(`machine: ${machine()}\n`);
try {
  if (!only || only === 'startup') {
    startup = await runStartup(Number(process.env.RUNS ?? 5));
    printStartup(startup);
    console.log();
  }
  if (!only || only === 'me') {
    me = await runMe();
    printMe(me);
  }
} catch (err) {
  console.error(`\nbenchmark failed: ${err instanceof Error ? err.message : err}`);
  process.exitCode = 1;
} finally {
  await runCleanups();
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
console.log('\n## Summary\n');
console.log('| benchmark | measured | baseline | ratio | goal | |');
console.log('| --- | ---: | ---: | ---: | --- | --- |');
if (startup) {
  const s = startup;
  console.log(
    `| startup to /api/health 200, median of ${s.server.all.length} (min–max) | ${Math.round(s.server.median)} ms (${Math.round(s.server.min)}–${Math.round(s.server.max)}) ` +
      `| bare Fastify via tsx ${Math.round(s.bareTsx.median)} ms; via node -e ${Math.round(s.bareNode.median)} ms ` +
      `| ${(s.server.median / s.bareTsx.median).toFixed(1)}× bare tsx | ≤ 3000 ms | ${s.server.median <= 3000 ? 'ok' : '**missed**'} |`,
  );
}
if (me) {
  console.log(
    `| GET /api/me on PostgreSQL, ${me.connections} conn ${me.duration} s: req/s | ${Math.round(me.me.rps)} | ${Math.round(me.bare.rps)} | ${pct(me.ratio)} | ≥ 40 % | ${me.ratio >= 0.4 ? 'ok' : '**missed**'} |`,
  );
  console.log(`| GET /api/me p95 latency | ${ms(me.me.p95)} | ${ms(me.bare.p95)} | ${(me.me.p95 / me.bare.p95).toFixed(1)}× | | |`);
}
