import { and, desc, eq, gte, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import { inSubtree } from '../../platform/auth/scope.js';
import type { ListAuditQuery } from './schemas.js';

/**
 * Entries in the reader's scope: those about units in their subtree; entries about no unit
 * (system-wide events) only for readers at the root of the organisation.
 */
export async function listAudit(db: Executor, scopePath: string, seesUnscoped: boolean, f: ListAuditQuery) {
  const inScope = inSubtree(auditLog.unitPath, scopePath);
  const conds: (SQL | undefined)[] = [seesUnscoped ? or(inScope, isNull(auditLog.unitPath)) : inScope];
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
    .orderBy(desc(auditLog.seq))
    .offset(f.offset)
    .limit(f.limit);
  return { items: rows.map((r) => r.row), total: rows[0]?.total ?? 0 };
}
