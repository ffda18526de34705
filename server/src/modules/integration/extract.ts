/**
 * BOSS 月度下发文件: the levels, credit and points of every key account for a month, as a CSV file for BOSS
 * (docs/boss-interfaces.md): a header record, the column names, one line per customer, and a trailer record
 * with the count of customer lines and the SHA-256 of every byte before the trailer. Written in pages of
 * customers in id order (a keyset read: flat memory, each page one index range, however many customers),
 * under a temporary name that is renamed once the file is complete: BOSS never sees half a file.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Executor } from '../../db/client.js';
import { audit } from '../../platform/audit/audit.js';
import { ALL_PERMISSIONS } from '../../platform/auth/permissions.js';
import { systemActor, type Actor } from '../../platform/auth/principal.js';
import type { Deps } from '../../platform/deps.js';
import { AppError, notFound } from '../../platform/errors.js';
import { withSmallHeap } from '../../platform/export/heap.js';
import type { JobDef } from '../../platform/jobs/scheduler.js';
import { translate } from '../../platform/i18n/messages.js';
import { MONTH_PATTERN, monthAt, previousMonth, toMonthDate } from '../../platform/months.js';
import * as bq from './boss.queries.js';

export const EXTRACT_INTERFACE = 'KAM_LEVELS';
export const EXTRACT_VERSION = '1.0';
const NAME = /^KAM_LEVELS_(\d{6})\.csv$/;
const PAGE = 10_000;

/** The columns of a customer line, in order (docs/boss-interfaces.md describes each). */
export const EXTRACT_COLUMNS = [
  'customer_no', 'customer_kind', 'unit_code', 'archive', 'level', 'prev_level', 'credit_score', 'credit_grade',
  'overdraft_limit', 'points_balance', 'points_earned', 'points_promo', 'points_expired',
] as const;

interface ExtractRow {
  id: number;
  customer_no: string;
  kind: string;
  unit_code: string;
  archive: string;
  level: string | null;
  prev_level: string | null;
  credit_score: number | null;
  credit_grade: string | null;
  overdraft_limit: string | null;
  points_balance: number | null;
  points_earned: number | null;
  points_promo: number | null;
  points_expired: number | null;
}

/** The outbox: BOSS_OUTBOX_DIR, else DATA_DIR/boss/outbox (with an in-memory database, null: nowhere to write). */
export function outboxDir(config: Deps['config']): string | null {
  if (config.BOSS_OUTBOX_DIR) return config.BOSS_OUTBOX_DIR;
  return config.DATA_DIR ? path.join(config.DATA_DIR, 'boss', 'outbox') : null;
}

export const extractName = (month: string) => `${EXTRACT_INTERFACE}_${month.replace('-', '')}.csv`;

// codes and numbers only: a cell never needs quotes, but a comma or quote in a customer number would break the line
const cell = (v: string | number | null) => {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const line = (r: ExtractRow) =>
  [r.customer_no, r.kind, r.unit_code, r.archive, r.level, r.prev_level, r.credit_score, r.credit_grade,
    r.overdraft_limit, r.points_balance, r.points_earned, r.points_promo, r.points_expired].map(cell).join(',');

export interface ExtractResult {
  name: string;
  month: string;
  rows: number;
  sha256: string;
  bytes: number;
}

/**
 * Writes the file of `month` (YYYY-MM) to the outbox, reading through `executor` (the benchmark's rolled-back
 * transaction; the database otherwise); 409 when the month's rules have not run. Not audited: `writeExtract` is.
 * A million rows are written with a small heap (platform/export/heap.ts).
 */
export const writeExtractFile = (deps: Deps, month: string, now = new Date(), executor?: Executor): Promise<ExtractResult & { runId: number }> =>
  withSmallHeap(() => writeFile(deps, month, now, executor));

async function writeFile(deps: Deps, month: string, now: Date, executor?: Executor): Promise<ExtractResult & { runId: number }> {
  const dir = outboxDir(deps.config);
  if (!dir) throw new Error('no outbox: set BOSS_OUTBOX_DIR or DATA_DIR');
  const monthDate = toMonthDate(month);
  const [run] = await deps.database.rows<{ id: number }>(bq.completedRun(monthDate), executor);
  if (!run) throw new AppError(409, 'boss_extract_no_run', { month });
  await mkdir(dir, { recursive: true });
  const name = extractName(month);
  const temp = path.join(dir, `.${name}.${process.pid}.tmp`);
  const out = createWriteStream(temp, { mode: 0o640 });
  const hash = createHash('sha256');
  let bytes = 0;
  const write = async (text: string) => {
    const buf = Buffer.from(text, 'utf8');
    hash.update(buf);
    bytes += buf.length;
    if (!out.write(buf)) await once(out, 'drain');
  };
  let rows = 0;
  try {
    await write(`H,${EXTRACT_INTERFACE},${EXTRACT_VERSION},${month},${now.toISOString()},${Number(run.id)}\n`);
    await write(`${EXTRACT_COLUMNS.join(',')}\n`);
    for (let after = 0; ; ) {
      const page = await deps.database.rows<ExtractRow>(bq.extractPage(monthDate, after, PAGE), executor);
      if (!page.length) break;
      let text = '';
      for (const r of page) text += `${line(r)}\n`;
      await write(text);
      rows += page.length;
      after = Number(page[page.length - 1]!.id);
    }
    const sha256 = hash.digest('hex');
    out.write(`T,${rows},${sha256}\n`);
    await finished(out.end());
    await rename(temp, path.join(dir, name));
    return { name, month, rows, sha256, bytes, runId: Number(run.id) };
  } catch (err) {
    out.destroy();
    await rm(temp, { force: true });
    throw err;
  }
}

/** The extract of `month` written to the outbox and audited with its row count and checksum. */
export async function writeExtract(deps: Deps, actor: Actor, month: string, now = new Date()): Promise<ExtractResult> {
  const { runId, ...result } = await writeExtractFile(deps, month, now);
  await audit(deps.database.db, actor, { action: 'export', entity: 'boss_extract', entityId: result.name, unitPath: actor.unitPath, after: { month, rows: result.rows, sha256: result.sha256, runId } });
  return result;
}

/**
 * On the 3rd to the 10th of each month at 04:00 (after the monthly rules, 02:00), the previous month's extract,
 * unless it is written already; a month whose rules have not run yet is tried again the next day.
 */
export const monthlyExtractJob: JobDef = {
  name: 'integration.boss_extract',
  pattern: '0 4 3-10 * *',
  run: async (deps) => {
    const month = previousMonth(monthAt(new Date()));
    const dir = outboxDir(deps.config);
    if (!dir) return { month, skipped: 'no outbox' };
    if (await stat(path.join(dir, extractName(month))).then(() => true, () => false)) return { month, skipped: 'written already' };
    try {
      const r = await writeExtract(deps, systemActor(new Set(ALL_PERMISSIONS)), month);
      return { month, rows: r.rows, sha256: r.sha256 };
    } catch (err) {
      if (err instanceof AppError && err.code === 'boss_extract_no_run') return { month, skipped: 'rules not run yet' };
      throw err;
    }
  },
};

export interface ExtractFile {
  name: string;
  month: string;
  bytes: number;
  writtenAt: Date;
}

/** The extracts in the outbox, newest month first. */
export async function listExtracts(deps: Deps): Promise<ExtractFile[]> {
  const dir = outboxDir(deps.config);
  if (!dir) return [];
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => NAME.test(n)).sort().reverse();
  const files = await Promise.all(
    names.map(async (name) => {
      const s = await stat(path.join(dir, name));
      const m = NAME.exec(name)![1]!;
      return { name, month: `${m.slice(0, 4)}-${m.slice(4)}`, bytes: s.size, writtenAt: s.mtime };
    }),
  );
  return files;
}

/** One extract to download (its name checked: no other file of the folder, no path); audited with its size. */
export async function openExtract(deps: Deps, actor: Actor, name: string) {
  const dir = outboxDir(deps.config);
  if (!dir || !NAME.test(name)) throw notFound('boss_extract');
  const file = path.join(dir, name);
  const s = await stat(file).catch(() => null);
  if (!s) throw notFound('boss_extract');
  await audit(deps.database.db, actor, { action: 'export', entity: 'boss_extract', entityId: name, unitPath: actor.unitPath, after: { download: true, bytes: s.size } });
  return { stream: createReadStream(file), bytes: s.size };
}

/** `kam boss extract --month YYYY-MM`. */
export const BOSS_USAGE = 'boss extract --month YYYY-MM  write the month\'s levels, credit and points for BOSS (BOSS_OUTBOX_DIR)';

export async function runBossCli(deps: Deps, argv: string[]): Promise<void> {
  const [sub, flag, month] = argv;
  if (sub !== 'extract' || flag !== '--month' || !month || !MONTH_PATTERN.test(month)) {
    console.error(`usage: kam ${BOSS_USAGE}`);
    process.exitCode = 2;
    return;
  }
  const started = Date.now();
  let r: ExtractResult;
  try {
    r = await writeExtract(deps, systemActor(new Set(ALL_PERMISSIONS)), month);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    console.error(translate(err.code, 'zh-CN', err.params));
    process.exitCode = 1;
    return;
  }
  console.log(`${path.join(outboxDir(deps.config)!, r.name)}: ${r.rows} customers, ${r.bytes} bytes, sha256 ${r.sha256}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
