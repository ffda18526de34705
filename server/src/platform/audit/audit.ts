import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Executor, Tx } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import type { Actor } from '../auth/principal.js';
import { maskEmbedded, maskPersonalData } from '../personal-data.js';
import { entryMessage, type ChainedEntry } from './chain.js';
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

type Head = { last_seq: number; last_hash: string | null; at_us: number };

/** Signs the entry as the next of the chain and appends it, holding the chain lock until the transaction ends. */
async function append(tx: Tx, content: ReturnType<typeof contentOf>) {
  const key = signingKeys().current;
  const result = (await tx.execute(sql`SELECT last_seq, last_hash, at_us FROM audit_chain_head()`)) as unknown as { rows: Head[] };
  const head = result.rows[0]!;
  // the database's clock, to the millisecond that a JS date carries
  const atMs = Math.floor(Number(head.at_us) / 1000);
  const entry: ChainedEntry = { ...content, seq: Number(head.last_seq) + 1, atUs: atMs * 1000, prevHash: head.last_hash, keyId: key.id };
  const { atUs: _atUs, ...columns } = entry;
  await tx.insert(auditLog).values({ ...columns, at: new Date(atMs), hash: key.signEntry(entryMessage(entry)) });
}

/**
 * Appends one entry to the audit trail inside the caller's transaction, so the write and its record commit
 * together (given the database itself, in a transaction of its own). Secrets are dropped and personal data
 * masked at any depth (platform/personal-data.ts): callers pass the fields they mean, never a request body.
 */
export async function audit(executor: Executor, actor: Actor, entry: AuditEntry): Promise<void> {
  const content = contentOf(actor, entry);
  if (executor instanceof PgTransaction) return append(executor as Tx, content);
  await executor.transaction((tx) => append(tx, content));
}
