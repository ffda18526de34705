import { and, desc, eq, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import { SECURITY_ACTIONS, SECURITY_ENTITIES } from '../../platform/audit/security-events.js';
import { coversUnit, inSubtree } from '../../platform/auth/scope.js';
import type { ListAuditQuery } from './schemas.js';

/** The actor's unit when they acted; for entries older than the column (migration 0020), their unit now. */
const actorUnit = sql`coalesce(${auditLog.actorUnitPath}, (SELECT o.path FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.id = ${auditLog.actorId}))`;

/**
 * The entries an auditor at `readerPath` sees (platform/audit/security-events.ts): those about units in their
 * subtree, those about no unit, and the security events of actors at or above their unit.
 */
function visibleTo(readerPath: string): SQL {
  const security = or(inArray(auditLog.entity, [...SECURITY_ENTITIES]), inArray(auditLog.action, [...SECURITY_ACTIONS]));
  return or(isNull(auditLog.unitPath), inSubtree(auditLog.unitPath, readerPath), and(security, coversUnit(actorUnit, readerPath)))!;
}

export async function listAudit(db: Executor, readerPath: string, f: ListAuditQuery) {
  const conds: (SQL | undefined)[] = [visibleTo(readerPath)];
  if (f.entity) conds.push(eq(auditLog.entity, f.entity));
  if (f.entityId) conds.push(eq(auditLog.entityId, f.entityId));
  if (f.action) conds.push(eq(auditLog.action, f.action));
  if (f.actor) conds.push(eq(auditLog.actorUsername, f.actor));
  if (f.requestId) conds.push(eq(auditLog.requestId, f.requestId));
  if (f.from) conds.push(gte(auditLog.at, new Date(f.from)));
  if (f.to) conds.push(lt(auditLog.at, new Date(f.to)));
  const rows = await db
    .select({ row: auditLog, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(auditLog)
    .where(and(...conds))
    // the entries not sealed yet (seq null) are the newest: first
    .orderBy(sql`${auditLog.seq} DESC NULLS FIRST`, desc(auditLog.id))
    .offset(f.offset)
    .limit(f.limit);
  return { items: rows.map((r) => r.row), total: rows[0]?.total ?? 0 };
}
