/**
 * 后台导出: an export too large to download at once runs in the server that accepted it, after the answer;
 * its owner follows the rows written and downloads the file when it is done.
 *
 *   startExportJob(deps, userId, spec, open): the job, at once; `open` (called in the background) opens the
 *     rows to export in one snapshot with their count (and audits the export with it)
 *   listExportJobs / getExportJob(deps, userId, …): the owner's jobs, newest first
 *   openExportFile(deps, userId, id): the finished file as a stream, for the download
 *
 * The file is written to the database in chunks of 256 KB as it is made (memory holds one chunk), so
 * that whichever server instance answers the download finds it; it is deleted a day after it is done. A job
 * beats (rows done, bytes) every few thousand rows; one that stopped beating died with its server and shows
 * as failed.
 */
import { Readable, Writable } from 'node:stream';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { smallHeapItems } from './heap.js';
import type { TabularColumn, TabularFormat } from './tabular.js';
import { writeTabular } from './tabular.js';
import * as q from './jobs.queries.js';
import type { Locale } from '../i18n/messages.js';

/** A background export as its owner sees it. */
export interface ExportJob extends Omit<q.ExportJobRow, 'createdAt' | 'finishedAt' | 'expiresAt'> {
  createdAt: Date;
  finishedAt: Date | null;
  expiresAt: Date | null;
}

const dateOf = (v: string | Date | null) => (v === null ? null : new Date(v));
const toJob = (row: q.ExportJobRow): ExportJob => ({
  ...row,
  rowsTotal: row.rowsTotal === null ? null : Number(row.rowsTotal),
  bytes: Number(row.bytes),
  createdAt: new Date(row.createdAt),
  finishedAt: dateOf(row.finishedAt),
  expiresAt: dateOf(row.expiresAt),
});

/** What a background export writes: the rows (opened in the background), the file's columns and format. */
export interface ExportJobSpec<T> {
  kind: string;
  format: TabularFormat;
  fileName: string;
  locale: Locale;
  /** The filter and choices, kept with the job. */
  params: unknown;
  columns: TabularColumn<T>[];
}

/** The rows of an export in one snapshot, in batches, with their number. */
export interface ExportSource<T> {
  total: number;
  batches: AsyncIterable<T[]>;
  close(): Promise<void>;
}

const CHUNK_BYTES = 256 << 10;
const BEAT_ROWS = 20_000;
const KEEP_HOURS = 24;
/** Exports one user may run at once. */
const RUNNING_MAX = 2;

/** A stream that stores what is written to it as the job's chunks, CHUNK_BYTES at a time. */
function chunkStore(deps: Deps, jobId: number) {
  let pending: Buffer[] = [];
  let size = 0;
  let seq = 0;
  let bytes = 0;
  const flush = async () => {
    if (!size) return;
    const data = Buffer.concat(pending, size);
    pending = [];
    size = 0;
    await deps.database.rows(q.insertChunk(jobId, seq++, data));
    bytes += data.length;
  };
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      pending.push(chunk);
      size += chunk.length;
      if (size < CHUNK_BYTES) return done();
      flush().then(() => done(), done);
    },
    final(done) {
      flush().then(() => done(), done);
    },
  });
  return { out, written: () => bytes + size };
}

/** Counts the rows as they go by and beats every BEAT_ROWS of them. */
async function* beating<T>(batches: AsyncIterable<T[]>, beat: (done: number) => Promise<void>) {
  let done = 0;
  let beaten = 0;
  for await (const batch of batches) {
    yield batch;
    done += batch.length;
    if (done - beaten >= BEAT_ROWS) await beat((beaten = done));
  }
}

async function run<T>(deps: Deps, job: q.ExportJobRow, spec: ExportJobSpec<T>, open: () => Promise<ExportSource<T>>) {
  const store = chunkStore(deps, job.id);
  let source: ExportSource<T> | null = null;
  try {
    source = await open();
    const total = source.total;
    await deps.database.rows(q.beat(job.id, 0, total, 0));
    const batches = beating(source.batches, (done) => deps.database.rows(q.beat(job.id, done, total, store.written())).then(() => undefined));
    const written = await writeTabular(store.out, { format: spec.format, columns: spec.columns, rows: { batches }, locale: spec.locale });
    await deps.database.rows(q.finish(job.id, written, store.written(), KEEP_HOURS));
  } catch (err) {
    await deps.database.rows(q.fail(job.id, err instanceof AppError ? err.code : 'export_failed')).catch(() => undefined);
    throw err;
  } finally {
    await source?.close();
  }
}

/**
 * Starts a background export for `userId`: its job at once, and `done`, settled when the file is written or the
 * export failed (after calling `onError`). The rows are opened and written after the answer. Old files are
 * deleted first; a user runs at most two exports at once.
 */
export async function startExportJob<T>(
  deps: Deps,
  userId: number,
  spec: ExportJobSpec<T>,
  open: () => Promise<ExportSource<T>>,
  onError: (err: unknown) => void,
): Promise<{ job: ExportJob; done: Promise<void> }> {
  await deps.database.rows(q.deleteExpired());
  const [busy] = await deps.database.rows<{ running: number }>(q.countRunning(userId));
  if ((busy?.running ?? 0) >= RUNNING_MAX) throw new AppError(429, 'export_busy', { running: busy!.running });
  const [job] = await deps.database.rows<q.ExportJobRow>(q.insertJob(userId, spec.kind, spec.format, spec.fileName, spec.params));
  const done = run(deps, job!, spec, open).catch(onError);
  return { job: toJob(job!), done };
}

export const listExportJobs = async (deps: Deps, userId: number, kind: string): Promise<ExportJob[]> =>
  (await deps.database.rows<q.ExportJobRow>(q.selectJobs(userId, kind))).map(toJob);

/** One of the user's exports (404 for another user's). */
export async function getExportJob(deps: Deps, userId: number, id: number): Promise<ExportJob> {
  const [job] = await deps.database.rows<q.ExportJobRow>(q.selectJob(userId, id));
  if (!job) throw new AppError(404, 'not_found', { entity: 'export' });
  return toJob(job);
}

/** The finished file of one of the user's exports, read chunk by chunk as the download goes. */
export async function openExportFile(deps: Deps, userId: number, id: number) {
  const job = await getExportJob(deps, userId, id);
  if (job.status === 'running') throw new AppError(409, 'export_not_ready');
  if (job.status !== 'done') throw new AppError(410, 'export_gone');
  async function* chunks() {
    for (let seq = 0; ; seq++) {
      const [chunk] = await deps.database.rows<{ data: Uint8Array }>(q.selectChunk(id, seq));
      if (!chunk) return;
      yield Buffer.from(chunk.data);
    }
  }
  return { job, body: Readable.from(smallHeapItems(chunks())) };
}
