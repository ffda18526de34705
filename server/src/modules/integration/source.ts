/**
 * Reading an uploaded file as rows of text cells, streamed: format by its first bytes (.xlsx is a zip),
 * encoding of a CSV by one pass over it (BOM → UTF-8; valid UTF-8 → UTF-8; else GBK).
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { csvBatches, CsvSyntaxError } from './csv-reader.js';

export type FileFormat = 'csv' | 'xlsx';
export type FileEncoding = 'utf-8' | 'utf-8-bom' | 'gbk';

/** The file as a whole cannot be imported: missing/extra columns, unreadable, not CSV or .xlsx. */
export class FileError extends Error {
  constructor(
    readonly code: string,
    /** In English; the reader gets it in their language from the code and params (reasons.ts). */
    message: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface SourceRow {
  /** Row number as a spreadsheet shows it: the header is row 1. */
  rowNo: number;
  cells: string[];
}

const READ_CHUNK = 1 << 20;

export async function sniffFormat(path: string): Promise<FileFormat> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await fh.read(head, 0, 8, 0);
    if (bytesRead === 0) throw new FileError('empty_file', 'the file is empty');
    if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
    if (head.readUInt32BE(0) === 0xd0cf11e0) {
      throw new FileError('unsupported_format', 'an Excel 97-2003 (.xls) file: save it as .xlsx or CSV');
    }
    return 'csv';
  } finally {
    await fh.close();
  }
}

/** One pass over the file: UTF-8 with a BOM, valid UTF-8, or else GBK. */
export async function sniffEncoding(path: string): Promise<FileEncoding> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  let bom = false;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>) {
      if (first) {
        bom = chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
        if (bom) return 'utf-8-bom';
        first = false;
      }
      decoder.decode(chunk, { stream: true });
    }
    decoder.decode();
    return 'utf-8';
  } catch (err) {
    if (err instanceof TypeError) return 'gbk';
    throw err;
  }
}

/** One pass like `sniffEncoding`, which also tells whether the file holds a double quote anywhere (GBK never has 0x22 inside a character). */
export async function scanCsv(path: string): Promise<{ encoding: FileEncoding; quoted: boolean }> {
  let first = true;
  let bom = false;
  let utf8 = true;
  let quoted = false;
  // validated without decoding (isUtf8), each chunk up to its last character's first byte (the character
  // may go on in the next chunk): those last bytes are validated with the next chunk
  let rest: Buffer | null = null;
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>) {
    if (first) {
      bom = chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
      first = false;
    }
    if (!quoted && chunk.indexOf(0x22) >= 0) quoted = true;
    if (utf8 && !bom) {
      const buf: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
      let cut = buf.length;
      while (cut > 0 && cut > buf.length - 4 && (buf[cut - 1]! & 0xc0) === 0x80) cut--;
      if (cut > 0) cut--;
      if (!isUtf8(buf.subarray(0, cut))) utf8 = false;
      rest = buf.subarray(cut);
    }
  }
  if (utf8 && !bom && rest && !isUtf8(rest)) utf8 = false;
  return { encoding: bom ? 'utf-8-bom' : utf8 ? 'utf-8' : 'gbk', quoted };
}

/** Counts the bytes that pass, for the progress of the job. */
function byteCounter(onBytes: (n: number) => void) {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      onBytes(chunk.length);
      cb(null, chunk);
    },
  });
}

async function* decoded(path: string, encoding: FileEncoding, onBytes: (n: number) => void): AsyncGenerator<string> {
  const decoder = encoding === 'gbk' ? iconv.getDecoder('gbk') : null;
  const utf8 = new TextDecoder('utf-8'); // strips a BOM
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>) {
    onBytes(chunk.length);
    const text = decoder ? decoder.write(chunk) : utf8.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder ? (decoder.end() ?? '') : utf8.decode();
  if (rest) yield rest;
}

async function* csvRows(path: string, encoding: FileEncoding, onBytes: (n: number) => void): AsyncGenerator<SourceRow[]> {
  let rowNo = 0;
  try {
    for await (const records of csvBatches(decoded(path, encoding, onBytes))) {
      yield records.map((cells) => ({ rowNo: ++rowNo, cells }));
    }
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new FileError('csv_syntax', `not a readable CSV file: ${err.message}`, { detail: err.message });
    throw err;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An .xlsx cell as text: dates as YYYY-MM-DD, formulas by their result, rich text flattened. */
export function xlsxCellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) {
    const date = `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
    return v.getUTCHours() || v.getUTCMinutes() ? `${date} ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}` : date;
  }
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('result' in v) return xlsxCellText((v.result ?? null) as ExcelJS.CellValue);
  if ('text' in v) return String(v.text);
  if ('error' in v) return String(v.error);
  return '';
}

async function* xlsxRows(path: string, onBytes: (n: number) => void): AsyncGenerator<SourceRow[]> {
  const input = createReadStream(path, { highWaterMark: READ_CHUNK }).pipe(byteCounter(onBytes));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    worksheets: 'emit',
    styles: 'cache', // dates are recognised by their number format
    hyperlinks: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      let batch: SourceRow[] = [];
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as ExcelJS.CellValue[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(xlsxCellText(values[i]));
        batch.push({ rowNo: row.number, cells });
        if (batch.length >= 1000) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
      break; // the first worksheet only
    }
  } catch (err) {
    if (err instanceof FileError) throw err;
    const detail = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    throw new FileError('xlsx_unreadable', `not a readable .xlsx file: ${detail}`, { detail });
  } finally {
    input.destroy();
  }
}

/** The rows of the file in batches, the header first. */
export function readRows(path: string, format: FileFormat, encoding: FileEncoding | null, onBytes: (n: number) => void) {
  return format === 'xlsx' ? xlsxRows(path, onBytes) : csvRows(path, encoding ?? 'utf-8', onBytes);
}
