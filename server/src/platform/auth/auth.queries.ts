import { and, eq, lt, ne, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.js';
import { orgUnits, sessions, users } from '../../db/schema/index.js';
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

/** Counts one failed attempt and locks the account when it reaches the limit; returns the lock expiry if locked. */
export async function recordFailedLogin(db: Executor, userId: number, maxFailures: number, lockMinutes: number) {
  const [row] = await db
    .update(users)
    .set({
      failedAttempts: sql`CASE WHEN ${users.failedAttempts} + 1 >= ${maxFailures} THEN 0 ELSE ${users.failedAttempts} + 1 END`,
      lockedUntil: sql`CASE WHEN ${users.failedAttempts} + 1 >= ${maxFailures}
                            THEN now() + make_interval(mins => ${lockMinutes}) ELSE ${users.lockedUntil} END`,
    })
    .where(eq(users.id, userId))
    .returning({ lockedUntil: users.lockedUntil });
  return row?.lockedUntil ?? null;
}

export const recordSuccessfulLogin = (db: Executor, userId: number) =>
  db
    .update(users)
    .set({ failedAttempts: 0, lockedUntil: null, lastLoginAt: sql`now()` })
    .where(eq(users.id, userId));

export const insertSession = (db: Executor, row: typeof sessions.$inferInsert) => db.insert(sessions).values(row);

export const deleteSession = (db: Executor, id: string) => db.delete(sessions).where(eq(sessions.id, id));

export const deleteSessionsOfUser = (db: Executor, userId: number) =>
  db.delete(sessions).where(eq(sessions.userId, userId));

/** The live session with its user, unit path and the union of the user's role permissions, in one round trip. */
export async function loadSession(database: Database, id: string, idleMinutes: number): Promise<SessionRow | undefined> {
  const rows = await database.rows<SessionRow>(sql`
    SELECT s.id AS "sessionId", s.csrf_token AS "csrfToken", s.last_seen_at AS "lastSeenAt",
           u.id AS "userId", u.username, u.display_name AS "displayName", u.unit_id AS "unitId",
           u.locale, o.path AS "unitPath", ${servedAreaPath(sql`o.path`)} AS "areaPath",
           coalesce((SELECT array_agg(DISTINCT p) FROM user_roles ur JOIN roles r ON r.id = ur.role_id,
                            unnest(r.permissions) p WHERE ur.user_id = u.id), '{}') AS permissions
    FROM sessions s
    JOIN users u ON u.id = s.user_id AND u.active
    JOIN org_units o ON o.id = u.unit_id
    WHERE s.id = ${id} AND s.expires_at > now()
      AND s.last_seen_at > now() - make_interval(mins => ${idleMinutes})`);
  const row = rows[0];
  if (row && !(row.lastSeenAt instanceof Date)) row.lastSeenAt = new Date(row.lastSeenAt);
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
