import type { Deps } from '../../platform/deps.js';
import { audit } from '../../platform/audit/audit.js';
import { forgetAllSessions } from '../../platform/auth/auth.service.js';
import { deleteOtherSessions, deleteSessionsOfUser, recordWrongPassword } from '../../platform/auth/auth.queries.js';
import { hashPassword, verifyPassword } from '../../platform/auth/password.js';
import { isPermission, PERMISSIONS } from '../../platform/auth/permissions.js';
import type { Actor, Principal } from '../../platform/auth/principal.js';
import { AppError, invalid, versionConflict } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n/messages.js';
import * as q from './queries.js';
import type { PatchMe, User } from './schemas.js';
import { checkPasswordPolicy } from './service.js';

export interface Me extends User {
  permissions: string[];
  roles: { code: string; name: string; nameEn: string | null }[];
  permissionLabels: { code: string; name: string; nameEn: string }[];
  csrfToken: string;
}

// The answer of /api/me, serialised, lives as long as the cached principal it belongs to (see
// auth.service): every page of the console asks for it, and it is served from memory.
const meOfPrincipal = new WeakMap<Principal, Promise<string>>();

/** The signed-in user, their permissions (what the menu shows) and the CSRF token for writes, as JSON. */
export function getMeJson(deps: Deps, principal: Principal): Promise<string> {
  let me = meOfPrincipal.get(principal);
  if (!me) {
    me = loadMe(deps, principal).then((m) => JSON.stringify(m));
    meOfPrincipal.set(principal, me);
    me.catch(() => meOfPrincipal.delete(principal));
  }
  return me;
}

async function loadMe(deps: Deps, principal: Principal): Promise<Me> {
  const [row, roles] = await Promise.all([q.findUser(deps.database.db, principal.userId), q.findRoleNames(deps.database.db, principal.userId)]);
  if (!row) throw new AppError(401, 'unauthenticated');
  const permissions = [...principal.permissions].sort();
  return {
    ...row,
    locale: principal.locale,
    locked: false,
    permissions,
    roles,
    // the names a person reads instead of the codes (home page)
    permissionLabels: permissions.filter(isPermission).map((code) => ({ code, name: PERMISSIONS[code]['zh-CN'], nameEn: PERMISSIONS[code]['en-US'] })),
    csrfToken: principal.csrfToken,
  };
}

export async function patchMe(deps: Deps, principal: Principal, actor: Actor, patch: PatchMe): Promise<Me> {
  await deps.database.db.transaction(async (tx) => {
    const before = await q.findUser(tx, principal.userId);
    const { version, ...fields } = patch;
    if (!(await q.updateUser(tx, principal.userId, version, fields))) throw versionConflict();
    const after = await q.findUser(tx, principal.userId);
    await audit(tx, actor, { action: 'update', entity: 'user', entityId: principal.userId, unitPath: principal.unitPath, before, after });
  });
  forgetAllSessions();
  return loadMe(deps, { ...principal, locale: patch.locale ?? principal.locale });
}

/**
 * A wrong current password counts like a failed sign-in (a stolen session must not guess the password
 * at leisure): audited, and at the sign-in limit the account is locked and every session of it ends.
 */
async function refuseWrongCurrent(deps: Deps, principal: Principal, actor: Actor): Promise<never> {
  const { config } = deps;
  const target = { entity: 'user', entityId: principal.userId, unitPath: principal.unitPath } as const;
  const lockedUntil = await deps.database.db.transaction(async (tx) => {
    const until = await recordWrongPassword(tx, principal.userId, config.LOGIN_MAX_FAILURES, config.LOGIN_LOCK_MINUTES);
    await audit(tx, actor, { action: 'password_change_failed', ...target, after: { reason: 'wrong_current_password' } });
    if (until) {
      await deleteSessionsOfUser(tx, principal.userId);
      await audit(tx, actor, { action: 'lock', ...target, after: { lockedUntil: until } });
    }
    return until;
  });
  if (lockedUntil) {
    forgetAllSessions();
    throw new AppError(423, 'account_locked', { until: lockedUntil.toISOString() });
  }
  throw invalid('body.currentPassword', 'wrong_current_password');
}

/** Changes one's own password after checking the current one; other sessions of the user end. */
export async function changePassword(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  current: string,
  next: string,
  locale: Locale,
): Promise<void> {
  const { db } = deps.database;
  const hash = await q.findPasswordHash(db, principal.userId);
  if (!hash || !(await verifyPassword(hash, current))) await refuseWrongCurrent(deps, principal, actor);
  if (current === next) throw invalid('body.newPassword', 'password_same');
  checkPasswordPolicy(deps, next, 'body.newPassword', locale);
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    const user = await q.findUser(tx, principal.userId);
    await q.updateUser(tx, principal.userId, user!.version, {
      passwordHash,
      mustChangePassword: false,
      passwordChangedAt: new Date(),
      failedAttempts: 0,
    });
    await deleteOtherSessions(tx, principal.userId, principal.sessionId);
    await audit(tx, actor, { action: 'password_change', entity: 'user', entityId: principal.userId, unitPath: principal.unitPath });
  });
  forgetAllSessions();
}
