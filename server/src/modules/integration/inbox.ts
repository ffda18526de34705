/**
 * BOSS 收件箱: BOSS drops its extracts in BOSS_INBOX_DIR; a job (every minute, once across instances) imports
 * each complete file through the imports of the console (same checks, all-or-nothing unless
 * BOSS_INBOX_SET_ASIDE), then moves it to done/ or failed/ with its report `<name>.report.csv` beside it.
 * The name says what the file is (INBOX_NAMES, docs/boss-interfaces.md); a content imported once (SHA-256) is
 * never imported again. A crash between the import and the move leaves the file in the inbox: the next run
 * imports it again, which changes nothing (the imports' upserts only touch rows whose values differ).
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import { ALL_PERMISSIONS } from '../../platform/auth/permissions.js';
import { systemActor } from '../../platform/auth/principal.js';
import type { Deps } from '../../platform/deps.js';
import { translate, type Locale, type MessageCode } from '../../platform/i18n/messages.js';
import * as bq from './boss.queries.js';
import type { ImportKind } from './layouts.js';
import { findJob, rejectsOf } from './queries.js';
import { renderJobError, renderReason, type JobError } from './reasons.js';
import { importFile, type ImportJob } from './service.js';

/** 文件命名约定: the name of each extract and the import it feeds, in the order a run takes them. */
const INBOX_NAMES: { kind: ImportKind; pattern: RegExp }[] = [
  { kind: 'customers', pattern: /^CUST_(\d{8})_(\d{1,6})\.(csv|xlsx)$/i },
  { kind: 'subscriptions', pattern: /^SUBS_(\d{8})_(\d{1,6})\.(csv|xlsx)$/i },
  { kind: 'facts', pattern: /^BILL_(\d{6})_(\d{1,6})\.(csv|xlsx)$/i },
];

/** Files BOSS is still writing (by convention under these suffixes), reports, and hidden files are never taken. */
const NOT_YET = /(\.tmp|\.part|\.report\.csv)$/i;

const kindOfName = (name: string): ImportKind | null => INBOX_NAMES.find((n) => n.pattern.test(name))?.kind ?? null;

/** The inbox and its two outcome folders: BOSS_INBOX_DIR, else DATA_DIR/boss/inbox; null when neither is set. */
export function inboxDir(config: Deps['config']): string | null {
  if (config.BOSS_INBOX_DIR) return config.BOSS_INBOX_DIR;
  return config.DATA_DIR ? path.join(config.DATA_DIR, 'boss', 'inbox') : null;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The files of the inbox that are complete: not hidden, not partial, not changed for BOSS_INBOX_SETTLE_SECONDS; in convention order. */
async function settledFiles(dir: string, settleSeconds: number, now: number) {
  const files: { name: string; size: number }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('.') || NOT_YET.test(entry.name)) continue;
    const s = await stat(path.join(dir, entry.name)).catch(() => null);
    if (s && now - s.mtimeMs >= settleSeconds * 1000) files.push({ name: entry.name, size: s.size });
  }
  const rank = (name: string) => {
    const i = INBOX_NAMES.findIndex((n) => n.pattern.test(name));
    return i < 0 ? INBOX_NAMES.length : i;
  };
  return files.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

// ---- the report --------------------------------------------------------------------------------------------

/** One line of a report: the row and field it names (empty for the file as a whole), a code, the reason in both languages. */
interface ReportLine {
  row: number | '';
  key: string;
  field: string;
  code: string;
  zh: string;
  en: string;
}

const REPORT_HEADER = ['行号 Row', '主键 Key', '字段 Field', '原因代码 Code', '原因', 'Reason'];

const message = (code: MessageCode, params: Record<string, unknown> = {}): ReportLine => ({
  row: '', key: '', field: '', code, zh: translate(code, 'zh-CN', params), en: translate(code, 'en-US', params),
});

/** The report's lines of an import: its outcome, its whole-file error, then each rejected row (zh and en). */
async function* importReport(deps: Deps, job: ImportJob): AsyncGenerator<ReportLine> {
  const counts = { rows: job.rowsRead, inserted: job.inserted, updated: job.updated, unchanged: job.unchanged, rejected: job.rowsRejected };
  if (job.status === 'succeeded') yield message(job.rowsRejected ? 'boss_inbox_imported_set_aside' : 'boss_inbox_imported', counts);
  if (job.status === 'rejected') yield message('boss_inbox_rejected', counts);
  const row = await findJob(deps.database.db, job.id);
  if (row?.error) {
    const error = row.error as JobError;
    const [zh, en] = (['zh-CN', 'en-US'] as Locale[]).map((l) => renderJobError(error, l).message);
    yield { row: '', key: '', field: '', code: error.code, zh: zh!, en: en! };
  }
  for await (const r of rejectsOf(deps.database.db, job.id)) {
    const zh = renderReason(r.reason, job.kind, r.column, 'zh-CN');
    yield { row: r.rowNo, key: r.key ?? '', field: r.column ?? '', code: zh.code ?? '', zh: zh.reason, en: renderReason(r.reason, job.kind, r.column, 'en-US').reason };
  }
}

/** Writes `<file>.report.csv` (UTF-8 with BOM, for Excel) line by line. */
async function writeReport(file: string, lines: AsyncIterable<ReportLine> | ReportLine[]) {
  const out = createWriteStream(`${file}.report.csv`, { mode: 0o640 });
  out.write(`\uFEFF${stringify([REPORT_HEADER])}`);
  for await (const l of lines) {
    if (!out.write(stringify([[l.row, l.key, l.field, l.code, l.zh, l.en]]))) await once(out, 'drain');
  }
  await finished(out.end());
}

// ---- one run -----------------------------------------------------------------------------------------------

export type InboxOutcome = 'imported' | 'rejected' | 'failed' | 'duplicate' | 'unknown_name';

/** Moves the file to done/ or failed/ (a name taken there gets the time), its report beside it; answers where to. */
async function moveOut(dir: string, name: string, to: 'done' | 'failed', report: AsyncIterable<ReportLine> | ReportLine[]): Promise<string> {
  const folder = path.join(dir, to);
  await mkdir(folder, { recursive: true });
  let target = path.join(folder, name);
  if (await stat(target).then(() => true, () => false)) {
    const ext = path.extname(name);
    target = path.join(folder, `${path.basename(name, ext)}.${new Date().toISOString().replace(/[-:.]/g, '')}${ext}`);
  }
  await writeReport(target, report);
  await rename(path.join(dir, name), target);
  return path.relative(dir, target);
}

/** What one file became. */
async function takeFile(deps: Deps, dir: string, file: { name: string; size: number }): Promise<InboxOutcome> {
  const { db } = deps.database;
  const full = path.join(dir, file.name);
  const sha256 = await sha256Of(full);
  const kind = kindOfName(file.name);
  const record = (status: InboxOutcome, extra: Partial<bq.InboxFileRow> = {}) =>
    bq.recordInboxFile(db, { fileName: file.name, sha256, fileSize: file.size, kind, status, ...extra });
  if (!kind) {
    const row = await record('unknown_name');
    await bq.setMovedTo(db, row.id, await moveOut(dir, file.name, 'failed', [message('boss_inbox_unknown_name', { name: file.name })]));
    return 'unknown_name';
  }
  const earlier = await bq.importedWithSha(db, sha256);
  if (earlier) {
    const row = await record('duplicate', { duplicateOf: earlier.id });
    const line = message('boss_inbox_duplicate', { file: earlier.fileName, at: earlier.createdAt.toISOString() });
    await bq.setMovedTo(db, row.id, await moveOut(dir, file.name, 'done', [line]));
    return 'duplicate';
  }
  const actor = systemActor(new Set(ALL_PERMISSIONS));
  const job = await importFile(deps, actor, full, { kind, fileName: file.name, fileSize: file.size, dryRun: false, setAside: deps.config.BOSS_INBOX_SET_ASIDE });
  const status: InboxOutcome = job.status === 'succeeded' ? 'imported' : job.status === 'rejected' ? 'rejected' : 'failed';
  const row = await record(status, { importJobId: job.id });
  await bq.setMovedTo(db, row.id, await moveOut(dir, file.name, status === 'imported' ? 'done' : 'failed', importReport(deps, job)));
  return status;
}

/**
 * One run of the inbox: each complete file imported (or found a duplicate, or refused by its name) and moved
 * out with its report. A file that cannot be taken (unreadable, moved away meanwhile) is left for the next run.
 */
export async function runInbox(deps: Deps, now = Date.now()): Promise<Record<string, unknown>> {
  const dir = inboxDir(deps.config);
  if (!dir || !(await stat(dir).then((s) => s.isDirectory(), () => false))) return { skipped: 'no inbox folder' };
  const counts: Record<string, number> = {};
  for (const file of await settledFiles(dir, deps.config.BOSS_INBOX_SETTLE_SECONDS, now)) {
    try {
      const outcome = await takeFile(deps, dir, file);
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    } catch (err) {
      console.error(`BOSS inbox: cannot take ${file.name}`, err);
      counts.left = (counts.left ?? 0) + 1;
    }
  }
  return counts;
}

/** The latest files the inbox took, newest first (the console's log). */
export const inboxLog = (deps: Deps, limit: number) => bq.recentInboxFiles(deps.database.db, limit);
