import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import type { Database } from '../../db/client.js';
import { freshTestDatabase, startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import { makeDeps, type Deps } from '../deps.js';
import { systemActor } from '../auth/principal.js';
import { audit, diffOf } from './audit.js';
import { verifyChain } from './chain.js';
import { appendCheckpoint, readCheckpoints, signCheckpoint, takeCheckpoint, verifyWithCheckpoints } from './checkpoints.js';
import { AuditKeyring } from './keys.js';

describe('the audit trail through the API (日志管理)', () => {
  let sys: TestSystem;
  let admin: Session;
  beforeAll(async () => {
    // the demo seeding's rules run writes its entries too
    sys = await startTestSystem({ DEMO_RULE_RUNS: 1 });
    admin = await sys.login('admin');
    // some history: writes from several sessions, some of them concurrent
    const units = (await admin.request({ method: 'GET', url: '/api/org/units?q=GD-MZ-0' })).json() as { id: number; version: number }[];
    await Promise.all(units.map((u) => admin.request({ method: 'PATCH', url: `/api/org/units/${u.id}`, payload: { version: u.version, nameEn: `u${u.id}` } })));
    await Promise.all(['gd_head', 'gd_analyst', 'gz_am01'].map((n) => sys.login(n)));
  }, 120_000);
  afterAll(() => sys.close());

  it('keeps an unbroken keyed chain across concurrent writes', async () => {
    const keys = new AuditKeyring(sys.config.AUDIT_HMAC_KEY);
    const report = await verifyChain(sys.database, keys);
    expect(report.checked).toBeGreaterThan(10);
    expect(report).toMatchObject({ ok: true, brokenAt: null, legacyEntries: 0 });
    const [seeded] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'rule_run' AND actor_username = 'system' AND key_id IS NOT NULL`);
    expect(seeded!.n).toBe(1);
    const api = await admin.request({ method: 'GET', url: '/api/audit/verify' });
    expect(api.json()).toMatchObject({ ok: true, problem: null });
  });

  it('refuses updates, deletes and truncation from the application', async () => {
    await expect(sys.database.db.execute(sql`UPDATE audit_log SET action = 'x' WHERE seq = 1`)).rejects.toThrow();
    await expect(sys.database.db.execute(sql`DELETE FROM audit_log WHERE seq = 1`)).rejects.toThrow();
    await expect(sys.database.db.execute(sql`TRUNCATE audit_log`)).rejects.toThrow();
  });

  it('refuses an entry that the audit writer did not sign, or that does not continue the chain', async () => {
    await expect(sys.database.db.execute(sql`INSERT INTO audit_log (action, entity) VALUES ('create', 'forged')`)).rejects.toThrow();
    const [head] = await sys.database.rows<{ seq: number; hash: string }>(sql`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`);
    await expect(
      sys.database.db.execute(
        sql`INSERT INTO audit_log (seq, action, entity, prev_hash, hash, key_id) VALUES (${head!.seq + 2}, 'create', 'forged', ${head!.hash}, 'x', 'k')`,
      ),
    ).rejects.toThrow();
  });
});

const actor = { ...systemActor(new Set()), userId: 1, username: 'admin', unitPath: '/1/', requestId: 'r', ip: '10.0.0.1' };

/** A fresh database with `n` entries written by the audit writer. */
async function chainOf(n: number): Promise<{ deps: Deps; drop: () => Promise<void> }> {
  const { database, drop } = await freshTestDatabase();
  const deps = makeDeps(loadConfig({}, { DATA_DIR: '' }), database);
  for (let i = 1; i <= n; i++) {
    await audit(database.db, actor, { action: 'update', entity: 'org_unit', entityId: i, unitPath: '/1/2/', before: { name: `u${i}` }, after: { name: `v${i}` } });
  }
  return { deps, drop };
}

/** Changes the trail as its database owner can: with the triggers off. */
const asOwner = (database: Database, statement: ReturnType<typeof sql>) =>
  database.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL session_replication_role = replica`);
    await tx.execute(statement);
  });

/** Migration 0001's key-less hash, and a function recomputing the chain with it from `from_seq` (optionally marking entries key-less). */
async function installKeylessRecompute(database: Database) {
  await database.db.execute(sql`
    CREATE OR REPLACE FUNCTION audit_row_hash(prev text, r audit_log) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT encode(sha256(convert_to(coalesce(prev, '') || '|' || jsonb_build_object(
        'seq', r.seq, 'at', (extract(epoch FROM r.at) * 1000000)::bigint, 'actorId', r.actor_id, 'actorUsername', r.actor_username,
        'action', r.action, 'entity', r.entity, 'entityId', r.entity_id, 'unitPath', r.unit_path, 'before', r.before,
        'after', r.after, 'diff', r.diff, 'requestId', r.request_id, 'ip', r.ip)::text, 'UTF8')), 'hex')
    $$`);
  await database.db.execute(sql`
    CREATE OR REPLACE FUNCTION recompute_chain(from_seq bigint, keyless boolean) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE r audit_log; prev text;
    BEGIN
      SET LOCAL session_replication_role = replica;
      SELECT hash INTO prev FROM audit_log WHERE seq = from_seq - 1;
      FOR r IN SELECT * FROM audit_log WHERE seq >= from_seq ORDER BY seq LOOP
        UPDATE audit_log SET prev_hash = prev, hash = audit_row_hash(prev, r), key_id = CASE WHEN keyless THEN NULL ELSE key_id END
        WHERE seq = r.seq RETURNING hash INTO prev;
      END LOOP;
    END $$`);
}

describe('an audit chain that resists its database owner', () => {
  let deps: Deps;
  let drop: () => Promise<void>;
  let dir: string;
  let file: string;
  beforeAll(async () => {
    ({ deps, drop } = await chainOf(12));
    await deps.database.db.execute(sql`CREATE TABLE audit_as_written AS SELECT * FROM audit_log`);
    dir = mkdtempSync(path.join(tmpdir(), 'kam-audit-'));
    file = path.join(dir, 'audit-checkpoints.jsonl');
  }, 60_000);
  afterAll(async () => {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });
  // each case starts from the chain as written, with no checkpoint
  afterEach(async () => {
    await asOwner(deps.database, sql`DELETE FROM audit_log`);
    await asOwner(deps.database, sql`INSERT INTO audit_log OVERRIDING SYSTEM VALUE SELECT * FROM audit_as_written`);
    rmSync(file, { force: true });
  });
  const verify = () => verifyWithCheckpoints(deps.database, deps.auditKeys, file);
  const checkpointNow = async () => appendCheckpoint(file, signCheckpoint(deps.auditKeys.current, (await verifyChain(deps.database, deps.auditKeys)).head, new Date()));

  it('is intact as written, and checks every entry with the key', async () => {
    await checkpointNow();
    expect(await verify()).toMatchObject({ ok: true, checked: 12, head: { seq: 12 }, checkpoints: { valid: 1, forged: 0, latestSeq: 12 } });
    // with another key nothing verifies
    const other = new AuditKeyring('ab'.repeat(32));
    expect(await verifyChain(deps.database, other)).toMatchObject({ ok: false, brokenAt: 1, problem: 'unknown_key' });
  });

  it('detects a changed entry', async () => {
    await asOwner(deps.database, sql`UPDATE audit_log SET actor_username = 'mallory' WHERE seq = 5`);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: 5, problem: 'entry_changed' });
  });

  it('detects a changed entry whose chain was recomputed in SQL with the old key-less function', async () => {
    await checkpointNow();
    await installKeylessRecompute(deps.database);
    await asOwner(deps.database, sql`UPDATE audit_log SET after = '{"name":"forged"}' WHERE seq = 5`);
    await deps.database.db.execute(sql`SELECT recompute_chain(5, false)`);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: 5, problem: 'entry_changed' });
  });

  it('detects a chain recomputed without the key from the changed entry on, marked as older than the key', async () => {
    await installKeylessRecompute(deps.database);
    await asOwner(deps.database, sql`UPDATE audit_log SET after = '{"name":"forged"}' WHERE seq = 5`);
    await deps.database.db.execute(sql`SELECT recompute_chain(5, true)`);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: 5, problem: 'unkeyed_entry' });
  });

  it('detects a whole chain recomputed without the key, by its checkpoints', async () => {
    await checkpointNow();
    await installKeylessRecompute(deps.database);
    await asOwner(deps.database, sql`UPDATE audit_log SET after = '{"name":"forged"}' WHERE seq = 5`);
    await deps.database.db.execute(sql`SELECT recompute_chain(1, true)`);
    // every entry now looks older than the key and hashes right: only the signed head tells
    expect(await verify()).toMatchObject({ ok: false, brokenAt: 12, problem: 'checkpoint_mismatch', legacyEntries: 11 });
  });

  it('detects entries claimed by a key it does not hold', async () => {
    const forger = new AuditKeyring('cd'.repeat(32));
    await asOwner(deps.database, sql`UPDATE audit_log SET key_id = ${forger.current.id} WHERE seq >= 3`);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: 3, problem: 'unknown_key' });
  });

  it('detects a removed entry', async () => {
    await asOwner(deps.database, sql`DELETE FROM audit_log WHERE seq IN (6, 7)`);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: 6, problem: 'entry_missing' });
  });

  it('detects a removed tail by the checkpoints', async () => {
    await checkpointNow();
    await asOwner(deps.database, sql`DELETE FROM audit_log WHERE seq > 9`);
    // the chain alone is consistent: what is left links up
    expect(await verifyChain(deps.database, deps.auditKeys)).toMatchObject({ ok: true, checked: 9 });
    expect(await verify()).toMatchObject({ ok: false, brokenAt: 10, problem: 'tail_removed' });
  });

  it('refuses a forged checkpoint and reports it', async () => {
    await checkpointNow();
    const genuine = readFileSync(file, 'utf8').trim();
    const edited = { ...JSON.parse(genuine), seq: 8 };
    const otherKey = signCheckpoint(new AuditKeyring('ef'.repeat(32)).current, { seq: 12, hash: 'x' }, new Date());
    writeFileSync(file, `${genuine}\n${JSON.stringify(edited)}\nnot json\n${JSON.stringify(otherKey)}\n`);
    const read = readCheckpoints(file, deps.auditKeys);
    expect(read.valid).toHaveLength(1);
    expect(read.forged).toEqual([2, 3, 4]);
    expect(await verify()).toMatchObject({ ok: false, problem: 'checkpoint_forged', checkpoints: { valid: 1, forged: 3 } });
  });

  it('starts after the checkpoint the operator archived the oldest entries up to, and only there', async () => {
    const [sixth] = await deps.database.rows<{ hash: string }>(sql`SELECT hash FROM audit_log WHERE seq = 6`);
    appendCheckpoint(file, signCheckpoint(deps.auditKeys.current, { seq: 6, hash: sixth!.hash }, new Date()));
    await asOwner(deps.database, sql`DELETE FROM audit_log WHERE seq <= 6`);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: 1, problem: 'entry_missing' });
    expect(await verifyWithCheckpoints(deps.database, deps.auditKeys, file, 6)).toMatchObject({ ok: true, checked: 6, startsAfter: 6 });
    expect(await verifyWithCheckpoints(deps.database, deps.auditKeys, file, 5)).toMatchObject({ ok: false, brokenAt: 1 });
  });

  it('verifies entries signed with a retired key', async () => {
    const rotated = new AuditKeyring('12'.repeat(32), [deps.config.AUDIT_HMAC_KEY]);
    expect(await verifyChain(deps.database, rotated)).toMatchObject({ ok: true, checked: 12 });
  });

  it('takes a checkpoint into the file and the log, checking only what is new, and signs no broken chain', async () => {
    const lines: string[] = [];
    const log = Fastify({ logger: { level: 'info', stream: { write: (l: string) => lines.push(l) } } }).log;
    const cpDeps = { ...deps, config: { ...deps.config, DATA_DIR: dir } };
    expect(await takeCheckpoint(cpDeps, log)).toMatchObject({ ok: true, checked: 12 });
    await audit(deps.database.db, actor, { action: 'read', entity: 'audit_log' });
    expect(await takeCheckpoint(cpDeps, log)).toMatchObject({ ok: true, checked: 1, head: { seq: 13 } });
    const inFile = readCheckpoints(file, deps.auditKeys);
    expect(inFile.valid.map((c) => c.seq)).toEqual([12, 13]);
    expect(lines.filter((l) => l.includes('"auditCheckpoint"')).map((l) => JSON.parse(l).auditCheckpoint)).toEqual(inFile.valid);

    await asOwner(deps.database, sql`DELETE FROM audit_log WHERE seq = 13`);
    expect(await takeCheckpoint(cpDeps, log)).toMatchObject({ ok: false, problem: 'tail_removed' });
    expect(readCheckpoints(file, deps.auditKeys).valid).toHaveLength(2);
    expect(lines.some((l) => l.includes('audit chain broken'))).toBe(true);
  });
});

describe('diffOf', () => {
  it('lists only the changed fields, ignoring version and updatedAt', () => {
    expect(diffOf({ name: 'a', code: 'x', version: 1, updatedAt: 't1' }, { name: 'b', code: 'x', version: 2, updatedAt: 't2' })).toEqual({
      name: ['a', 'b'],
    });
  });
  it('treats a missing field as null', () => {
    expect(diffOf({ a: 1 }, { a: 1, b: null })).toEqual({});
    expect(diffOf({}, { b: 2 })).toEqual({ b: [null, 2] });
  });
});
