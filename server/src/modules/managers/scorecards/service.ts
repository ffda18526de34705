/**
 * 业绩考核 (DOMAIN.md §7): monthly scorecards of the account managers on the indicators of indicators.ts, with
 * the weights and targets a head sets per unit (own settings, else the nearest ancestor's, else the defaults).
 *
 * The monthly run computes every open scorecard of the month in a few set-based statements; a closed scorecard
 * never changes when late data arrives: it is recomputed only on request, keeping the figures before beside the
 * new ones. A manager (work.own) reads their own scorecards; a head (managers.read) those of their subtree.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { audit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/principal.js';
import { inScope, inSubtree } from '../../../platform/auth/scope.js';
import { analyticsReads, type Deps } from '../../../platform/deps.js';
import { AppError, entityName, forbidden, invalid, notFound, outOfScope, versionConflict } from '../../../platform/errors.js';
import type { Page } from '../../../platform/http/list.js';
import { addMonths, monthAt, toMonth, toMonthDate } from '../../../platform/months.js';
import * as org from '../../org/service.js';
import { achievement, INDICATORS, indicatorOf, type IndicatorCode } from './indicators.js';
/** The scorecard's indicators, for the analysis area's catalogue (指标体系), which reads the computed scorecards. */
export { INDICATORS as SCORECARD_INDICATORS } from './indicators.js';
import * as q from './queries.js';
import type { Line, ListQuery, RecomputeResult, RunResult, Scorecard, ScorecardDetail, ScoreRecord, Weights, WeightsInput } from './schemas.js';

const ENTITY = 'scorecard';

/** The month's bounds and the month growth compares with: the same month a year before, or the previous one when the system holds no figures of a year before. */
export async function spanOf(deps: Deps, month: string): Promise<q.MonthSpan> {
  const yearBefore = addMonths(month, -12);
  const base = (await q.hasTotals(deps.database, toMonthDate(yearBefore))) ? yearBefore : addMonths(month, -1);
  return { s: toMonthDate(month), e: toMonthDate(addMonths(month, 1)), base: toMonthDate(base) };
}

/** A month a run may compute: not after the current one. */
function checkMonth(month: string, field: string) {
  if (month > monthAt(new Date())) throw invalid(field, 'scorecard_month_future', { month });
}

// ---- the run

/**
 * Computes the month's scorecards of every manager of the actor's subtree (all of them for the system): open
 * ones are created or recomputed, closed ones are left as they were. Four statements in one transaction:
 * the cards, their lines (one INSERT … SELECT over the UNION of the indicators' figures), the totals, the ranks.
 */
export async function run(deps: Deps, actor: Actor, month: string): Promise<RunResult> {
  checkMonth(month, 'body.month');
  const started = Date.now();
  const span = await spanOf(deps, month);
  const managers = q.managersSql(actor.unitPath);
  const counts = await deps.database.db.transaction(async (tx) => {
    await q.prepareRun(tx, span, managers);
    const counts = await q.upsertScorecards(deps.database, tx, span.s);
    if (counts.open > 0) await q.upsertLines(tx, span);
    await q.totalsAndRanks(tx, span.s, actor.unitPath);
    await audit(tx, actor, { action: 'update', entity: 'scorecard_run', entityId: null, unitPath: actor.unitPath, after: { month, computed: counts.open, closed: counts.closed, base: toMonth(span.base) } });
    return counts;
  });
  return { month, computed: counts.open, closed: counts.closed, base: toMonth(span.base), ms: Date.now() - started };
}

/** Closes the open scorecards of the month of a unit of the actor's (and its sub-units): from then on they change only on request. */
export async function close(deps: Deps, actor: Actor, input: { month: string; unitId: number }) {
  return deps.database.db.transaction(async (tx) => {
    const unit = await org.getUnit(tx, actor, input.unitId).catch(() => {
      throw invalid('body.unitId', 'not_found', { entity: entityName('org_unit') });
    });
    const closed = await q.closeScorecards(deps.database, tx, toMonthDate(input.month), unit.path, actor.userId);
    await audit(tx, actor, { action: 'update', entity: ENTITY, entityId: null, unitPath: unit.path, after: { month: input.month, unitId: input.unitId, status: 'closed', closed } });
    return { month: input.month, unitId: input.unitId, closed };
  });
}

/**
 * 重算: recomputes one closed scorecard over the data as it stands now, with the card's own weights and targets;
 * each line keeps its figures before (previous_value, previous_score), the revision counts up, and the answer
 * lists the lines that changed. The other cards of the unit keep their figures and places.
 */
export async function recompute(deps: Deps, actor: Actor, id: number): Promise<RecomputeResult> {
  // read before the transaction: on PGlite's single connection a read outside it would wait for it
  const span = await spanOf(deps, (await cardFor(deps, actor, id)).month);
  const { previousTotal, differences } = await deps.database.db.transaction(async (tx) => {
    const card = await cardFor(deps, actor, id, tx, true);
    if (!actor.permissions.has('scorecards.manage') || !inScope(actor, card.unitPath)) throw outOfScope(ENTITY);
    if (card.status !== 'closed') throw new AppError(409, 'scorecard_open');
    const lines = await q.recomputeLines(deps.database, tx, card, span);
    const after = await q.finishRecompute(deps.database, tx, id);
    const differences = lines.filter((l) => l.previousValue !== l.value || l.previousScore !== l.score).map((l) => ({ ...l, indicator: l.indicator as IndicatorCode }));
    await audit(tx, actor, {
      action: 'update',
      entity: ENTITY,
      entityId: id,
      unitPath: card.unitPath,
      before: { totalScore: card.totalScore, unitRank: card.unitRank, revision: card.revision },
      after: { totalScore: after.totalScore, unitRank: after.unitRank, revision: card.revision + 1, differences },
    });
    return { previousTotal: card.totalScore, differences };
  });
  return { scorecard: await getScorecard(deps, actor, id), previousTotal, differences };
}

// ---- reading

/** Who reads which scorecards: a head (managers.read) their subtree's, a manager (work.own) their own; nobody else. */
function readScope(actor: Actor): SQL {
  if (actor.permissions.has('managers.read')) return inSubtree(sql`o.path`, actor.unitPath);
  if (actor.permissions.has('work.own') && actor.userId !== null) return sql`s.manager_id = ${actor.userId}`;
  throw forbidden();
}

function canRead(actor: Actor, card: q.CardRow): boolean {
  if (actor.permissions.has('managers.read') && inScope(actor, card.unitPath)) return true;
  return actor.permissions.has('work.own') && card.managerId === actor.userId;
}

/** A card the actor reads; 404 otherwise, as when there is none (one without either permission reads none). */
async function cardFor(deps: Deps, actor: Actor, id: number, executor?: Executor, lock = false): Promise<q.CardRow> {
  const card = await q.findCard(deps.database, id, executor, lock);
  if (!card) throw notFound(ENTITY);
  if (!canRead(actor, card)) throw outOfScope(ENTITY);
  return card;
}

const publicCard = ({ unitPath: _p, ...card }: q.CardRow): Scorecard => card;

export async function listScorecards(deps: Deps, actor: Actor, query: ListQuery): Promise<Page<Scorecard>> {
  const conds: SQL[] = [readScope(actor)];
  if (query.month) conds.push(sql`s.month = ${toMonthDate(query.month)}::date`);
  if (query.unitId) conds.push(sql`starts_with(o.path, (SELECT path FROM org_units WHERE id = ${query.unitId}))`);
  if (query.managerId) conds.push(sql`s.manager_id = ${query.managerId}`);
  const { items, total } = await q.listCards(deps.database, sql.join(conds, sql` AND `), query.offset, query.limit);
  return { items: items.map(publicCard), total };
}

function lineOf(row: q.LineRow): Line | null {
  const ind = indicatorOf(row.indicator);
  if (!ind) return null;
  const value = row.value === null ? null : Number(row.value);
  return {
    indicator: ind.code as IndicatorCode,
    group: ind.group,
    name: ind.name['zh-CN'],
    nameEn: ind.name['en-US'],
    unit: ind.unit,
    direction: ind.direction,
    value: row.value,
    target: row.target,
    weight: row.weight,
    score: row.score,
    achievement: achievement(ind.direction, value, Number(row.target)),
    credited: row.weight > 0 ? Math.round((row.score / row.weight) * 10000) / 10000 : 0,
    previousValue: row.previousValue,
    previousScore: row.previousScore,
  };
}

const ORDER = new Map<string, number>(INDICATORS.map((i, n) => [i.code, n]));

export async function getScorecard(deps: Deps, actor: Actor, id: number): Promise<ScorecardDetail> {
  const card = await cardFor(deps, actor, id);
  const lines = (await q.cardLines(deps.database, id))
    .map(lineOf)
    .filter((l): l is Line => l !== null)
    .sort((a, b) => ORDER.get(a.indicator)! - ORDER.get(b.indicator)!);
  return { ...publicCard(card), lines };
}

/** 钻取: the records behind one figure of a scorecard (as the data stands now), paged. */
export async function lineRecords(deps: Deps, actor: Actor, id: number, indicator: string, page: { offset: number; limit: number }): Promise<Page<ScoreRecord>> {
  const card = await cardFor(deps, actor, id);
  const span = await spanOf(deps, card.month);
  const query = q.recordsSql(indicator, card.managerId, span);
  if (!query) throw notFound('scorecard_line');
  // the records as they stand now, over the month's facts: the read replica's when there is one (docs/scale-out.md)
  const { items, total } = await q.pageOfRecords(analyticsReads(deps), query, page.offset, page.limit);
  return { items: items as ScoreRecord[], total };
}

// ---- weights and targets

/** A unit of the actor's subtree (404 otherwise, as when there is none). */
const unitFor = (deps: Deps, actor: Actor, unitId: number, executor: Executor = deps.database.db) => org.getUnit(executor, actor, unitId);

/** The settings in effect in a unit: its own, else its nearest ancestor's, else the defaults; with the defaults beside. */
export async function getWeights(deps: Deps, actor: Actor, unitId: number, executor: Executor = deps.database.db): Promise<Weights> {
  const unit = await unitFor(deps, actor, unitId, executor);
  const own = await q.ownWeights(deps.database, unitId, executor);
  const source = own.length ? null : await q.nearestSource(deps.database, unit.path, executor);
  const rows = own.length ? own : source ? await q.ownWeights(deps.database, source.id, executor) : [];
  const byCode = new Map(rows.map((r) => [r.indicator, r]));
  const lines = INDICATORS.map((i) => {
    const r = byCode.get(i.code);
    return {
      indicator: i.code as IndicatorCode,
      group: i.group,
      name: i.name['zh-CN'],
      nameEn: i.name['en-US'],
      unit: i.unit,
      direction: i.direction,
      weight: rows.length ? Number(r?.weight ?? 0) : i.weight,
      target: r ? Number(r.target) : i.target,
      defaultWeight: i.weight,
      defaultTarget: i.target,
    };
  });
  return {
    unitId,
    unitName: unit.name,
    unitNameEn: unit.nameEn ?? null,
    source: own.length ? 'own' : source ? 'inherited' : 'default',
    sourceUnitId: own.length ? unitId : (source?.id ?? null),
    sourceUnitName: own.length ? unit.name : (source?.name ?? null),
    sourceUnitNameEn: own.length ? (unit.nameEn ?? null) : (source?.nameEn ?? null),
    version: own.length ? Math.max(...own.map((r) => r.version)) : 0,
    sum: Math.round(lines.reduce((s, l) => s + l.weight, 0) * 100) / 100,
    lines,
  };
}

/** Sets a unit's own weights and targets, all indicators at once; the weights must sum to 100 (422 naming the sum). */
export async function putWeights(deps: Deps, actor: Actor, unitId: number, input: WeightsInput): Promise<Weights> {
  const seen = new Set<string>();
  input.lines.forEach((l, i) => {
    if (seen.has(l.indicator)) throw invalid(`body.lines.${i}.indicator`, 'scorecard_indicator_twice', { indicator: l.indicator });
    seen.add(l.indicator);
  });
  const missing = INDICATORS.find((i) => !seen.has(i.code));
  if (missing) throw invalid('body.lines', 'scorecard_indicator_missing', { indicator: missing.name['zh-CN'] });
  const lines = input.lines.map((l) => ({ indicator: l.indicator, weight: Math.round(l.weight * 100) / 100, target: Math.round(l.target * 10000) / 10000 }));
  const sum = Math.round(lines.reduce((s, l) => s + l.weight * 100, 0)) / 100;
  if (sum !== 100) throw new AppError(422, 'scorecard_weights_sum', { sum }, [{ field: 'body.lines', code: 'scorecard_weights_sum', message: '', params: { sum } }]);
  return deps.database.db.transaction(async (tx) => {
    const unit = await unitFor(deps, actor, unitId, tx);
    const own = await q.ownWeights(deps.database, unitId, tx, true);
    const current = own.length ? Math.max(...own.map((r) => r.version)) : 0;
    if (current !== input.version) throw versionConflict();
    const before = own.length ? Object.fromEntries(own.map((r) => [r.indicator, { weight: Number(r.weight), target: Number(r.target) }])) : null;
    await q.replaceWeights(tx, unitId, lines, current + 1);
    await audit(tx, actor, {
      action: own.length ? 'update' : 'create',
      entity: 'scorecard_weights',
      entityId: unitId,
      unitPath: unit.path,
      before,
      after: Object.fromEntries(lines.map((l) => [l.indicator, { weight: l.weight, target: l.target }])),
    });
    return getWeights(deps, actor, unitId, tx);
  });
}

/** Removes a unit's own settings: its nearest ancestor's (or the defaults) apply again. */
export async function deleteWeights(deps: Deps, actor: Actor, unitId: number, version: number | undefined): Promise<void> {
  await deps.database.db.transaction(async (tx) => {
    const unit = await unitFor(deps, actor, unitId, tx);
    const own = await q.ownWeights(deps.database, unitId, tx, true);
    if (!own.length) throw notFound('scorecard_weights');
    if (version === undefined) throw invalid('query.version', 'scorecard_version_required');
    if (Math.max(...own.map((r) => r.version)) !== version) throw versionConflict();
    await q.deleteWeights(tx, unitId);
    await audit(tx, actor, {
      action: 'delete',
      entity: 'scorecard_weights',
      entityId: unitId,
      unitPath: unit.path,
      before: Object.fromEntries(own.map((r) => [r.indicator, { weight: Number(r.weight), target: Number(r.target) }])),
    });
  });
}

export const listIndicators = () => INDICATORS.map(({ count: _c, ...i }) => ({ ...i, code: i.code as IndicatorCode }));
