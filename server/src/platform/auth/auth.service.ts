import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.js';
import type { Deps } from '../deps.js';
import { audit, type AuditEntry } from '../audit/audit.js';
import { AppError } from '../errors.js';
import { isLocale } from '../i18n/messages.js';
import type { Actor, Principal } from './principal.js';
import type { LoginThrottle } from './login-throttle.js';
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
 * session. Every outcome is audited. An unknown user, a wrong password, a disabled and a locked account
 * all answer the same 401 after the same password check, so that nobody learns which accounts exist.
 * A client that keeps failing at one account is throttled (429) before the check.
 */
export async function login(
  deps: Deps,
  throttle: LoginThrottle,
  username: string,
  password: string,
  client: Client,
): Promise<LoginResult> {
  const { db } = deps.database;
  const { config } = deps;
  const address = client.ip ?? '';
  if (throttle.isThrottled(username, address)) throw new AppError(429, 'rate_limited');
  const refuse = async (actor: Actor, entry: Omit<AuditEntry, 'action' | 'entity'>, lockedNow?: number) => {
    throttle.recordFailure(username, address);
    await db.transaction(async (tx) => {
      const until = lockedNow ? await q.recordWrongPassword(tx, lockedNow, config.LOGIN_MAX_FAILURES, config.LOGIN_LOCK_MINUTES) : null;
      await audit(tx, actor, { action: 'login_failed', entity: 'session', ...entry });
      if (until) await audit(tx, actor, { action: 'lock', entity: 'user', entityId: lockedNow, unitPath: entry.unitPath, after: { lockedUntil: until } });
    });
    return new AppError(401, 'invalid_credentials');
  };
  const user = await q.findUserForLogin(db, username);
  if (!user) {
    await verifyPassword(await timingSafeDummyHash(), password);
    throw await refuse(anonymous(client, username), { after: { reason: 'unknown_user' } });
  }
  const actor = { ...anonymous(client, user.username, user.unitPath), userId: user.id };
  const unitPath = user.unitPath;
  const ok = await verifyPassword(user.passwordHash, password);
  if (user.lockedUntil && user.lockedUntil > new Date()) {
    throw await refuse(actor, { unitPath, after: { reason: 'locked' } });
  }
  if (!user.active) throw await refuse(actor, { unitPath, after: { reason: 'disabled' } });
  if (!ok) throw await refuse(actor, { unitPath, after: { reason: 'wrong_password' } }, user.id);
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

/**
 * A user acting as a session of theirs would, without signing in: the demo seed and the benchmarks act as named
 * users. Throws when there is no such active user.
 */
export async function actorOfUser(database: Database, username: string): Promise<Actor> {
  const row = await q.loadUserScope(database, username);
  if (!row) throw new Error(`no active user ${username}`);
  const { userId, unitPath, areaPath, permissions } = row;
  return { userId: Number(userId), username, unitPath, areaPath, permissions: new Set(permissions.filter(isPermission)), requestId: null, ip: null };
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
    mustChangePassword: row.mustChangePassword,
  };
}
