import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import type { Actor } from '../auth/principal.js';

export type AuditAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'read'
  | 'login'
  | 'login_failed'
  | 'logout'
  | 'lock'
  | 'unlock'
  | 'password_change'
  | 'password_reset'
  | 'password_change_failed'
  | 'alert'
  | 'export';

export interface AuditEntry {
  action: AuditAction;
  entity: string;
  entityId?: string | number | null;
  unitPath?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

// Secrets never reach the audit trail, whatever a caller passes.
const SECRET_KEYS = new Set(['passwordHash', 'password', 'csrfToken', 'token', 'sessionId']);

function scrub(row: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!row) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (SECRET_KEYS.has(k)) continue;
    out[k] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

/** The fields that changed, as { field: [old, new] }. */
export function diffOf(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): Record<string, [unknown, unknown]> {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const diff: Record<string, [unknown, unknown]> = {};
  for (const k of keys) {
    if (k === 'updatedAt' || k === 'version') continue;
    const a = before?.[k] ?? null;
    const b = after?.[k] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) diff[k] = [a, b];
  }
  return diff;
}

/** Appends one entry to the audit trail inside the caller's transaction, so the write and its record commit together. */
export async function audit(executor: Executor, actor: Actor, entry: AuditEntry): Promise<void> {
  const before = scrub(entry.before);
  const after = scrub(entry.after);
  await executor.insert(auditLog).values({
    actorId: actor.userId,
    actorUsername: actor.username,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId == null ? null : String(entry.entityId),
    unitPath: entry.unitPath ?? null,
    before,
    after,
    diff: before && after ? diffOf(before, after) : null,
    requestId: actor.requestId,
    ip: actor.ip,
  });
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  /** The first position (seq) where the chain breaks: a changed row, or a row missing before it. */
  brokenAt: number | null;
}

/** Recomputes every hash in one pass of SQL and reports the first break. */
export async function verifyAuditChain(database: Database): Promise<ChainReport> {
  const [row] = await database.rows<{ checked: number; broken_at: number | null }>(sql`
    WITH chain AS (
      SELECT a.seq, a.hash, a.prev_hash,
             lag(a.hash) OVER (ORDER BY a.seq) AS expected_prev,
             lag(a.seq) OVER (ORDER BY a.seq) AS prev_seq,
             audit_row_hash(a.prev_hash, a) AS recomputed
      FROM audit_log a
    )
    SELECT count(*)::int AS checked,
           min(seq) FILTER (WHERE hash <> recomputed
                               OR prev_hash IS DISTINCT FROM expected_prev
                               OR seq <> coalesce(prev_seq, 0) + 1) AS broken_at
    FROM chain`);
  const brokenAt = row?.broken_at == null ? null : Number(row.broken_at);
  return { ok: brokenAt === null, checked: Number(row?.checked ?? 0), brokenAt };
}
