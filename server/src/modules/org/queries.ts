import { and, eq, getTableColumns, like, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { updateAtVersion } from '../../db/versioned.js';
import { orgUnits } from '../../db/schema/index.js';
import { likeEscape } from '../../platform/db-errors.js';
import { inSubtree } from '../../platform/auth/scope.js';

// correlated subqueries name the outer table explicitly: drizzle renders a bare column name inside sql``
const userCount = sql<number>`(SELECT count(*)::int FROM users u WHERE u.unit_id = "org_units"."id")`;
/**
 * Tree order with siblings by their sort order, then code: each unit's ancestors' (order, code) pairs from
 * the root down, compared as arrays (a parent sorts before its children, cities in the official order).
 */
const treeOrder = sql`(SELECT array_agg(lpad(coalesce(a.sort_order, 999999)::text, 6, '0') || ' ' || a.code ORDER BY length(a.path))
  FROM org_units a WHERE a.id = ANY (string_to_array(trim(both '/' from "org_units"."path"), '/')::bigint[]))`;
const unitColumns = { ...getTableColumns(orgUnits), userCount };

export const unitsInSubtree = (path: string) => inSubtree(orgUnits.path, path);

export async function listUnits(db: Executor, scopePath: string, f: { q?: string; active?: boolean; offset: number; limit: number }) {
  const conds: SQL[] = [unitsInSubtree(scopePath)];
  if (f.q) {
    const pattern = `%${likeEscape(f.q)}%`;
    conds.push(or(like(orgUnits.name, pattern), like(orgUnits.code, pattern))!);
  }
  if (f.active !== undefined) conds.push(eq(orgUnits.active, f.active));
  const rows = await db
    .select({ ...unitColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(orgUnits)
    .where(and(...conds))
    .orderBy(treeOrder)
    .offset(f.offset)
    .limit(f.limit);
  return { items: rows.map(({ total: _t, ...u }) => u), total: rows[0]?.total ?? 0 };
}

export const findUnit = (db: Executor, id: number) =>
  db.select(unitColumns).from(orgUnits).where(eq(orgUnits.id, id)).then((r) => r[0]);

export async function insertUnit(db: Executor, v: Omit<typeof orgUnits.$inferInsert, 'path'> & { parentPath: string }) {
  const { parentPath, ...values } = v;
  const [row] = await db.insert(orgUnits).values({ ...values, path: '' }).returning({ id: orgUnits.id });
  const id = row!.id;
  await db.update(orgUnits).set({ path: `${parentPath}${id}/` }).where(eq(orgUnits.id, id));
  return id;
}

export const updateUnit = (db: Executor, id: number, version: number, set: Partial<typeof orgUnits.$inferInsert>) =>
  updateAtVersion(db, orgUnits, id, version, set);

/** Moves a whole subtree in one statement by rewriting the path prefix. */
export const rewriteSubtreePaths = (db: Executor, oldPath: string, newPath: string) =>
  db
    .update(orgUnits)
    .set({ path: sql`${newPath} || substr(${orgUnits.path}, ${oldPath.length + 1})` })
    .where(unitsInSubtree(oldPath));

export const countActiveChildren = (db: Executor, id: number) =>
  db
    .select({ n: sql<number>`count(*)::int` })
    .from(orgUnits)
    .where(and(eq(orgUnits.parentId, id), eq(orgUnits.active, true)))
    .then((r) => r[0]?.n ?? 0);

export const countChildren = (db: Executor, id: number) =>
  db
    .select({ n: sql<number>`count(*)::int` })
    .from(orgUnits)
    .where(eq(orgUnits.parentId, id))
    .then((r) => r[0]?.n ?? 0);

export const deleteUnit = (db: Executor, id: number) => db.delete(orgUnits).where(eq(orgUnits.id, id));
