/**
 * The fast path of a facts CSV on PostgreSQL: the file's bytes go to COPY (CSV) almost as they are.
 *
 * A byte-level scanner walks each line once and recognises the common, strictly well-formed row (no quotes, no
 * spaces, month YYYY-MM, an 11-digit mobile number, plain amounts with ≤ 2 decimals, counts of ≤ 9 digits): such
 * a row is exactly what the per-cell checks of `layouts.ts` accept unchanged, so it is passed on as bytes,
 * prefixed with its row number and with `-01` appended to the month. Every other line (blank, spaces, signs,
 * non-ASCII, too many cells …) is decoded and goes through the same JavaScript checks as the general path, which
 * write its rejects and return its staged values. Only for files without a double quote (`scanCsv`): then a
 * record is a line, and a line cut at a LF byte is whole in UTF-8 and in GBK alike (no multi-byte character
 * holds a byte below 0x40).
 */
import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';
import { MAX_RECORD_CHARS } from './csv-reader.js';
import { CELL_GRAMMAR, type HeaderMap } from './layouts.js';
import { FileError, type FileEncoding } from './source.js';

/** Cell kinds the scanner knows (facts layout). */
export type FastKind = 'month' | 'msisdn' | 'money' | 'count';

const LF = 10;
const CR = 13;
const COMMA = 44;
const D0 = 48;
const D9 = 57;
const DASH = 45;
const DOT = 46;

const isDigit = (b: number) => b >= D0 && b <= D9;

/** YYYY-MM in CELL_GRAMMAR's years: returns y * 100 + m, or 0. */
export function okMonth(buf: Buffer, s: number, e: number): number {
  if (e - s !== 7 || buf[s + 4] !== DASH) return 0;
  if (!isDigit(buf[s]!) || !isDigit(buf[s + 1]!) || !isDigit(buf[s + 2]!) || !isDigit(buf[s + 3]!) || !isDigit(buf[s + 5]!) || !isDigit(buf[s + 6]!)) return 0;
  const y = (buf[s]! - D0) * 1000 + (buf[s + 1]! - D0) * 100 + (buf[s + 2]! - D0) * 10 + (buf[s + 3]! - D0);
  const m = (buf[s + 5]! - D0) * 10 + (buf[s + 6]! - D0);
  return y >= CELL_GRAMMAR.month.minYear && y <= CELL_GRAMMAR.month.maxYear && m >= 1 && m <= 12 ? y * 100 + m : 0;
}

/** `^1[3-9]\d{9}$` */
export function okMsisdn(buf: Buffer, s: number, e: number): boolean {
  if (e - s !== 11 || buf[s] !== 49 || buf[s + 1]! < 51 || buf[s + 1]! > D9) return false;
  for (let i = s + 2; i < e; i++) if (!isDigit(buf[i]!)) return false;
  return true;
}

/** `^\d{1,12}(\.\d{1,2})?$` (CELL_GRAMMAR.money) */
export function okMoney(buf: Buffer, s: number, e: number): boolean {
  let i = s;
  while (i < e && isDigit(buf[i]!)) i++;
  const int = i - s;
  if (int < 1 || int > CELL_GRAMMAR.money.intDigits) return false;
  if (i === e) return true;
  if (buf[i] !== DOT) return false;
  const frac = e - i - 1;
  if (frac < 1 || frac > CELL_GRAMMAR.money.fracDigits) return false;
  for (let j = i + 1; j < e; j++) if (!isDigit(buf[j]!)) return false;
  return true;
}

/** 1 to 9 digits (always ≤ 2,147,483,647; longer numbers take the general check). */
export function okCount(buf: Buffer, s: number, e: number): boolean {
  if (e - s < 1 || e - s > CELL_GRAMMAR.count.fastDigits) return false;
  for (let i = s; i < e; i++) if (!isDigit(buf[i]!)) return false;
  return true;
}

export interface FastStreamOptions {
  path: string;
  encoding: FileEncoding;
  onBytes(n: number): void;
  /** The header's cells: returns the mapping (or throws a FileError). */
  header(cells: string[]): HeaderMap;
  /** Kind of each layout column (layout order). */
  kinds: FastKind[];
  /** A line the scanner does not accept: its cells, checked in JS; returns the staged CSV line (row number first) or null. */
  slowRow(rowNo: number, cells: string[]): string | null;
  /** Writes a chunk of CSV to COPY; returns a promise when the caller must wait (back-pressure). */
  write(chunk: Buffer): Promise<void> | null;
  /** After each chunk: rows accepted by the scanner so far. */
  progress(fastRows: number): Promise<void> | void;
  /** A month of a row the scanner accepted, as staged (YYYY-MM-01); called when it differs from the previous row's. */
  month(m: string): void;
}

/**
 * Streams the file; returns the number of rows the scanner accepted and the header's mapping (null: no header).
 * The COPY columns are `row_no` and then the layout columns in the file's order (`fileColumns`).
 */
export async function streamFactsCsv(o: FastStreamOptions): Promise<{ fastRows: number; header: HeaderMap | null }> {
  const gbk = o.encoding === 'gbk';
  const decode = (b: Buffer) => (gbk ? iconv.decode(b, 'gbk') : b.toString('utf8'));
  let header: HeaderMap | null = null;
  let fileKinds: FastKind[] = [];
  let lastYm = -1;
  let width = 0;
  let rowNo = 0;
  let fastRows = 0;
  let rest: Buffer | null = null;
  let first = true;

  /** Index (exclusive end) of the month cell when the line is strict, else -1. */
  const strict = (buf: Buffer, s: number, e: number): number => {
    let f = 0;
    let fs = s;
    let monthEnd = -1;
    let ym = 0;
    for (let i = s; i <= e; i++) {
      if (i < e && buf[i] !== COMMA) continue;
      if (f >= width) return -1;
      const k = fileKinds[f]!;
      if (k === 'month') {
        ym = okMonth(buf, fs, i);
        if (!ym) return -1;
        monthEnd = i;
      } else if (!(k === 'money' ? okMoney(buf, fs, i) : k === 'count' ? okCount(buf, fs, i) : okMsisdn(buf, fs, i))) return -1;
      f++;
      fs = i + 1;
    }
    if (f !== width) return -1;
    if (ym !== lastYm) {
      lastYm = ym;
      o.month(`${Math.floor(ym / 100)}-${String(ym % 100).padStart(2, '0')}-01`);
    }
    return monthEnd;
  };

  const lineCells = (buf: Buffer, s: number, e: number) => {
    const cells = decode(buf.subarray(s, e)).split(',');
    const last = cells[cells.length - 1]!;
    if (last.endsWith('\r')) cells[cells.length - 1] = last.slice(0, -1);
    return cells;
  };

  /** Handles the complete lines of `buf` from 0 to `end` (each ending in LF, or the end at EOF). */
  const lines = async (buf: Buffer, end: number) => {
    const out = Buffer.allocUnsafe(end + ((end >> 4) + 64) * 14);
    let w = 0;
    const flush = async (last = false) => {
      if (w) {
        const p = o.write(last ? out.subarray(0, w) : Buffer.from(out.subarray(0, w)));
        w = 0;
        if (p) await p;
      }
    };
    let s = 0;
    while (s < end) {
      let nl = buf.indexOf(LF, s);
      if (nl < 0 || nl >= end) nl = end;
      rowNo++;
      let e = nl;
      if (e > s && buf[e - 1] === CR) e--;
      if (!header) {
        let cells = lineCells(buf, s, nl);
        if (rowNo === 1 && cells[0]!.startsWith('\uFEFF')) cells = [cells[0]!.slice(1), ...cells.slice(1)];
        header = o.header(cells);
        width = header.width;
        fileKinds = new Array<FastKind>(width);
        header.index.forEach((pos, i) => (fileKinds[pos] = o.kinds[i]!));
      } else {
        const monthEnd = e > s ? strict(buf, s, e) : -1;
        if (monthEnd >= 0) {
          if (out.length - w < e - s + 16) await flush();
          w += out.write(String(rowNo), w, 'latin1');
          out[w++] = COMMA;
          w += buf.copy(out, w, s, monthEnd);
          out[w++] = DASH;
          out[w++] = D0;
          out[w++] = 49;
          w += buf.copy(out, w, monthEnd, e);
          out[w++] = LF;
          fastRows++;
        } else {
          const line = o.slowRow(rowNo, lineCells(buf, s, nl));
          if (line !== null) {
            const bytes = Buffer.from(`${line}\n`, 'utf8');
            if (out.length - w < bytes.length) await flush();
            if (bytes.length > out.length) {
              const p = o.write(bytes);
              if (p) await p;
            } else w += bytes.copy(out, w);
          }
        }
      }
      s = nl + 1;
    }
    await flush(true);
  };

  for await (const chunk of createReadStream(o.path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    o.onBytes(chunk.length);
    let buf: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
    if (first) {
      first = false;
      if (o.encoding === 'utf-8-bom' && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    const lastLf = buf.lastIndexOf(LF);
    if (lastLf < 0) {
      rest = buf;
      if (rest.length > MAX_RECORD_CHARS && decode(rest).length > MAX_RECORD_CHARS) {
        const detail = `record ${rowNo + 1} is longer than ${MAX_RECORD_CHARS / 1024 / 1024} MB: not a CSV file, or a quote is not closed`;
        throw new FileError('csv_syntax', `not a readable CSV file: ${detail}`, { detail });
      }
      continue;
    }
    await lines(buf, lastLf + 1);
    rest = lastLf + 1 < buf.length ? buf.subarray(lastLf + 1) : null;
    await o.progress(fastRows);
  }
  if (rest && rest.length) await lines(rest, rest.length);
  return { fastRows, header };
}
