/**
 * The cost of one audited write: a transaction that updates a row and appends its audit entry through the
 * audit writer (`platform/audit/audit.ts`: since migration 0036 one INSERT of the entry with its content signed
 * by the application, chained after commit by the sealer), against the same transaction without the entry, and
 * against the chain as it was before the key (migration 0001: one INSERT, the trigger hashing with a key-less
 * SHA-256 under a lock held until commit), restored for the run in the bench database only. Run on PGlite (in
 * memory) and on PostgreSQL (a fresh BENCH_DB on BENCH_PG_URL, dropped afterwards); on PostgreSQL also with
 * WRITERS concurrent writers. The three are measured in turn in one run, so that they share the machine's load.
 *
 * Run alone: `npx tsx bench/audit-write.ts` (ROUNDS, default 2,000 transactions per measurement).
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { loadConfig } from '../server/src/config.js';
import { openDatabase, type Database } from '../server/src/db/client.js';
import { makeDeps } from '../server/src/platform/deps.js';
import { auditLog } from '../server/src/db/schema/index.js';
import { audit, diffOf } from '../server/src/platform/audit/audit.js';
import { systemActor } from '../server/src/platform/auth/principal.js';
import { machine } from './lib.js';

const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DB = process.env.BENCH_DB ?? 'kam_bench_audit';
const ROUNDS = Number(process.env.ROUNDS ?? 2000);
const WRITERS = Number(process.env.WRITERS ?? 8);

const actor = { ...systemActor(new Set()), userId: 1, username: 'bench', unitPath: '/1/2/', requestId: 'bench', ip: '127.0.0.1' };

type Variant = 'none' | 'keyless' | 'keyed';

const entry = (i: number) => ({
  action: 'update' as const,
  entity: 'bench_row',
  entityId: i % 100,
  unitPath: '/1/2/37/',
  before: { n: i, contactPhone: '13812345678', note: 'a short note' },
  after: { n: i + 1, contactPhone: '13812345679', note: 'a short note' },
});

/** Migration 0001's chain: the trigger assigns the position and hashes without a key (restored in the bench database only). */
const KEYLESS_TRIGGER = [
  sql`
  CREATE OR REPLACE FUNCTION bench_row_hash(prev text, r audit_log) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(coalesce(prev, '') || '|' || jsonb_build_object('seq', r.seq, 'at', (extract(epoch FROM r.at) * 1000000)::bigint,
      'actorId', r.actor_id, 'actorUsername', r.actor_username, 'action', r.action, 'entity', r.entity, 'entityId', r.entity_id,
      'unitPath', r.unit_path, 'before', r.before, 'after', r.after, 'diff', r.diff, 'requestId', r.request_id, 'ip', r.ip)::text, 'UTF8')), 'hex')
  $$`,
  sql`
  CREATE OR REPLACE FUNCTION bench_keyless_chain() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE last_seq bigint; last_hash text;
  BEGIN
    PERFORM pg_advisory_xact_lock(7263001);
    SELECT seq, hash INTO last_seq, last_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
    NEW.seq := coalesce(last_seq, 0) + 1; NEW.prev_hash := last_hash; NEW.hash := bench_row_hash(last_hash, NEW);
    RETURN NEW;
  END $$`,
  sql`CREATE TRIGGER bench_keyless_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION bench_keyless_chain()`,
];

async function write(database: Database, i: number, variant: Variant) {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`UPDATE bench_rows SET n = n + 1 WHERE id = ${i % 100}`);
    const e = entry(i);
    if (variant === 'keyed') await audit(tx, actor, e);
    if (variant === 'keyless') {
      await tx.insert(auditLog).values({ actorId: actor.userId, actorUsername: actor.username, ...e, entityId: String(e.entityId), diff: diffOf(e.before, e.after), requestId: actor.requestId, ip: actor.ip });
    }
  });
}

/** Microseconds per transaction, `writers` at once. */
async function measure(database: Database, variant: Variant, writers: number): Promise<number> {
  const per = Math.ceil(ROUNDS / writers);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < per; i++) await write(database, w * per + i, variant);
    }),
  );
  return ((performance.now() - t0) * 1000) / (per * writers);
}

/** Switches the audit_log triggers between the keyed chain's check and the key-less chain of before. */
async function useChain(database: Database, variant: Variant) {
  const keyless = variant === 'keyless';
  await database.db.execute(keyless ? sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_chain` : sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_chain`);
  await database.db.execute(keyless ? sql`ALTER TABLE audit_log ENABLE TRIGGER bench_keyless_chain` : sql`ALTER TABLE audit_log DISABLE TRIGGER bench_keyless_chain`);
}

async function run(label: string, database: Database, writerCounts: number[]) {
  makeDeps(loadConfig({}), database);
  await database.migrate();
  await database.db.execute(sql`CREATE TABLE bench_rows (id int PRIMARY KEY, n bigint NOT NULL)`);
  await database.db.execute(sql`INSERT INTO bench_rows SELECT g, 0 FROM generate_series(0, 99) g`);
  for (const statement of KEYLESS_TRIGGER) await database.db.execute(statement);
  for (const writers of writerCounts) {
    const best: Record<Variant, number> = { none: Infinity, keyless: Infinity, keyed: Infinity };
    // alternate the three twice after a warm-up, and keep the better of each; each chain starts afresh
    for (let r = 0; r < 3; r++) {
      for (const variant of ['none', 'keyless', 'keyed'] as const) {
        await database.db.transaction(async (tx) => {
          await tx.execute(sql`SET LOCAL session_replication_role = replica`);
          await tx.execute(sql`DELETE FROM audit_log`);
        });
        await useChain(database, variant);
        const t = await measure(database, variant, writers);
        if (r > 0) best[variant] = Math.min(best[variant], t);
      }
    }
    const cost = (v: Variant) => `${(best[v] - best.none).toFixed(0)} µs`;
    console.log(`| ${label}, ${writers} writer${writers > 1 ? 's' : ''} | ${best.none.toFixed(0)} µs | ${cost('keyless')} | ${cost('keyed')} |`);
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
console.log('| database | transaction without audit | cost of its entry, key-less trigger (before) | cost of its entry, signed by the application (now) |');
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
