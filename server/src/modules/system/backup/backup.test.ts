import { spawn } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, testDbKind, type TestSystem } from '../../../db/testing.js';
import { sealAuditEntries } from '../../../platform/audit/sealer.js';
import { makeDeps, type Deps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/errors.js';
import { buildJournal } from '../version/service.js';
import { listArchives, MANIFEST } from './archive.js';
import { postgresObjects } from './postgres.js';
import { backupJob, createBackup, restoreBackup, verifyBackup } from './service.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
let system: TestSystem;
let deps: Deps;
let work: string;
let archive: string;
const targets: string[] = [];
const sqlCount = sql`SELECT count(*)::int AS n FROM customers`;
const runStatus = (id: number) => sql`SELECT status FROM job_runs WHERE id = ${id}`;

/** An empty restore target of the kind under test: a new PostgreSQL database or a PGlite folder not yet made. */
async function emptyTarget(): Promise<string> {
  if (testDbKind === 'pglite') return path.join(work, `target-${randomBytes(4).toString('hex')}`);
  const name = `kam_restore_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  targets.push(name);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

const targetIsEmpty = async (target: string) =>
  testDbKind === 'postgres' ? (await postgresObjects(target)) === 0 : (await readdir(target).catch(() => [])).length === 0;

/** A copy of the good archive to damage. */
async function copyOfArchive(): Promise<string> {
  const copy = path.join(work, 'copies', `kam-copy-${randomBytes(4).toString('hex')}`);
  await cp(archive, copy, { recursive: true });
  return copy;
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: unknown) => (err instanceof AppError ? err.code : String(err)),
  );

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'kam-backup-test-'));
  system = await startTestSystem({ BACKUP_DIR: path.join(work, 'backups'), BACKUP_KEEP: 2 });
  deps = makeDeps(system.config, system.database);
  // audit entries to verify after a restore, sealed into the chain as a running server's sealer does
  await system.login('admin');
  await sealAuditEntries(system.database, deps.auditKeys);
  archive = (await createBackup(deps)).path;
}, 120_000);

afterAll(async () => {
  await system?.close();
  if (targets.length) {
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    for (const t of targets) await admin.query(`DROP DATABASE IF EXISTS ${t} WITH (FORCE)`);
    await admin.end();
  }
  await rm(work, { recursive: true, force: true });
});

describe(`backup and verified restore (${testDbKind})`, () => {
  it('writes an archive whose manifest names the system, the installation, the schema, the rows and every file', async () => {
    const m = await verifyBackup(archive);
    expect(m).toMatchObject({ format: 'kam-backup/1', database: testDbKind, systemName: '大客户服务管理系统' });
    expect(m.installationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(m.migrations.map((x) => x.tag)).toEqual(buildJournal().map((j) => j.tag));
    expect(m.rowCounts['public.customers']).toBe(300);
    expect(m.rowCounts['public.audit_log']).toBeGreaterThan(0);
    expect(m.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
  });

  it('restores into an empty target and verifies rows per table and the audit chain there', async () => {
    const target = await emptyTarget();
    const report = await restoreBackup(system.config, archive, target);
    expect(report).toMatchObject({ ok: true, mismatches: [], installationOk: true, audit: { ok: true } });
    expect(report.audit.checked).toBeGreaterThan(0);
    expect(report.rows).toBeGreaterThan(300);
  }, 120_000);

  it('refuses an archive with a changed byte, before touching the target', async () => {
    const copy = await copyOfArchive();
    const m = await verifyBackup(copy);
    const file = path.join(copy, 'data', m.files.at(-1)!.path);
    const bytes = await readFile(file);
    bytes[bytes.length >> 1]! ^= 0xff;
    await writeFile(file, bytes);
    const target = await emptyTarget();
    expect(await refusal(restoreBackup(system.config, copy, target))).toBe('backup_corrupt');
    expect(await targetIsEmpty(target)).toBe(true);
  });

  it('refuses a truncated archive (a file cut short, or no manifest), before touching the target', async () => {
    const copy = await copyOfArchive();
    const m = await verifyBackup(copy);
    const biggest = [...m.files].sort((a, b) => b.bytes - a.bytes)[0]!;
    await truncate(path.join(copy, 'data', biggest.path), biggest.bytes >> 1);
    const target = await emptyTarget();
    expect(await refusal(restoreBackup(system.config, copy, target))).toBe('backup_truncated');
    await rm(path.join(copy, MANIFEST));
    expect(await refusal(restoreBackup(system.config, copy, target))).toBe('backup_incomplete');
    expect(await targetIsEmpty(target)).toBe(true);
  });

  it('refuses a foreign archive (another format or system), before touching the target', async () => {
    const copy = await copyOfArchive();
    const manifest = JSON.parse(await readFile(path.join(copy, MANIFEST), 'utf8')) as Record<string, unknown>;
    await writeFile(path.join(copy, MANIFEST), JSON.stringify({ ...manifest, system: 'another-crm' }));
    const target = await emptyTarget();
    expect(await refusal(restoreBackup(system.config, copy, target))).toBe('backup_foreign');
    await writeFile(path.join(copy, MANIFEST), '{"format": "kam-backup/1", "sys');
    expect(await refusal(restoreBackup(system.config, copy, target))).toBe('backup_manifest_invalid');
    expect(await targetIsEmpty(target)).toBe(true);
  });

  it('refuses a target that is not empty and leaves it as it was', async () => {
    if (testDbKind === 'postgres') {
      const before = await system.database.rows<{ n: number }>(sqlCount);
      expect(await refusal(restoreBackup(system.config, archive, system.config.DATABASE_URL!))).toBe('backup_target_not_empty');
      expect(await system.database.rows<{ n: number }>(sqlCount)).toEqual(before);
    } else {
      const target = path.join(work, 'occupied');
      await mkdir(target);
      await writeFile(path.join(target, 'PG_VERSION'), '17\n');
      expect(await refusal(restoreBackup(system.config, archive, target))).toBe('backup_target_not_empty');
      expect(await readdir(target)).toEqual(['PG_VERSION']);
    }
  });

  it('keeps the newest BACKUP_KEEP archives after each scheduled backup', async () => {
    const job = backupJob(system.config);
    await job.run(deps);
    const detail = await job.run(deps);
    const kept = await listArchives(system.config.BACKUP_DIR);
    expect(kept).toHaveLength(2);
    expect(detail.removed).toHaveLength(1);
    archive = kept[0]!.path;
  }, 120_000);

  it('starts a backup from the console (202 with its run) and lists it intact', async () => {
    const admin = await system.login('admin');
    const res = await admin.request({ method: 'POST', url: '/api/system/backups' });
    expect(res.statusCode).toBe(202);
    const { runId } = res.json() as { runId: number };
    let status = 'running';
    while (status === 'running') {
      await new Promise((r) => setTimeout(r, 100));
      [{ status } = { status: 'gone' }] = await system.database.rows<{ status: string }>(runStatus(runId));
    }
    expect(status).toBe('done');
    const list = (await admin.request({ method: 'GET', url: '/api/system/backups' })).json() as { items: { status: string; checksumOk: boolean; thisInstallation: boolean }[] };
    expect(list.items).toHaveLength(2);
    expect(list.items.every((b) => b.status === 'intact' && b.checksumOk && b.thisInstallation)).toBe(true);
  }, 120_000);
});

describe.runIf(testDbKind === 'postgres')('an interrupted backup', () => {
  /** Client tools whose pg_dump writes part of the dump and then dies, or hangs until killed. */
  async function fakeTools(behaviour: 'dies' | 'hangs'): Promise<string> {
    const dir = path.join(work, `bin-${behaviour}`);
    await mkdir(dir, { recursive: true });
    const last = behaviour === 'dies' ? 'kill -9 $$' : 'exec sleep 600';
    await writeFile(
      path.join(dir, 'pg_dump'),
      `#!/bin/sh\nwhile [ "$1" != "-f" ]; do shift; done\nhead -c 100000 /dev/urandom > "$2/toc.dat"\n${last}\n`,
    );
    await chmod(path.join(dir, 'pg_dump'), 0o755);
    return dir;
  }
  const complete = async () => (await listArchives(system.config.BACKUP_DIR)).map((a) => a.name);
  const partials = async () => (await readdir(system.config.BACKUP_DIR)).filter((n) => n.startsWith('.partial-'));

  it('leaves no archive that looks complete when pg_dump dies midway', async () => {
    const before = await complete();
    const bin = await fakeTools('dies');
    await expect(createBackup({ config: { ...system.config, PG_BIN_DIR: bin }, database: system.database })).rejects.toThrow(/pg_dump failed \(SIGKILL\)/);
    expect(await complete()).toEqual(before);
    expect(await partials()).toEqual([]);
  });

  it('leaves only a partial folder when the process is killed with -9, and the next backup removes it', async () => {
    const before = await complete();
    const bin = await fakeTools('hangs');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'backup', 'create'], {
      cwd: serverDir,
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, DATABASE_URL: system.config.DATABASE_URL, BACKUP_DIR: system.config.BACKUP_DIR, PG_BIN_DIR: bin, LOG_LEVEL: 'silent' },
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // the dump is under way once its first file exists
    for (;;) {
      const [partial] = await partials();
      if (partial && (await readdir(path.join(system.config.BACKUP_DIR, partial, 'data')).catch(() => [])).length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    expect(await complete()).toEqual(before);
    const [leftover] = await partials();
    expect(leftover).toBeDefined();
    const next = await createBackup(deps);
    expect(next.cleaned).toEqual([leftover]);
    expect(await partials()).toEqual([]);
    expect(await complete()).toHaveLength(before.length + 1);
  }, 60_000);
});

