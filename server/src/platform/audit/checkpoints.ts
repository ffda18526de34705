/**
 * Checkpoints: the head of the audit chain (its newest position and hash, and when), signed with the audit
 * key and kept outside the database — appended to a file under DATA_DIR and written to the log — on a
 * schedule (once across instances) and at shutdown. A database owner who cuts off the newest entries, or
 * recomputes the chain, cannot make it match the checkpoints, nor forge a checkpoint without the key.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/client.js';
import type { Deps } from '../deps.js';
import type { JobDef } from '../jobs/scheduler.js';
import { canonicalJson, verifyChain, type ChainAnchor, type ChainReport } from './chain.js';
import type { AuditKey, AuditKeyring } from './keys.js';
import { sealWhatCanBe } from './sealer.js';

export interface Checkpoint {
  seq: number;
  hash: string | null;
  /** When it was taken (ISO 8601). */
  at: string;
  /** The id of the key that signed it. */
  key: string;
  sig: string;
}

const signed = (c: Omit<Checkpoint, 'sig'>) => canonicalJson(['kam-audit-checkpoint-v1', c.seq, c.hash, c.at, c.key]);

export function signCheckpoint(key: AuditKey, head: ChainAnchor, at: Date): Checkpoint {
  const body = { seq: head.seq, hash: head.hash, at: at.toISOString(), key: key.id };
  return { ...body, sig: key.signCheckpoint(signed(body)) };
}

/** A checkpoint whose signature one of our keys made. */
export function isGenuine(keys: AuditKeyring, c: Checkpoint): boolean {
  const key = keys.get(c.key);
  return !!key && typeof c.sig === 'string' && key.signCheckpoint(signed(c)) === c.sig;
}

/** The checkpoint file of a deployment: beside the embedded database, or in the data folder of a PostgreSQL one; none in memory. */
export const checkpointFile = (dataDir: string): string | null => (dataDir ? path.join(dataDir, 'audit-checkpoints.jsonl') : null);

export function appendCheckpoint(file: string, c: Checkpoint): void {
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(c)}\n`, { flag: 'a', mode: 0o600 });
}

export interface CheckpointFile {
  /** The genuine ones, in the file's order. */
  valid: Checkpoint[];
  /** Line numbers (from 1) of lines that are not a genuine checkpoint. */
  forged: number[];
}

/** Reads the file, refusing every line that is not a checkpoint signed by one of our keys. A missing file has none. */
export function readCheckpoints(file: string | null, keys: AuditKeyring): CheckpointFile {
  const out: CheckpointFile = { valid: [], forged: [] };
  if (!file || !existsSync(file)) return out;
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let c: Checkpoint | null = null;
      try {
        c = JSON.parse(line) as Checkpoint;
      } catch {
        // not even JSON: refused below
      }
      if (c && Number.isSafeInteger(c.seq) && isGenuine(keys, c)) out.valid.push(c);
      else out.forged.push(i + 1);
    });
  return out;
}

/**
 * The chain checked against the checkpoint file (the `audit verify` command and GET /api/audit/verify). After
 * the retention procedure (docs/operations.md) archived and removed the entries up to `archivedUpTo`
 * (AUDIT_ARCHIVED_UP_TO), the chain starts after the signed checkpoint at that position; without one, the
 * removed entries are a break.
 */
export function verifyWithCheckpoints(database: Database, keys: AuditKeyring, file: string | null, archivedUpTo = 0): Promise<ChainReport> {
  const { valid, forged } = readCheckpoints(file, keys);
  const cut = archivedUpTo > 0 ? (valid.find((c) => c.seq === archivedUpTo) ?? null) : null;
  return verifyChain(database, keys, { checkpoints: valid, forgedCheckpoints: forged.length, archivedUpTo: cut });
}

/**
 * Seals what was committed (sealer.ts), verifies what was appended since the last checkpoint and, when the
 * chain is intact, signs its head and keeps it in the file and the log. A broken chain is logged as an error
 * and not signed.
 */
export async function takeCheckpoint(deps: Pick<Deps, 'database' | 'config' | 'auditKeys'>, log: FastifyBaseLogger): Promise<ChainReport> {
  const keys = deps.auditKeys;
  const file = checkpointFile(deps.config.DATA_DIR);
  const { valid } = readCheckpoints(file, keys);
  const from = valid.at(-1) ?? null;
  // the head signed covers every entry committed before now
  await sealWhatCanBe(deps.database, keys);
  const report = await verifyChain(deps.database, keys, { from });
  if (!report.ok) {
    log.error({ auditChain: report }, 'audit chain broken: no checkpoint signed');
    return report;
  }
  const checkpoint = signCheckpoint(keys.current, report.head, new Date());
  if (file) appendCheckpoint(file, checkpoint);
  log.info({ auditCheckpoint: checkpoint }, 'audit checkpoint');
  return report;
}

/** Every ten minutes, once across instances: a removed tail goes unnoticed for at most this long (and until shutdown). */
export const auditCheckpointJob = (log: FastifyBaseLogger): JobDef => ({
  name: 'audit.checkpoint',
  pattern: '*/10 * * * *',
  run: async (deps) => {
    const report = await takeCheckpoint(deps, log);
    if (!report.ok) throw new Error(`audit chain broken at ${report.brokenAt}: ${report.problem}`);
    return { seq: report.head.seq, checked: report.checked };
  },
});
