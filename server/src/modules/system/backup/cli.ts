/** `kam backup create|verify|restore|list`: backups from the command line (docs/operations.md). */
import type { Config } from '../../../config.js';
import { openDatabase } from '../../../db/client.js';
import { AppError } from '../../../platform/errors.js';
import { translate } from '../../../platform/i18n/messages.js';
import { PROBLEM_TYPES } from '../../../platform/i18n/catalogue/problems.js';
import { refuseNewerSchema } from '../version/service.js';
import { backupDir, createBackup, listBackups, restoreBackup, verifyBackup, type RestoreReport } from './service.js';

export const BACKUP_USAGE = `backup create             write a backup of the database into BACKUP_DIR (default DATA_DIR/backups); on PGlite
                            with the server stopped (or let the server's scheduled job / the console make it)
  backup verify <archive>   check an archive's checksums, origin and schema without restoring it
  backup restore <archive> --target <postgres://… of an empty database | an empty PGlite folder>
                            restore, then verify the target (rows per table, audit chain); exit 1 when it does not
  backup list               the archives in BACKUP_DIR with their checksum state`;

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function describeRestore(r: RestoreReport): string {
  const lines = [
    `restored ${r.archive} into ${r.target} (${r.database}) in ${(r.durationMs / 1000).toFixed(1)} s`,
    `  rows per table: ${r.mismatches.length ? `${r.mismatches.length} table(s) DIFFER from the manifest` : `${r.tables} tables, ${r.rows} rows, as in the manifest`}`,
    ...r.mismatches.slice(0, 20).map((m) => `    ${m.table}: manifest ${m.expected ?? 'absent'}, restored ${m.actual ?? 'absent'}`),
    `  installation id: ${r.installationOk ? 'as in the manifest' : 'DIFFERS from the manifest'}`,
    `  audit chain: ${r.audit.ok ? `intact (${r.audit.checked} entries)` : `BROKEN at entry ${r.audit.brokenAt}: ${r.audit.problem}`}`,
    r.ok ? 'restore verified' : 'restore NOT verified',
  ];
  return lines.join('\n');
}

function explain(err: AppError): string {
  const code = err.code as keyof typeof PROBLEM_TYPES;
  const advice = PROBLEM_TYPES[code]?.advice['en-US'];
  return `refused: ${translate(err.code, 'en-US', err.params)}\n  ${translate(err.code, 'zh-CN', err.params)}${advice ? `\n  ${advice}` : ''}`;
}

async function create(config: Config) {
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, hotConnections: 1 });
  try {
    await refuseNewerSchema(database);
    const b = await createBackup({ config, database });
    const rows = sum(Object.values(b.manifest.rowCounts));
    console.log(`backup ${b.path}: ${b.manifest.files.length} files, ${mb(sum(b.manifest.files.map((f) => f.bytes)))}, ${rows} rows, ${(b.manifest.durationMs / 1000).toFixed(1)} s`);
    if (b.cleaned.length) console.log(`  removed the leftovers of interrupted backups: ${b.cleaned.join(', ')}`);
  } finally {
    await database.close();
  }
}

async function run(config: Config, args: string[]): Promise<number> {
  const [sub, archive] = args;
  switch (sub) {
    case 'create':
      await create(config);
      return 0;
    case 'verify': {
      if (!archive) break;
      const m = await verifyBackup(archive);
      console.log(`${archive}: intact — ${m.database}, version ${m.appVersion}, ${m.files.length} files, ${sum(Object.values(m.rowCounts))} rows, made ${m.createdAt}`);
      return 0;
    }
    case 'restore': {
      const i = args.indexOf('--target');
      const target = i >= 0 ? args[i + 1] : undefined;
      if (!archive || !target) break;
      const report = await restoreBackup(config, archive, target);
      console.log(describeRestore(report));
      return report.ok ? 0 : 1;
    }
    case 'list': {
      const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, hotConnections: 1 });
      try {
        const list = await listBackups({ config, database });
        console.log(`${backupDir(config)} (keeping ${list.keep}, schedule ${list.schedule}):`);
        for (const b of list.items) console.log(`  ${b.name}  ${mb(b.bytes).padStart(10)}  ${b.status}${b.problem ? ` (${b.problem})` : ''}`);
      } finally {
        await database.close();
      }
      return 0;
    }
  }
  console.error(`usage: kam ${BACKUP_USAGE}`);
  return 2;
}

/** Runs a backup command; the exit code: 0 done, 1 refused or not verified, 2 usage. */
export async function runBackupCli(config: Config, args: string[]): Promise<number> {
  try {
    return await run(config, args);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    console.error(explain(err));
    return 1;
  }
}
