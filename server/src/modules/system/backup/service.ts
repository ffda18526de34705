/**
 * 数据备份: backups of the whole database with a manifest (archive.ts), a scheduled job with retention, and a
 * restore into an empty target that verifies itself (row counts per table, the audit chain) before it reports
 * success. An archive is checked completely (checksums, origin, schema) before anything is touched.
 */
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../../../config.js';
import { openDatabase, type Database } from '../../../db/client.js';
import { audit } from '../../../platform/audit/audit.js';
import { verifyChain, type ChainReport } from '../../../platform/audit/chain.js';
import { AuditKeyring } from '../../../platform/audit/keys.js';
import type { Actor } from '../../../platform/auth/principal.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/errors.js';
import { runJob, type JobDef } from '../../../platform/jobs/scheduler.js';
import { VERSION } from '../../../platform/version.js';
import { buildJournal, installationRow, schemaState } from '../version/service.js';
import {
  applyRetention,
  archiveName,
  checkArchive,
  cleanPartials,
  createPartial,
  DATA,
  describeFiles,
  FORMAT,
  listArchives,
  seal,
  SYSTEM,
  SYSTEM_NAME,
  type ArchiveEntry,
} from './archive.js';
import { dumpPglite, pgliteTargetEmpty, restorePglite } from './pglite.js';
import { dumpPostgres, postgresObjects, restorePostgres } from './postgres.js';
import { INSTALLATION, RUNNING_BACKUP, rowCounts } from './queries.js';
import type { Manifest } from './schemas.js';

export const BACKUP_JOB = 'system.backup';

/** BACKUP_DIR, else DATA_DIR/backups; a database in memory (tests, an empty DATA_DIR) backs up into the temporary folder. */
export const backupDir = (config: Pick<Config, 'BACKUP_DIR' | 'DATA_DIR'>) =>
  path.resolve(config.BACKUP_DIR || (config.DATA_DIR ? path.join(config.DATA_DIR, 'backups') : path.join(tmpdir(), 'kam-backups')));

export interface Created {
  name: string;
  path: string;
  manifest: Manifest;
  /** Partial folders of interrupted backups removed before this one. */
  cleaned: string[];
}

/** Writes a complete archive of the open database into BACKUP_DIR, or nothing that looks complete. */
export async function createBackup(deps: Pick<Deps, 'config' | 'database'>): Promise<Created> {
  const { config, database } = deps;
  const dir = backupDir(config);
  const cleaned = await cleanPartials(dir);
  const started = new Date();
  const name = archiveName(started, database.kind);
  const partial = await createPartial(dir, name);
  try {
    const data = path.join(partial, DATA);
    const counts = database.kind === 'postgres' ? await dumpPostgres(config, database, data) : await dumpPglite(database, data);
    const [state, installation] = await Promise.all([schemaState(database), installationRow(database)]);
    const manifest: Manifest = {
      format: FORMAT,
      system: SYSTEM,
      systemName: SYSTEM_NAME,
      installationId: installation?.id ?? null,
      database: database.kind,
      dump: database.kind === 'postgres' ? 'pg_dump-directory' : 'pglite-datadir',
      appVersion: VERSION,
      migrations: state.applied.map((m) => ({ tag: m.tag, createdAt: m.createdAt.toISOString() })),
      rowCounts: counts,
      files: await describeFiles(data),
      createdAt: started.toISOString(),
      durationMs: Date.now() - started.getTime(),
    };
    const final = path.join(dir, name);
    await seal(partial, final, manifest);
    return { name, path: final, manifest, cleaned };
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    throw err;
  }
}

/** Checks an archive completely without restoring it: every file's checksum, its origin, and that this build knows its schema. */
export async function verifyBackup(archive: string): Promise<Manifest> {
  const manifest = await checkArchive(archive);
  const known = new Set(buildJournal().map((j) => j.tag));
  const unknown = manifest.migrations.filter((m) => !known.has(m.tag));
  if (unknown.length) throw new AppError(422, 'backup_newer_schema', { archive, migrations: unknown.map((m) => m.tag).join(', '), version: manifest.appVersion });
  return manifest;
}

const isUrl = (target: string) => /^postgres(ql)?:\/\//.test(target);

async function refuseUnsuitableTarget(manifest: Manifest, target: string) {
  const kind = isUrl(target) ? 'postgres' : 'pglite';
  if (kind !== manifest.database) throw new AppError(422, 'backup_target_kind', { target, kind: manifest.database });
  const empty = kind === 'postgres' ? (await postgresObjects(target)) === 0 : await pgliteTargetEmpty(target);
  if (!empty) throw new AppError(409, 'backup_target_not_empty', { target });
}

export interface RestoreReport {
  ok: boolean;
  archive: string;
  target: string;
  database: Manifest['database'];
  tables: number;
  rows: number;
  /** Tables whose rows differ from the manifest's counts. */
  mismatches: { table: string; expected: number | null; actual: number | null }[];
  installationOk: boolean;
  audit: Pick<ChainReport, 'ok' | 'checked' | 'brokenAt' | 'problem'>;
  durationMs: number;
}

/** Compares the restored database with the manifest: the same rows per table, the same installation, an intact audit chain. */
async function verifyRestored(database: Database, manifest: Manifest, keys: AuditKeyring) {
  const counts = await rowCounts((q) => database.rows(q));
  const tables = new Set([...Object.keys(manifest.rowCounts), ...Object.keys(counts)]);
  const mismatches = [...tables]
    .filter((t) => manifest.rowCounts[t] !== counts[t])
    .map((t) => ({ table: t, expected: manifest.rowCounts[t] ?? null, actual: counts[t] ?? null }));
  const [installation] = await database.rows<{ id: string }>(INSTALLATION).catch(() => []);
  const chain = await verifyChain(database, keys);
  return {
    tables: tables.size,
    rows: Object.values(counts).reduce((a, b) => a + b, 0),
    mismatches,
    installationOk: (installation?.id ?? null) === manifest.installationId,
    audit: { ok: chain.ok, checked: chain.checked, brokenAt: chain.brokenAt, problem: chain.problem },
  };
}

/**
 * Restores an archive into an empty target (a PostgreSQL URL or a PGlite folder), then verifies the target.
 * The archive and the target are checked first; a refusal leaves both untouched.
 */
export async function restoreBackup(config: Config, archive: string, target: string): Promise<RestoreReport> {
  const started = Date.now();
  const manifest = await verifyBackup(archive);
  await refuseUnsuitableTarget(manifest, target);
  const data = path.join(archive, DATA);
  if (manifest.database === 'postgres') await restorePostgres(config, data, target);
  else await restorePglite(data, target);
  const database = await openDatabase(isUrl(target) ? { databaseUrl: target, hotConnections: 1 } : { dataDir: target });
  try {
    const keys = new AuditKeyring(config.AUDIT_HMAC_KEY, config.AUDIT_HMAC_RETIRED_KEYS);
    const check = await verifyRestored(database, manifest, keys);
    const ok = !check.mismatches.length && check.installationOk && check.audit.ok;
    return { ok, archive, target, database: manifest.database, ...check, durationMs: Date.now() - started };
  } finally {
    await database.close();
  }
}

/** The scheduled backup: a new archive, then the oldest beyond BACKUP_KEEP removed. */
export const backupJob = (config: Pick<Config, 'BACKUP_CRON'>): JobDef => ({
  name: BACKUP_JOB,
  pattern: config.BACKUP_CRON,
  run: async (deps) => {
    const created = await createBackup(deps);
    const removed = await applyRetention(backupDir(deps.config), deps.config.BACKUP_KEEP);
    const bytes = created.manifest.files.reduce((a, f) => a + f.bytes, 0);
    return { archive: created.name, bytes, durationMs: created.manifest.durationMs, removed, cleaned: created.cleaned };
  },
});

type Status = { status: 'intact' | 'damaged' | 'foreign'; problem: string | null };
// checksums of an archive are read once per process: an archive never changes after it is sealed (a damaged one is re-read)
const checked = new Map<string, { mtimeMs: number; result: Status }>();

async function statusOf(entry: ArchiveEntry): Promise<Status> {
  const mtimeMs = await stat(entry.path).then((s) => s.mtimeMs, () => 0);
  const known = checked.get(entry.path);
  if (known && known.mtimeMs === mtimeMs && known.result.status === 'intact') return known.result;
  const result: Status = await checkArchive(entry.path).then(
    () => ({ status: 'intact' as const, problem: null }),
    (err: unknown) => {
      const code = err instanceof AppError ? err.code : 'backup_corrupt';
      return { status: code === 'backup_foreign' || code === 'backup_manifest_invalid' ? ('foreign' as const) : ('damaged' as const), problem: code };
    },
  );
  checked.set(entry.path, { mtimeMs, result });
  return result;
}

/** The archives in BACKUP_DIR, newest first, each with its size and whether its files still match their checksums. */
export async function listBackups(deps: Pick<Deps, 'config' | 'database'>) {
  const dir = backupDir(deps.config);
  const installation = await installationRow(deps.database);
  const items = [];
  for (const entry of await listArchives(dir)) {
    const { status, problem } = await statusOf(entry);
    const m = entry.manifest;
    items.push({
      name: entry.name,
      bytes: entry.bytes,
      createdAt: m?.createdAt ?? null,
      database: m?.database ?? null,
      appVersion: m?.appVersion ?? null,
      rows: m ? Object.values(m.rowCounts).reduce((a, b) => a + b, 0) : null,
      status,
      checksumOk: status === 'intact',
      thisInstallation: !!m && m.installationId === (installation?.id ?? null),
      problem,
    });
  }
  return { directory: dir, schedule: deps.config.BACKUP_CRON, keep: deps.config.BACKUP_KEEP, items };
}

/**
 * Starts the backup job now, in the background, and answers with its run as soon as its row exists (the job's
 * advisory lock: a backup already running on any instance refuses this one).
 */
export async function startBackupNow(deps: Deps, actor: Actor) {
  const job = backupJob(deps.config);
  let begun!: () => void;
  const started = new Promise<'started'>((resolve) => {
    begun = () => resolve('started');
  });
  const outcome = runJob(deps, { ...job, run: (d) => (begun(), job.run(d)) });
  // the run records its own failure; one cut short with the process is marked interrupted at the next start
  outcome.catch(() => undefined);
  if ((await Promise.race([started, outcome])) === 'skipped') throw new AppError(409, 'backup_running');
  const [run] = await deps.database.rows<{ id: number; job: string; status: string; started_at: Date | string }>(RUNNING_BACKUP(BACKUP_JOB));
  if (!run) throw new AppError(409, 'backup_running');
  await audit(deps.database.db, actor, { action: 'create', entity: 'backup', entityId: run.id, after: { job: BACKUP_JOB } });
  return { runId: Number(run.id), job: run.job, status: run.status, startedAt: new Date(run.started_at).toISOString() };
}
