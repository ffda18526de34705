/**
 * 日志管理: the audit chain. The audit writer signs each entry's content (its `entry_mac`, an HMAC with the
 * audit key, keys.ts) in the writing transaction, without a position; after the commit the sealer
 * (sealer.ts) gives the entries their positions (`seq`) in the order it seals them and their chain hashes,
 * an HMAC of the position, the previous entry's hash and the entry's MAC. The key is never in the database,
 * so its owner can neither rewrite an entry nor recompute the chain after one. Entries written before the
 * key (migration 0020) keep their key-less SHA-256 and are accepted only as the chain's start; entries
 * written between migrations 0020 and 0036 keep their v1 hash (content and previous hash in one HMAC, signed
 * under the chain lock). What the chain alone cannot show — that its newest entries were cut off — the
 * signed checkpoints show (checkpoints.ts); entries committed and not sealed yet are checked by their MAC.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import type { AuditKeyring } from './keys.js';

/** What an entry says, as its MAC signs it (v2): every stored column but the id and the chain's. */
export interface SignedContent {
  /** Microseconds since the epoch. */
  atUs: number;
  actorId: number | null;
  actorUsername: string | null;
  actorUnitPath: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  unitPath: string | null;
  before: unknown;
  after: unknown;
  diff: unknown;
  requestId: string | null;
  ip: string | null;
  keyId: string;
}

/** A v1 entry as it was signed (migrations 0020 to 0035): every stored column but the id and the hash itself. */
export interface ChainedEntry extends SignedContent {
  seq: number;
  prevHash: string | null;
}

/** JSON with the keys of every object in code-unit order: the same text for the same value, as stored and as read back. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What an entry says, in the order both formats sign it (between their position and their keys). */
const contentFields = (e: SignedContent) => [e.atUs, e.actorId, e.actorUsername, e.actorUnitPath, e.action, e.entity, e.entityId, e.unitPath, e.before, e.after, e.diff, e.requestId, e.ip];

/** The text of an entry's MAC (v2), signed in the writing transaction. */
export function contentMessage(e: SignedContent): string {
  return canonicalJson(['kam-audit-entry-v2', ...contentFields(e), e.keyId]);
}

/** The text of a v2 entry's chain hash, signed by the sealer: its position, the previous hash and its MAC. */
export function sealMessage(seq: number, prevHash: string | null, entryMac: string, keyId: string): string {
  return canonicalJson(['kam-audit-v2', seq, prevHash, entryMac, keyId]);
}

/** The text of a v1 entry's hash (entries written under the chain lock, before migration 0036). */
export function entryMessage(e: ChainedEntry): string {
  return canonicalJson(['kam-audit-v1', e.seq, ...contentFields(e), e.prevHash, e.keyId]);
}

/** Why a chain is not intact. */
export type ChainProblem =
  /** The entry's content no longer matches its hash. */
  | 'entry_changed'
  /** An entry is missing before this position (a gap in the positions, or a hash that no longer links). */
  | 'entry_missing'
  /** Signed by a key this server does not hold (neither AUDIT_HMAC_KEY nor a retired one). */
  | 'unknown_key'
  /** A key-less entry after signed ones: the key-less hash is only accepted for entries older than the key. */
  | 'unkeyed_entry'
  /** A checkpoint names a position past the newest entry: the newest entries were removed. */
  | 'tail_removed'
  /** The entry at a checkpoint's position is not the one the checkpoint signed (the chain was recomputed). */
  | 'checkpoint_mismatch'
  /** A line of the checkpoint file whose signature is wrong: it is not one of ours and is not believed. */
  | 'checkpoint_forged';

export interface ChainReport {
  ok: boolean;
  /** Entries checked. */
  checked: number;
  /** The first position (seq) where the chain breaks; null when what is broken is an entry not sealed yet (brokenEntryId). */
  brokenAt: number | null;
  /** An entry not sealed yet whose content no longer matches its MAC, or signed by a key not held: its id (it has no position). */
  brokenEntryId: number | null;
  problem: ChainProblem | null;
  /** The newest entry read. */
  head: { seq: number; hash: string | null };
  /** Key-less entries at the start of the chain (written before the key). */
  legacyEntries: number;
  /** The checkpoint up to which entries were archived and removed: the chain is checked from the entry after it. */
  startsAfter: number | null;
  checkpoints: { valid: number; forged: number; latestSeq: number | null };
  /** Entries committed and not sealed yet (sealer.ts): not in the chain yet, their MACs checked. */
  unsealed: number;
}

/** A position of the chain vouched for from outside the database (a verified checkpoint). */
export interface ChainAnchor {
  seq: number;
  hash: string | null;
}

interface StoredEntry {
  id: number;
  seq: number;
  at_us: number;
  actor_id: number | null;
  actor_username: string | null;
  actor_unit_path: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  unit_path: string | null;
  before: unknown;
  after: unknown;
  diff: unknown;
  request_id: string | null;
  ip: string | null;
  prev_hash: string | null;
  hash: string;
  key_id: string | null;
  /** The v2 entries' MAC of their content (null for older entries). */
  entry_mac: string | null;
  /** Key-less entries: the text their SHA-256 covered (migration 0001's audit_row_hash), built by the database. */
  legacy_message: string | null;
}

const BATCH = 5000;

const COLUMNS = sql`
    SELECT a.id, a.seq, (extract(epoch FROM a.at) * 1000000)::bigint AS at_us, a.actor_id, a.actor_username, a.actor_unit_path,
           a.action, a.entity, a.entity_id, a.unit_path, a.before, a.after, a.diff, a.request_id, a.ip, a.prev_hash, a.hash, a.key_id, a.entry_mac,
           CASE WHEN a.key_id IS NULL THEN jsonb_build_object(
             'seq', a.seq, 'at', (extract(epoch FROM a.at) * 1000000)::bigint, 'actorId', a.actor_id, 'actorUsername', a.actor_username,
             'action', a.action, 'entity', a.entity, 'entityId', a.entity_id, 'unitPath', a.unit_path, 'before', a.before,
             'after', a.after, 'diff', a.diff, 'requestId', a.request_id, 'ip', a.ip)::text END AS legacy_message
    FROM audit_log a`;

const readBatch = (database: Database, afterSeq: number) =>
  database.rows<StoredEntry>(sql`${COLUMNS} WHERE a.seq > ${afterSeq} ORDER BY a.seq LIMIT ${BATCH}`);

/** The entries committed and not sealed yet, in id order. */
const readUnsealed = (database: Database, afterId: number) =>
  database.rows<StoredEntry>(sql`${COLUMNS} WHERE a.seq IS NULL AND a.id > ${afterId} ORDER BY a.id LIMIT ${BATCH}`);

const signedContent = (e: StoredEntry, keyId: string): SignedContent => ({
  atUs: Number(e.at_us),
  actorId: e.actor_id === null ? null : Number(e.actor_id),
  actorUsername: e.actor_username,
  actorUnitPath: e.actor_unit_path,
  action: e.action,
  entity: e.entity,
  entityId: e.entity_id,
  unitPath: e.unit_path,
  before: e.before,
  after: e.after,
  diff: e.diff,
  requestId: e.request_id,
  ip: e.ip,
  keyId,
});

/** Whether a v2 entry's content still matches its MAC, or the problem that it cannot be checked. */
function checkContent(e: StoredEntry, keys: AuditKeyring): ChainProblem | null {
  if (e.key_id === null || e.entry_mac === null) return 'entry_changed';
  const key = keys.get(e.key_id);
  if (!key) return 'unknown_key';
  return key.signEntry(contentMessage(signedContent(e, e.key_id))) === e.entry_mac ? null : 'entry_changed';
}

/** The hash an entry must carry, or the problem that it cannot carry a right one. */
function expectedHash(e: StoredEntry, keys: AuditKeyring, keyedSeen: boolean): { hash: string } | { problem: ChainProblem } {
  if (e.key_id === null) {
    if (keyedSeen) return { problem: 'unkeyed_entry' };
    return { hash: createHash('sha256').update(`${e.prev_hash ?? ''}|${e.legacy_message ?? ''}`, 'utf8').digest('hex') };
  }
  const key = keys.get(e.key_id);
  if (!key) return { problem: 'unknown_key' };
  if (e.entry_mac !== null) {
    // v2: the content against its MAC, then the seal against the position, the previous hash and the MAC
    const problem = checkContent(e, keys);
    if (problem) return { problem };
    return { hash: key.signEntry(sealMessage(Number(e.seq), e.prev_hash, e.entry_mac, e.key_id)) };
  }
  return { hash: key.signEntry(entryMessage({ ...signedContent(e, e.key_id), seq: Number(e.seq), prevHash: e.prev_hash })) };
}

export interface VerifyOptions {
  /** Verified checkpoints, oldest first: each must match the entry at its position, and none may lie past the newest. */
  checkpoints?: readonly ChainAnchor[];
  /** Lines of the checkpoint file refused for a wrong signature (reported as a break). */
  forgedCheckpoints?: number;
  /** Start after this anchor instead of at the first entry (the scheduled checkpoint checks only what is new). */
  from?: ChainAnchor | null;
  /** The entries up to this checkpoint were archived and removed (the retention procedure): the chain starts after it. */
  archivedUpTo?: ChainAnchor | null;
}

/**
 * Recomputes every hash after `from` (the whole chain by default) in batches, in the application with the
 * keyring, and checks the checkpoints against it; then checks the MAC of every entry not sealed yet (seal
 * first, sealer.ts, to have them in the chain). Stops at the first break: in the chain, at its position
 * (`brokenAt`); among the unsealed entries, at the entry's id (`brokenEntryId`, `brokenAt` null).
 */
export async function verifyChain(database: Database, keys: AuditKeyring, opts: VerifyOptions = {}): Promise<ChainReport> {
  const start = opts.from ?? opts.archivedUpTo ?? { seq: 0, hash: null };
  const checkpoints = [...(opts.checkpoints ?? [])].filter((c) => c.seq >= start.seq);
  const bySeq = new Map(checkpoints.map((c) => [c.seq, c.hash]));
  let prev = start;
  let checked = 0;
  let legacyEntries = 0;
  // an anchor was signed after the key came: what follows it is signed too
  let keyedSeen = start.seq > 0;
  let unsealed = 0;
  let broken: { at: number | null; entryId?: number; problem: ChainProblem } | null = null;
  const report = (): ChainReport => {
    const forged = opts.forgedCheckpoints ?? 0;
    const latestSeq = checkpoints.length ? Math.max(...checkpoints.map((c) => c.seq)) : null;
    if (!broken && latestSeq !== null && latestSeq > prev.seq) broken = { at: prev.seq + 1, problem: 'tail_removed' };
    if (!broken && forged) broken = { at: prev.seq + 1, problem: 'checkpoint_forged' };
    return {
      ok: !broken,
      checked,
      brokenAt: broken?.at ?? null,
      brokenEntryId: broken?.entryId ?? null,
      problem: broken?.problem ?? null,
      head: prev,
      legacyEntries,
      startsAfter: opts.archivedUpTo?.seq ?? null,
      checkpoints: { valid: checkpoints.length, forged, latestSeq },
      unsealed,
    };
  };
  if (opts.from && opts.from.seq > 0) {
    // the anchor itself must still be there as it was signed
    const [anchor] = await database.rows<{ hash: string | null; newest: number | null }>(
      sql`SELECT (SELECT hash FROM audit_log WHERE seq = ${opts.from.seq}) AS hash, (SELECT max(seq) FROM audit_log) AS newest`,
    );
    if (anchor?.hash !== opts.from.hash) {
      const problem = anchor?.hash ? 'checkpoint_mismatch' : Number(anchor?.newest ?? 0) < opts.from.seq ? 'tail_removed' : 'entry_missing';
      broken = { at: opts.from.seq, problem };
      return report();
    }
  }
  for (;;) {
    const batch = await readBatch(database, prev.seq);
    for (const e of batch) {
      const seq = Number(e.seq);
      if (seq !== prev.seq + 1 || e.prev_hash !== prev.hash) broken = { at: prev.seq + 1, problem: 'entry_missing' };
      else {
        const expected = expectedHash(e, keys, keyedSeen);
        if ('problem' in expected) broken = { at: seq, problem: expected.problem };
        else if (expected.hash !== e.hash) broken = { at: seq, problem: 'entry_changed' };
        else if (bySeq.has(seq) && bySeq.get(seq) !== e.hash) broken = { at: seq, problem: 'checkpoint_mismatch' };
      }
      if (broken) return report();
      checked++;
      if (e.key_id === null) legacyEntries++;
      else keyedSeen = true;
      prev = { seq, hash: e.hash };
    }
    if (batch.length < BATCH) break;
  }
  for (let afterId = 0; ; ) {
    const batch = await readUnsealed(database, afterId);
    for (const e of batch) {
      const problem = checkContent(e, keys);
      if (problem) {
        broken = { at: null, entryId: Number(e.id), problem };
        return report();
      }
      unsealed++;
      afterId = Number(e.id);
    }
    if (batch.length < BATCH) return report();
  }
}
