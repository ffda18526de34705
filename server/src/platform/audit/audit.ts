import type { Executor } from '../../db/client.js';
import { namedRows } from '../../db/statements.js';
import { auditLog } from '../../db/schema/index.js';
import type { Actor } from '../auth/principal.js';
import { maskEmbedded, maskPersonalData } from '../personal-data.js';
import { contentMessage } from './chain.js';
import { signingKeys } from './keys.js';

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
  | 'export'
  /** 访问被拒: a refused access (platform/audit/refusals.ts). */
  | 'refused';

export interface AuditEntry {
  action: AuditAction;
  entity: string;
  entityId?: string | number | null;
  unitPath?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

// Secrets never reach the audit trail, at any depth, whatever a caller passes (nor sealed ID numbers and their lookup hashes).
const SECRET_KEYS = new Set(['passwordHash', 'password', 'newPassword', 'currentPassword', 'csrfToken', 'token', 'sessionId', 'idNumberEnc', 'idNumberHash']);

/** A record as JSON keeps it (dates as ISO text), without secrets: what is stored is exactly what is signed. */
function plain(row: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!row) return null;
  return JSON.parse(JSON.stringify(row, (k, v: unknown) => (SECRET_KEYS.has(k) ? undefined : v))) as Record<string, unknown>;
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

type Masked = Record<string, unknown> | null;
const masked = (record: unknown, entity: string) => (record === null ? null : (maskPersonalData(record, entity) as Masked));

/** What an entry says, before its place in the chain: secrets dropped, personal data masked (the diff from the clear values, so that a change inside a mask still shows). */
function contentOf(actor: Actor, entry: AuditEntry) {
  const before = plain(entry.before);
  const after = plain(entry.after);
  return {
    actorId: actor.userId,
    actorUsername: actor.username === null ? null : maskEmbedded(actor.username),
    actorUnitPath: actor.unitPath || null,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId == null ? null : String(entry.entityId),
    unitPath: entry.unitPath ?? null,
    before: masked(before, entry.entity),
    after: masked(after, entry.entity),
    diff: before && after ? masked(diffOf(before, after), entry.entity) : null,
    requestId: actor.requestId,
    ip: actor.ip,
  };
}

/**
 * Appends one entry to the audit trail inside the caller's transaction, so the write and its record commit
 * together (given the database itself, one INSERT of its own). The entry's content is signed (its MAC, with
 * the audit key) and inserted without a position: no lock is taken, and the sealer (sealer.ts) chains it
 * after the commit. Its time is the application's clock, to the millisecond a JS date carries, so what is
 * stored is exactly what was signed. Secrets are dropped and personal data masked at any depth
 * (platform/personal-data.ts): callers pass the fields they mean, never a request body.
 */
export async function audit(executor: Executor, actor: Actor, entry: AuditEntry): Promise<void> {
  const content = contentOf(actor, entry);
  const key = signingKeys().current;
  const atMs = Date.now();
  const entryMac = key.signEntry(contentMessage({ ...content, atUs: atMs * 1000, keyId: key.id }));
  await namedRows(executor, executor.insert(auditLog).values({ ...content, at: new Date(atMs), keyId: key.id, entryMac }).getSQL());
}
