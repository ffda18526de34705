/**
 * Import of BOSS extracts (customers, subscriptions, monthly facts) and the report of rejected rows.
 *
 * A job reads the file once, streamed, by the first reading strategy that can take it (readers.ts), into one row
 * sink (row-sink.ts) that checks each row in JavaScript and stages the good ones (COPY on PostgreSQL, batched
 * INSERTs on PGlite); set-based SQL then finds what needs the database (unknown keys, data scope, merged customers,
 * duplicate keys in the file, customers that duplicate other customers) and the customers area loads the rows in a
 * single transaction (customers/service.ts, 批量装载). All-or-nothing unless the user chose to set bad rows aside;
 * a dry run does all of it and rolls back. Re-importing a file changes nothing: the upserts only touch rows whose
 * values differ. Reasons are stored as codes and worded in the reader's language (reasons.ts).
 */
import { rm } from 'node:fs/promises';
import type { Executor } from '../../db/client.js';
import { audit } from '../../platform/audit/audit.js';
import { type Actor } from '../../platform/auth/principal.js';
import { atOrganisationRoot, inScope } from '../../platform/auth/scope.js';
import type { Deps } from '../../platform/deps.js';
import { notFound, outOfScope } from '../../platform/errors.js';
import type { Page } from '../../platform/http/list.js';
import { translate, type Locale } from '../../platform/i18n/messages.js';
import { LOCK_CLASS, runKey, runLocks, type LockKey } from '../../platform/jobs/run-locks.js';
import * as customers from '../customers/service.js';
import { closeSides, openSides, type DirectSides } from './direct-load.js';
import type { ImportKind } from './layouts.js';
import * as q from './queries.js';
import { readDirect, readRows, readScanned } from './readers.js';
import { renderJobError, renderReason, type JobError } from './reasons.js';
import { RowSink } from './row-sink.js';
import { FileError, scanCsv, sniffEncoding, sniffFormat, type XlsxLimits } from './source.js';
import { markRollupMonths } from '../analysis/indicators/service.js';

export interface ImportOptions {
  kind: ImportKind;
  fileName: string;
  fileSize: number;
  dryRun: boolean;
  setAside: boolean;
}

export type ImportJob = Omit<q.JobRow, 'error' | 'actorId' | 'kind' | 'status'> & {
  kind: ImportKind;
  status: 'queued' | 'running' | 'succeeded' | 'rejected' | 'failed';
  actorId: number | null;
  error: { code: string; message: string } | null;
  rowsValid: number;
  progress: number;
};

/** A job's whole-file error as the API answers it: in `locale`, or as stored (English) without one. */
function jobError(error: JobError | null, locale?: Locale): ImportJob['error'] {
  if (!error) return null;
  return locale ? renderJobError(error, locale) : { code: error.code, message: error.message };
}

/** The job as the API answers it; with a locale, its error is put in that language. */
export function toJob(row: q.JobRow, locale?: Locale): ImportJob {
  const done = row.status !== 'queued' && row.status !== 'running';
  const readShare = row.fileSize ? Math.min(1, row.bytesRead / row.fileSize) : 0;
  // reading is most of the work; checking and loading the rest
  const progress = done ? 1 : row.phase === 'reading' ? readShare * 0.8 : row.phase === 'checking' ? 0.85 : row.phase === 'loading' ? 0.92 : 0;
  return {
    ...row,
    kind: row.kind as ImportKind,
    status: row.status as ImportJob['status'],
    error: jobError(row.error as JobError | null, locale),
    rowsValid: Math.max(0, row.rowsRead - row.rowsRejected),
    progress: Math.round(progress * 1000) / 1000,
  };
}

// ---- the queue: one import at a time per process (PGlite has one connection; PostgreSQL is spared) ----------

let queue: Promise<unknown> = Promise.resolve();
function enqueue<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * The job row of an import, before it runs: what, by whom, within which scope. This process holds the job's run
 * lock from before the row is committed until the job ends (`release`), so that a restart can tell its unfinished
 * jobs from those of a live process (failInterruptedImports).
 */
async function recordJob(deps: Deps, actor: Actor, opts: ImportOptions) {
  const locks = runLocks(deps);
  let key: LockKey | null = null;
  const row = await deps.database.db.transaction(async (tx) => {
    const inserted = await q.insertJob(tx, {
      kind: opts.kind,
      fileName: opts.fileName,
      fileSize: opts.fileSize,
      dryRun: opts.dryRun,
      setAside: opts.setAside,
      actorId: actor.userId,
      actorUsername: actor.username,
      unitPath: actor.unitPath,
    });
    const k = runKey(LOCK_CLASS.importJob, inserted.id);
    try {
      if (await locks.tryLock(k)) key = k;
    } catch (err) {
      // the import runs all the same; only a restart of another server meanwhile could take it for interrupted
      console.error(`import job ${inserted.id}: cannot take its run lock`, err);
    }
    return inserted;
  });
  const held = key as LockKey | null;
  return { row, release: () => (held ? locks.unlock(held) : Promise.resolve()) };
}

/** Records the job and runs it in the background; the caller answers 202 at once. `path` is removed afterwards. */
export async function startImport(
  deps: Deps,
  actor: Actor,
  path: string,
  opts: ImportOptions,
  locale?: Locale,
): Promise<{ job: ImportJob; done: Promise<ImportJob> }> {
  const { row, release } = await recordJob(deps, actor, opts);
  const remove = () => rm(path, { force: true });
  // the upload goes as soon as it is read (before the job ends); and in any case once the job is over
  const done = enqueue(() => runImport(deps, actor, row.id, path, opts, undefined, remove)).finally(() => Promise.all([remove(), release()]));
  done.catch(() => undefined);
  return { job: toJob(row, locale), done };
}

/** Creates the job and runs it to the end (the CLI). */
export async function importFile(
  deps: Deps,
  actor: Actor,
  path: string,
  opts: ImportOptions,
  onProgress?: (job: ImportJob) => void,
): Promise<ImportJob> {
  const { row, release } = await recordJob(deps, actor, opts);
  return enqueue(() => runImport(deps, actor, row.id, path, opts, onProgress)).finally(release);
}

class Rollback extends Error {}

/** The limits an .xlsx upload is read within (its zip's central directory; README, IMPORT_XLSX_*). */
export const xlsxLimits = (config: Deps['config']): XlsxLimits => ({
  maxInflatedBytes: config.IMPORT_XLSX_MAX_INFLATED_BYTES,
  maxEntries: config.IMPORT_XLSX_MAX_ENTRIES,
  maxRatio: config.IMPORT_XLSX_MAX_RATIO,
});

/** How a running job tells its state: to its row (and the CLI's progress bar), and its phases' times (KAM_IMPORT_TIMING). */
function jobReporter(deps: Deps, jobId: number, onProgress?: (job: ImportJob) => void) {
  const { db } = deps.database;
  const t0 = Date.now();
  return {
    mark(what: string) {
      if (process.env.KAM_IMPORT_TIMING) console.log(`  [import ${jobId}] ${what} at ${((Date.now() - t0) / 1000).toFixed(2)} s`);
    },
    async report(set: Parameters<typeof q.updateJob>[2]) {
      await q.updateJob(db, jobId, set);
      if (onProgress) onProgress(toJob((await q.findJob(db, jobId))!));
    },
    finish: (set: Parameters<typeof q.updateJob>[2]) => finish(deps, jobId, set, onProgress),
  };
}
type JobReporter = ReturnType<typeof jobReporter>;

/** The import's entry in the audit trail, written in its load's transaction. */
const auditImport = (tx: Executor, actor: Actor, jobId: number, opts: ImportOptions, counts: Record<string, number>) =>
  audit(tx, actor, { action: 'create', entity: 'import', entityId: jobId, unitPath: actor.unitPath, after: { kind: opts.kind, fileName: opts.fileName, ...counts } });

/**
 * What is known of the file before it is read: its format and encoding. A facts CSV on PostgreSQL gets one pass
 * that also tells whether it holds quotes (the scanner needs none), and, for an importer at the organisation's
 * root (the only one a direct load can serve), side connections that read the subscriptions meanwhile.
 */
async function openSource(deps: Deps, actor: Actor, path: string, opts: ImportOptions) {
  const format = await sniffFormat(path);
  const scannable = format === 'csv' && opts.kind === 'facts' && deps.database.kind === 'postgres' && !!deps.config.DATABASE_URL;
  const sides = scannable && !opts.setAside && atOrganisationRoot(actor) ? await openSides(deps) : null;
  try {
    const scan = scannable ? await scanCsv(path) : null;
    const encoding = scan ? scan.encoding : format === 'csv' ? await sniffEncoding(path) : null;
    return { format, encoding, scan, sides };
  } catch (err) {
    if (sides) await closeSides(sides);
    throw err;
  }
}

/**
 * The work of one job: the file read by the first strategy that can take it (readers.ts) into one row sink
 * (row-sink.ts), then the set-based checks and the load (`checkAndLoad`). Never throws for a bad file: the job
 * ends failed with the reason. `onFileRead` runs once the file is read for good, before the job ends (an
 * upload is removed then).
 */
export async function runImport(
  deps: Deps,
  actor: Actor,
  jobId: number,
  path: string,
  opts: ImportOptions,
  onProgress?: (job: ImportJob) => void,
  onFileRead: () => Promise<void> = async () => undefined,
): Promise<ImportJob> {
  const job = jobReporter(deps, jobId, onProgress);
  let conn: q.ImportConnection | null = null;
  let sides: DirectSides | null = null;
  let sink: RowSink | null = null;
  try {
    await job.report({ status: 'running', phase: 'reading', startedAt: new Date() });
    const source = await openSource(deps, actor, path, opts);
    sides = source.sides;
    job.mark('scanned');
    await job.report({ format: source.format, encoding: source.encoding });
    conn = await q.openImportConnection(deps);
    await q.createStage(conn, jobId, opts.kind);
    sink = new RowSink({ deps, jobId, kind: opts.kind, report: job.report }, conn);
    const read = { path, sink, mark: job.mark };
    const scanned = source.scan && !source.scan.quoted && conn.copyIn ? source.scan : null;
    if (sides && scanned && (await q.wholeOrgInScope(conn, actor.unitPath))) {
      const rows = await readDirect({ ...read, conn, sides, encoding: scanned.encoding, dryRun: opts.dryRun }, (tx, n) =>
        auditImport(tx, actor, jobId, opts, { rowsRead: n, rowsRejected: 0, inserted: n, updated: 0 }),
      );
      if (rows !== null) {
        job.mark('loaded');
        await onFileRead();
        return await job.finish({ status: 'succeeded', committed: !opts.dryRun, rowsRead: rows, bytesRead: sink.bytesRead, inserted: rows, updated: 0, unchanged: 0 });
      }
    }
    if (sides) await closeSides(sides);
    sides = null;
    if (scanned) await readScanned({ ...read, encoding: scanned.encoding });
    else await readRows({ ...read, format: source.format, encoding: source.encoding, xlsx: xlsxLimits(deps.config) });
    job.mark('read and staged');
    await onFileRead();
    await job.report({ rowsRead: sink.rowsRead, bytesRead: sink.bytesRead, phase: 'checking' });
    return await checkAndLoad(deps, actor, job, conn, sink, opts, jobId);
  } catch (err) {
    const error: JobError =
      err instanceof FileError
        ? { code: err.code, message: err.message, params: err.params }
        : { code: 'internal_error', message: 'the import failed unexpectedly; see the server log' };
    if (!(err instanceof FileError)) console.error(`import job ${jobId} failed`, err);
    const rowsRejected = await q.countRejectedRows(deps.database.db, jobId).catch(() => 0);
    await onFileRead().catch(() => undefined);
    return job.finish({ status: 'failed', committed: false, error, rowsRead: sink?.rowsRead ?? 0, bytesRead: sink?.bytesRead ?? 0, rowsRejected });
  } finally {
    if (sides) await closeSides(sides);
    if (conn) {
      await q.dropStage(conn, jobId).catch(() => undefined);
      await conn.close().catch(() => undefined);
    }
  }
}

/**
 * The staged rows checked as a set (repeated keys, unknown references, data scope, merged customers, duplicates of
 * other customers), then loaded by the customers area in one transaction with the audit entry: all or nothing,
 * or without the rows set aside; a dry run rolls back.
 */
async function checkAndLoad(deps: Deps, actor: Actor, job: JobReporter, conn: q.ImportConnection, sink: RowSink, opts: ImportOptions, jobId: number) {
  const { kind } = opts;
  await q.analyzeStage(conn, jobId);
  job.mark('analyzed');
  await q.rejectDuplicates(conn, jobId, kind);
  job.mark('duplicates checked');
  const scope = { path: actor.unitPath, all: await q.wholeOrgInScope(conn, actor.unitPath) };
  await q.rejectReferences(conn, jobId, kind, scope);
  job.mark('references checked');
  if (kind === 'customers') {
    await q.rejectDuplicateCustomers(conn, jobId, scope);
    job.mark('duplicate customers checked');
  }
  const rowsRejected = await q.countRejectedRows(deps.database.db, jobId);
  await job.report({ rowsRejected, phase: 'loading' });
  if (rowsRejected > 0 && !opts.setAside) return job.finish({ status: 'rejected', committed: false });

  let result: customers.ImportCounts = { inserted: 0, updated: 0 };
  try {
    await conn.db.transaction(async (tx) => {
      if (rowsRejected) await q.dropRejectedRows(conn, tx, jobId);
      result = await load(conn, tx, kind, jobId, actor, [...sink.months]);
      await auditImport(tx, actor, jobId, opts, { rowsRead: sink.rowsRead, rowsRejected, ...result });
      if (opts.dryRun) throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  job.mark('loaded');
  const unchanged = sink.rowsRead - rowsRejected - result.inserted - result.updated;
  return job.finish({ status: 'succeeded', committed: !opts.dryRun, ...result, unchanged });
}

/** The staged rows into the customers area's tables (批量装载, customers/service.ts). */
function load(conn: q.ImportConnection, tx: Executor, kind: ImportKind, jobId: number, actor: Actor, months: string[]) {
  const stage = q.stageTable(jobId);
  if (kind === 'facts') {
    // the analysis rollup of the months is rebuilt by its job once this commits (docs/analysis/indicators.md)
    return customers.importFacts(tx, stage, months, conn.kind === 'postgres').then(async (counts) => (await markRollupMonths(tx, months), counts));
  }
  if (kind === 'subscriptions') return customers.importSubscriptions(tx, stage);
  return customers.importCustomers(tx, stage, q.stageColumns(kind).map((c) => c.name), actor);
}

async function finish(deps: Deps, jobId: number, set: Parameters<typeof q.updateJob>[2], onProgress?: (job: ImportJob) => void) {
  try {
    await q.updateJob(deps.database.db, jobId, { ...set, phase: 'done', finishedAt: new Date() });
  } catch (err) {
    console.error(`import job ${jobId}: cannot record the outcome`, err);
    const error = { code: 'internal_error', message: 'the import failed unexpectedly; see the server log' };
    await q.updateJob(deps.database.db, jobId, { status: 'failed', committed: false, error, phase: 'done', finishedAt: new Date() });
  }
  const job = toJob((await q.findJob(deps.database.db, jobId))!);
  onProgress?.(job);
  return job;
}

// ---- reading jobs ----------------------------------------------------------------------------------------------

async function jobInScope(deps: Deps, actor: Actor, id: number): Promise<q.JobRow> {
  const row = await q.findJob(deps.database.db, id);
  if (!row) throw notFound('import');
  if (!inScope(actor, row.unitPath)) throw outOfScope('import');
  return row;
}

export async function getImport(deps: Deps, actor: Actor, id: number, locale?: Locale): Promise<ImportJob> {
  return toJob(await jobInScope(deps, actor, id), locale);
}

export async function listImports(deps: Deps, actor: Actor, f: { kind?: ImportKind; offset: number; limit: number }, locale?: Locale): Promise<Page<ImportJob>> {
  const page = await q.listJobs(deps.database.db, { ...f, scopePath: actor.unitPath });
  return { total: page.total, items: page.items.map((row) => toJob(row, locale)) };
}

/** A rejected row as the report shows it: the reason in the reader's language, next to its stable code. */
export interface RejectLine {
  rowNo: number;
  key: string | null;
  column: string | null;
  code: string | null;
  reason: string;
}

/** The rejected rows of a job in row order, for the downloadable report (and the CLI). */
export function rejectLines(deps: Deps, job: q.JobRow, locale: Locale): AsyncIterable<RejectLine> {
  const rows = q.rejectsOf(deps.database.db, job.id);
  const kind = job.kind as ImportKind;
  return (async function* () {
    for await (const r of rows) yield { rowNo: r.rowNo, key: r.key, column: r.column, ...renderReason(r.reason, kind, r.column, locale) };
  })();
}

/** The rejected rows of a job, for the downloadable report. */
export async function rejectsOf(deps: Deps, actor: Actor, id: number, locale: Locale) {
  const job = await jobInScope(deps, actor, id);
  return { job: toJob(job, locale), rows: rejectLines(deps, job, locale) };
}

/**
 * At start-up: imports left queued or running by a process that no longer exists (nobody holds their run lock)
 * are marked failed, "interrupted by a restart" (error code `interrupted`). Their load ran in one transaction, so
 * either all of it or none of it was committed; re-importing the file is safe either way. Returns the ids marked.
 */
export async function failInterruptedImports(deps: Deps): Promise<number[]> {
  const { db } = deps.database;
  const open = await q.unfinishedJobIds(db);
  if (!open.length) return [];
  return runLocks(deps).withUnheld(LOCK_CLASS.importJob, open, async (ids) => {
    if (!ids.length) return [];
    const error: JobError = { code: 'interrupted', message: translate('import_error_interrupted', 'en-US') };
    return q.failUnfinishedJobs(db, ids, error);
  });
}
