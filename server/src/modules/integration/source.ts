/**
 * Reading an uploaded file as rows of text cells, streamed: format by its first bytes (.xlsx is a zip),
 * encoding of a CSV by one pass over it (BOM → UTF-8; valid UTF-8 → UTF-8; else GBK).
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { readZipDirectory, storedEntries, until, ZipFormatError, ZipLimitError, type ZipLimits } from '../../platform/files/zip.js';
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

/** The limits an .xlsx file is read within (IMPORT_XLSX_*): what its zip's central directory may declare. */
export type XlsxLimits = ZipLimits;

/** A zip refused by its limits, or unreadable as a zip, as a whole-file error of the job. */
export function zipFileError(err: unknown): FileError | null {
  if (err instanceof ZipLimitError) return new FileError(err.code, `the .xlsx file is beyond a limit: ${err.message}`, err.params);
  if (err instanceof ZipFormatError) return new FileError('xlsx_unreadable', `not a readable .xlsx file: ${err.message}`, { detail: err.message.slice(0, 500) });
  return null;
}

/** What a workbook may lack and the reader needs before its sheet (then no sheet waits in a temporary file). */
const EMPTY_RELS = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>');
const EMPTY_STRINGS = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>');
const SHEET = /^xl\/worksheets\/sheet\d+\.xml$/;

/**
 * The rows of the first worksheet. The zip's central directory is held against the limits first
 * (platform/files/zip.ts); then only the entries the reader needs are inflated, each within its declared size,
 * in the order that lets ExcelJS's streaming reader read the sheet as it comes: relationships, workbook, styles
 * (dates are recognised by their number format), shared strings, the sheet.
 */
async function* xlsxRows(path: string, onBytes: (n: number) => void, limits: XlsxLimits): AsyncGenerator<SourceRow[]> {
  let zip: ReturnType<typeof storedEntries> | null = null;
  try {
    const entries = await readZipDirectory(path, limits);
    const sheet = entries.find((e) => SHEET.test(e.name));
    zip = storedEntries(
      path,
      entries,
      [
        { name: 'xl/_rels/workbook.xml.rels', made: EMPTY_RELS },
        { name: 'xl/workbook.xml' },
        { name: 'xl/styles.xml' },
        { name: 'xl/sharedStrings.xml', made: EMPTY_STRINGS },
        ...(sheet ? [{ name: sheet.name }] : []),
      ],
      onBytes,
    );
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(zip.stream, {
      sharedStrings: 'cache',
      worksheets: 'emit',
      styles: 'cache', // dates are recognised by their number format
      hyperlinks: 'ignore',
    });
    for await (const ws of until(reader, zip.failed)) {
      let batch: SourceRow[] = [];
      for await (const row of until(ws as AsyncIterable<ExcelJS.Row>, zip.failed)) {
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
    // the entries' own error, when the reader only saw the archive cut short
    const cause = zip ? await Promise.race([zip.failed, Promise.resolve(err)]).catch((e: unknown) => e) : err;
    const known = zipFileError(cause);
    if (known) throw known;
    const detail = (cause instanceof Error ? cause.message : String(cause)).slice(0, 500);
    throw new FileError('xlsx_unreadable', `not a readable .xlsx file: ${detail}`, { detail });
  } finally {
    zip?.stream.destroy();
  }
}

/** The rows of the file in batches, the header first. */
export function readRows(path: string, format: FileFormat, encoding: FileEncoding | null, onBytes: (n: number) => void, xlsx: XlsxLimits) {
  return format === 'xlsx' ? xlsxRows(path, onBytes, xlsx) : csvRows(path, encoding ?? 'utf-8', onBytes);
}
