import { asc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { updateAtVersion } from '../../db/versioned.js';
import { roles } from '../../db/schema/index.js';

const roleColumns = {
  ...getTableColumns(roles),
  userCount: sql<number>`(SELECT count(*)::int FROM user_roles ur WHERE ur.role_id = "roles"."id")`,
};

export const listRoles = (db: Executor) => db.select(roleColumns).from(roles).orderBy(asc(roles.id));

export const findRole = (db: Executor, id: number) =>
  db.select(roleColumns).from(roles).where(eq(roles.id, id)).then((r) => r[0]);

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
    .onConflictDoUpdate({ target: roles.code, set: { permissions: sql`excluded.permissions`, builtin: true } });
