/**
 * Import of BOSS extracts (customers, subscriptions, monthly facts) and the report of rejected rows.
 *
 * A job reads the file once, streamed: each row is checked in JavaScript (format of every cell) and the good
 * ones go to a staging table (COPY on PostgreSQL, batched INSERTs on PGlite); set-based SQL then finds what
 * needs the database (unknown keys, data scope, duplicate keys in the file, customers that duplicate other
 * customers) and one upsert per kind loads the rows in a single transaction. All-or-nothing unless the user chose
 * to set bad rows aside; a dry run does all of it and rolls back. Re-importing a file changes nothing: the upserts
 * only touch rows whose values differ. Reasons are stored as codes and worded in the reader's language (reasons.ts).
 */
import { rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import type { Executor } from '../../db/client.js';
import { audit } from '../../platform/audit/audit.js';
import { type Actor } from '../../platform/auth/principal.js';
import { atOrganisationRoot, inScope } from '../../platform/auth/scope.js';
import type { Deps } from '../../platform/deps.js';
import { notFound, outOfScope } from '../../platform/errors.js';
import type { Page } from '../../platform/http/list.js';
import { translate, type Locale } from '../../platform/i18n/messages.js';
import { LOCK_CLASS, runKey, runLocks, type LockKey } from '../../platform/jobs/run-locks.js';
import { closeSides, loadFactsDirect, openSides, type DirectSides } from './direct-load.js';
import { DirectAbort } from './facts-direct.js';
import { streamFactsCsv } from './facts-fast.js';
import { Bad, KEY_COLUMNS, LAYOUTS, MAX_CELL_CHARS, mapHeader, type HeaderMap, type ImportKind } from './layouts.js';
import * as q from './queries.js';
import { renderJobError, renderReason, storedReason, type JobError } from './reasons.js';
import { FileError, readRows, scanCsv, sniffEncoding, sniffFormat, type FileEncoding } from './source.js';

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
  const done = enqueue(() => runImport(deps, actor, row.id, path, opts)).finally(() => Promise.all([rm(path, { force: true }), release()]));
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

/** COPY text format: backslash, tab, newline and CR escaped; \N is null. */
function copyText(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v;
}

/** Writes staged rows: COPY on PostgreSQL, JSON batches elsewhere. */
class StageWriter {
  private copy: Writable | null = null;
  private batch: Record<string, unknown>[] = [];
  private lines: string[] = [];
  private readonly cols: string[];
  constructor(
    private readonly conn: q.ImportConnection,
    private readonly jobId: number,
    kind: ImportKind,
  ) {
    this.cols = q.stageColumns(kind).map((c) => c.name);
    if (conn.copyIn) this.copy = conn.copyIn(q.stageTable(jobId), this.cols);
  }

  /** Adds a row; returns a promise only when a batch goes out (the caller awaits it then). */
  add(values: (string | null)[]): Promise<void> | null {
    if (this.copy) {
      let line = copyText(values[0]!);
      for (let i = 1; i < values.length; i++) line += `\t${copyText(values[i]!)}`;
      this.lines.push(line);
      return this.lines.length >= 4000 ? this.flushCopy() : null;
    }
    const row: Record<string, unknown> = {};
    this.cols.forEach((c, i) => (row[c] = values[i]));
    this.batch.push(row);
    return this.batch.length >= 5000 ? this.flushBatch() : null;
  }

  private async flushCopy() {
    const chunk = `${this.lines.join('\n')}\n`;
    this.lines = [];
    if (!this.copy!.write(chunk)) await once(this.copy!, 'drain');
  }

  private async flushBatch() {
    const rows = this.batch;
    this.batch = [];
    await q.insertStageBatch(this.conn, this.jobId, rows);
  }

  async end() {
    if (this.copy) {
      if (this.lines.length) await this.flushCopy();
      const ended = new Promise<void>((resolve, reject) => {
        this.copy!.on('finish', () => resolve());
        this.copy!.on('error', reject);
      });
      this.copy.end();
      await ended;
    } else if (this.batch.length) await this.flushBatch();
  }

  /** Ends a COPY that is abandoned (a file error): the server gets an error and drops what was sent. */
  abort() {
    this.copy?.on('error', () => undefined); // the server's answer to the cancelled COPY is expected
    this.copy?.destroy(new Error('import aborted'));
  }
}

class Rollback extends Error {}

/** Control characters (NUL above all, which PostgreSQL text cannot hold) never reach a report. */
// eslint-disable-next-line no-control-regex
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '\uFFFD');
const NUL = '\u0000';

/** The work of one job. Never throws for a bad file: the job ends failed with the reason. */
export async function runImport(
  deps: Deps,
  actor: Actor,
  jobId: number,
  path: string,
  opts: ImportOptions,
  onProgress?: (job: ImportJob) => void,
): Promise<ImportJob> {
  const { db } = deps.database;
  const { kind } = opts;
  const layout = LAYOUTS[kind];
  const keyIdx = KEY_COLUMNS[kind].map((k) => layout.findIndex((c) => c.key === k));
  let rowsRead = 0;
  let bytesRead = 0;
  let lastReport = Date.now();
  const pending: q.RejectRow[] = [];
  let conn: q.ImportConnection | null = null;
  let sides: DirectSides | null = null;
  let stage: StageWriter | null = null;
  const months = new Set<string>();

  const t0 = Date.now();
  const mark = (what: string) => {
    if (process.env.KAM_IMPORT_TIMING) console.log(`  [import ${jobId}] ${what} at ${((Date.now() - t0) / 1000).toFixed(2)} s`);
  };
  const report = async (set: Parameters<typeof q.updateJob>[2]) => {
    await q.updateJob(db, jobId, set);
    if (onProgress) onProgress(toJob((await q.findJob(db, jobId))!));
  };

  try {
    await report({ status: 'running', phase: 'reading', startedAt: new Date() });
    const format = await sniffFormat(path);
    // PostgreSQL and a facts CSV: one pass finds the encoding and whether the file holds quotes (the fast path needs none)
    const fastEligible = format === 'csv' && kind === 'facts' && deps.database.kind === 'postgres' && !!deps.config.DATABASE_URL;
    // a direct load (direct-load.ts) reads the subscriptions on its side connections while the file is scanned;
    // only an importer at the organisation's root can have one (it needs the whole organisation in scope)
    sides = fastEligible && !opts.setAside && atOrganisationRoot(actor) ? await openSides(deps) : null;
    const scan = fastEligible ? await scanCsv(path) : null;
    mark('scanned');
    const encoding = scan ? scan.encoding : format === 'csv' ? await sniffEncoding(path) : null;
    await report({ format, encoding });

    conn = await q.openImportConnection(deps);
    await q.createStage(conn, jobId, kind);

    const idCol = layout.findIndex((c) => c.key === 'id_number');
    const values: (string | null)[] = new Array(q.stageColumns(kind).length).fill(null);
    const headerOf = (cells: string[]) => {
      const mapped = mapHeader(kind, cells);
      if (!('index' in mapped)) {
        // the file's own header texts, cleaned and bounded, are the parameters of the message
        const names = (list: string[]) => list.slice(0, 50).map((h) => clean(h).slice(0, 100));
        const params = { kind, missing: names(mapped.missing), extra: names(mapped.extra), repeated: names(mapped.repeated) };
        throw new FileError('columns', renderJobError({ code: 'columns', message: '', params }, 'en-US').message, params);
      }
      return mapped;
    };
    /** The checks of one row: false for a blank row; else counts it, writes its errors to `pending` and returns whether it is good (its staged values in `values`). */
    const checkRow = (header: HeaderMap, rowNo: number, cells: string[]): boolean | null => {
      // blank lines are skipped
      if (cells.every((c) => c.trim() === '')) return null;
      rowsRead++;
      const key = clean(keyIdx.map((i) => (cells[header.index[i]!] ?? '').trim().slice(0, 40)).join(' '));
      const errors: q.RejectRow[] = [];
      if (cells.length > header.width && cells.slice(header.width).some((c) => c.trim() !== '')) {
        errors.push({ rowNo, key, column: null, reason: storedReason('import_too_many_cells', { cells: cells.length, width: header.width }) });
      }
      let out = 1;
      values[0] = String(rowNo);
      for (let i = 0; i < layout.length; i++) {
        const c = layout[i]!;
        const raw = cells[header.index[i]!];
        const cell = raw === undefined ? '' : raw.length > MAX_CELL_CHARS ? raw : raw.trim();
        let v: string | null | Bad;
        if (cell.length > MAX_CELL_CHARS) v = new Bad('import_cell_too_long', { length: cell.length, max: MAX_CELL_CHARS });
        else if (cell === '') v = c.required ? new Bad('import_required') : null;
        else if (cell.includes(NUL)) v = new Bad('import_nul_character');
        else v = c.check(cell);
        if (v instanceof Bad) {
          errors.push({ rowNo, key, column: c.key, reason: storedReason(v.code, v.params) });
          v = null;
        }
        if (i === idCol) {
          if (v === null) {
            values[out++] = null;
            values[out++] = null;
            values[out++] = null;
          } else {
            const sealed = deps.pii.seal(v);
            values[out++] = `\\x${sealed.idNumberEnc.toString('hex')}`;
            values[out++] = sealed.idNumberHash;
            values[out++] = sealed.idNumberTail;
          }
        } else values[out++] = v;
      }
      if (errors.length) {
        pending.push(...errors);
        return false;
      }
      if (kind === 'facts') months.add(values[1]!);
      return true;
    };

    /** The file's columns: their layout keys in the file's order, and each one's place in the layout. */
    const fileColumnsOf = (h: HeaderMap) => {
      const keys: string[] = [];
      h.index.forEach((pos, i) => (keys[pos] = layout[i]!.key));
      return { keys, toLayout: keys.map((k) => layout.findIndex((col) => col.key === k)) };
    };
    /** Rows of the fast paths that the JavaScript checks judged (the scanner counts the others). */
    let slowRead = 0;
    /**
     * A line the fast scanner left to the checks: its staged CSV line (row number, then the values in the
     * file's order), null for a blank line, false for a refused row (its reasons are in `pending`).
     */
    const checkedLine = (h: HeaderMap, toLayout: number[], rowNo: number, cells: string[]): string | null | false => {
      const before = rowsRead;
      const ok = checkRow(h, rowNo, cells);
      slowRead += rowsRead - before;
      return ok ? [String(rowNo), ...toLayout.map((i) => values[1 + i]!)].join(',') : ok;
    };
    const kinds = layout.map((col) => (col.key === 'month' ? 'month' : col.key === 'msisdn' ? 'msisdn' : col.type === 'integer' ? 'count' : 'money'));

    /**
     * 直接装载 (direct-load.ts): a facts CSV of one empty month, all-or-nothing, from an importer who sees the
     * whole organisation, loaded without staging. Null when the file needs the staged path: nothing is kept.
     */
    const loadDirect = async (c: q.ImportConnection, s: DirectSides, encoding: FileEncoding): Promise<ImportJob | null> => {
      let fileHeader: HeaderMap | null = null;
      let toLayout: number[] = [];
      const loaded = await loadFactsDirect(c, s, {
        path,
        encoding,
        kinds,
        header: (cells) => {
          fileHeader = headerOf(cells);
          const cols = fileColumnsOf(fileHeader);
          toLayout = cols.toLayout;
          return { header: fileHeader, fileColumns: cols.keys };
        },
        slowRow: (rowNo, cells) => {
          const line = checkedLine(fileHeader!, toLayout, rowNo, cells);
          if (line === false) throw new DirectAbort('a row the checks refuse');
          return line;
        },
        onBytes: (n) => (bytesRead += n),
        progress: async (rows) => {
          if (Date.now() - lastReport > 500) {
            lastReport = Date.now();
            await report({ rowsRead: rows + slowRead, bytesRead });
          }
        },
        mark,
        beforeCommit: async (tx, rows) => {
          rowsRead = rows;
          await audit(tx, actor, {
            action: 'create',
            entity: 'import',
            entityId: jobId,
            unitPath: actor.unitPath,
            after: { kind, fileName: opts.fileName, rowsRead, rowsRejected: 0, inserted: rows, updated: 0 },
          });
        },
        dryRun: !!opts.dryRun,
      });
      if (!loaded) {
        rowsRead = 0;
        bytesRead = 0;
        slowRead = 0;
        pending.length = 0;
        return null;
      }
      rowsRead = loaded.rows;
      mark('loaded');
      return finish(deps, jobId, { status: 'succeeded', committed: !opts.dryRun, rowsRead, bytesRead, inserted: loaded.rows, updated: 0, unchanged: 0 }, onProgress);
    };
    if (sides && scan && !scan.quoted && conn.copyIn && (await q.wholeOrgInScope(conn, actor.unitPath))) {
      const done = await loadDirect(conn, sides, scan.encoding);
      if (done) return done;
    }
    if (sides) await closeSides(sides);
    sides = null;

    let header: HeaderMap | null = null;
    if (scan && !scan.quoted && conn.copyIn) {
      // PostgreSQL, a facts CSV without quotes: bytes straight to COPY, JS checks only for the odd lines
      const c = conn;
      let toLayout: number[] = [];
      let fastHeader: HeaderMap | null = null;
      let copy: Writable | null = null;
      try {
        const res = await streamFactsCsv({
          path,
          encoding: scan.encoding,
          onBytes: (n) => (bytesRead += n),
          kinds,
          header: (cells) => {
            const h = headerOf(cells);
            const cols = fileColumnsOf(h);
            toLayout = cols.toLayout;
            fastHeader = h;
            copy = c.copyIn!(q.stageTable(jobId), ['row_no', ...cols.keys], 'csv');
            copy.on('error', () => undefined);
            return h;
          },
          slowRow: (rowNo, cells) => checkedLine(fastHeader!, toLayout, rowNo, cells) || null,
          write: (chunk) => (copy!.write(chunk) ? null : once(copy!, 'drain').then(() => undefined)),
          month: (m) => months.add(m),
          progress: async (fastRows) => {
            if (pending.length >= 2000) await q.insertRejects(db, jobId, pending.splice(0));
            if (Date.now() - lastReport > 500) {
              lastReport = Date.now();
              await report({ rowsRead: fastRows + slowRead, bytesRead });
            }
          },
        });
        header = res.header;
        rowsRead = res.fastRows + slowRead;
        if (copy) {
          const w: Writable = copy;
          const ended = new Promise<void>((resolve, reject) => {
            w.on('finish', () => resolve());
            w.on('error', reject);
          });
          w.end();
          await ended;
        }
      } catch (err) {
        (copy as Writable | null)?.destroy(new Error('import aborted'));
        throw err;
      }
    } else {
      const rows = readRows(path, format, encoding === 'utf-8-bom' ? 'utf-8' : encoding, (n) => (bytesRead += n));
      for await (const batch of rows) {
        for (const { rowNo, cells } of batch) {
          if (!header) {
            header = headerOf(cells);
            stage = new StageWriter(conn, jobId, kind);
            continue;
          }
          if (checkRow(header, rowNo, cells)) {
            if (pending.length >= 2000) await q.insertRejects(db, jobId, pending.splice(0));
            const flushing = stage!.add(values);
            if (flushing) await flushing;
          } else if (pending.length >= 2000) await q.insertRejects(db, jobId, pending.splice(0));
          if (rowsRead % 4096 === 0 && Date.now() - lastReport > 500) {
            lastReport = Date.now();
            await report({ rowsRead, bytesRead });
          }
        }
      }
    }
    if (!header) throw new FileError('empty_file', 'the file has no header row');
    await stage?.end();
    mark('read and staged');
    stage = null;
    await q.insertRejects(db, jobId, pending.splice(0));
    await report({ rowsRead, bytesRead, phase: 'checking' });

    // set-based checks
    await q.analyzeStage(conn, jobId);
    mark('analyzed');
    await q.rejectDuplicates(conn, jobId, kind);
    mark('duplicates checked');
    const allInScope = await q.wholeOrgInScope(conn, actor.unitPath);
    await q.rejectReferences(conn, jobId, kind, actor.unitPath, allInScope);
    mark('references checked');
    if (kind === 'customers') {
      await q.rejectDuplicateCustomers(conn, jobId, actor.unitPath, allInScope);
      mark('duplicate customers checked');
    }
    const rowsRejected = await q.countRejectedRows(db, jobId);
    await report({ rowsRejected, phase: 'loading' });

    if (rowsRejected > 0 && !opts.setAside) {
      return finish(deps, jobId, { status: 'rejected', committed: false }, onProgress);
    }
    const exclude = rowsRejected > 0;
    const c = conn;
    let result: q.UpsertCounts = { inserted: 0, updated: 0 };
    try {
      await c.db.transaction(async (tx) => {
        result = await load(c, tx, kind, jobId, exclude, actor, [...months]);
        await audit(tx, actor, {
          action: 'create',
          entity: 'import',
          entityId: jobId,
          unitPath: actor.unitPath,
          after: { kind, fileName: opts.fileName, rowsRead, rowsRejected, ...result },
        });
        if (opts.dryRun) throw new Rollback();
      });
    } catch (err) {
      if (!(err instanceof Rollback)) throw err;
    }
    mark('loaded');
    const unchanged = rowsRead - rowsRejected - result.inserted - result.updated;
    return finish(deps, jobId, { status: 'succeeded', committed: !opts.dryRun, ...result, unchanged }, onProgress);
  } catch (err) {
    stage?.abort();
    if (pending.length) await q.insertRejects(db, jobId, pending.splice(0)).catch(() => undefined);
    const error: JobError =
      err instanceof FileError
        ? { code: err.code, message: err.message, params: err.params }
        : { code: 'internal_error', message: 'the import failed unexpectedly; see the server log' };
    if (!(err instanceof FileError)) console.error(`import job ${jobId} failed`, err);
    const rowsRejected = await q.countRejectedRows(db, jobId).catch(() => 0);
    return finish(deps, jobId, { status: 'failed', committed: false, error, rowsRead, bytesRead, rowsRejected }, onProgress);
  } finally {
    if (sides) await closeSides(sides);
    if (conn) {
      await q.dropStage(conn, jobId).catch(() => undefined);
      await conn.close().catch(() => undefined);
    }
  }
}

async function load(conn: q.ImportConnection, tx: Executor, kind: ImportKind, jobId: number, exclude: boolean, actor: Actor, months: string[]) {
  if (kind === 'facts') {
    const partitions = await q.ensurePartitions(conn, tx, months);
    return q.upsertFacts(conn, tx, jobId, exclude, months, partitions);
  }
  if (kind === 'subscriptions') return q.upsertSubscriptions(conn, tx, jobId, exclude);
  await q.insertCustomerChanges(conn, tx, jobId, exclude, actor.userId);
  const counts = await q.upsertCustomers(conn, tx, jobId, exclude);
  await q.syncPortfolio(conn, tx, jobId, actor.userId);
  return counts;
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
