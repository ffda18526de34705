/**
 * 行处理: where the rows of a file go, whichever strategy reads it (readers.ts). The sink matches the header to
 * the layout, checks each row cell by cell (layouts.ts), keeps the reasons of refused rows and writes them to
 * the report in batches, stages the good rows for the set-based checks and the load (COPY on PostgreSQL,
 * JSON batches on PGlite; or the scanner's CSV bytes as they are), and keeps the job's counts and progress.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Deps } from '../../platform/deps.js';
import { Bad, KEY_COLUMNS, LAYOUTS, MAX_CELL_CHARS, mapHeader, type HeaderMap, type ImportKind } from './layouts.js';
import * as q from './queries.js';
import { renderJobError, storedReason } from './reasons.js';
import { FileError } from './source.js';

/** Control characters (NUL above all, which PostgreSQL text cannot hold) never reach a report. */
// eslint-disable-next-line no-control-regex
export const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '\uFFFD');
const NUL = '\u0000';

/** COPY text format: backslash, tab, newline and CR escaped; \N is null. */
function copyText(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v;
}

/** Staged rows written as they come: COPY (text) on PostgreSQL, JSON batches elsewhere. */
class StageWriter {
  private batch: Record<string, unknown>[] = [];
  private lines: string[] = [];
  private readonly copy: Writable | null;
  constructor(
    private readonly conn: q.ImportConnection,
    private readonly jobId: number,
    private readonly cols: string[],
  ) {
    this.copy = conn.copyIn ? conn.copyIn(q.stageTable(jobId), cols) : null;
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
      await finished(this.copy.end());
    } else if (this.batch.length) await this.flushBatch();
  }

  /** Ends a COPY that is abandoned (a file error): the server gets an error and drops what was sent. */
  abort() {
    this.copy?.on('error', () => undefined); // the server's answer to the cancelled COPY is expected
    this.copy?.destroy(new Error('import aborted'));
  }
}

/** The job a sink works for: its database, id and kind, and how to tell it the counts so far. */
export interface SinkJob {
  deps: Deps;
  jobId: number;
  kind: ImportKind;
  report(set: { rowsRead: number; bytesRead: number }): Promise<void>;
}

export class RowSink {
  /** Rows checked here (a scanner counts the rows it passes on without checks in `fastRows`). */
  private checkedRows = 0;
  /** Rows a scanner passed on as they were (they met the checks' grammar byte for byte). */
  fastRows = 0;
  bytesRead = 0;
  /** The months of the facts staged (YYYY-MM-01), for their partitions. */
  readonly months = new Set<string>();
  header: HeaderMap | null = null;
  /** The layout's keys in the file's column order (the COPY columns of the scanner's bytes). */
  fileColumns: string[] = [];
  private toLayout: number[] = [];
  private readonly layout;
  private readonly keyIdx: number[];
  private readonly idCol: number;
  /** The staged values of the last good row: row_no, then the staging columns. */
  private readonly values: (string | null)[];
  private pending: q.RejectRow[] = [];
  private lastReport = Date.now();
  private stage: StageWriter | null = null;
  private csv: Writable | null = null;

  constructor(
    private readonly job: SinkJob,
    private readonly conn: q.ImportConnection,
  ) {
    this.layout = LAYOUTS[job.kind];
    this.keyIdx = KEY_COLUMNS[job.kind].map((k) => this.layout.findIndex((c) => c.key === k));
    this.idCol = this.layout.findIndex((c) => c.key === 'id_number');
    this.values = new Array(q.stageColumns(job.kind).length).fill(null);
  }

  get rowsRead() {
    return this.checkedRows + this.fastRows;
  }

  /** The header row matched to the layout; a FileError naming the missing, unknown and repeated columns. */
  takeHeader(cells: string[]): HeaderMap {
    const mapped = mapHeader(this.job.kind, cells);
    if (!('index' in mapped)) {
      // the file's own header texts, cleaned and bounded, are the parameters of the message
      const names = (list: string[]) => list.slice(0, 50).map((h) => clean(h).slice(0, 100));
      const params = { kind: this.job.kind, missing: names(mapped.missing), extra: names(mapped.extra), repeated: names(mapped.repeated) };
      throw new FileError('columns', renderJobError({ code: 'columns', message: '', params }, 'en-US').message, params);
    }
    this.header = mapped;
    this.fileColumns = [];
    mapped.index.forEach((pos, i) => (this.fileColumns[pos] = this.layout[i]!.key));
    this.toLayout = this.fileColumns.map((k) => this.layout.findIndex((col) => col.key === k));
    return mapped;
  }

  /**
   * One row's checks: null for a blank row (skipped); else the row is counted, its reasons are kept for the
   * report, and the answer is whether it is good (its staged values then in `values`).
   */
  private check(rowNo: number, cells: string[]): boolean | null {
    const header = this.header!;
    if (cells.every((c) => c.trim() === '')) return null;
    this.checkedRows++;
    const key = clean(this.keyIdx.map((i) => (cells[header.index[i]!] ?? '').trim().slice(0, 40)).join(' '));
    const errors: q.RejectRow[] = [];
    if (cells.length > header.width && cells.slice(header.width).some((c) => c.trim() !== '')) {
      errors.push({ rowNo, key, column: null, reason: storedReason('import_too_many_cells', { cells: cells.length, width: header.width }) });
    }
    const values = this.values;
    let out = 1;
    values[0] = String(rowNo);
    for (let i = 0; i < this.layout.length; i++) {
      const c = this.layout[i]!;
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
      if (i === this.idCol) {
        const sealed = v === null ? null : this.job.deps.pii.seal(v);
        values[out++] = sealed ? `\\x${sealed.idNumberEnc.toString('hex')}` : null;
        values[out++] = sealed ? sealed.idNumberHash : null;
        values[out++] = sealed ? sealed.idNumberTail : null;
      } else values[out++] = v;
    }
    if (errors.length) {
      this.pending.push(...errors);
      return false;
    }
    if (this.job.kind === 'facts') this.months.add(values[1]!);
    return true;
  }

  // ---- rows of the general reader: checked, then staged as values --------------------------------------------

  /** A row of the general reader: checked, staged when good. */
  async row(rowNo: number, cells: string[]) {
    const ok = this.check(rowNo, cells);
    if (ok) {
      this.stage ??= new StageWriter(this.conn, this.job.jobId, q.stageColumns(this.job.kind).map((c) => c.name));
      const flushing = this.stage.add(this.values);
      if (flushing) await flushing;
    }
    if (this.pending.length >= 2000) await this.flushRejects();
    if (ok !== null && this.checkedRows % 4096 === 0) await this.progress();
  }

  // ---- lines of the scanners: bytes as they are, or checked -------------------------------------------------

  /**
   * A line a scanner left to the checks: its staged CSV line (row number, then the values in the file's
   * column order), null for a blank line, false for a refused row (its reasons are kept).
   */
  checkedLine(rowNo: number, cells: string[]): string | null | false {
    const ok = this.check(rowNo, cells);
    return ok ? [String(rowNo), ...this.toLayout.map((i) => this.values[1 + i]!)].join(',') : ok;
  }

  /** Staging by the scanner's CSV bytes: COPY (CSV) of row_no and the file's columns, opened at the header. */
  openCsvStage() {
    this.csv = this.conn.copyIn!(q.stageTable(this.job.jobId), ['row_no', ...this.fileColumns], 'csv');
    this.csv.on('error', () => undefined); // reported by `endStage`, or expected after `abortStage`
  }

  /** Writes staged CSV; a promise when the caller must wait (back-pressure). */
  writeCsv(chunk: Buffer): Promise<void> | null {
    return this.csv!.write(chunk) ? null : once(this.csv!, 'drain').then(() => undefined);
  }

  // ---- the end of reading ------------------------------------------------------------------------------------

  /** Every staged row is in the staging table and every reason in the report. */
  async endStage() {
    await this.stage?.end();
    if (this.csv) await finished(this.csv.end());
    this.stage = null;
    this.csv = null;
    await this.flushRejects(true);
  }

  /** Reading stopped (a file error): what was staged is dropped, the reasons kept so far are written. */
  async abortStage() {
    this.stage?.abort();
    this.csv?.destroy(new Error('import aborted'));
    this.stage = null;
    this.csv = null;
    await this.flushRejects(true).catch(() => undefined);
  }

  /** Writes the reasons kept so far: when there are many, or every one (`all`). */
  async flushRejects(all = false) {
    if (this.pending.length && (all || this.pending.length >= 2000)) await q.insertRejects(this.job.deps.database.db, this.job.jobId, this.pending.splice(0));
  }

  /** Tells the job the rows and bytes read so far, at most every half second. */
  async progress() {
    if (Date.now() - this.lastReport <= 500) return;
    this.lastReport = Date.now();
    await this.job.report({ rowsRead: this.rowsRead, bytesRead: this.bytesRead });
  }

  /** Forgets what was read (the direct load gave up: the file is read again by the staged path). */
  reset() {
    this.checkedRows = 0;
    this.fastRows = 0;
    this.bytesRead = 0;
    this.pending.length = 0;
    this.months.clear();
    this.header = null;
  }
}
