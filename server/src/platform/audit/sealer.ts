/**
 * 日志管理: the sealer of the audit chain. The audit writer (audit.ts) inserts each entry in the writing
 * transaction with its content signed (`entry_mac`) and no position, so that no audited write holds a lock
 * until it commits. The sealer then gives the committed entries their positions after the chain's head, in
 * id order within a round, and their chain hashes (HMAC of ['kam-audit-v2', seq, prevHash, entryMac, keyId],
 * chain.ts), in one UPDATE per batch. The chain's order is therefore the sealing order, not the id order:
 * an entry whose transaction commits late is sealed after entries with higher ids sealed before it.
 *
 * One sealer at a time across instances: the sealing transaction holds the chain lock (advisory 7263001)
 * until it commits, so that the positions of one round are all visible before the next round reads the
 * head; a sealer that finds the lock held leaves the work to the other one. The database checks the rest
 * (migration 0036): only a session holding that lock may give positions, nothing but the position and the
 * hashes may change, and what is sealed continues the chain without a gap.
 *
 * Every instance runs the loop (`startAuditSealer`, main.ts `serve`, every 200 ms); the checkpoint and
 * `audit verify` seal first, so that they see everything committed.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { walkQueuesByIndex } from '../../db/statements.js';
import type { AuditKeyring } from './keys.js';
import { sealMessage } from './chain.js';

/** The chain lock (a bigint advisory key: in pg_locks classid 0, objid 7263001, objsubid 1). */
export const CHAIN_LOCK = 7263001;
/** Entries sealed in one statement. */
const SEAL_BATCH = 5000;
/** How often each instance seals. */
export const SEAL_INTERVAL_MS = 200;

/**
 * An entry signed by a key this instance does not hold (another instance's newer key, during a key change):
 * the entries before it were sealed; it and those after it are left to an instance that holds the key.
 */
export class UnsealableEntry extends Error {
  constructor(
    readonly entryId: number,
    readonly keyId: string | null,
  ) {
    super(`audit entry ${entryId} is signed by key ${keyId ?? '(none)'}, which this server does not hold: left unsealed`);
  }
}

interface Unsealed {
  id: number;
  entry_mac: string | null;
  key_id: string | null;
}

/** A Postgres array literal of numbers or hex texts (no quoting needed); null as NULL. */
const arrayLiteral = (values: readonly (string | number | null)[]) => `{${values.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`;

/**
 * Seals the entries committed and not sealed yet, after the chain's head, in batches. Returns how many it
 * sealed: 0 when there were none or another sealer holds the lock. Throws UnsealableEntry (after sealing
 * those before it) at an entry signed by a key it does not hold.
 */
export async function sealAuditEntries(database: Database, keys: AuditKeyring, batch = SEAL_BATCH): Promise<number> {
  let sealed = 0;
  for (;;) {
    // most rounds find nothing: asked first outside a transaction (the partial index answers), since on PGlite
    // a transaction holds the one connection
    const [waiting] = await database.rows<{ any: boolean }>(sql`SELECT EXISTS (SELECT 1 FROM audit_log WHERE seq IS NULL) AS any`);
    if (!waiting?.any) return sealed;
    const round = await database.db.transaction(async (tx) => {
      const [lock] = await database.rows<{ held: boolean }>(sql`SELECT pg_try_advisory_xact_lock(${sql.raw(String(CHAIN_LOCK))}::bigint) AS held`, tx);
      if (!lock?.held) return null;
      const [head] = await database.rows<{ seq: number; hash: string | null }>(
        sql`SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`,
        tx,
      );
      await walkQueuesByIndex(tx);
      const entries = await database.rows<Unsealed>(sql`SELECT id, entry_mac, key_id FROM audit_log WHERE seq IS NULL ORDER BY id LIMIT ${batch}`, tx);
      const ids: number[] = [];
      const seqs: number[] = [];
      const prevs: (string | null)[] = [];
      const hashes: string[] = [];
      let seq = Number(head?.seq ?? 0);
      let prev = head?.hash ?? null;
      let blocked: UnsealableEntry | null = null;
      for (const e of entries) {
        const key = e.key_id === null ? undefined : keys.get(e.key_id);
        if (!key || e.entry_mac === null || e.key_id === null) {
          blocked = new UnsealableEntry(Number(e.id), e.key_id);
          break;
        }
        seq++;
        const hash = key.signEntry(sealMessage(seq, prev, e.entry_mac, e.key_id));
        ids.push(Number(e.id));
        seqs.push(seq);
        prevs.push(prev);
        hashes.push(hash);
        prev = hash;
      }
      if (ids.length) {
        await tx.execute(sql`
          UPDATE audit_log a SET seq = s.seq, prev_hash = s.prev_hash, hash = s.hash
          FROM unnest(${arrayLiteral(ids)}::bigint[], ${arrayLiteral(seqs)}::bigint[], ${arrayLiteral(prevs)}::text[], ${arrayLiteral(hashes)}::text[])
            AS s(id, seq, prev_hash, hash)
          WHERE a.id = s.id`);
      }
      return { n: ids.length, full: entries.length === batch, blocked };
    });
    if (!round) return sealed;
    sealed += round.n;
    if (round.blocked) throw round.blocked;
    if (!round.full) return sealed;
  }
}

/** Seals, leaving an entry this instance cannot seal to the others (verifyChain reports it if it stays). */
export async function sealWhatCanBe(database: Database, keys: AuditKeyring): Promise<number> {
  try {
    return await sealAuditEntries(database, keys);
  } catch (err) {
    if (err instanceof UnsealableEntry) return 0;
    throw err;
  }
}

export interface AuditSealer {
  stop(): Promise<void>;
}

interface Logger {
  error(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
}

/** Starts this instance's sealing loop (main.ts `serve`, beside the event delivery); `stop` waits for the round under way. */
export function startAuditSealer(database: Database, keys: AuditKeyring, log: Logger, intervalMs = SEAL_INTERVAL_MS): AuditSealer {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> = Promise.resolve();
  let warned: number | null = null;
  const tick = async () => {
    try {
      await sealAuditEntries(database, keys);
      warned = null;
    } catch (err) {
      if (err instanceof UnsealableEntry) {
        // once per entry, not every 200 ms
        if (warned !== err.entryId) log.warn({ auditEntry: err.entryId, key: err.keyId }, err.message);
        warned = err.entryId;
      } else log.error({ err }, 'audit entries could not be sealed');
    }
    if (!stopped) timer = setTimeout(() => (ticking = tick()), intervalMs);
  };
  ticking = tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await ticking;
    },
  };
}
