/**
 * The monthly run (月度计算), its preview and its rollback. A run is one transaction: a month's results
 * appear whole or not at all. Rerunning the latest month replaces its ratings and moves only the points
 * that changed (balances and ledger entries), so a rerun on the same inputs gives the same ratings and
 * writes no points at all.
 */
import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { audit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/principal.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError, notFound } from '../../../platform/errors.js';
import * as q from './queries.js';
import { addMonths, monthAt, toMonth, toMonthDate } from '../../../platform/months.js';
import type { Family, RuleParams } from '../params.js';
import { assertValidParams, paramsOfVersions, rulesInEffect } from '../service.js';
import { markRollupMonths } from '../../analysis/indicators/service.js';

const RUN_LOCK = 0x72756c65; // 'rule'

async function takeRunLock(database: Database, tx: Executor) {
  const [row] = await database.rows<{ locked: boolean }>(sql`SELECT pg_try_advisory_xact_lock(${RUN_LOCK}) AS locked`, tx);
  if (!row?.locked) throw new AppError(409, 'rules_run_busy');
}

/**
 * A run aggregates a million customers in one statement: enough work_mem keeps its hash aggregates and
 * joins in memory (at 4 MB they spill to disk), and JIT compilation of its wide CASE expressions costs
 * more (20 s measured) than it saves. Parallel workers are off: each would build a partial aggregate of
 * all million customers, and merging them cost more than it saved (a preview took 24.6 s with two
 * workers, 16.5 s without).
 */
async function tuneForBatch(database: Database, tx: Executor) {
  await database.rows(
    sql`SELECT set_config('work_mem', ${BATCH_WORK_MEM}, true), set_config('jit', 'off', true),
               set_config('max_parallel_workers_per_gather', '0', true)`,
    tx,
  );
}
const BATCH_WORK_MEM = '256MB';

async function assertRunnable(deps: Deps, tx: Executor, month: string, now: Date) {
  if (month >= monthAt(now)) throw new AppError(409, 'rules_month_future', { month });
  if (!(await q.factsExist(deps.database, toMonthDate(month), tx))) throw new AppError(409, 'rules_no_facts', { month });
}

/** The run before `monthDate`, and whether its window totals can be moved by one month (see queries.ts). */
async function factsSource(deps: Deps, tx: Executor, monthDate: string, params: RuleParams): Promise<q.FactsSource> {
  const prev = await q.latestCompletedRun(tx, monthDate);
  if (!prev) return { prevMonth: null, movable: false };
  const movable = addMonths(toMonth(prev.month), 1) === toMonth(monthDate) && (await sameWindows(deps, tx, prev.versions, params));
  return { prevMonth: prev.month, movable };
}

async function sameWindows(deps: Deps, tx: Executor, versions: unknown, params: RuleParams) {
  const was = await paramsOfVersions(deps, versions as Record<string, number>, tx);
  return was.star.windowMonths === params.star.windowMonths && was.group_class.windowMonths === params.group_class.windowMonths;
}

export type RunTrigger = 'api' | 'cli' | 'schedule';

export async function runMonth(deps: Deps, actor: Actor, month: string, trigger: RunTrigger, now = new Date()) {
  const { database } = deps;
  const started = performance.now();
  const monthDate = toMonthDate(month);
  try {
    return await database.db.transaction(async (tx) => {
      await takeRunLock(database, tx);
      await tuneForBatch(database, tx);
      const latest = await q.latestCompletedRun(tx);
      if (latest && latest.month > monthDate) throw new AppError(409, 'rules_month_order', { latest: toMonth(latest.month) });
      await assertRunnable(deps, tx, month, now);
      const rerun = latest?.month === monthDate;
      if (rerun) {
        await q.clearForRerun(database, tx, monthDate, latest.id);
        await q.updateRun(tx, latest.id, { status: 'superseded' });
      }
      const rules = await rulesInEffect(deps, monthDate, tx);
      const source = await factsSource(deps, tx, monthDate, rules.params);
      const [run] = await q.insertRun(tx, {
        month: monthDate,
        status: 'completed',
        trigger,
        versions: rules.versions,
        counts: {},
        durationMs: 0,
        actorId: actor.userId,
      });
      const runId = run!.id;
      const phasesMs: Record<string, number> = {};
      const phase = async <T>(name: string, fn: () => Promise<T>) => {
        const t = performance.now();
        const out = await fn();
        phasesMs[name] = Math.round(performance.now() - t);
        return out;
      };
      await phase('ratings', () => q.insertRatings(database, tx, monthDate, rules.params, source, runId, rerun ? q.PREVIOUS_POINTS : undefined));
      await phase('points', async () => {
        if (!rerun) return q.postPoints(database, tx, monthDate, runId);
        const { spent } = await q.reconcilePoints(database, tx, monthDate, runId);
        if (spent) throw new AppError(409, 'rules_rerun_points_spent', { count: spent });
      });
      // the month's levels changed: its analysis rollup is rebuilt by its job once the run commits
      await markRollupMonths(tx, [month]);
      const candidates = await phase('candidates', () => q.insertCandidates(database, tx, monthDate, rules.params.potential, runId));
      const part = sql.raw(q.partitionOf(monthDate));
      // the next month's run and previews join this partition: plan them with its new size, not an empty one's
      await database.rows(sql`ANALYZE ${part}`, tx);
      const counts = {
        ...(await q.ratingCounts(database, tx, part)),
        candidates,
        rerun,
        phasesMs,
      };
      const durationMs = Math.round(performance.now() - started);
      await q.updateRun(tx, runId, { counts, durationMs });
      await audit(tx, actor, { action: 'create', entity: 'rule_run', entityId: runId, after: { month, versions: rules.versions, counts } });
      return { id: runId, month, status: 'completed', versions: rules.versions, counts, durationMs };
    });
  } catch (err) {
    if (!(err instanceof AppError)) {
      await q.insertRun(database.db, {
        month: monthDate,
        status: 'failed',
        trigger,
        versions: {},
        counts: {},
        error: String(err).slice(0, 2000),
        durationMs: Math.round(performance.now() - started),
        actorId: actor.userId,
      });
    }
    throw err;
  }
}

export async function listRuns(deps: Deps, offset: number, limit: number) {
  const [items, total] = await Promise.all([q.listRuns(deps.database.db, offset, limit), q.countRuns(deps.database.db)]);
  return { items: items.map((r) => ({ ...r, month: toMonth(r.month) })), total };
}

/** The months with facts, newest first (the months a preview or a run can take), and whether each is rated. */
export const monthsWithFacts = (deps: Deps) => q.monthsWithFacts(deps.database);

export async function rollbackRun(deps: Deps, actor: Actor, runId: number) {
  const { database } = deps;
  return database.db.transaction(async (tx) => {
    await takeRunLock(database, tx);
    const run = await q.getRun(tx, runId);
    if (!run) throw notFound('rule_run');
    const latest = await q.latestCompletedRun(tx);
    if (run.status !== 'completed' || latest?.id !== run.id) throw new AppError(409, 'rules_not_latest_run');
    const { spent } = await q.undoRun(database, tx, run.month, run.id);
    if (spent) throw new AppError(409, 'rules_points_spent', { count: spent });
    await q.updateRun(tx, run.id, { status: 'rolled_back', rolledBackAt: new Date(), rolledBackBy: actor.userId });
    await markRollupMonths(tx, [toMonth(run.month)]);
    await audit(tx, actor, { action: 'update', entity: 'rule_run', entityId: run.id, before: { status: 'completed' }, after: { status: 'rolled_back' } });
    return { id: run.id, month: toMonth(run.month), status: 'rolled_back' };
  });
}

/** Parameters a preview tries instead of the stored ones (an editor's unsaved draft), shape-checked at the edge. */
export type DraftParams = Partial<RuleParams>;

function withDrafts(params: RuleParams, drafts: DraftParams): RuleParams {
  for (const [family, draft] of Object.entries(drafts) as [Family, RuleParams[Family]][]) assertValidParams(family, draft, `body.drafts.${family}`);
  return { ...params, ...drafts };
}

const SAMPLE_SIZE = 20;

/** A preview's counts: a run's, without the level changes (the preview shows them as the matrix). */
type Counts = Omit<Awaited<ReturnType<typeof q.ratingCounts>>, 'upgraded' | 'downgraded' | 'held'>;
const emptyCounts = (): Counts => ({ levels: {}, creditGrades: {}, pointsEarned: 0, pointsExpired: 0, customers: 0 });

const add = (counts: Record<string, number>, key: string, n: number) => {
  counts[key] = (counts[key] ?? 0) + n;
};

/**
 * The grouping sets of the preview query (of every share of the customers) as counts before and after,
 * the level matrix and the changed customers.
 */
function summarise(rows: q.PreviewRow[], hasBefore: boolean) {
  const after = emptyCounts();
  const beforeCounts = hasBefore ? emptyCounts() : null;
  const matrix = new Map<string, { from: string | null; to: string; n: number }>();
  const changed: string[] = [];
  for (const r of rows) {
    if (r.grp === 0) {
      const key = `${r.before_level ?? ''}|${r.level!}`;
      matrix.set(key, { from: r.before_level, to: r.level!, n: (matrix.get(key)?.n ?? 0) + r.n });
      add(after.levels, r.level!, r.n);
      if (beforeCounts && r.before_level) {
        add(beforeCounts.levels, r.before_level, r.n);
        beforeCounts.customers += r.n;
      }
    } else if (r.grp === 1) add(after.creditGrades, r.credit_grade!, r.n);
    else if (r.grp === 2) {
      if (beforeCounts && r.before_credit) add(beforeCounts.creditGrades, r.before_credit, r.n);
    } else {
      after.customers += r.n;
      after.pointsEarned += Number(r.earned);
      after.pointsExpired += Number(r.expired);
      if (beforeCounts) {
        beforeCounts.pointsEarned += Number(r.before_earned);
        beforeCounts.pointsExpired += Number(r.before_expired);
      }
      changed.push(...(r.changed ?? []));
    }
  }
  const cells = [...matrix.values()].sort((a, b) => (a.from ?? '').localeCompare(b.from ?? '') || a.to.localeCompare(b.to));
  return { after, beforeCounts, matrix: cells, changed };
}

/** The first changed customers of a preview ("id|from|to|avgPaid", from every share) with their numbers and names. */
async function sampleOf(database: Database, tx: Executor, changed: string[]) {
  const parsed = changed
    .map((c) => {
      const [id, from, to, avgPaid] = c.split('|') as [string, string, string, string];
      return { customerId: Number(id), from: from || null, to, avgPaid };
    })
    .sort((a, b) => a.customerId - b.customerId)
    .slice(0, SAMPLE_SIZE);
  const names = new Map((await q.customerNames(database, tx, parsed.map((p) => p.customerId))).map((n) => [n.id, n]));
  return parsed
    .map((p) => ({ ...p, customerNo: names.get(p.customerId)!.customerNo, name: names.get(p.customerId)!.name }))
    .sort((a, b) => a.customerId - b.customerId);
}

/** How many shares of the customers a preview computes at once on PostgreSQL: one per core of the database server. */
const PREVIEW_SHARES = 2;

/**
 * 试算: what a run of `month` would give, next to the results in force (that month's own if it has
 * been run, else the latest month's). Nothing is written. On PostgreSQL the customers are split into
 * shares, each classified and counted by one statement on a connection of its own, all at once; the
 * embedded database has one connection and takes them in one statement.
 */
export async function previewMonth(
  deps: Deps,
  month: string,
  drafts: DraftParams = {},
  now = new Date(),
  shareCount = deps.database.kind === 'postgres' ? PREVIEW_SHARES : 1,
) {
  const { database } = deps;
  const monthDate = toMonthDate(month);
  const plan = await database.db.transaction(async (tx) => {
    await assertRunnable(deps, tx, month, now);
    const rules = await rulesInEffect(deps, monthDate, tx);
    const params = withDrafts(rules.params, drafts);
    const latest = await q.latestCompletedRun(tx);
    const source = await factsSource(deps, tx, monthDate, params);
    const before = latest && latest.month <= monthDate ? (latest.month === monthDate ? latest.month : source.prevMonth) : null;
    // the month in force, previewed with other rules: its stored inputs are the month's facts already read
    if (latest?.month === monthDate && (await sameWindows(deps, tx, latest.versions, params))) source.storedMonth = monthDate;
    return { rules, params, source, before };
  });
  const { rules, params, source, before } = plan;
  const started = performance.now();
  const shares = shareCount > 1 ? Array.from({ length: shareCount }, (_, part): q.Slice => ({ of: shareCount, part })) : [undefined];
  const share = (slice?: q.Slice) =>
    database.db.transaction(async (tx) => {
      await tuneForBatch(database, tx);
      return database.rows<q.PreviewRow>(q.previewSql(monthDate, params, { ...source, slice }, before, SAMPLE_SIZE), tx);
    });
  const rows: q.PreviewRow[] = [];
  if (database.kind === 'postgres') rows.push(...(await Promise.all(shares.map(share))).flat());
  // the embedded database has a single connection: its shares (tests) take turns
  else for (const slice of shares) rows.push(...(await share(slice)));
  const computeMs = Math.round(performance.now() - started);
  const { after, beforeCounts, matrix, changed } = summarise(rows, before !== null);
  const sample = await sampleOf(database, database.db, changed);
  return {
    month,
    versions: rules.versions,
    drafted: Object.keys(drafts),
    comparedWith: before ? toMonth(before) : null,
    before: beforeCounts,
    after,
    matrix,
    sample,
    computeMs,
  };
}
