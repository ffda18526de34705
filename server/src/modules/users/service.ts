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
import { AppError, duplicate, entityName, invalid, notFound, outOfScope, versionConflict } from '../../platform/errors.js';
import type { Page } from '../../platform/http/list.js';
import type { Locale } from '../../platform/i18n/messages.js';
import { maskPhone } from '../../platform/pii.js';
import { customersHeldBy } from '../customers/service.js';
import * as org from '../org/service.js';
import { roleAvailableAt, roleVisibleTo } from '../roles/service.js';
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

/**
 * 防止越权 (no vertical escalation): the actor must hold every one of these permissions. Names that are
 * no longer permissions (left in a custom role) grant nothing, so they are no escalation either.
 */
function refuseBeyond(actor: Actor, permissions: string[]) {
  const beyond = [...new Set(permissions)].filter((p) => isPermission(p) && !actor.permissions.has(p)).sort();
  if (beyond.length) throw new AppError(403, 'permission_escalation', { permissions: beyond.join(', ') });
}

/**
 * The roles a user is to hold: each one visible to the actor and available at the user's unit (a custom
 * role belongs to a unit's subtree). Nobody grants what they do not hold themselves: the permissions of
 * `granted` are checked against the actor's.
 */
async function checkRoles(db: Executor, actor: Actor, roleIds: number[], unitPath: string, granted: number[] = roleIds) {
  const found = await q.findRoles(db, roleIds);
  const missing = roleIds.filter((id) => !found.some((r) => r.id === id && roleVisibleTo(actor, r.unitPath)));
  if (missing.length) throw invalid('body.roleIds', 'not_found', { entity: entityName('role') });
  const elsewhere = found.filter((r) => roleIds.includes(r.id) && !roleAvailableAt(unitPath, r.unitPath));
  if (elsewhere.length) {
    const roles = elsewhere.map((r) => r.code).join(', ');
    throw new AppError(400, 'role_not_available', { roles }, [{ field: 'body.roleIds', code: 'role_not_available', message: '', params: { roles } }]);
  }
  refuseBeyond(actor, found.filter((r) => granted.includes(r.id)).flatMap((r) => r.permissions));
}

/**
 * A user another user acts on (edits, disables, unlocks, resets the password of, signs out): in the
 * actor's scope, and holding no permission the actor lacks, so that nobody takes over a bigger account.
 */
async function loadTarget(db: Executor, actor: Actor, id: number): Promise<User> {
  const user = await loadInScope(db, actor, id);
  refuseBeyond(actor, await q.findUserPermissions(db, id));
  return user;
}

async function unitFor(db: Executor, actor: Actor, unitId: number) {
  const unit = await org.getUnit(db, actor, unitId).catch(() => {
    throw invalid('body.unitId', 'not_found', { entity: entityName('org_unit') });
  });
  if (!unit.active) throw invalid('body.unitId', 'unit_inactive_parent');
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
      const unit = await unitFor(tx, actor, input.unitId);
      await checkRoles(tx, actor, input.roleIds, unit.path);
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
    const before = await loadTarget(tx, actor, id);
    if (before.version !== patch.version) throw versionConflict();
    if (patch.active === false && id === actor.userId) throw invalid('body.active', 'self_lockout');
    // no customer is ever left without an active manager: theirs are moved first (经理档案 → 批量调整客户)
    if (patch.active === false && before.active) {
      await q.lockUser(tx, id);
      const held = await customersHeldBy(deps, tx, id);
      if (held > 0) throw new AppError(409, 'user_holds_customers', { count: held });
    }
    const unitPath = patch.unitId !== undefined && patch.unitId !== before.unitId ? (await unitFor(tx, actor, patch.unitId)).path : before.unitPath;
    if (patch.roleIds || unitPath !== before.unitPath) {
      // what is taken away is within the actor's permissions (loadTarget); what is granted must be too;
      // a move keeps only roles its new unit may hold
      await checkRoles(tx, actor, patch.roleIds ?? before.roleIds, unitPath, patch.roleIds ?? []);
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
    const before = await loadTarget(tx, actor, id);
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
    const user = await loadTarget(tx, actor, id);
    await q.updateUser(tx, id, user.version, { passwordHash, mustChangePassword: true, passwordChangedAt: new Date() });
    await deleteSessionsOfUser(tx, id);
    await audit(tx, actor, { action: 'password_reset', entity: ENTITY, entityId: id, unitPath: user.unitPath });
  });
  forgetAllSessions();
}

/** 强制下线: an administrator ends every session of a user at once (a lost device, a suspected takeover). */
export async function endSessions(deps: Deps, actor: Actor, id: number): Promise<{ endedSessions: number }> {
  const endedSessions = await deps.database.db.transaction(async (tx) => {
    const user = await loadTarget(tx, actor, id);
    const ended = await deleteSessionsOfUser(tx, id);
    await audit(tx, actor, { action: 'logout', entity: ENTITY, entityId: id, unitPath: user.unitPath, after: { endedSessions: ended } });
    return ended;
  });
  forgetAllSessions();
  return { endedSessions };
}
