/**
 * 读取策略: the three ways a file is read into the row sink (row-sink.ts), from the fastest to the most general.
 * - `readDirect` (直接装载, direct-load.ts): a facts CSV without quotes of one empty month on PostgreSQL, imported
 *   all-or-nothing by someone who sees the whole organisation, loaded without staging; or nothing kept, and the
 *   file goes to one of the others.
 * - `readScanned` (facts-fast.ts): a facts CSV without quotes on PostgreSQL: strict lines go to the staging COPY
 *   as bytes, every other line through the sink's checks.
 * - `readRows` (source.ts): any file, CSV or .xlsx, row by row through the sink's checks into staging.
 */
import type { Executor } from '../../db/client.js';
import { loadFactsDirect, type DirectSides } from './direct-load.js';
import { DirectAbort } from './facts-direct.js';
import { streamFactsCsv } from './facts-fast.js';
import { factsKinds } from './layouts.js';
import * as q from './queries.js';
import type { RowSink } from './row-sink.js';
import { readRows as sourceRows, FileError, type FileEncoding, type FileFormat, type XlsxLimits } from './source.js';

export interface ReadInput {
  path: string;
  sink: RowSink;
  /** Prints a phase's time when KAM_IMPORT_TIMING is set. */
  mark(what: string): void;
}

/**
 * 直接装载: the rows loaded (or that a dry run would load), with `beforeCommit` run in the load's transaction;
 * null when the file needs the staged path (nothing kept, the sink reset).
 */
export async function readDirect(
  input: ReadInput & { conn: q.ImportConnection; sides: DirectSides; encoding: FileEncoding; dryRun: boolean },
  beforeCommit: (tx: Executor, rows: number) => Promise<void>,
): Promise<number | null> {
  const { sink } = input;
  const loaded = await loadFactsDirect(input.conn, input.sides, {
    path: input.path,
    encoding: input.encoding,
    kinds: factsKinds(),
    header: (cells) => ({ header: sink.takeHeader(cells), fileColumns: sink.fileColumns }),
    slowRow: (rowNo, cells) => {
      const line = sink.checkedLine(rowNo, cells);
      if (line === false) throw new DirectAbort('a row the checks refuse');
      return line;
    },
    onBytes: (n) => (sink.bytesRead += n),
    progress: async (fastRows) => {
      sink.fastRows = fastRows;
      await sink.progress();
    },
    mark: input.mark,
    beforeCommit,
    dryRun: input.dryRun,
  });
  if (!loaded) {
    sink.reset();
    return null;
  }
  sink.fastRows = loaded.fastRows;
  return loaded.rows;
}

/** The scanner's path: strict lines as bytes to the staging COPY, the others checked (PostgreSQL, a facts CSV without quotes). */
export async function readScanned(input: ReadInput & { encoding: FileEncoding }) {
  const { sink } = input;
  try {
    const res = await streamFactsCsv({
      path: input.path,
      encoding: input.encoding,
      onBytes: (n) => (sink.bytesRead += n),
      kinds: factsKinds(),
      header: (cells) => {
        const header = sink.takeHeader(cells);
        sink.openCsvStage();
        return header;
      },
      slowRow: (rowNo, cells) => sink.checkedLine(rowNo, cells) || null,
      write: (chunk) => sink.writeCsv(chunk),
      month: (m) => sink.months.add(m),
      progress: async (fastRows) => {
        sink.fastRows = fastRows;
        await sink.flushRejects();
        await sink.progress();
      },
    });
    sink.fastRows = res.fastRows;
    if (!res.header) throw new FileError('empty_file', 'the file has no header row');
    await sink.endStage();
  } catch (err) {
    await sink.abortStage();
    throw err;
  }
}

/** The general reader: any file, row by row (the header first) through the checks into staging. */
export async function readRows(input: ReadInput & { format: FileFormat; encoding: FileEncoding | null; xlsx: XlsxLimits }) {
  const { sink } = input;
  try {
    const rows = sourceRows(input.path, input.format, input.encoding === 'utf-8-bom' ? 'utf-8' : input.encoding, (n) => (sink.bytesRead += n), input.xlsx);
    for await (const batch of rows) {
      for (const { rowNo, cells } of batch) {
        if (sink.header) await sink.row(rowNo, cells);
        else sink.takeHeader(cells);
      }
    }
    if (!sink.header) throw new FileError('empty_file', 'the file has no header row');
    await sink.endStage();
  } catch (err) {
    await sink.abortStage();
    throw err;
  }
}
