/**
 * PostgreSQL through its own client tools: pg_dump in the directory format with parallel jobs, read back by
 * pg_restore with parallel jobs, gzip level 1. On kam_large (7.5 GB, 2 busy cores): -Fc 522 s, -Fd -j 2 329 s,
 * -Fd -j 2 -Z 1 194 s for 1.2 GB instead of 1.1 GB: the dump is bound by compressing, which the custom format does
 * in one process and the directory format in one per job (docs/decisions.md).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../../../config.js';
import type { Database } from '../../../db/client.js';
import { EXPORT_SNAPSHOT, rowCounts, USER_OBJECTS } from './queries.js';

type Tools = Pick<Config, 'PG_BIN_DIR' | 'BACKUP_JOBS'>;
const tool = (config: Tools, name: 'pg_dump' | 'pg_restore') => (config.PG_BIN_DIR ? path.join(config.PG_BIN_DIR, name) : name);

/** The URL without its password, which goes to the tool in PGPASSWORD (never on a command line that ps shows). */
function connection(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env };
}

function runTool(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`)),
    );
  });
}

/** Dumps into `folder` (empty) and counts the rows in the very snapshot the dump reads. */
export async function dumpPostgres(config: Tools & { DATABASE_URL?: string }, database: Database, folder: string): Promise<Record<string, number>> {
  const { url, env } = connection(config.DATABASE_URL!);
  const snapshot = await database.snapshot();
  try {
    const [exported] = await snapshot.rows<{ id: string }>(EXPORT_SNAPSHOT);
    const dump = runTool(tool(config, 'pg_dump'), ['-d', url, '-Fd', '-j', String(config.BACKUP_JOBS), '-Z', '1', `--snapshot=${exported!.id}`, '-f', folder], env);
    // the counting transaction holds the snapshot for the dump's workers until the dump ends
    const [counts] = await Promise.all([rowCounts(snapshot.rows), dump]);
    return counts;
  } finally {
    await snapshot.close();
  }
}

/** Objects in the target database (a restore goes only into an empty one). */
export async function postgresObjects(targetUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: targetUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(USER_OBJECTS);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

export async function restorePostgres(config: Tools, folder: string, targetUrl: string): Promise<void> {
  const { url, env } = connection(targetUrl);
  await runTool(tool(config, 'pg_restore'), ['-d', url, '-Fd', '-j', String(config.BACKUP_JOBS), '--no-owner', '--no-acl', '--exit-on-error', folder], env);
}
