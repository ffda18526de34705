/**
 * 综合查询 (DOMAIN.md §6): a condition tree over the customers' profile and their measures over a period,
 * evaluated within the reader's data scope (unit subtree; an account manager their own portfolio) on the
 * analytics reads (the read replica when there is one). Saved queries are their owner's, shared with the users
 * of the owner's unit subtree when asked; versioned and audited.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { analysisSavedQueries } from '../../../db/schema/index.js';
import { updateAtVersion } from '../../../db/versioned.js';
import { audit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/principal.js';
import { analyticsReads, type Deps } from '../../../platform/deps.js';
import { forbidden, invalid, notFound, versionConflict } from '../../../platform/errors.js';
import { todayAt } from '../../../platform/months.js';
import { atOrganisationRoot } from '../../../platform/auth/scope.js';
import { scopeOf, visibleCustomersSql } from '../../customers/service.js';
import { compileTree, type Compiled } from './compile.js';
import * as q from './queries.js';
import type { QueryResult, SavedQuery, SavedQueryInput, SavedQueryPatch } from './schemas.js';
import { AGGREGATES, checkTree, FIELDS, MEASURE_OPS, MEASURES, operatorsOf, type FieldDef, type Group, type Measure, type ProfileField } from './tree.js';

export { checkTree, type Group } from './tree.js';
export { latestFactMonth } from './queries.js';
const ENTITY = 'analysis_query';

/** The month `lastMonths` periods end at: the latest with facts (the current one when there are none). */
async function contextOf(deps: Deps) {
  const today = todayAt();
  return { today, latest: (await q.latestFactMonth(analyticsReads(deps))) ?? today.slice(0, 7) };
}

/**
 * The reader's data scope as a condition on `c`: the customers area's, except at the organisation's root, where it
 * holds every customer and is left out (the planner cannot see that a subtree of every unit is everything).
 */
export function scopeSql(actor: Actor): SQL {
  const scope = scopeOf(actor);
  return scope.managerId === null && atOrganisationRoot({ unitPath: scope.unitPath }) ? sql`true` : visibleCustomersSql(actor);
}

/** A tree compiled for the reader: its condition, the reader's scope, the measures it names. */
export async function compileFor(deps: Deps, actor: Actor, tree: Group): Promise<{ compiled: Compiled; scope: SQL; latest: string }> {
  const ctx = await contextOf(deps);
  return { compiled: compileTree(tree, ctx), scope: scopeSql(actor), latest: ctx.latest };
}

/**
 * The customers of a tree the reader sees, as a source with `c` the customers (`SELECT c.id FROM ${source}`),
 * for the segments: counted, profiled, frozen and exported from it.
 */
export async function matchingSource(deps: Deps, actor: Actor, tree: Group): Promise<SQL> {
  const { compiled, scope } = await compileFor(deps, actor, tree);
  return q.matchedFrom(compiled, scope);
}

/** Runs a query: the count and one page of the customers, with the values of the measures it names. */
export async function runQuery(deps: Deps, actor: Actor, input: { tree: unknown; offset: number; limit: number }): Promise<QueryResult> {
  const tree = checkTree(input.tree);
  const { compiled, scope, latest } = await compileFor(deps, actor, tree);
  const reads = analyticsReads(deps);
  const [counted, rows] = await Promise.all([reads.rows<{ total: number }>(q.countMatched(q.matchedFrom(compiled, scope))), reads.rows<q.ResultRow>(q.pageMatched(compiled, scope, input.offset, input.limit))]);
  return {
    total: Number(counted[0]?.total ?? 0),
    latestMonth: latest,
    measures: compiled.measures.map((m) => ({ key: m.key, measure: m.label.measure, aggregate: m.label.aggregate, period: m.label.period })),
    items: rows.map((r) => ({
      id: Number(r.id),
      customerNo: r.customerNo,
      name: r.name,
      kind: r.kind,
      unitName: r.unitName,
      unitNameEn: r.unitNameEn,
      managerName: r.managerName,
      level: r.level,
      measures: Object.fromEntries(compiled.measures.map((m) => [m.key, r[m.key as `m${number}`] === null ? null : Number(r[m.key as `m${number}`])])),
    })),
  };
}

// ---- saved queries ------------------------------------------------------------------------------------------------

const visibleTo = (actor: Actor) => q.visibleQuery(actor.userId ?? 0, actor.unitPath);
const toSaved = (r: q.SavedRow, actor: Actor): SavedQuery => ({
  ...r,
  id: Number(r.id),
  ownerId: Number(r.ownerId),
  unitId: Number(r.unitId),
  tree: r.tree as Record<string, unknown>,
  createdAt: new Date(r.createdAt),
  updatedAt: new Date(r.updatedAt),
  mine: Number(r.ownerId) === actor.userId,
});

export async function listSavedQueries(deps: Deps, actor: Actor): Promise<SavedQuery[]> {
  return (await q.listSaved(deps.database, visibleTo(actor))).map((r) => toSaved(r, actor));
}

export async function getSavedQuery(deps: Deps, actor: Actor, id: number): Promise<SavedQuery> {
  const [row] = await q.listSaved(deps.database, visibleTo(actor), id);
  if (!row) throw notFound(ENTITY);
  return toSaved(row, actor);
}

export async function createSavedQuery(deps: Deps, actor: Actor, input: SavedQueryInput): Promise<SavedQuery> {
  const tree = checkTree(input.tree);
  if (actor.userId === null) throw forbidden();
  const { database } = deps;
  const unitId = await q.userUnit(database, actor.userId);
  if (unitId === undefined) throw forbidden();
  const id = await database.db.transaction(async (tx) => {
    const id = await q.insertSaved(tx, database, { name: input.name, tree, shared: input.shared ?? false, ownerId: actor.userId!, unitId: Number(unitId) });
    await audit(tx, actor, { action: 'create', entity: ENTITY, entityId: id, unitPath: actor.unitPath, after: { name: input.name, shared: input.shared ?? false, tree } });
    return id;
  });
  return getSavedQuery(deps, actor, id);
}

/** Only the owner changes or deletes a saved query; others see a shared one read-only (403). */
async function ownedForChange(deps: Deps, actor: Actor, id: number): Promise<SavedQuery> {
  const saved = await getSavedQuery(deps, actor, id);
  if (!saved.mine) throw forbidden();
  return saved;
}

export async function updateSavedQuery(deps: Deps, actor: Actor, id: number, patch: SavedQueryPatch): Promise<SavedQuery> {
  const before = await ownedForChange(deps, actor, id);
  const tree = patch.tree === undefined ? undefined : checkTree(patch.tree);
  await deps.database.db.transaction(async (tx) => {
    const set = { ...(patch.name !== undefined && { name: patch.name }), ...(patch.shared !== undefined && { shared: patch.shared }), ...(tree && { tree }) };
    if (!(await updateAtVersion(tx, analysisSavedQueries, id, patch.version, set))) throw versionConflict();
    await audit(tx, actor, { action: 'update', entity: ENTITY, entityId: id, unitPath: actor.unitPath, before: { name: before.name, shared: before.shared, tree: before.tree }, after: set });
  });
  return getSavedQuery(deps, actor, id);
}

export async function deleteSavedQuery(deps: Deps, actor: Actor, id: number, version: number | undefined): Promise<void> {
  const before = await ownedForChange(deps, actor, id);
  if (version === undefined) throw invalid('query.version', 'analysis_version_required');
  await deps.database.db.transaction(async (tx) => {
    const gone = await tx.delete(analysisSavedQueries).where(and(eq(analysisSavedQueries.id, id), eq(analysisSavedQueries.version, version))).returning({ id: analysisSavedQueries.id });
    if (!gone.length) throw versionConflict();
    await audit(tx, actor, { action: 'delete', entity: ENTITY, entityId: id, unitPath: actor.unitPath, before: { name: before.name, shared: before.shared, tree: before.tree } });
  });
}

/** The unit of a user (the owning unit of what they save). */
export const unitOfUser = (deps: Deps, userId: number) => q.userUnit(deps.database, userId);

/** What the condition editor offers: each field with its operators (and values of a closed list), the measures and aggregates. */
export async function queryFields(deps: Deps) {
  return {
    fields: (Object.keys(FIELDS) as ProfileField[]).map((field) => {
      const def: FieldDef = FIELDS[field];
      return { field, type: def.type, operators: operatorsOf(field), ...(def.values && { values: [...def.values] }) };
    }),
    measures: (Object.keys(MEASURES) as Measure[]).map((measure) => ({ measure, source: MEASURES[measure].source })),
    aggregates: [...AGGREGATES],
    measureOperators: MEASURE_OPS,
    latestMonth: await q.latestFactMonth(analyticsReads(deps)),
  };
}
