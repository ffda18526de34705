/**
 * Generic tabular export: streams rows to CSV or .xlsx without holding the file in memory.
 *
 *   writeTabular<T>(out: Writable, spec: TabularSpec<T>): Promise<number>      // rows written
 *   sendTabular<T>(reply: FastifyReply, spec: TabularSpec<T> & { fileName: string }): FastifyReply
 *
 *   interface TabularSpec<T> {
 *     format: 'csv' | 'xlsx';
 *     columns: TabularColumn<T>[];        // { key, header: { 'zh-CN', 'en-US' }, value?: (row) => cell, width? }
 *     rows: AsyncIterable<T> | Iterable<T> | { batches: AsyncIterable<T[]> };   // batches: fewer awaits per row
 *     locale?: Locale;                    // header language, zh-CN by default
 *     sheetName?: string;                 // .xlsx only
 *   }
 *
 * A cell is the row's `key` property unless `value` is given; null/undefined is empty, a Date is written as
 * an ISO date (time when it has one), numbers stay numbers in .xlsx. CSV is UTF-8 with a BOM and CRLF so that
 * Excel opens Chinese text correctly (RFC 4180: a field holding a comma, a quote or a line break is quoted,
 * quotes doubled; written here rather than by csv-stringify, per batch of rows: see docs/decisions.md, Exports).
 * .xlsx is written by xlsx.ts, one sheet with a bold frozen header row.
 * Formula injection (CWE-1236) is neutralised: a text cell beginning
 * with =, +, -, @, tab or CR gets a leading apostrophe, except text that is a plain number ("-12.50").
 *
 * The writer does nothing about personal data: callers mask (maskPhone, maskIdNumber) unless the reader holds
 * customers.export_pii, and callers audit such exports.
 *
 * Example (a route):
 *   handler: (req, reply) => sendTabular(reply, { format: req.query.format, fileName: '客户清单.xlsx',
 *     columns, rows: service.streamCustomers(deps, actorOf(req), req.query), locale: requestLocale(req) })
 */
import type { EventEmitter } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { FastifyReply } from 'fastify';
import type { Locale } from '../i18n/messages.js';
import { withSmallHeap } from './heap.js';

export type TabularFormat = 'csv' | 'xlsx';
export type Cell = string | number | boolean | Date | null | undefined;

export interface TabularColumn<T> {
  key: string;
  header: Record<Locale, string>;
  value?: (row: T) => Cell;
  /** Column width in characters (.xlsx). */
  width?: number;
  /** Numbers with this many decimals (money: 2), in CSV text and in the .xlsx number format. */
  decimals?: number;
}

export interface TabularSpec<T> {
  format: TabularFormat;
  columns: TabularColumn<T>[];
  rows: AsyncIterable<T> | Iterable<T> | { batches: AsyncIterable<T[]> };
  locale?: Locale;
  sheetName?: string;
}

const DANGEROUS_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/** A text cell that a spreadsheet would run as a formula gets a leading apostrophe. */
export function neutralise(text: string): string {
  return DANGEROUS_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

const pad = (n: number) => String(n).padStart(2, '0');
function isoOf(d: Date): string {
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = d.getUTCHours() || d.getUTCMinutes() || d.getUTCSeconds() ? `T${d.toISOString().slice(11, 19)}Z` : '';
  return date + time;
}

function cellOf<T>(col: TabularColumn<T>, row: T, format: TabularFormat): string | number | boolean | null {
  const v = col.value ? col.value(row) : (row as Record<string, Cell>)[col.key];
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return isoOf(v);
  if (typeof v === 'number') return format === 'csv' && col.decimals !== undefined ? v.toFixed(col.decimals) : v;
  if (typeof v === 'boolean') return v;
  return neutralise(String(v));
}

/**
 * Resolves when `stream` (by default `out` itself) can take more, rejects when `out` closes or fails first: a
 * reader that went away stops the export (its rows, and the snapshot they come from, are let go) instead of
 * leaving it waiting.
 */
export function drained(out: Writable, stream: EventEmitter = out): Promise<void> {
  if (out.destroyed) return Promise.reject(new Error('export output closed'));
  return new Promise((resolve, reject) => {
    const settle = (err?: unknown) => {
      stream.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', onClose);
      if (err) reject(err instanceof Error ? err : new Error('export output closed'));
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = (err?: unknown) => settle(err ?? new Error('export output closed'));
    stream.once('drain', onDrain);
    out.once('close', onClose);
    out.once('error', onClose);
  });
}

/** Writes `chunk`, waiting for `out` to drain when it asks to. */
const write = (out: Writable, chunk: string | Buffer) => (out.write(chunk) ? undefined : drained(out));

const BATCH = 500;

/** The rows in batches, whichever way they come. */
async function* batchesOf<T>(rows: TabularSpec<T>['rows']): AsyncGenerator<T[]> {
  if ('batches' in rows) return yield* rows.batches;
  let batch: T[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTES = /"/g;

/** A CSV field (RFC 4180). */
function csvField(v: string | number | boolean | null): string {
  if (v === null) return '';
  const text = String(v);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTES, '""')}"` : text;
}

/** CSV records, CRLF-terminated. */
const csvLines = (records: (string | number | boolean | null)[][]) => records.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';

/** Writes the rows to `out` (which is ended) and resolves with the number of rows written; with a small heap (heap.ts). */
export const writeTabular = <T>(out: Writable, spec: TabularSpec<T>): Promise<number> => withSmallHeap(() => writeRows(out, spec));

async function writeRows<T>(out: Writable, spec: TabularSpec<T>): Promise<number> {
  const locale = spec.locale ?? 'zh-CN';
  const headers = spec.columns.map((c) => c.header[locale]);
  let n = 0;
  if (spec.format === 'csv') {
    await write(out, '\uFEFF' + csvLines([headers]));
    for await (const batch of batchesOf(spec.rows)) {
      await write(out, csvLines(batch.map((row) => spec.columns.map((c) => cellOf(c, row, 'csv')))));
      n += batch.length;
    }
    out.end();
    await finished(out);
    return n;
  }
  // archiver takes a third of a second to import: loaded at the first .xlsx, not at start-up
  const { writeXlsx } = await import('./xlsx.js');
  const columns = spec.columns.map((c, i) => ({
    header: headers[i]!,
    width: c.width ?? Math.min(40, Math.max(10, headers[i]!.length * 2 + 2)),
    decimals: c.decimals,
  }));
  async function* records() {
    for await (const batch of batchesOf(spec.rows)) {
      yield batch.map((row) => spec.columns.map((c) => cellOf(c, row, 'xlsx')));
      n += batch.length;
    }
  }
  await writeXlsx(out, { name: spec.sheetName ?? 'Sheet1', columns }, records());
  return n;
}

export const CONTENT_TYPES: Record<TabularFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266 / RFC 5987). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * Sends the export from a route: sets the headers and streams the body. An error after the first bytes
 * cannot become a problem+json any more: the response is cut off and the error logged.
 */
export function sendTabular<T>(reply: FastifyReply, spec: TabularSpec<T> & { fileName: string }): FastifyReply {
  const body = new PassThrough();
  writeTabular(body, spec).catch((err: unknown) => {
    reply.log.error({ err }, 'export failed while streaming');
    body.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return reply
    .header('content-type', CONTENT_TYPES[spec.format])
    .header('content-disposition', contentDisposition(spec.fileName))
    .header('cache-control', 'no-store')
    .send(body);
}
