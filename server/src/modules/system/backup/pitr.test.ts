/**
 * Point-in-time recovery as docs/operations.md describes it, on a throwaway PostgreSQL 15 cluster in a temporary
 * folder: WAL archiving on, a base backup, row A, the time noted, row B, then a recovery to that time that shows
 * A and not B. Runs with TEST_PITR=1 as root on a machine with the PostgreSQL 15 server binaries (CI has them).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const BIN = process.env.PG_SERVER_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
const work = process.env.TEST_PITR === '1' ? mkdtempSync(path.join(tmpdir(), 'kam-pitr-')) : '';
const clusters: string[] = [];

/** A PostgreSQL program run as the postgres OS user (the server refuses to run as root). */
const asPostgres = (program: string, args: string[]) =>
  execFileSync('runuser', ['-u', 'postgres', '--', path.join(BIN, program), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

function start(dataDir: string, port: number) {
  appendFileSync(path.join(dataDir, 'postgresql.conf'), `\nport = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${work}'\n`);
  asPostgres('pg_ctl', ['-D', dataDir, '-l', path.join(work, `${path.basename(dataDir)}.log`), '-w', '-t', '60', 'start']);
  clusters.push(dataDir);
}

const psql = (port: number, query: string) => asPostgres('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-XAtq', '-c', query]).trim();

afterAll(() => {
  for (const c of clusters) {
    try {
      asPostgres('pg_ctl', ['-D', c, '-m', 'immediate', 'stop']);
    } catch {
      // already stopped
    }
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

it.runIf(process.env.TEST_PITR === '1')('recovers a PostgreSQL cluster to a point in time from a base backup and archived WAL', async () => {
  const [data, archive, base, restored] = ['data', 'wal-archive', 'base', 'restored'].map((d) => path.join(work, d)) as [string, string, string, string];
  mkdirSync(archive);
  chmodSync(work, 0o777);
  execFileSync('chown', ['-R', 'postgres', work]);

  // 1. the cluster, with WAL archiving (docs/operations.md, "Point-in-time recovery")
  asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync']);
  appendFileSync(path.join(data, 'postgresql.conf'), `\nwal_level = replica\narchive_mode = on\narchive_command = 'test ! -f ${archive}/%f && cp %p ${archive}/%f'\n`);
  const port = await freePort();
  start(data, port);
  psql(port, 'CREATE TABLE t (x text)');

  // 2. the base backup
  asPostgres('pg_basebackup', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-D', base, '-X', 'stream', '-c', 'fast']);

  // 3. A, the moment to return to, then B; the WAL holding both is archived
  psql(port, "INSERT INTO t VALUES ('A')");
  const target = psql(port, 'SELECT clock_timestamp()');
  await new Promise((r) => setTimeout(r, 1100));
  psql(port, "INSERT INTO t VALUES ('B')");
  psql(port, 'SELECT pg_switch_wal()');
  psql(port, 'CHECKPOINT');
  asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);

  // 4. the recovery: a copy of the base backup, restore_command, recovery_target_time, recovery.signal
  cpSync(base, restored, { recursive: true });
  appendFileSync(
    path.join(restored, 'postgresql.conf'),
    `\nrestore_command = 'cp ${archive}/%f %p'\nrecovery_target_time = '${target}'\nrecovery_target_action = 'promote'\n`,
  );
  writeFileSync(path.join(restored, 'recovery.signal'), '');
  execFileSync('chown', ['-R', 'postgres', restored]);
  const port2 = await freePort();
  start(restored, port2);
  for (let i = 0; psql(port2, 'SELECT pg_is_in_recovery()') === 't' && i < 300; i++) await new Promise((r) => setTimeout(r, 100));

  expect(psql(port2, 'SELECT string_agg(x, \',\' ORDER BY x) FROM t')).toBe('A');
}, 60_000);
