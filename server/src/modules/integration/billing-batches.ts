/**
 * BOSS 账单批次: a batch of billing records (NDJSON, one record a line, the fields of the monthly facts layout)
 * sent by BOSS over HTTP. The body is read once, streamed: hashed (SHA-256), counted against the limits, and
 * written as a facts CSV to the uploads folder, which the facts import then takes like any file (the same
 * checks, the same load with the months' totals, one transaction): the batch is written whole or not at all.
 * The batch id binds its content: a replay of an accepted batch answers the first answer again and changes
 * nothing; other content under that id is refused. A rejected batch binds nothing and may be sent again.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Executor } from '../../db/client.js';
import { audit } from '../../platform/audit/audit.js';
import type { Deps } from '../../platform/deps.js';
import { AppError, notFound, outOfScope, type FieldError } from '../../platform/errors.js';
import type { UploadFolder } from '../../platform/files/uploads.js';
import type { ApiCaller } from '../../platform/http/access.js';
import { inScope } from '../../platform/auth/scope.js';
import * as bq from './boss.queries.js';
import { LAYOUTS } from './layouts.js';
import { findJob, rejectsOf } from './queries.js';
import { renderJobError, type JobError } from './reasons.js';
import { importFile } from './service.js';

const FACTS = LAYOUTS.facts;
/** A record's fields: the layout's keys in camelCase (revVoice), or as the layout writes them (rev_voice). */
const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const FIELD_INDEX = new Map<string, number>();
FACTS.forEach((c, i) => {
  FIELD_INDEX.set(camel(c.key), i);
  FIELD_INDEX.set(c.key, i);
});
/** A blank line stays a (blank) row of the CSV, so that CSV row n + 1 is always line n. */
const BLANK_ROW = ','.repeat(FACTS.length - 1);
/** The most refused lines an answer lists (their count is in the title). */
const LISTED_ERRORS = 1000;

/** What a batch answered: its record, or the refusal as a problem. */
export interface BatchAnswer {
  batchId: string;
  status: 'accepted' | 'rejected' | 'processing';
  lines: number;
  bytes: number;
  importId: number | null;
  inserted: number;
  updated: number;
  unchanged: number;
  /** The refused lines (line, field, code, params) of a rejected batch. */
  errors: { line: number; field: string | null; code: string; params?: Record<string, unknown> }[];
  receivedAt: string;
}

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** One NDJSON line as a CSV row of the facts layout, or the reasons it is refused before the checks. */
function toCsvRow(line: string, lineNo: number, errors: BatchAnswer['errors']): string | null {
  if (line.trim() === '') return BLANK_ROW;
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    record = undefined;
  }
  if (!record || typeof record !== 'object' || Array.isArray(record)) {
    errors.push({ line: lineNo, field: null, code: 'boss_batch_not_json' });
    return null;
  }
  const cells = new Array<string>(FACTS.length).fill('');
  let ok = true;
  for (const [k, v] of Object.entries(record)) {
    const at = FIELD_INDEX.get(k);
    if (at === undefined) {
      errors.push({ line: lineNo, field: k.slice(0, 50), code: 'boss_batch_unknown_field' });
      ok = false;
    } else if (typeof v === 'string' || typeof v === 'number') cells[at] = csvCell(String(v));
    else if (v !== null) {
      errors.push({ line: lineNo, field: camel(FACTS[at]!.key), code: 'boss_batch_not_scalar' });
      ok = false;
    }
  }
  return ok ? cells.join(',') : null;
}

interface Received {
  sha256: string;
  lines: number;
  bytes: number;
  errors: BatchAnswer['errors'];
}

/** Reads the body into `file` as a facts CSV, line by line; 413 as soon as a limit is passed. */
async function receive(body: AsyncIterable<Buffer>, file: NodeJS.WritableStream, limits: { maxLines: number; maxBytes: number }): Promise<Received> {
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8');
  const errors: BatchAnswer['errors'] = [];
  let bytes = 0;
  let lines = 0;
  let rest = '';
  const tooLarge = () => new AppError(413, 'boss_batch_too_large', limits);
  const write = async (text: string) => {
    if (!file.write(text)) await once(file as unknown as NodeJS.EventEmitter, 'drain');
  };
  const take = async (line: string) => {
    if (++lines > limits.maxLines) throw tooLarge();
    const row = toCsvRow(line.endsWith('\r') ? line.slice(0, -1) : line, lines, errors);
    if (row !== null && !errors.length) await write(`${row}\n`);
  };
  await write(`${FACTS.map((c) => c.key).join(',')}\n`);
  for await (const chunk of body) {
    bytes += chunk.length;
    if (bytes > limits.maxBytes) throw tooLarge();
    hash.update(chunk);
    const text = rest + decoder.decode(chunk, { stream: true });
    const parts = text.split('\n');
    rest = parts.pop()!;
    for (const line of parts) await take(line);
  }
  rest += decoder.decode();
  if (rest.trim() !== '') await take(rest);
  // trailing blank lines are no records
  return { sha256: hash.digest('hex'), lines, bytes, errors };
}

const fieldName = (column: string | null) => (column ? camel(column) : null);
/** The import's row numbers (the header is row 1) as the batch's line numbers, also inside a reason's parameters. */
const asLines = (params: Record<string, unknown>) =>
  typeof params.rows === 'string' ? { ...params, rows: params.rows.replace(/\d+/g, (n) => String(Number(n) - 1)) } : params;

/** The refused lines of an import, as the batch answers them. */
async function importErrors(deps: Deps, jobId: number): Promise<BatchAnswer['errors']> {
  const errors: BatchAnswer['errors'] = [];
  for await (const r of rejectsOf(deps.database.db, jobId)) {
    let code = r.reason;
    let params: Record<string, unknown> | undefined;
    try {
      const parsed = JSON.parse(r.reason) as { code: string; params?: Record<string, unknown> };
      code = parsed.code;
      params = parsed.params && asLines(parsed.params);
    } catch {
      // a reason stored as plain text: its text is the code
    }
    errors.push({ line: r.rowNo - 1, field: fieldName(r.column), code, ...(params ? { params } : {}) });
    if (errors.length >= LISTED_ERRORS) break;
  }
  return errors;
}

const toAnswer = (row: bq.BatchRow): BatchAnswer => ({
  batchId: row.batchId,
  status: row.status as BatchAnswer['status'],
  lines: row.lines,
  bytes: row.bytes,
  importId: row.importJobId,
  inserted: 0,
  updated: 0,
  unchanged: 0,
  errors: [],
  receivedAt: row.createdAt.toISOString(),
  ...((row.answer as Partial<BatchAnswer> | null) ?? {}),
});

/** The problem a rejected batch answers: 422, each refused line as a field error (`line.<n>.<field>`). */
function invalidBatch(errors: BatchAnswer['errors'], count: number): AppError {
  const fields: FieldError[] = errors.map((e) => ({ field: e.field ? `line.${e.line}.${e.field}` : `line.${e.line}`, code: e.code, message: '', params: e.params }));
  return new AppError(422, 'boss_batch_invalid', { count }, fields);
}

export interface BatchResult {
  answer: BatchAnswer;
  /** An accepted batch sent again with the same content: the first answer, nothing done. */
  replay: boolean;
}

/** Is an earlier request still working on this batch (its import queued or running)? */
async function stillRunning(db: Executor, row: bq.BatchRow): Promise<boolean> {
  if (row.status !== 'processing') return false;
  if (!row.importJobId) return Date.now() - row.createdAt.getTime() < 15 * 60_000;
  const job = await findJob(db, row.importJobId);
  return !!job && (job.status === 'queued' || job.status === 'running');
}

/**
 * The answer to a batch id already held: a replay, or 409. Otherwise the id is free to take: `stale` is the
 * receipt time of a row left processing by a request whose import is over (taken over only as it was seen).
 */
async function earlierAnswer(db: Executor, batchId: string, sha256: string): Promise<BatchResult | { stale: Date | null }> {
  const row = await bq.findBatch(db, batchId);
  if (!row || row.status === 'rejected') return { stale: null };
  if (row.status === 'accepted') {
    if (row.sha256 === sha256) return { answer: toAnswer(row), replay: true };
    throw new AppError(409, 'boss_batch_conflict', { batchId });
  }
  if (await stillRunning(db, row)) throw new AppError(409, row.sha256 === sha256 ? 'boss_batch_in_progress' : 'boss_batch_conflict', { batchId });
  return { stale: row.createdAt };
}

/**
 * Receives one batch: 200 with the outcome (or the first outcome again, `replay`), 422 naming the refused lines
 * (nothing written), 409 for other content under an accepted batch id, 413 past the limits.
 */
export async function receiveBatch(deps: Deps, caller: ApiCaller, batchId: string, body: Readable, uploads: UploadFolder): Promise<BatchResult> {
  const { db } = deps.database;
  const target = uploads.create();
  try {
    const got = await receive(body, target.stream, { maxLines: deps.config.BOSS_BATCH_MAX_LINES, maxBytes: deps.config.BOSS_BATCH_MAX_BYTES });
    await finished(target.stream.end());
    const earlier = await earlierAnswer(db, batchId, got.sha256);
    if ('answer' in earlier) return earlier;
    if (!got.lines) throw new AppError(400, 'boss_batch_empty', {}, [{ field: 'body', code: 'boss_batch_empty', message: '' }]);
    const { actor } = caller;
    const claimed = await bq.claimBatch(
      db,
      { batchId, sha256: got.sha256, status: 'processing', lines: got.lines, bytes: got.bytes, clientId: caller.clientId, actorUsername: actor.username, unitPath: actor.unitPath },
      earlier.stale,
    );
    if (!claimed) {
      const again = await earlierAnswer(db, batchId, got.sha256);
      if ('answer' in again) return again;
      throw new AppError(409, 'boss_batch_in_progress', { batchId });
    }
    const base = toAnswer(claimed);
    if (got.errors.length) return await reject(db, base, got.errors.slice(0, LISTED_ERRORS), got.errors.length);
    const job = await importFile(deps, actor, target.path, { kind: 'facts', fileName: `billing-batch-${batchId}.ndjson`, fileSize: got.bytes, dryRun: false, setAside: false });
    if (job.status === 'succeeded') {
      const answer: BatchAnswer = { ...base, status: 'accepted', importId: job.id, inserted: job.inserted, updated: job.updated, unchanged: job.unchanged };
      await bq.finishBatch(db, batchId, { status: 'accepted', importJobId: job.id, httpStatus: 200, answer });
      await audit(db, actor, { action: 'create', entity: 'boss_batch', entityId: batchId, unitPath: actor.unitPath, after: { lines: got.lines, importId: job.id, inserted: job.inserted, updated: job.updated, client: caller.clientId } });
      return { answer, replay: false };
    }
    await bq.finishBatch(db, batchId, { importJobId: job.id });
    if (job.status === 'rejected') return await reject(db, { ...base, importId: job.id }, await importErrors(deps, job.id), job.rowsRejected);
    const row = await findJob(db, job.id);
    const failure = row?.error ? renderJobError(row.error as JobError, 'en-US') : { code: 'internal_error', message: 'the import failed' };
    await bq.finishBatch(db, batchId, { status: 'rejected', httpStatus: 422, answer: { ...base, status: 'rejected', importId: job.id, errors: [{ line: 0, field: null, code: failure.code }] } });
    throw new AppError(422, 'boss_batch_failed', { reason: failure.message }, [{ field: 'body', code: failure.code, message: failure.message }]);
  } finally {
    await uploads.remove(target.path);
  }
}

/** Records the batch as rejected (nothing written, the id free again) and throws its 422. */
async function reject(db: Executor, base: BatchAnswer, errors: BatchAnswer['errors'], count: number): Promise<never> {
  const answer: BatchAnswer = { ...base, status: 'rejected', errors };
  await bq.finishBatch(db, base.batchId, { status: 'rejected', httpStatus: 422, answer });
  throw invalidBatch(errors, count);
}

/** A batch's outcome, for its sender (a client sees its own batches; a user those of the data scope). */
export async function getBatch(deps: Deps, caller: ApiCaller, batchId: string): Promise<BatchAnswer> {
  const row = await bq.findBatch(deps.database.db, batchId);
  if (!row) throw notFound('boss_batch');
  const own = caller.clientId ? row.clientId === caller.clientId : inScope(caller.actor, row.unitPath);
  if (!own) throw outOfScope('boss_batch');
  return toAnswer(row);
}
