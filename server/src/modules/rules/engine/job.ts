/** The scheduled monthly run and the `rules` CLI. */
import type { JobDef } from '../../../platform/jobs/scheduler.js';
import { ALL_PERMISSIONS } from '../../../platform/auth/permissions.js';
import { systemActor } from '../../../platform/auth/principal.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/errors.js';
import { translate } from '../../../platform/i18n/messages.js';
import { rollbackRun, runMonth } from './service.js';
import { addMonths, MONTH_PATTERN, monthAt, previousMonth, toMonth } from '../../../platform/months.js';
import { FACT_MONTHS } from '../../../demo/catalog.js';
import { latestCompletedRun } from './queries.js';

const system = () => systemActor(new Set(ALL_PERMISSIONS));

/**
 * On the 3rd of each month at 02:00 (Asia/Shanghai, once BOSS has delivered the month's bills) the
 * previous month is run, unless it has been run already or its facts are missing (then it is skipped
 * and the next day tries again).
 */
export const monthlyRulesJob: JobDef = {
  name: 'rules.monthly',
  pattern: '0 2 3-10 * *',
  run: (deps) => runPreviousMonth(deps, new Date()),
};

export async function runPreviousMonth(deps: Deps, now: Date) {
  const month = previousMonth(monthAt(now));
  const latest = await latestCompletedRun(deps.database.db);
  if (latest && toMonth(latest.month) >= month) return { month, skipped: 'already run' };
  try {
    const run = await runMonth(deps, system(), month, 'schedule', now);
    return { month, runId: run.id, durationMs: run.durationMs };
  } catch (err) {
    if (err instanceof AppError && err.code === 'rules_no_facts') return { month, skipped: 'no facts yet' };
    throw err;
  }
}

/** The demo's last `months` months of facts, run in order (the demo's facts end in 2026-10). */
export async function runDemoRules(deps: Deps, months: number, lastMonth = FACT_MONTHS.at(-1)!.slice(0, 7)) {
  for (let k = months - 1; k >= 0; k--) await runMonth(deps, system(), addMonths(lastMonth, -k), 'cli');
}

export const RULES_USAGE = `rules run --month YYYY-MM   run the service rules for a month (rerunning the latest month replaces it)
  rules rollback --run ID     roll back the latest completed run`;

/** `kam rules run --month 2026-10` / `kam rules rollback --run 12`; answers in zh-CN. */
export async function runRulesCli(deps: Deps, argv: string[]): Promise<void> {
  const [sub, flag, value] = argv;
  try {
    if (sub === 'run' && flag === '--month' && value && MONTH_PATTERN.test(value)) {
      const run = await runMonth(deps, system(), value, 'cli');
      console.log(`run ${run.id} of ${run.month}: ${JSON.stringify(run.counts)} in ${(run.durationMs / 1000).toFixed(1)} s`);
      return;
    }
    if (sub === 'rollback' && flag === '--run' && value && /^\d+$/.test(value)) {
      const run = await rollbackRun(deps, system(), Number(value));
      console.log(`run ${run.id} of ${run.month} rolled back`);
      return;
    }
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    console.error(translate(err.code, 'zh-CN', err.params));
    process.exitCode = 1;
    return;
  }
  console.error(`usage: kam ${RULES_USAGE}`);
  process.exitCode = 2;
}
