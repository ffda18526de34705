import type { Deps } from '../../platform/deps.js';
import type { Executor } from '../../db/client.js';
import { audit } from '../../platform/audit/audit.js';
import { deleteSessionsOfUser, unlockUser as clearLock } from '../../platform/auth/auth.queries.js';
import { forgetAllSessions } from '../../platform/auth/auth.service.js';
import { hashPassword, passwordProblems } from '../../platform/auth/password.js';
import { isPermission } from '../../platform/auth/permissions.js';
import { type Actor } from '../../platform/auth/principal.js';
import { inScope } from '../../platform/auth/scope.js';
import { pgErrorCode, PG_UNIQUE_VIOLATION } from '../../platform/db-errors.js';
import { AppError, duplicate, invalid, notFound, outOfScope, versionConflict } from '../../platform/errors.js';
import type { Page } from '../../platform/http/list.js';
import type { Locale } from '../../platform/i18n/messages.js';
import { maskPhone } from '../../platform/pii.js';
import * as org from '../org/service.js';
import * as q from './queries.js';
import type { CreateUser, ListUsersQuery, PatchUser, User } from './schemas.js';

const ENTITY = 'user';

function toUser(row: NonNullable<q.UserRow>): User {
  return {
    ...row,
    locale: row.locale === 'en-US' ? 'en-US' : 'zh-CN',
    locked: !!row.lockedUntil && row.lockedUntil > new Date(),
  };
}

export async function listUsers(deps: Deps, actor: Actor, query: ListUsersQuery): Promise<Page<User>> {
  const { db } = deps.database;
  const unitPath = query.unitId ? (await org.getUnit(db, actor, query.unitId)).path : undefined;
  const page = await q.listUsers(db, { ...query, scopePath: actor.unitPath, unitPath });
  return { total: page.total, items: page.items.map((r) => ({ ...toUser(r), phone: maskPhone(r.phone) })) };
}

async function loadInScope(db: Executor, actor: Actor, id: number): Promise<User> {
  const row = await q.findUser(db, id);
  if (!row) throw notFound('user');
  if (!inScope(actor, row.unitPath)) throw outOfScope('user');
  return toUser(row);
}

/** The user detail shows contact data in full, so every read of it is audited. */
export async function getUser(deps: Deps, actor: Actor, id: number): Promise<User> {
  return deps.database.db.transaction(async (tx) => {
    const user = await loadInScope(tx, actor, id);
    await audit(tx, actor, { action: 'read', entity: ENTITY, entityId: id, unitPath: user.unitPath });
    return user;
  });
}

/** Nobody grants what they do not hold themselves: roles are checked against the actor's permissions. */
async function checkRoles(db: Executor, actor: Actor, roleIds: number[]) {
  const found = await q.findRolePermissions(db, roleIds);
  const missing = roleIds.filter((id) => !found.some((r) => r.id === id));
  if (missing.length) throw invalid('body.roleIds', 'not_found', `unknown roles: ${missing.join(', ')}`, { entity: 'role' });
  const beyond = [...new Set(found.flatMap((r) => r.permissions))].filter((p) => !isPermission(p) || !actor.permissions.has(p));
  if (beyond.length) throw new AppError(403, 'permission_escalation', { permissions: beyond.join(', ') });
}

async function unitFor(db: Executor, actor: Actor, unitId: number) {
  const unit = await org.getUnit(db, actor, unitId).catch(() => {
    throw invalid('body.unitId', 'not_found', 'unit not found', { entity: 'org_unit' });
  });
  if (!unit.active) throw invalid('body.unitId', 'unit_inactive_parent', 'the unit is deactivated');
  return unit;
}

export function checkPasswordPolicy(deps: Deps, password: string, field: string, locale: Locale) {
  const problems = passwordProblems(
    password,
    { minLength: deps.config.PASSWORD_MIN_LENGTH, minClasses: deps.config.PASSWORD_MIN_CLASSES },
    field,
    locale,
  );
  if (problems.length) throw new AppError(400, 'password_policy', {}, problems);
}

export async function createUser(deps: Deps, actor: Actor, input: CreateUser, locale: Locale): Promise<User> {
  checkPasswordPolicy(deps, input.password, 'body.password', locale);
  const passwordHash = await hashPassword(input.password);
  try {
    return await deps.database.db.transaction(async (tx) => {
      await unitFor(tx, actor, input.unitId);
      await checkRoles(tx, actor, input.roleIds);
      const id = await q.insertUser(tx, {
        username: input.username,
        displayName: input.displayName,
        email: input.email ?? null,
        phone: input.phone ?? null,
        unitId: input.unitId,
        locale: input.locale ?? 'zh-CN',
        passwordHash,
        mustChangePassword: true,
      });
      await q.replaceRoles(tx, id, input.roleIds);
      const user = await loadInScope(tx, actor, id);
      await audit(tx, actor, { action: 'create', entity: ENTITY, entityId: id, unitPath: user.unitPath, after: user });
      return user;
    });
  } catch (err) {
    if (pgErrorCode(err) === PG_UNIQUE_VIOLATION) throw duplicate('body.username');
    throw err;
  }
}

export async function patchUser(deps: Deps, actor: Actor, id: number, patch: PatchUser): Promise<User> {
  const user = await deps.database.db.transaction(async (tx) => {
    const before = await loadInScope(tx, actor, id);
    if (before.version !== patch.version) throw versionConflict();
    if (patch.active === false && id === actor.userId) throw invalid('body.active', 'self_lockout', 'cannot deactivate yourself');
    if (patch.unitId !== undefined && patch.unitId !== before.unitId) await unitFor(tx, actor, patch.unitId);
    if (patch.roleIds) {
      // granting or removing roles both need the actor to hold what they touch
      await checkRoles(tx, actor, [...new Set([...patch.roleIds, ...before.roleIds])]);
    }
    const { version, roleIds, ...fields } = patch;
    const ok = await q.updateUser(tx, id, version, fields);
    if (!ok) throw versionConflict();
    if (roleIds) await q.replaceRoles(tx, id, roleIds);
    if (patch.active === false) await deleteSessionsOfUser(tx, id);
    const after = await loadInScope(tx, actor, id);
    await audit(tx, actor, { action: 'update', entity: ENTITY, entityId: id, unitPath: after.unitPath, before, after });
    return after;
  });
  // role and status changes must reach the session cache at once
  forgetAllSessions();
  return user;
}

export async function unlockUser(deps: Deps, actor: Actor, id: number): Promise<User> {
  return deps.database.db.transaction(async (tx) => {
    const before = await loadInScope(tx, actor, id);
    await clearLock(tx, id);
    await audit(tx, actor, { action: 'unlock', entity: ENTITY, entityId: id, unitPath: before.unitPath });
    return loadInScope(tx, actor, id);
  });
}

/** An administrator sets a new password; the user must change it at the next sign-in and is signed out. */
export async function resetPassword(deps: Deps, actor: Actor, id: number, newPassword: string, locale: Locale) {
  checkPasswordPolicy(deps, newPassword, 'body.newPassword', locale);
  const passwordHash = await hashPassword(newPassword);
  await deps.database.db.transaction(async (tx) => {
    const user = await loadInScope(tx, actor, id);
    await q.updateUser(tx, id, user.version, { passwordHash, mustChangePassword: true, passwordChangedAt: new Date() });
    await deleteSessionsOfUser(tx, id);
    await audit(tx, actor, { action: 'password_reset', entity: ENTITY, entityId: id, unitPath: user.unitPath });
  });
  forgetAllSessions();
}
