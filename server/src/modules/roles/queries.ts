import { asc, eq, getTableColumns, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { updateAtVersion } from '../../db/versioned.js';
import { orgUnits, roles } from '../../db/schema/index.js';
import { inSubtree } from '../../platform/auth/scope.js';

const roleColumns = {
  ...getTableColumns(roles),
  unitName: orgUnits.name,
  unitPath: orgUnits.path,
  userCount: sql<number>`(SELECT count(*)::int FROM user_roles ur WHERE ur.role_id = "roles"."id")`,
};

/** The ids on a unit path (`/1/2/37/` → 1, 2, 37): the unit and its ancestors. */
const idsOnPath = (unitPath: string) => unitPath.split('/').filter(Boolean).map(Number);

/**
 * The roles a user of the unit at `unitPath` sees: the built-in ones, those of their unit and its
 * ancestors (which they may hold), and those of the units in their scope (which they may manage).
 */
const visibleAt = (unitPath: string): SQL =>
  or(isNull(roles.unitId), inArray(roles.unitId, idsOnPath(unitPath)), inSubtree(orgUnits.path, unitPath))!;

const selectRoles = (db: Executor) => db.select(roleColumns).from(roles).leftJoin(orgUnits, eq(orgUnits.id, roles.unitId));

export const listRoles = (db: Executor, unitPath: string) => selectRoles(db).where(visibleAt(unitPath)).orderBy(asc(roles.id));

export const findRole = (db: Executor, id: number) =>
  selectRoles(db)
    .where(eq(roles.id, id))
    .then((r) => r[0]);

export async function insertRole(db: Executor, values: typeof roles.$inferInsert) {
  const [row] = await db.insert(roles).values(values).returning({ id: roles.id });
  return row!.id;
}

export const updateRole = (db: Executor, id: number, version: number, set: Partial<typeof roles.$inferInsert>) =>
  updateAtVersion(db, roles, id, version, set);

export const deleteRole = (db: Executor, id: number) => db.delete(roles).where(eq(roles.id, id));

/** Creates the built-in roles, or brings their permission sets up to date with the code, in one statement. */
export const upsertBuiltinRoles = (db: Executor, rs: { code: string; name: string; nameEn: string; permissions: readonly string[] }[]) =>
  db
    .insert(roles)
    .values(rs.map((r) => ({ ...r, permissions: [...r.permissions], builtin: true })))
    .onConflictDoUpdate({ target: roles.code, set: { permissions: sql`excluded.permissions`, builtin: true, unitId: null } });
