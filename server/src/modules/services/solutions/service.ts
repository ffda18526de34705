/**
 * 集团/个人解决方案: a catalogue of products and bundles (organisation-wide, kept with solutions.catalogue), and
 * proposals for a customer — group solutions for group customers, personal ones for individuals — from draft
 * through proposed and negotiating to signed or lost. A proposal is scoped like its customer; signing adds its
 * products to the customer's products in the same transaction. The expected monthly revenue is summed in SQL.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { audit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/principal.js';
import { customerReader } from '../../../platform/auth/scope.js';
import { pgErrorCode, PG_UNIQUE_VIOLATION } from '../../../platform/db-errors.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError, duplicate, entityName, forbidden, invalid, notFound, outOfScope, versionConflict } from '../../../platform/errors.js';
import type { Page } from '../../../platform/http/list.js';
import { messageRef, type MessageCode } from '../../../platform/i18n/messages.js';
import { todayAt } from '../../../platform/months.js';
import { addOwnProducts, loadVisibleCustomer, loadWritableCustomer, managedCustomersSql, visibleCustomersSql } from '../../customers/service.js';
import * as q from './queries.js';
import {
  isOpen,
  MOVES,
  STATUSES,
  type BundleItemInput,
  type CreateProduct,
  type CreateSolution,
  type CustomerSolutionsQuery,
  type Figure,
  type PatchProduct,
  type PatchSolution,
  type Pipeline,
  type PipelineQuery,
  type Product,
  type ProductQuery,
  type Solution,
  type SolutionItemInput,
  type SolutionKind,
  type SolutionQuery,
  type SolutionStatus,
  type StatusInput,
} from './schemas.js';

const PRODUCT = 'solution_product';
const SOLUTION = 'solution';

// ---- the catalogue (解决方案目录) ----

/** The catalogue is read by those who draft solutions and by those who keep it. */
function requireCatalogueReader(actor: Actor) {
  if (!actor.permissions.has('solutions.edit') && !actor.permissions.has('solutions.catalogue')) throw forbidden();
}

export async function listProducts(deps: Deps, actor: Actor, query: ProductQuery): Promise<Page<Product>> {
  requireCatalogueReader(actor);
  const where = q.productFilter(query);
  const [items, total] = await Promise.all([q.listProducts(deps.database, where, query.offset, query.limit), q.countProducts(deps.database, where)]);
  return { items, total };
}

export async function getProduct(deps: Deps, actor: Actor, id: number): Promise<Product> {
  requireCatalogueReader(actor);
  const product = await q.getProduct(deps.database, id);
  if (!product) throw notFound(PRODUCT);
  return product;
}

/** A bundle lists products (never bundles), each once; a product lists none. */
async function checkBundleItems(deps: Deps, tx: Executor, kind: string, items: BundleItemInput[]) {
  if (kind === 'product') {
    if (items.length) throw invalid('body.items', 'solution_product_no_items');
    return;
  }
  if (!items.length) throw invalid('body.items', 'solution_bundle_empty');
  const found = await q.productsByIds(deps.database, tx, items.map((i) => i.productId));
  const seen = new Set<number>();
  items.forEach((item, i) => {
    const field = `body.items.${i}.productId`;
    if (seen.has(item.productId)) throw invalid(field, 'solution_item_duplicate');
    seen.add(item.productId);
    const product = found.get(item.productId);
    if (!product) throw invalid(field, 'not_found', { entity: entityName(PRODUCT) });
    if (product.kind === 'bundle') throw invalid(field, 'solution_bundle_nested');
  });
}

const duplicateCode = (err: unknown) => {
  if (pgErrorCode(err) === PG_UNIQUE_VIOLATION) throw duplicate('body.code');
  throw err;
};

/** Adds a product or a bundle (with its products); codes are unique (409 naming body.code); audited. */
export async function createProduct(deps: Deps, actor: Actor, input: CreateProduct): Promise<Product> {
  const { items = [], ...fields } = input;
  const id = await deps.database.db
    .transaction(async (tx) => {
      await checkBundleItems(deps, tx, input.kind, items);
      const id = await q.insertProduct(tx, { ...fields, nameEn: fields.nameEn || null, description: fields.description || null });
      await q.replaceBundleItems(tx, id, items);
      await audit(tx, actor, { action: 'create', entity: PRODUCT, entityId: id, after: { ...fields, items } });
      return id;
    })
    .catch(duplicateCode);
  return (await q.getProduct(deps.database, id))!;
}

/** Renames, reprices, withdraws a product, or changes a bundle's products, at the version read; audited. */
export async function patchProduct(deps: Deps, actor: Actor, id: number, input: PatchProduct): Promise<Product> {
  const { version, items, ...fields } = input;
  const { database } = deps;
  await database.db.transaction(async (tx) => {
    const row = await q.lockProduct(database, tx, id);
    if (!row) throw notFound(PRODUCT);
    if (row.version !== version) throw versionConflict();
    if (items !== undefined) await checkBundleItems(deps, tx, row.kind, items);
    const before = (await q.getProduct(database, id, tx))!;
    const set = { ...fields, ...(fields.nameEn !== undefined && { nameEn: fields.nameEn || null }), ...(fields.description !== undefined && { description: fields.description || null }) };
    if (!(await q.updateProduct(tx, id, version, set))) throw versionConflict();
    if (items !== undefined) await q.replaceBundleItems(tx, id, items);
    const after = (await q.getProduct(database, id, tx))!;
    await audit(tx, actor, { action: 'update', entity: PRODUCT, entityId: id, before: catalogueRecord(before), after: catalogueRecord(after) });
  });
  return (await q.getProduct(database, id))!;
}

const catalogueRecord = ({ version: _v, updatedAt: _u, items, ...p }: Product) => ({ ...p, items: items.map((i) => ({ productId: i.productId, quantity: i.quantity })) });

// ---- solutions (方案) ----

const statusName = (status: SolutionStatus) => messageRef(`solution_status_${status}` as MessageCode);
const solutionKindOf = (customerKind: string): SolutionKind => (customerKind === 'group' ? 'group' : 'personal');

/** Items name offered products of the catalogue, each once; a product withdrawn since may stay where it already is. */
async function checkItems(deps: Deps, tx: Executor, items: SolutionItemInput[], listed: Set<number> = new Set()) {
  const found = await q.productsByIds(deps.database, tx, items.map((i) => i.productId));
  const seen = new Set<number>();
  items.forEach((item, i) => {
    const field = `body.items.${i}.productId`;
    if (seen.has(item.productId)) throw invalid(field, 'solution_item_duplicate');
    seen.add(item.productId);
    const product = found.get(item.productId);
    if (!product) throw invalid(field, 'not_found', { entity: entityName(PRODUCT) });
    if (!product.active && !listed.has(item.productId)) throw invalid(field, 'solution_product_inactive');
  });
}

/** The owner: an active user of the actor's subtree. */
async function checkOwner(deps: Deps, tx: Executor, actor: Actor, ownerId: number) {
  if (ownerId === actor.userId) return;
  if ((await q.ownerInSubtree(deps.database, tx, ownerId, actor.unitPath)) === null) throw invalid('body.ownerId', 'solution_owner_invalid');
}

const itemsRecord = (items: SolutionItemInput[]) => items.map((i) => ({ productId: i.productId, quantity: i.quantity, monthlyFee: i.monthlyFee ?? null }));

/** 编制方案: a draft for a customer the actor manages, of the customer's kind, owned by the actor unless named; audited. */
export async function createSolution(deps: Deps, actor: Actor, customerId: number, input: CreateSolution): Promise<Solution> {
  const { database } = deps;
  const id = await database.db.transaction(async (tx) => {
    const customer = await loadWritableCustomer(deps, actor, customerId, tx, 'manage');
    const kind = solutionKindOf(customer.kind);
    if (input.kind && input.kind !== kind) throw invalid('body.kind', 'solution_kind_mismatch');
    const ownerId = input.ownerId ?? actor.userId;
    if (ownerId !== null) await checkOwner(deps, tx, actor, ownerId);
    await checkItems(deps, tx, input.items);
    const id = await q.insertSolution(tx, { customerId, kind, title: input.title, ownerId, note: input.note || null });
    await q.replaceItems(database, tx, id, input.items);
    await audit(tx, actor, {
      action: 'create',
      entity: SOLUTION,
      entityId: id,
      unitPath: customer.unitPath,
      after: { customerId, kind, title: input.title, ownerId, note: input.note || null, items: itemsRecord(input.items) },
    });
    return id;
  });
  return (await q.getSolution(database, id, sql`true`))!;
}

/**
 * The solution `id` locked for a change by the actor, and its customer (locked too): 404 outside the customers
 * the actor manages, exactly as when there is none; 409 once the customer is merged.
 */
async function lockForChange(deps: Deps, tx: Executor, actor: Actor, id: number) {
  const row = await q.lockSolution(deps.database, tx, id, managedCustomersSql(actor));
  if (!row) throw notFound(SOLUTION);
  if (!row.visible) throw outOfScope(SOLUTION);
  const customer = await loadWritableCustomer(deps, actor, row.customerId, tx, 'manage');
  return { row, customer };
}

/** Retitles, hands over, annotates or changes the items of an open solution at the version read; audited. */
export async function patchSolution(deps: Deps, actor: Actor, id: number, input: PatchSolution): Promise<Solution> {
  const { version, items, ...fields } = input;
  const { database } = deps;
  await database.db.transaction(async (tx) => {
    const { row, customer } = await lockForChange(deps, tx, actor, id);
    if (!isOpen(row.status)) throw new AppError(409, 'solution_closed', { status: statusName(row.status) });
    if (row.version !== version) throw versionConflict();
    // a handover names a new owner; the current one stays whoever it is
    if (fields.ownerId !== undefined && fields.ownerId !== row.ownerId) await checkOwner(deps, tx, actor, fields.ownerId);
    if (items !== undefined) await checkItems(deps, tx, items, await q.itemProductIds(database, tx, id));
    const before = (await q.getSolution(database, id, sql`true`, tx))!;
    const set = { ...fields, ...(fields.note !== undefined && { note: fields.note || null }) };
    if (!(await q.updateSolution(tx, id, version, set))) throw versionConflict();
    if (items !== undefined) await q.replaceItems(database, tx, id, items);
    const after = (await q.getSolution(database, id, sql`true`, tx))!;
    await audit(tx, actor, { action: 'update', entity: SOLUTION, entityId: id, unitPath: customer.unitPath, before: solutionRecord(before), after: solutionRecord(after) });
  });
  return (await q.getSolution(database, id, sql`true`))!;
}

const solutionRecord = (s: Solution) => ({
  title: s.title,
  ownerId: s.ownerId,
  note: s.note,
  status: s.status,
  expectedMonthlyRevenue: s.expectedMonthlyRevenue,
  items: s.items.map((i) => ({ productId: i.productId, quantity: i.quantity, monthlyFee: i.monthlyFee })),
});

/** The stamps a move sets. */
function stampsOf(to: SolutionStatus, reason: string | null) {
  const now = new Date();
  if (to === 'proposed') return { proposedAt: now };
  if (to === 'signed') return { signedAt: now, closedAt: now };
  if (to === 'lost') return { closedAt: now, lostReason: reason };
  return {};
}

/**
 * 推进方案: one move of the status flow at the version read (409 naming the allowed moves for any other); lost
 * needs its reason; signing adds the solution's products to the customer's products in the same transaction.
 */
export async function changeStatus(deps: Deps, actor: Actor, id: number, input: StatusInput): Promise<Solution> {
  const to = input.status;
  const reason = input.reason?.trim() || null;
  if (to === 'lost' && !reason) throw invalid('body.reason', 'solution_lost_reason_required');
  const { database } = deps;
  await database.db.transaction(async (tx) => {
    const { row, customer } = await lockForChange(deps, tx, actor, id);
    const from = row.status;
    if (!MOVES[from].includes(to)) {
      throw new AppError(409, 'solution_illegal_move', { from: statusName(from), to: statusName(to), allowed: messageRef(`solution_moves_${from}` as MessageCode) });
    }
    if (row.version !== input.version) throw versionConflict();
    if (to === 'proposed' && (await q.itemProductIds(database, tx, id)).size === 0) throw new AppError(409, 'solution_empty');
    if (!(await q.updateSolution(tx, id, input.version, { status: to, ...stampsOf(to, reason) }))) throw versionConflict();
    if (to === 'signed') await addSignedProducts(deps, tx, actor, id, row.title, { id: row.customerId, unitPath: customer.unitPath });
    await audit(tx, actor, { action: 'update', entity: SOLUTION, entityId: id, unitPath: customer.unitPath, before: { status: from }, after: { status: to, ...(reason && { lostReason: reason }) } });
  });
  return (await q.getSolution(database, id, sql`true`))!;
}

/** 签约: each item becomes one of the customer's products, from today, at quantity × agreed fee a month. */
async function addSignedProducts(deps: Deps, tx: Executor, actor: Actor, id: number, title: string, customer: { id: number; unitPath: string }) {
  const since = todayAt();
  const products = (await q.signedProducts(deps.database, tx, id)).map((p) => ({ product: p.product, since, monthlyFee: p.monthlyFee, note: `${title}（×${p.quantity}）` }));
  await addOwnProducts(tx, actor, customer, products, { entity: SOLUTION, id });
}

// ---- reads ----

/** One solution the actor may see (404 outside the scope, as when there is none). */
export async function getSolution(deps: Deps, actor: Actor, id: number): Promise<Solution> {
  const found = await q.getSolution(deps.database, id, visibleCustomersSql(actor));
  if (found) return found;
  throw (await q.getSolution(deps.database, id, sql`true`)) ? outOfScope(SOLUTION) : notFound(SOLUTION);
}

/** A customer's solutions (the 360° view), latest first. */
export async function customerSolutions(deps: Deps, actor: Actor, customerId: number, query: CustomerSolutionsQuery): Promise<Page<Solution>> {
  await loadVisibleCustomer(deps, actor, customerId);
  return page(deps, q.solutionFilter({ customerId, status: query.status }), query);
}

/** The unit a filter names: 400 naming the field when there is none. */
async function unitOf(deps: Deps, unitId: number, field: string) {
  const unit = await q.unitById(deps.database, unitId);
  if (!unit) throw invalid(field, 'not_found', { entity: entityName('org_unit') });
  return unit;
}

/** Solutions of the customers the actor may see, filtered, latest first. */
export async function listSolutions(deps: Deps, actor: Actor, query: SolutionQuery): Promise<Page<Solution>> {
  const { unitId, ...filter } = query;
  const unitPath = unitId === undefined ? undefined : (await unitOf(deps, unitId, 'query.unitId')).path;
  return page(deps, sql`${visibleCustomersSql(actor)} AND ${q.solutionFilter({ ...filter, unitPath })}`, query);
}

async function page(deps: Deps, where: SQL, query: { offset: number; limit: number }): Promise<Page<Solution>> {
  const [items, total] = await Promise.all([q.listSolutions(deps.database, where, query.offset, query.limit), q.countSolutions(deps.database, where)]);
  return { items, total };
}

const zero = (status: SolutionStatus): Figure => ({ status, count: 0, revenue: '0.00' });
const inFlowOrder = (cells: q.PipelineCell[]): Figure[] =>
  STATUSES.map((status) => {
    const cell = cells.find((c) => c.status === status);
    return cell ? { status, count: cell.count, revenue: cell.revenue } : zero(status);
  });

/**
 * 方案漏斗: counts and expected monthly revenue by status over the solutions of the customers the actor may see,
 * in total and per sub-unit of the unit asked for (or of the actor's), or per owner.
 */
export async function pipeline(deps: Deps, actor: Actor, query: PipelineQuery): Promise<Pipeline> {
  const base = query.unitId === undefined ? await q.unitByPath(deps.database, customerReader(actor).unitPath) : await unitOf(deps, query.unitId, 'query.unitId');
  if (!base) throw notFound('org_unit');
  const where = sql`${visibleCustomersSql(actor)} AND ${q.solutionFilter({ kind: query.kind, ownerId: query.ownerId })}`;
  const cells = await q.pipeline(deps.database, where, query.by, base);
  const byRow = new Map<string, q.PipelineCell[]>();
  for (const cell of cells.filter((c) => c.whole === 0)) byRow.set(String(cell.id), [...(byRow.get(String(cell.id)) ?? []), cell]);
  const rows = [...byRow.values()].map((group) => ({ head: group[0]!, statuses: inFlowOrder(group) }));
  const revenueOf = (r: (typeof rows)[number]) => r.statuses.reduce((sum, f) => sum + Number(f.revenue), 0);
  rows.sort((a, b) =>
    query.by === 'unit' ? a.head.ord - b.head.ord || String(a.head.sortKey).localeCompare(String(b.head.sortKey)) : revenueOf(b) - revenueOf(a) || String(a.head.sortKey).localeCompare(String(b.head.sortKey)),
  );
  return {
    unitId: base.id,
    statuses: inFlowOrder(cells.filter((c) => c.whole === 1)),
    rows: rows.map(({ head, statuses }) => ({ id: head.id, name: head.name, nameEn: head.nameEn, statuses })),
  };
}
