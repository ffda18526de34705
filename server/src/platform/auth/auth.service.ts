import { createHash, randomBytes } from 'node:crypto';
import type { Deps } from '../deps.js';
import { audit } from '../audit/audit.js';
import { AppError } from '../errors.js';
import { isLocale } from '../i18n/messages.js';
import type { Actor, Principal } from './principal.js';
import { isPermission } from './permissions.js';
import * as q from './auth.queries.js';
import { timingSafeDummyHash, verifyPassword } from './password.js';

export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex');

export interface LoginResult {
  token: string;
  csrfToken: string;
  userId: number;
  expiresAt: Date;
}

interface Client {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

const anonymous = (client: Client, username: string | null, unitPath = '/'): Actor => ({
  userId: null,
  username,
  unitPath,
  areaPath: unitPath,
  permissions: new Set(),
  requestId: client.requestId,
  ip: client.ip,
});

/**
 * Checks the credentials, counts failures and locks the account after too many; on success opens a
 * session. Every outcome is audited. The same error answers an unknown user and a wrong password.
 */
export async function login(deps: Deps, username: string, password: string, client: Client): Promise<LoginResult> {
  const { db } = deps.database;
  const { config } = deps;
  const user = await q.findUserForLogin(db, username);
  if (!user) {
    await verifyPassword(await timingSafeDummyHash(), password);
    await audit(db, anonymous(client, username), { action: 'login_failed', entity: 'session', after: { reason: 'unknown_user' } });
    throw new AppError(401, 'invalid_credentials');
  }
  const actor = { ...anonymous(client, user.username, user.unitPath), userId: user.id };
  const unitPath = user.unitPath;
  if (user.lockedUntil && user.lockedUntil > new Date()) {
    await audit(db, actor, { action: 'login_failed', entity: 'session', unitPath, after: { reason: 'locked' } });
    throw new AppError(423, 'account_locked', { until: user.lockedUntil.toISOString() });
  }
  const ok = await verifyPassword(user.passwordHash, password);
  if (!ok || !user.active) {
    if (!user.active) {
      await audit(db, actor, { action: 'login_failed', entity: 'session', unitPath, after: { reason: 'disabled' } });
      throw new AppError(401, 'invalid_credentials');
    }
    const lockedUntil = await db.transaction(async (tx) => {
      const until = await q.recordFailedLogin(tx, user.id, config.LOGIN_MAX_FAILURES, config.LOGIN_LOCK_MINUTES);
      await audit(tx, actor, { action: 'login_failed', entity: 'session', unitPath, after: { reason: 'wrong_password' } });
      if (until && until > new Date()) {
        await audit(tx, actor, { action: 'lock', entity: 'user', entityId: user.id, unitPath, after: { lockedUntil: until } });
      }
      return until;
    });
    if (lockedUntil && lockedUntil > new Date()) {
      throw new AppError(423, 'account_locked', { until: lockedUntil.toISOString() });
    }
    throw new AppError(401, 'invalid_credentials');
  }
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + config.SESSION_ABSOLUTE_HOURS * 3_600_000);
  await db.transaction(async (tx) => {
    await q.recordSuccessfulLogin(tx, user.id);
    await q.insertSession(tx, {
      id: sessionIdOf(token),
      userId: user.id,
      csrfToken,
      expiresAt,
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 500) ?? null,
    });
    await audit(tx, actor, { action: 'login', entity: 'session', entityId: user.id, unitPath });
  });
  return { token, csrfToken, userId: user.id, expiresAt };
}

export async function logout(deps: Deps, principal: Principal, actor: Actor): Promise<void> {
  await deps.database.db.transaction(async (tx) => {
    await q.deleteSession(tx, principal.sessionId);
    await audit(tx, actor, { action: 'logout', entity: 'session', entityId: principal.userId, unitPath: principal.unitPath });
  });
  forgetSession(principal.sessionId);
}

// A short-lived cache of loaded sessions keeps the hot path (every API call) off the database.
// It holds the pending lookup, so that an expired entry under load costs one query, not one per request.
// Logout and user changes on this instance drop entries at once; other instances see them within the TTL.
const CACHE_TTL_MS = 2_000;
const TOUCH_EVERY_MS = 60_000;
const cache = new Map<string, { principal: Promise<Principal | null>; at: number }>();

export function forgetSession(sessionId: string): void {
  cache.delete(sessionId);
}

export function forgetAllSessions(): void {
  cache.clear();
}

/** The principal behind a session cookie, or null when the session is unknown, expired or idle too long. */
export function principalOf(deps: Deps, token: string): Promise<Principal | null> {
  const sessionId = sessionIdOf(token);
  const now = Date.now();
  const hit = cache.get(sessionId);
  if (hit && now - hit.at < CACHE_TTL_MS) return hit.principal;
  if (cache.size > 10_000) cache.clear();
  const principal = loadPrincipal(deps, sessionId, now);
  cache.set(sessionId, { principal, at: now });
  principal.then(
    (p) => p ?? cache.delete(sessionId),
    () => cache.delete(sessionId),
  );
  return principal;
}

async function loadPrincipal(deps: Deps, sessionId: string, now: number): Promise<Principal | null> {
  const row = await q.loadSession(deps.database, sessionId, deps.config.SESSION_IDLE_MINUTES);
  if (!row) return null;
  if (now - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) await q.touchSession(deps.database.db, sessionId);
  return {
    userId: row.userId,
    username: row.username,
    displayName: row.displayName,
    unitId: row.unitId,
    unitPath: row.unitPath,
    areaPath: row.areaPath,
    permissions: new Set(row.permissions.filter(isPermission)),
    sessionId,
    csrfToken: row.csrfToken,
    locale: isLocale(row.locale) ? row.locale : 'zh-CN',
  };
}
