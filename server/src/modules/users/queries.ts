import { and, eq, getTableColumns, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { updateAtVersion } from '../../db/versioned.js';
import { orgUnits, roles, userRoles, users } from '../../db/schema/index.js';
import { likeEscape } from '../../platform/db-errors.js';
import { inSubtree } from '../../platform/auth/scope.js';

const { passwordHash: _secret, failedAttempts: _f, ...publicColumns } = getTableColumns(users);

const userColumns = {
  ...publicColumns,
  unitName: orgUnits.name,
  unitNameEn: orgUnits.nameEn,
  unitPath: orgUnits.path,
  roleIds: sql<number[]>`coalesce((SELECT array_agg(ur.role_id ORDER BY ur.role_id) FROM user_roles ur WHERE ur.user_id = "users"."id"), '{}')`,
  roleCodes: sql<string[]>`coalesce((SELECT array_agg(r.code ORDER BY r.id) FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = "users"."id"), '{}')`,
};

export type UserRow = Awaited<ReturnType<typeof findUser>> & {};

/** A user's roles by name (the console shows them in the reader's language). */
export const findRoleNames = (db: Executor, userId: number) =>
  db
    .select({ code: roles.code, name: roles.name, nameEn: roles.nameEn })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(eq(userRoles.userId, userId))
    .orderBy(roles.id);

export interface UserFilter {
  scopePath: string;
  q?: string;
  unitPath?: string;
  roleId?: number;
  active?: boolean;
  offset: number;
  limit: number;
}

export async function listUsers(db: Executor, f: UserFilter) {
  const conds: SQL[] = [inSubtree(orgUnits.path, f.scopePath)];
  if (f.unitPath) conds.push(inSubtree(orgUnits.path, f.unitPath));
  if (f.q) {
    const pattern = `%${likeEscape(f.q.toLowerCase())}%`;
    conds.push(or(like(sql`lower(${users.username})`, pattern), like(sql`lower(${users.displayName})`, pattern))!);
  }
  if (f.active !== undefined) conds.push(eq(users.active, f.active));
  if (f.roleId) conds.push(sql`EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = "users"."id" AND ur.role_id = ${f.roleId})`);
  const rows = await db
    .select({ ...userColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.unitId))
    .where(and(...conds))
    .orderBy(users.id)
    .offset(f.offset)
    .limit(f.limit);
  return { items: rows.map(({ total: _t, ...u }) => u), total: rows[0]?.total ?? 0 };
}

export const findUser = (db: Executor, id: number) =>
  db
    .select(userColumns)
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.unitId))
    .where(eq(users.id, id))
    .then((r) => r[0]);

export const findPasswordHash = (db: Executor, id: number) =>
  db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, id))
    .then((r) => r[0]?.passwordHash);

export async function insertUser(db: Executor, values: typeof users.$inferInsert) {
  const [row] = await db.insert(users).values(values).returning({ id: users.id });
  return row!.id;
}

export const updateUser = (db: Executor, id: number, version: number, set: Partial<typeof users.$inferInsert>) =>
  updateAtVersion(db, users, id, version, set);

export async function replaceRoles(db: Executor, userId: number, roleIds: number[]) {
  await db.delete(userRoles).where(eq(userRoles.userId, userId));
  if (roleIds.length) await db.insert(userRoles).values(roleIds.map((roleId) => ({ userId, roleId })));
}

/** Roles by id with their permissions and the path of the unit that owns them (null: built-in, global). */
export const findRoles = (db: Executor, roleIds: number[]) =>
  roleIds.length === 0
    ? Promise.resolve([])
    : db
        .select({ id: roles.id, code: roles.code, permissions: roles.permissions, unitPath: orgUnits.path })
        .from(roles)
        .leftJoin(orgUnits, eq(orgUnits.id, roles.unitId))
        .where(inArray(roles.id, roleIds));

/** The union of the permissions of a user's roles. */
export const findUserPermissions = (db: Executor, userId: number) =>
  db
    .selectDistinct({ permission: sql<string>`unnest(${roles.permissions})` })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(eq(userRoles.userId, userId))
    .then((r) => r.map((x) => x.permission));

/** Locks a user's row for a change of their status: a move of customers to them waits, or is refused once they are inactive. */
export async function lockUser(tx: Executor, id: number): Promise<void> {
  await tx.execute(sql`SELECT 1 FROM users WHERE id = ${id} FOR UPDATE`);
}
