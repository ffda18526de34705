import { and, eq, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.js';
import { orgUnits, piiRevealWindows, sessions, users } from '../../db/schema/index.js';
import { servedAreaPath } from './scope.js';

export interface SessionRow {
  sessionId: string;
  csrfToken: string;
  lastSeenAt: Date;
  userId: number;
  username: string;
  displayName: string;
  unitId: number;
  unitPath: string;
  areaPath: string;
  locale: string;
  mustChangePassword: boolean;
  permissions: string[];
}

export const findUserForLogin = (db: Executor, username: string) =>
  db
    .select({
      id: users.id,
      username: users.username,
      passwordHash: users.passwordHash,
      active: users.active,
      failedAttempts: users.failedAttempts,
      lockedUntil: users.lockedUntil,
      unitPath: orgUnits.path,
    })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.unitId))
    .where(eq(sql`lower(${users.username})`, username.toLowerCase()))
    .then((r) => r[0]);

/**
 * Counts one wrong password (at sign-in or as the current password of a change) and locks the account
 * when the count reaches the limit; returns the lock expiry if this attempt locked it.
 */
export async function recordWrongPassword(db: Executor, userId: number, maxFailures: number, lockMinutes: number) {
  const [row] = await db
    .update(users)
    .set({
      failedAttempts: sql`CASE WHEN ${users.failedAttempts} + 1 >= ${maxFailures} THEN 0 ELSE ${users.failedAttempts} + 1 END`,
      lockedUntil: sql`CASE WHEN ${users.failedAttempts} + 1 >= ${maxFailures}
                            THEN now() + make_interval(mins => ${lockMinutes}) ELSE ${users.lockedUntil} END`,
    })
    .where(eq(users.id, userId))
    .returning({ lockedUntil: users.lockedUntil });
  const until = row?.lockedUntil ?? null;
  return until && until > new Date() ? until : null;
}

export const recordSuccessfulLogin = (db: Executor, userId: number) =>
  db
    .update(users)
    .set({ failedAttempts: 0, lockedUntil: null, lastLoginAt: sql`now()` })
    .where(eq(users.id, userId));

export const insertSession = (db: Executor, row: typeof sessions.$inferInsert) => db.insert(sessions).values(row);

export const deleteSession = (db: Executor, id: string) => db.delete(sessions).where(eq(sessions.id, id));

/** Ends every session of the user; answers how many there were. */
export const deleteSessionsOfUser = (db: Executor, userId: number) =>
  db
    .delete(sessions)
    .where(eq(sessions.userId, userId))
    .returning({ id: sessions.id })
    .then((r) => r.length);

/** The union of the permissions of a user's roles, as an SQL expression of the user's id. */
const permissionsOf = (userId: SQL) => sql`coalesce((SELECT array_agg(DISTINCT p) FROM user_roles ur JOIN roles r ON r.id = ur.role_id,
                            unnest(r.permissions) p WHERE ur.user_id = ${userId}), '{}')`;

/** The live session with its user, unit path and the union of the user's role permissions, in one round trip. */
export async function loadSession(database: Database, id: string, idleMinutes: number): Promise<SessionRow | undefined> {
  const rows = await database.rows<SessionRow>(sql`
    SELECT s.id AS "sessionId", s.csrf_token AS "csrfToken", s.last_seen_at AS "lastSeenAt",
           u.id AS "userId", u.username, u.display_name AS "displayName", u.unit_id AS "unitId",
           u.locale, u.must_change_password AS "mustChangePassword", o.path AS "unitPath", ${servedAreaPath(sql`o.path`)} AS "areaPath",
           ${permissionsOf(sql`u.id`)} AS permissions
    FROM sessions s
    JOIN users u ON u.id = s.user_id AND u.active
    JOIN org_units o ON o.id = u.unit_id
    WHERE s.id = ${id} AND s.expires_at > now()
      AND s.last_seen_at > now() - make_interval(mins => ${idleMinutes})`);
  const row = rows[0];
  if (row && !(row.lastSeenAt instanceof Date)) row.lastSeenAt = new Date(row.lastSeenAt);
  return row;
}

/** An active user by name with what a session of theirs loads: the unit's path, the area it serves and the permissions. */
export async function loadUserScope(database: Database, username: string) {
  const [row] = await database.rows<Pick<SessionRow, 'userId' | 'unitPath' | 'areaPath' | 'permissions'>>(sql`
    SELECT u.id AS "userId", o.path AS "unitPath", ${servedAreaPath(sql`o.path`)} AS "areaPath", ${permissionsOf(sql`u.id`)} AS permissions
    FROM users u JOIN org_units o ON o.id = u.unit_id
    WHERE u.username = ${username} AND u.active`);
  return row;
}

export const touchSession = (db: Executor, id: string) =>
  db.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.id, id));

/** Ends every other session of the user, e.g. after a password change. */
export const deleteOtherSessions = (db: Executor, userId: number, keepId: string) =>
  db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepId)));

export const purgeExpiredSessions = (db: Executor, idleMinutes: number) =>
  db
    .delete(sessions)
    .where(
      or(
        lt(sessions.expiresAt, sql`now()`),
        lt(sessions.lastSeenAt, sql`now() - make_interval(mins => ${idleMinutes})`),
      ),
    )
    .returning({ id: sessions.id })
    .then((r) => r.length);

export const unlockUser = (db: Executor, userId: number) =>
  db
    .update(users)
    .set({ failedAttempts: 0, lockedUntil: null })
    .where(eq(users.id, userId))
    .returning({ id: users.id })
    .then((r) => r.length > 0);

/**
 * Counts one reveal of personal data by the user in the current minute (one row per user, shared by every
 * server instance; a new minute starts the count again) and answers the count so far.
 */
export const countPiiReveal = (db: Executor, userId: number) =>
  db
    .insert(piiRevealWindows)
    .values({ userId, windowStart: sql`date_trunc('minute', now())`, reveals: 1 })
    .onConflictDoUpdate({
      target: piiRevealWindows.userId,
      set: {
        reveals: sql`CASE WHEN ${piiRevealWindows.windowStart} = excluded.window_start THEN ${piiRevealWindows.reveals} + 1 ELSE 1 END`,
        windowStart: sql`excluded.window_start`,
      },
    })
    .returning({ reveals: piiRevealWindows.reveals })
    .then((r) => r[0]!.reveals);
