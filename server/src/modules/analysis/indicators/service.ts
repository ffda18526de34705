/**
 * 指标体系: the catalogue (built-in + administrators' derived indicators), the derived indicators' upkeep
 * (versioned, audited), the catalogue as a document, and the rollup's "rebuild month".
 */
import { eq, sql } from 'drizzle-orm';
import { analysisIndicators } from '../../../db/schema/index.js';
import { updateAtVersion } from '../../../db/versioned.js';
import { audit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/principal.js';
import { analyticsReads, type Deps } from '../../../platform/deps.js';
import { AppError, duplicate, forbidden, notFound, versionConflict } from '../../../platform/errors.js';
import type { JobDef } from '../../../platform/jobs/scheduler.js';
import { BUILTIN_INDICATORS, builtinIndicator, type IndicatorDef } from './catalogue.js';
import { derivedCatalogue, selectDerived, toDerived, validateFormula, type DerivedFormula, type DerivedIndicator, type DerivedRow } from './derived.js';
import { clearStaleMonth, currentStale, factMonths, refreshCurrent, refreshMonth, staleMonths, vacuumCurrentRollups, vacuumMonthRollups } from './queries.js';

/** For the facts import and the rules run: the rollup's months rebuilt in their transaction. */
export { markRollupMonths } from './queries.js';
import type { CreateDerived, IndicatorOut, UpdateDerived } from './schemas.js';

const ENTITY = 'analysis_indicator';

const builtinOut = (d: IndicatorDef): IndicatorOut => ({ ...d, dimensions: [...d.dimensions], derived: false, id: null, version: null, definedAs: null });
const derivedOut = (d: DerivedIndicator): IndicatorOut => ({ ...d.def, dimensions: [...d.def.dimensions], derived: true, id: d.id, version: d.version, definedAs: d.formula });

/**
 * The whole catalogue. Read from the database itself, not the replica: an administrator sees the
 * indicator they have just added.
 */
export async function listIndicators(deps: Deps): Promise<IndicatorOut[]> {
  return [...BUILTIN_INDICATORS.map(builtinOut), ...(await derivedCatalogue(deps.database)).map(derivedOut)];
}

export async function getIndicator(deps: Deps, code: string): Promise<IndicatorOut> {
  const builtin = builtinIndicator(code);
  if (builtin) return builtinOut(builtin);
  const d = (await derivedCatalogue(deps.database)).find((x) => x.def.code === code);
  if (!d) throw notFound(ENTITY);
  return derivedOut(d);
}

async function storedRows(deps: Deps, tx = deps.database.db): Promise<DerivedRow[]> {
  return (await deps.database.rows<DerivedRow>(selectDerived, tx)).map((r) => ({ ...r, id: Number(r.id), version: Number(r.version) }));
}

function recordOf(input: Omit<CreateDerived, 'code'>) {
  return {
    group: input.group,
    nameZh: input.nameZh,
    nameEn: input.nameEn,
    definitionZh: input.definitionZh,
    definitionEn: input.definitionEn,
    unit: input.unit,
    direction: input.direction,
    formula: normalise(input.formula),
  };
}

/** Keeps only what the operation uses (a filter has no right operand, a sum no scale). */
function normalise(f: DerivedFormula): DerivedFormula {
  if (f.op === 'filter') return { op: 'filter', left: f.left, filter: f.filter ?? {} };
  return { op: f.op, left: f.left, right: f.right, ...(f.op === 'ratio' && f.scale !== undefined && { scale: f.scale }) };
}

export async function createDerived(deps: Deps, actor: Actor, input: CreateDerived): Promise<IndicatorOut> {
  const record = recordOf(input);
  const id = await deps.database.db.transaction(async (tx) => {
    // one writer of the catalogue at a time: the validation sees the definitions the save will join
    await tx.execute(sql`LOCK TABLE analysis_indicators IN SHARE ROW EXCLUSIVE MODE`);
    const rows = await storedRows(deps, tx);
    if (rows.some((r) => r.code === input.code)) throw duplicate('body.code');
    validateFormula(input.code, record.formula, toDerived(rows));
    const [row] = await tx
      .insert(analysisIndicators)
      .values({ code: input.code, ...record, createdBy: actor.userId, updatedBy: actor.userId })
      .returning({ id: analysisIndicators.id });
    await audit(tx, actor, { action: 'create', entity: ENTITY, entityId: row!.id, unitPath: actor.unitPath, after: { code: input.code, ...record } });
    return row!.id;
  });
  return byId(deps, id);
}

async function byId(deps: Deps, id: number): Promise<IndicatorOut> {
  const d = toDerived(await storedRows(deps)).find((x) => x.id === id);
  if (!d) throw notFound(ENTITY);
  return derivedOut(d);
}

export async function updateDerived(deps: Deps, actor: Actor, id: number, input: UpdateDerived): Promise<IndicatorOut> {
  const record = recordOf(input);
  await deps.database.db.transaction(async (tx) => {
    await tx.execute(sql`LOCK TABLE analysis_indicators IN SHARE ROW EXCLUSIVE MODE`);
    const rows = await storedRows(deps, tx);
    const before = rows.find((r) => r.id === id);
    if (!before) throw notFound(ENTITY);
    validateFormula(before.code, record.formula, toDerived(rows));
    if (!(await updateAtVersion(tx, analysisIndicators, id, input.version, { ...record, updatedBy: actor.userId }))) throw versionConflict();
    const { id: _id, version: _v, ...was } = before;
    await audit(tx, actor, { action: 'update', entity: ENTITY, entityId: id, unitPath: actor.unitPath, before: was, after: { code: before.code, ...record } });
  });
  return byId(deps, id);
}

export async function deleteDerived(deps: Deps, actor: Actor, id: number, version: number): Promise<void> {
  await deps.database.db.transaction(async (tx) => {
    await tx.execute(sql`LOCK TABLE analysis_indicators IN SHARE ROW EXCLUSIVE MODE`);
    const rows = await storedRows(deps, tx);
    const row = rows.find((r) => r.id === id);
    if (!row) throw notFound(ENTITY);
    if (row.version !== version) throw versionConflict();
    const user = rows.find((r) => r.formula.left === row.code || r.formula.right === row.code);
    if (user) throw new AppError(409, 'analysis_indicator_in_use', { code: user.code });
    await tx.delete(analysisIndicators).where(eq(analysisIndicators.id, id));
    const { id: _id, version: _v, ...was } = row;
    await audit(tx, actor, { action: 'delete', entity: ENTITY, entityId: id, unitPath: actor.unitPath, before: was });
  });
}

/** 重建月度汇总: an administrator's rebuild of one month of the rollup (after a correction of data). */
export async function rebuildMonth(deps: Deps, actor: Actor, month: string): Promise<{ month: string; rows: number; durationMs: number }> {
  if (!actor.permissions.has('analysis.indicators') && !actor.permissions.has('system.operate')) throw forbidden();
  const [has] = await deps.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM customer_month_totals WHERE month = ${`${month}-01`}::date`);
  if (!has?.n) throw new AppError(400, 'analysis_month_without_facts', { month }, [{ field: 'params.month', code: 'analysis_month_without_facts', message: '', params: { month } }]);
  const started = performance.now();
  const rows = await deps.database.db.transaction(async (tx) => {
    const [r] = await deps.database.rows<{ n: number }>(sql`SELECT refresh_analysis_month(${`${month}-01`}::date) AS n`, tx);
    await audit(tx, actor, { action: 'update', entity: 'analysis_rollup', entityId: month, unitPath: actor.unitPath, after: { month, rows: r?.n } });
    return Number(r?.n ?? 0);
  });
  await deps.database.rows(vacuumMonthRollups);
  return { month, rows, durationMs: Math.round(performance.now() - started) };
}

/**
 * analysis.rollups: rebuilds the months a facts import or a rules run marked, each in a transaction of its own (about
 * 20–50 s a month on the large profile), outside theirs so that their own figures stay theirs; and the current-state
 * rollups (group products, numbers suspended or ported out) when a change marked them (about 9 s). Every minute: a
 * month loaded is in the analyses within two minutes, a product entered within one.
 */
export async function refreshStaleMonths(deps: Pick<Deps, 'database'>): Promise<{ months: string[]; current: boolean }> {
  const { database } = deps;
  const [marked] = await database.rows<{ stale: boolean }>(currentStale);
  if (marked?.stale) {
    // one statement, so one transaction (migration 0035: marks removed, then the rebuild with a later snapshot)
    await database.rows(refreshCurrent);
    await database.rows(vacuumCurrentRollups);
  }
  const stale = await database.rows<{ month: string; markedAt: string }>(staleMonths);
  for (const { month, markedAt } of stale) {
    await database.db.transaction(async (tx) => {
      await database.rows(refreshMonth(month), tx);
      await database.rows(clearStaleMonth(month, markedAt), tx);
    });
  }
  if (stale.length) await database.rows(vacuumMonthRollups);
  return { months: stale.map((s) => s.month), current: Boolean(marked?.stale) };
}

export const rollupRefreshJob: JobDef = { name: 'analysis.rollups', pattern: '* * * * *', run: refreshStaleMonths };

/** Rebuilds every month with facts, and the current-state rollups (the demo loader; the console's "rebuild all"). */
export async function rebuildAllMonths(database: Deps['database']): Promise<number> {
  // the marks of the months rebuilt here are cleared too (the demo's rules runs made them), unless marked again since
  const marks = new Map((await database.rows<{ month: string; markedAt: string }>(staleMonths)).map((s) => [s.month, s.markedAt]));
  const months = await database.rows<{ month: string }>(factMonths);
  for (const { month } of months) {
    await database.rows(refreshMonth(month, false));
    const markedAt = marks.get(month);
    if (markedAt) await database.rows(clearStaleMonth(month, markedAt));
  }
  await database.rows(refreshCurrent);
  await database.rows(vacuumMonthRollups);
  await database.rows(vacuumCurrentRollups);
  return months.length;
}

/** The analytics reads of the catalogue for the engine's callers that want the derived definitions too. */
export const catalogueOnReads = (deps: Deps) => derivedCatalogue(analyticsReads(deps));
