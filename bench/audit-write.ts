/**
 * The cost of one audited write: a transaction that updates a row and appends its audit entry through the
 * audit writer (`platform/audit/audit.ts`), against the same transaction without the entry. Run on PGlite (in
 * memory) and on PostgreSQL (a fresh BENCH_DB on BENCH_PG_URL, dropped afterwards); on PostgreSQL also with
 * WRITERS concurrent writers, since the chain serialises the entries under one lock.
 *
 * Run alone: `npx tsx bench/audit-write.ts` (ROUNDS, default 2,000 transactions per measurement).
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { loadConfig } from '../server/src/config.js';
import { openDatabase, type Database } from '../server/src/db/client.js';
import { makeDeps } from '../server/src/platform/deps.js';
import { audit } from '../server/src/platform/audit/audit.js';
import { systemActor } from '../server/src/platform/auth/principal.js';
import { machine } from './lib.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DB = process.env.BENCH_DB ?? 'kam_bench_audit';
const ROUNDS = Number(process.env.ROUNDS ?? 2000);
const WRITERS = Number(process.env.WRITERS ?? 8);

const actor = { ...systemActor(new Set()), userId: 1, username: 'bench', unitPath: '/1/2/', requestId: 'bench', ip: '127.0.0.1' };

async function write(database: Database, i: number, audited: boolean) {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`UPDATE bench_rows SET n = n + 1 WHERE id = ${i % 100}`);
    if (audited) {
      await audit(tx, actor, {
        action: 'update',
        entity: 'bench_row',
        entityId: i % 100,
        unitPath: '/1/2/37/',
        before: { n: i, contactPhone: '13812345678', note: 'a short note' },
        after: { n: i + 1, contactPhone: '13812345679', note: 'a short note' },
      });
    }
  });
}

/** Microseconds per transaction, `writers` at once. */
async function measure(database: Database, audited: boolean, writers: number): Promise<number> {
  const per = Math.ceil(ROUNDS / writers);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < per; i++) await write(database, w * per + i, audited);
    }),
  );
  return ((performance.now() - t0) * 1000) / (per * writers);
}

async function run(label: string, database: Database, writerCounts: number[]) {
  makeDeps(loadConfig({}), database);
  await database.migrate();
  await database.db.execute(sql`CREATE TABLE bench_rows (id int PRIMARY KEY, n bigint NOT NULL)`);
  await database.db.execute(sql`INSERT INTO bench_rows SELECT g, 0 FROM generate_series(0, 99) g`);
  for (const writers of writerCounts) {
    // warm-up, then alternate plain and audited rounds twice and keep the better of each
    await measure(database, true, writers);
    const plain: number[] = [];
    const audited: number[] = [];
    for (let r = 0; r < 2; r++) {
      plain.push(await measure(database, false, writers));
      audited.push(await measure(database, true, writers));
    }
    const p = Math.min(...plain);
    const a = Math.min(...audited);
    console.log(`| ${label}, ${writers} writer${writers > 1 ? 's' : ''} | ${p.toFixed(0)} µs | ${a.toFixed(0)} µs | ${(a - p).toFixed(0)} µs |`);
  }
}

async function admin(statement: string) {
  const c = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

console.log(`machine: ${machine()}; ${ROUNDS} transactions per measurement\n`);
console.log('| database | transaction without audit | with one audit entry | cost of the entry |');
console.log('| --- | ---: | ---: | ---: |');
const lite = await openDatabase({});
try {
  await run('PGlite', lite, [1]);
} finally {
  await lite.close();
}
await admin(`DROP DATABASE IF EXISTS ${DB}`);
await admin(`CREATE DATABASE ${DB}`);
const postgres = await openDatabase({ databaseUrl: `${PG_URL}/${DB}`, hotConnections: 1 });
try {
  await run('PostgreSQL', postgres, [1, WRITERS]);
} finally {
  await postgres.close();
  await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
}
