/** SQL of the solutions catalogue (products, bundles) and of solutions with their items and pipeline. */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { solutionBundleItems, solutionProducts, solutions } from '../../../db/schema/index.js';
import { updateAtVersion } from '../../../db/versioned.js';
import { inSubtree } from '../../../platform/auth/scope.js';
import { likeEscape } from '../../../platform/db-errors.js';
import type { Figure, Product, ProductQuery, Solution, SolutionStatus } from './schemas.js';
import { MOVES } from './schemas.js';

const allOf = (conds: SQL[]): SQL => (conds.length ? sql.join(conds, sql` AND `) : sql`true`);
const contains = (text: string) => `%${likeEscape(text)}%`;

// ---- the catalogue ----

const PRODUCT_COLUMNS = sql`
  p.id, p.code, p.name, p.name_en AS "nameEn", p.kind, p.category, p.monthly_fee::text AS "monthlyFee", p.description, p.active,
  (SELECT coalesce(json_agg(json_build_object('productId', m.id, 'code', m.code, 'name', m.name, 'nameEn', m.name_en,
                                              'quantity', b.quantity, 'monthlyFee', m.monthly_fee::text) ORDER BY m.code), '[]')
   FROM solution_bundle_items b JOIN solution_products m ON m.id = b.product_id WHERE b.bundle_id = p.id) AS items,
  p.version, p.updated_at AS "updatedAt"`;

type ProductRaw = Omit<Product, 'updatedAt'> & { updatedAt: string | Date };
// raw SQL rows carry bigints and timestamps as text on the pg driver
const toProduct = (r: ProductRaw): Product => ({ ...r, id: Number(r.id), updatedAt: new Date(r.updatedAt) });

/** What a catalogue list matches. */
export function productFilter(query: Pick<ProductQuery, 'q' | 'kind' | 'category' | 'active'>): SQL {
  const conds: SQL[] = [];
  if (query.q) conds.push(sql`(p.code ILIKE ${contains(query.q)} OR p.name ILIKE ${contains(query.q)} OR p.name_en ILIKE ${contains(query.q)})`);
  if (query.kind) conds.push(sql`p.kind = ${query.kind}`);
  if (query.category) conds.push(sql`p.category = ${query.category}`);
  if (query.active !== undefined) conds.push(sql`p.active = ${query.active}`);
  return allOf(conds);
}

export async function listProducts(database: Database, where: SQL, offset: number, limit: number): Promise<Product[]> {
  const rows = await database.rows<ProductRaw>(sql`
    SELECT ${PRODUCT_COLUMNS} FROM solution_products p WHERE ${where}
    ORDER BY p.kind, p.category, p.code OFFSET ${offset} LIMIT ${limit}`);
  return rows.map(toProduct);
}

export async function countProducts(database: Database, where: SQL): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM solution_products p WHERE ${where}`);
  return Number(row?.n ?? 0);
}

export async function getProduct(database: Database, id: number, executor?: Executor): Promise<Product | null> {
  const [row] = await database.rows<ProductRaw>(sql`SELECT ${PRODUCT_COLUMNS} FROM solution_products p WHERE p.id = ${id}`, executor);
  return row ? toProduct(row) : null;
}

/** The catalogue rows of `ids` with what an item check needs (unknown ids are left out). */
export async function productsByIds(database: Database, executor: Executor, ids: number[]) {
  if (!ids.length) return new Map<number, { kind: string; active: boolean }>();
  const rows = await database.rows<{ id: number; kind: string; active: boolean }>(
    sql`SELECT id, kind, active FROM solution_products WHERE id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`,
    executor,
  );
  return new Map(rows.map((r) => [Number(r.id), { kind: r.kind, active: r.active }]));
}

export async function insertProduct(db: Executor, row: typeof solutionProducts.$inferInsert): Promise<number> {
  const [created] = await db.insert(solutionProducts).values(row).returning({ id: solutionProducts.id });
  return created!.id;
}

export const updateProduct = (db: Executor, id: number, version: number, set: Partial<typeof solutionProducts.$inferInsert>) =>
  updateAtVersion(db, solutionProducts, id, version, set);

/** The product locked for its change, or null. */
export async function lockProduct(database: Database, tx: Executor, id: number) {
  const [row] = await database.rows<{ kind: string; version: number }>(sql`SELECT kind, version FROM solution_products WHERE id = ${id} FOR UPDATE`, tx);
  return row ?? null;
}

/** Replaces a bundle's products. */
export async function replaceBundleItems(db: Executor, bundleId: number, items: { productId: number; quantity: number }[]) {
  await db.execute(sql`DELETE FROM solution_bundle_items WHERE bundle_id = ${bundleId}`);
  if (items.length) await db.insert(solutionBundleItems).values(items.map((i) => ({ bundleId, ...i })));
}

// ---- solutions ----

const SOLUTION_COLUMNS = sql`
  s.id, s.customer_id AS "customerId", c.customer_no AS "customerNo", c.name AS "customerName", u.name AS "unitName", u.name_en AS "unitNameEn",
  s.kind, s.title, s.status, s.expected_monthly_revenue::text AS "expectedMonthlyRevenue", s.lost_reason AS "lostReason",
  s.owner_id AS "ownerId", o.username AS owner, o.display_name AS "ownerName", s.note,
  s.proposed_at AS "proposedAt", s.signed_at AS "signedAt", s.closed_at AS "closedAt",
  (SELECT coalesce(json_agg(json_build_object(
            'id', i.id, 'productId', p.id, 'code', p.code, 'name', p.name, 'nameEn', p.name_en, 'productKind', p.kind, 'category', p.category,
            'quantity', i.quantity, 'monthlyFee', i.monthly_fee::text, 'listFee', p.monthly_fee::text, 'amount', (i.quantity * i.monthly_fee)::text) ORDER BY i.id), '[]')
   FROM solution_items i JOIN solution_products p ON p.id = i.product_id WHERE i.solution_id = s.id) AS items,
  s.version, s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;
const SOLUTION_FROM = sql`
  FROM solutions s
  JOIN customers c ON c.id = s.customer_id
  JOIN org_units u ON u.id = c.unit_id
  LEFT JOIN users o ON o.id = s.owner_id`;

type Stamp = string | Date;
type SolutionRaw = Omit<Solution, 'nextStatuses' | 'proposedAt' | 'signedAt' | 'closedAt' | 'createdAt' | 'updatedAt'> & {
  proposedAt: Stamp | null;
  signedAt: Stamp | null;
  closedAt: Stamp | null;
  createdAt: Stamp;
  updatedAt: Stamp;
};
const when = (v: Stamp | null) => (v === null ? null : new Date(v));

const toSolution = (r: SolutionRaw): Solution => ({
  ...r,
  id: Number(r.id),
  customerId: Number(r.customerId),
  ownerId: r.ownerId === null ? null : Number(r.ownerId),
  nextStatuses: [...MOVES[r.status]],
  proposedAt: when(r.proposedAt),
  signedAt: when(r.signedAt),
  closedAt: when(r.closedAt),
  createdAt: new Date(r.createdAt),
  updatedAt: new Date(r.updatedAt),
});

export interface SolutionFilter {
  status?: SolutionStatus;
  kind?: string;
  ownerId?: number;
  /** Customers of the unit at this path and below. */
  unitPath?: string;
  customerId?: number;
  q?: string;
}

/** What a list of solutions matches, on `s`, `c` (customers) and `u` (their units). */
export function solutionFilter(f: SolutionFilter): SQL {
  const conds: SQL[] = [];
  if (f.status) conds.push(sql`s.status = ${f.status}`);
  if (f.kind) conds.push(sql`s.kind = ${f.kind}`);
  if (f.ownerId !== undefined) conds.push(sql`s.owner_id = ${f.ownerId}`);
  if (f.unitPath) conds.push(inSubtree(sql`u.path`, f.unitPath));
  if (f.customerId !== undefined) conds.push(sql`s.customer_id = ${f.customerId}`);
  if (f.q) conds.push(sql`(s.title ILIKE ${contains(f.q)} OR c.name ILIKE ${contains(f.q)} OR c.customer_no ILIKE ${contains(f.q)})`);
  return allOf(conds);
}

export async function listSolutions(database: Database, where: SQL, offset: number, limit: number): Promise<Solution[]> {
  const rows = await database.rows<SolutionRaw>(sql`SELECT ${SOLUTION_COLUMNS} ${SOLUTION_FROM} WHERE ${where} ORDER BY s.updated_at DESC, s.id DESC OFFSET ${offset} LIMIT ${limit}`);
  return rows.map(toSolution);
}

export async function countSolutions(database: Database, where: SQL): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n ${SOLUTION_FROM} WHERE ${where}`);
  return Number(row?.n ?? 0);
}

/** The solution `id` if `visible` (a condition on `c`) holds for its customer. */
export async function getSolution(database: Database, id: number, visible: SQL, executor?: Executor): Promise<Solution | null> {
  const [row] = await database.rows<SolutionRaw>(sql`SELECT ${SOLUTION_COLUMNS} ${SOLUTION_FROM} WHERE s.id = ${id} AND ${visible}`, executor);
  return row ? toSolution(row) : null;
}

export interface LockedSolution {
  customerId: number;
  status: SolutionStatus;
  version: number;
  title: string;
  ownerId: number | null;
  /** Whether `visible` holds for its customer. */
  visible: boolean;
}

/** The solution locked for a change, with whether the actor's condition on its customer holds; null when there is none. */
export async function lockSolution(database: Database, tx: Executor, id: number, visible: SQL): Promise<LockedSolution | null> {
  const [row] = await database.rows<LockedSolution>(
    sql`SELECT s.customer_id AS "customerId", s.status, s.version, s.title, s.owner_id AS "ownerId", (${visible}) AS visible
        FROM solutions s JOIN customers c ON c.id = s.customer_id
        WHERE s.id = ${id} FOR UPDATE OF s`,
    tx,
  );
  return row ? { ...row, customerId: Number(row.customerId), ownerId: row.ownerId === null ? null : Number(row.ownerId) } : null;
}

export async function insertSolution(db: Executor, row: typeof solutions.$inferInsert): Promise<number> {
  const [created] = await db.insert(solutions).values(row).returning({ id: solutions.id });
  return created!.id;
}

export const updateSolution = (db: Executor, id: number, version: number, set: Partial<typeof solutions.$inferInsert>) =>
  updateAtVersion(db, solutions, id, version, set);

/**
 * Replaces the items of a solution (a missing fee is the catalogue's) and sets its expected monthly revenue
 * to the sum of quantity × fee, in numeric: never a float.
 */
export async function replaceItems(database: Database, tx: Executor, solutionId: number, items: { productId: number; quantity: number; monthlyFee?: string | null }[]) {
  await tx.execute(sql`DELETE FROM solution_items WHERE solution_id = ${solutionId}`);
  if (items.length) {
    const json = JSON.stringify(items.map((i, ord) => ({ ord, product_id: i.productId, quantity: i.quantity, fee: i.monthlyFee ?? null })));
    await tx.execute(sql`
      INSERT INTO solution_items (solution_id, product_id, quantity, monthly_fee)
      SELECT ${solutionId}, p.id, i.quantity, coalesce(i.fee, p.monthly_fee)
      FROM jsonb_to_recordset(${json}::jsonb) AS i(ord int, product_id bigint, quantity int, fee numeric)
      JOIN solution_products p ON p.id = i.product_id
      ORDER BY i.ord`);
  }
  await tx.execute(sql`
    UPDATE solutions s SET expected_monthly_revenue = (SELECT coalesce(sum(i.quantity * i.monthly_fee), 0) FROM solution_items i WHERE i.solution_id = s.id)
    WHERE s.id = ${solutionId}`);
}

/** The product ids a solution lists now. */
export async function itemProductIds(database: Database, tx: Executor, solutionId: number): Promise<Set<number>> {
  const rows = await database.rows<{ id: number }>(sql`SELECT product_id AS id FROM solution_items WHERE solution_id = ${solutionId}`, tx);
  return new Set(rows.map((r) => Number(r.id)));
}

/** What signing adds to the customer's products: each item by its catalogue name, at quantity × agreed fee a month. */
export async function signedProducts(database: Database, tx: Executor, solutionId: number) {
  return database.rows<{ product: string; quantity: number; monthlyFee: string }>(
    sql`SELECT p.name AS product, i.quantity, (i.quantity * i.monthly_fee)::text AS "monthlyFee"
        FROM solution_items i JOIN solution_products p ON p.id = i.product_id WHERE i.solution_id = ${solutionId} ORDER BY i.id`,
    tx,
  );
}

/** An active user of the subtree at `unitPath`, or null. */
export async function ownerInSubtree(database: Database, tx: Executor, userId: number, unitPath: string): Promise<number | null> {
  const [row] = await database.rows<{ id: number }>(
    sql`SELECT us.id FROM users us JOIN org_units ou ON ou.id = us.unit_id WHERE us.id = ${userId} AND us.active AND ${inSubtree(sql`ou.path`, unitPath)}`,
    tx,
  );
  return row ? Number(row.id) : null;
}

export async function unitById(database: Database, id: number) {
  const [row] = await database.rows<{ id: number; path: string }>(sql`SELECT id, path FROM org_units WHERE id = ${id}`);
  return row ? { id: Number(row.id), path: row.path } : null;
}

export async function unitByPath(database: Database, path: string) {
  const [row] = await database.rows<{ id: number; path: string }>(sql`SELECT id, path FROM org_units WHERE path = ${path}`);
  return row ? { id: Number(row.id), path: row.path } : null;
}

// ---- the pipeline ----

export interface PipelineCell extends Figure {
  /** 1: the totals per status over every row. */
  whole: number;
  id: number | null;
  name: string | null;
  nameEn: string | null;
  /** The order of the rows: a unit's place among its siblings, then its code; an owner's user name. */
  ord: number;
  sortKey: string | null;
}

/**
 * Counts and expected monthly revenue per status, in total and per row, in one GROUP BY: a row is the sub-unit
 * of `base` on the path of the customer's unit (the base itself for its own customers), or the owner.
 */
export async function pipeline(database: Database, where: SQL, by: 'unit' | 'owner', base: { id: number; path: string }): Promise<PipelineCell[]> {
  const key =
    by === 'unit'
      ? sql`coalesce(nullif(split_part(substr(u.path, ${base.path.length + 1}), '/', 1), ''), ${String(base.id)})::bigint`
      : sql`s.owner_id`;
  const names =
    by === 'unit'
      ? sql`ou.name AS name, ou.name_en AS "nameEn", coalesce(ou.sort_order, 2147483647) AS ord, ou.code AS "sortKey" FROM g LEFT JOIN org_units ou ON ou.id = g.k`
      : sql`us.display_name AS name, NULL AS "nameEn", 0 AS ord, us.username AS "sortKey" FROM g LEFT JOIN users us ON us.id = g.k`;
  const rows = await database.rows<PipelineCell & { id: number | string | null }>(sql`
    WITH f AS (
      SELECT s.status, s.expected_monthly_revenue AS revenue, ${key} AS k
      FROM solutions s JOIN customers c ON c.id = s.customer_id JOIN org_units u ON u.id = c.unit_id
      WHERE ${where} AND ${inSubtree(sql`u.path`, base.path)}
    ), g AS (
      SELECT k, status, count(*)::int AS n, sum(revenue)::text AS revenue, GROUPING(k)::int AS whole
      FROM f GROUP BY GROUPING SETS ((status), (k, status))
    )
    SELECT g.whole, g.k AS id, g.status, g.n AS count, g.revenue, ${names}`);
  return rows.map((r) => ({ ...r, whole: Number(r.whole), ord: Number(r.ord), id: r.id === null ? null : Number(r.id) }));
}
