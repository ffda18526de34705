/**
 * 数据备份 on the `large` profile (PostgreSQL database kam_large, made by `npx tsx bench/large-profile.ts`).
 * Goals (issue 15): a backup ≤ 5 min, a restore with its verification ≤ 10 min, each next to the plain tools on
 * the same database in the same run: `pg_dump` with the same format, jobs and compression as ours (the floor of our backup:
 * ours adds the row counts in the dump's snapshot, the checksums and the fsyncs), and `pg_restore` into an empty
 * database (the floor of our restore: ours adds the archive's checksums before, the row counts and the audit
 * chain after). The restores go into temporary databases, dropped afterwards; the archives into a temporary folder.
 *
 * Run: `npx tsx bench/backup.ts` (BENCH_PG_URL, BENCH_LARGE_DB as in bench/large-db.ts; BACKUP_JOBS, PG_BIN_DIR).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createBackup, restoreBackup } from '../server/src/modules/system/backup/service.js';
import { LARGE_DB as DB, PG_URL, withLargeDatabase } from './large-db.js';
import { isMain, machine, onCleanup, runCleanups } from './lib.js';

const BACKUP_GOAL_MS = 5 * 60_000;
const RESTORE_GOAL_MS = 10 * 60_000;

async function admin(query: string) {
  const c = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await c.connect();
  try {
    await c.query(query);
  } finally {
    await c.end();
  }
}

/** A new empty database, dropped at the end of the run whatever happens. */
async function scratchDatabase(name: string): Promise<string> {
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  onCleanup(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  return `${PG_URL}/${name}`;
}

const timed = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const t = Date.now();
  const result = await fn();
  return [result, Date.now() - t];
};

const secs = (n: number) => (n >= 60_000 ? `${Math.floor(n / 60_000)} min ${((n % 60_000) / 1000).toFixed(0)} s` : `${(n / 1000).toFixed(1)} s`);
const du = (p: string) => execFileSync('du', ['-sh', p], { encoding: 'utf8' }).split('\t')[0];
const goal = (took: number, max: number) => `${secs(took)} (goal ≤ ${secs(max)}: ${took <= max ? 'met' : 'MISSED'})`;

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), 'kam-bench-backup-'));
  onCleanup(() => rmSync(work, { recursive: true, force: true }));
  await withLargeDatabase(async (deps, database) => {
    const jobs = String(deps.config.BACKUP_JOBS);
    const bin = (tool: string) => (deps.config.PG_BIN_DIR ? path.join(deps.config.PG_BIN_DIR, tool) : tool);
    const [size] = await database.rows<{ size: string }>(sql`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`);
    console.log(`machine: ${machine()}; database ${DB} (${size!.size}); pg_dump -Fd -j ${jobs} -Z 1, pg_restore -Fd -j ${jobs}\n`);

    const plainDir = path.join(work, 'plain');
    const [, plainDump] = await timed(() => execFileSync(bin('pg_dump'), ['-d', deps.config.DATABASE_URL!, '-Fd', '-j', jobs, '-Z', '1', '-f', plainDir]));
    console.log(`  plain pg_dump                    ${secs(plainDump)}  ${du(plainDir)}`);

    const config = { ...deps.config, BACKUP_DIR: path.join(work, 'ours') };
    const [created, ours] = await timed(() => createBackup({ config, database }));
    const rows = Object.values(created.manifest.rowCounts).reduce((a, b) => a + b, 0);
    console.log(`  backup create                    ${goal(ours, BACKUP_GOAL_MS)}  ${du(created.path)}, ${rows.toLocaleString('en')} rows counted; ratio ${(ours / plainDump).toFixed(2)}`);

    const plainTarget = await scratchDatabase('kam_bench_restore_plain');
    const [, plainRestore] = await timed(() =>
      execFileSync(bin('pg_restore'), ['-d', plainTarget, '-Fd', '-j', jobs, '--no-owner', '--no-acl', '--exit-on-error', plainDir]),
    );
    console.log(`  plain pg_restore                 ${secs(plainRestore)}`);
    await admin('DROP DATABASE kam_bench_restore_plain WITH (FORCE)');
    rmSync(plainDir, { recursive: true, force: true });

    const target = await scratchDatabase('kam_bench_restore_ours');
    const [report, restore] = await timed(() => restoreBackup(deps.config, created.path, target));
    console.log(`  backup restore + verification    ${goal(restore, RESTORE_GOAL_MS)}  ${report.ok ? 'verified' : 'NOT VERIFIED'}: ${report.tables} tables, ${report.rows.toLocaleString('en')} rows, audit chain ${report.audit.checked} entries; ratio ${(restore / plainRestore).toFixed(2)}`);
  });
}

if (isMain(import.meta.url)) {
  main()
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(runCleanups);
}
