/** `kam import --kind facts --file x.csv [--dry-run] [--set-aside] [--lang zh-CN|en-US]`: an import from the command line, with a progress bar. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { prepareDatabase } from '../../bootstrap.js';
import type { Config } from '../../config.js';
import { ALL_PERMISSIONS } from '../../platform/auth/permissions.js';
import { systemActor } from '../../platform/auth/principal.js';
import { makeDeps, type Deps } from '../../platform/deps.js';
import { isLocale, type Locale } from '../../platform/i18n/messages.js';
import { IMPORT_KINDS, type ImportKind } from './layouts.js';
import { findJob } from './queries.js';
import { importFile, rejectLines, toJob, type ImportJob } from './service.js';

export const IMPORT_USAGE = 'import --kind customers|subscriptions|facts --file <csv|xlsx> [--dry-run] [--set-aside] [--lang zh-CN|en-US]';

/** Rejected rows printed after the summary; the rest are in the report. */
const SHOWN_REJECTS = 20;

export function summary(job: ImportJob): string {
  const lines = [
    `import #${job.id} ${job.kind} ${job.fileName} (${job.format ?? '?'}${job.encoding ? `, ${job.encoding}` : ''}): ${job.status}${job.dryRun ? ' (dry run: nothing committed)' : ''}`,
    `  rows read ${job.rowsRead}, rejected ${job.rowsRejected}, inserted ${job.inserted}, updated ${job.updated}, unchanged ${job.unchanged}`,
  ];
  if (job.error) lines.push(`  error: ${job.error.message}`);
  if (job.status === 'rejected') lines.push('  nothing was imported: fix the rows listed in the report, or import with --set-aside');
  if (job.rowsRejected) lines.push(`  report of rejected rows: GET /api/imports/${job.id}/rejects.csv`);
  return lines.join('\n');
}

/** The first rejected rows of a job, one a line: row, key, column, code and the reason in `locale`. */
export async function rejectSample(deps: Deps, jobId: number, locale: Locale, max = SHOWN_REJECTS): Promise<string[]> {
  const row = await findJob(deps.database.db, jobId);
  if (!row) return [];
  const lines: string[] = [];
  for await (const r of rejectLines(deps, row, locale)) {
    if (lines.length === max) {
      lines.push('  …');
      break;
    }
    lines.push(`  row ${r.rowNo}${r.key ? ` [${r.key}]` : ''}: ${r.reason}${r.code ? ` (${r.code})` : ''}`);
  }
  return lines;
}

/** Runs the import as the system (whole organisation in scope); exit code 1 when the file was not imported. */
export async function runImportCli(config: Config, args: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const kind = arg('--kind');
  const file = arg('--file');
  const lang = arg('--lang') ?? 'zh-CN';
  if (!kind || !(IMPORT_KINDS as readonly string[]).includes(kind) || !file || !isLocale(lang)) {
    console.error(`usage: kam ${IMPORT_USAGE}`);
    process.exitCode = 2;
    return;
  }
  const size = (await stat(file)).size;
  const { database } = await prepareDatabase({ ...config, DEMO_PROFILE: 'none' });
  const deps = makeDeps(config, database);
  const bar = new cliProgress.SingleBar(
    { format: ' {bar} {percentage}% | {rows} rows | {phase}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0, { rows: 0, phase: 'reading' });
  const started = Date.now();
  try {
    const job = await importFile(
      deps,
      systemActor(new Set(ALL_PERMISSIONS)),
      file,
      { kind: kind as ImportKind, fileName: path.basename(file), fileSize: size, dryRun: args.includes('--dry-run'), setAside: args.includes('--set-aside') },
      (j) => bar.update(Math.round(j.progress * 100), { rows: j.rowsRead, phase: j.phase ?? '' }),
    );
    bar.stop();
    const row = await findJob(database.db, job.id);
    console.log(summary(row ? toJob(row, lang) : job));
    if (job.rowsRejected) console.log((await rejectSample(deps, job.id, lang)).join('\n'));
    console.log(`  ${((Date.now() - started) / 1000).toFixed(1)} s`);
    process.exitCode = job.status === 'succeeded' ? 0 : 1;
  } finally {
    bar.stop();
    await database.close();
  }
}
