import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import type { Database } from '../../db/client.js';
import { freshTestDatabase, startTestSystem, testDbKind, type Session, type TestSystem } from '../../db/testing.js';
import { makeDeps, type Deps } from '../deps.js';
import { systemActor } from '../auth/principal.js';
import { audit, diffOf } from './audit.js';
import { entryMessage, verifyChain } from './chain.js';
import { appendCheckpoint, readCheckpoints, signCheckpoint, takeCheckpoint, verifyWithCheckpoints } from './checkpoints.js';
import { AuditKeyring } from './keys.js';
import { CHAIN_LOCK, sealAuditEntries, startAuditSealer, UnsealableEntry } from './sealer.js';

/** Why the database refused a statement (drizzle carries its error as the cause), or 'accepted'. */
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (err: { message: string; cause?: { message?: string } }) => err.cause?.message ?? err.message,
  );

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
    // written without positions; the sealer chains them after their commits
    const [waiting] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE seq IS NULL AND hash IS NULL`);
    expect(waiting!.n).toBeGreaterThan(10);
    expect(await verifyChain(sys.database, keys)).toMatchObject({ ok: true, checked: 0, unsealed: waiting!.n });
    expect(await sealAuditEntries(sys.database, keys)).toBe(waiting!.n);
    const report = await verifyChain(sys.database, keys);
    expect(report.checked).toBe(waiting!.n);
    expect(report).toMatchObject({ ok: true, brokenAt: null, legacyEntries: 0, unsealed: 0, head: { seq: waiting!.n } });
    const [seeded] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'rule_run' AND actor_username = 'system' AND key_id IS NOT NULL`);
    expect(seeded!.n).toBe(1);
    // the verification seals first: the entry the API's own sign-in wrote is in the chain it checked
    const api = await admin.request({ method: 'GET', url: '/api/audit/verify' });
    expect(api.json()).toMatchObject({ ok: true, problem: null, unsealed: 0 });
  });

  it('refuses updates of a sealed entry, deletes and truncation from the application', async () => {
    await sealAuditEntries(sys.database, new AuditKeyring(sys.config.AUDIT_HMAC_KEY));
    expect(await refusal(sys.database.db.execute(sql`UPDATE audit_log SET action = 'x' WHERE seq = 1`))).toMatch(/append-only/);
    // not even its position and hashes, under the chain lock
    expect(
      await refusal(
        sys.database.db.transaction(async (tx) => {
          await tx.execute(sql`SELECT pg_advisory_xact_lock(${sql.raw(String(CHAIN_LOCK))}::bigint)`);
          await tx.execute(sql`UPDATE audit_log SET hash = 'x' WHERE seq = (SELECT max(seq) FROM audit_log)`);
        }),
      ),
    ).toMatch(/append-only/);
    expect(await refusal(sys.database.db.execute(sql`DELETE FROM audit_log WHERE seq = 1`))).toMatch(/append-only/);
    await expect(sys.database.db.execute(sql`TRUNCATE audit_log`)).rejects.toThrow();
  });

  it('lets only the sealer, holding the chain lock, give an unsealed entry its place, and nothing else', async () => {
    const keys = new AuditKeyring(sys.config.AUDIT_HMAC_KEY);
    await sealAuditEntries(sys.database, keys);
    await audit(sys.database.db, actor, { action: 'read', entity: 'audit_log' });
    const [e] = await sys.database.rows<{ id: number }>(sql`SELECT id FROM audit_log WHERE seq IS NULL`);
    const [head] = await sys.database.rows<{ seq: number; hash: string }>(sql`SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`);
    const place = sql`UPDATE audit_log SET seq = ${head!.seq + 1}, prev_hash = ${head!.hash}, hash = 'h' WHERE id = ${e!.id}`;
    const underLock = (...statements: ReturnType<typeof sql>[]) =>
      sys.database.db.transaction(async (tx) => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(${sql.raw(String(CHAIN_LOCK))}::bigint)`);
        for (const s of statements) await tx.execute(s);
      });
    // without the lock
    expect(await refusal(sys.database.db.execute(place))).toMatch(/chain lock/);
    // under it, but changing the content too, or deleting it
    expect(await refusal(underLock(sql`UPDATE audit_log SET seq = ${head!.seq + 1}, prev_hash = ${head!.hash}, hash = 'h', action = 'x' WHERE id = ${e!.id}`))).toMatch(/append-only/);
    expect(await refusal(underLock(sql`UPDATE audit_log SET action = 'x' WHERE id = ${e!.id}`))).toMatch(/append-only/);
    expect(await refusal(sys.database.db.execute(sql`DELETE FROM audit_log WHERE id = ${e!.id}`))).toMatch(/append-only/);
    // under it, but not after the head, or not linked to it
    expect(await refusal(underLock(sql`UPDATE audit_log SET seq = ${head!.seq + 2}, prev_hash = ${head!.hash}, hash = 'h' WHERE id = ${e!.id}`))).toMatch(/continue the chain/);
    expect(await refusal(underLock(sql`UPDATE audit_log SET seq = ${head!.seq + 1}, prev_hash = 'p', hash = 'h' WHERE id = ${e!.id}`))).toMatch(/link/);
    // the sealer's own statement passes
    expect(await sealAuditEntries(sys.database, keys)).toBe(1);
    expect(await verifyChain(sys.database, keys)).toMatchObject({ ok: true, unsealed: 0, head: { seq: head!.seq + 1 } });
  });

  it('refuses an entry that the audit writer did not sign, or that comes with a place in the chain', async () => {
    expect(await refusal(sys.database.db.execute(sql`INSERT INTO audit_log (action, entity) VALUES ('create', 'forged')`))).toMatch(/signed/);
    expect(await refusal(sys.database.db.execute(sql`INSERT INTO audit_log (action, entity, key_id) VALUES ('create', 'forged', 'k')`))).toMatch(/signed/);
    const [head] = await sys.database.rows<{ seq: number; hash: string }>(sql`SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`);
    expect(await refusal(
      sys.database.db.execute(
        sql`INSERT INTO audit_log (seq, action, entity, prev_hash, hash, key_id, entry_mac) VALUES (${head!.seq + 1}, 'create', 'forged', ${head!.hash}, 'x', 'k', 'm')`,
      ),
    )).toMatch(/without a position/);
    expect(await refusal(sys.database.db.execute(sql`INSERT INTO audit_log (action, entity, hash, key_id, entry_mac) VALUES ('create', 'forged', 'x', 'k', 'm')`))).toMatch(
      /without a position/,
    );
  });
});

const actor = { ...systemActor(new Set()), userId: 1, username: 'admin', unitPath: '/1/', requestId: 'r', ip: '10.0.0.1' };

const write = (database: Database, i: number) =>
  audit(database.db, actor, { action: 'update', entity: 'org_unit', entityId: i, unitPath: '/1/2/', before: { name: `u${i}` }, after: { name: `v${i}` } });

/** A fresh database with `n` entries written by the audit writer and sealed. */
async function chainOf(n: number): Promise<{ deps: Deps; drop: () => Promise<void> }> {
  const { database, drop } = await freshTestDatabase();
  const deps = makeDeps(loadConfig({}, { DATA_DIR: '' }), database);
  for (let i = 1; i <= n; i++) await write(database, i);
  await sealAuditEntries(database, deps.auditKeys);
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

describe('an audit chain sealed after commit', () => {
  let deps: Deps;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ deps, drop } = await chainOf(3));
    await deps.database.db.execute(sql`CREATE TABLE audit_as_written AS SELECT * FROM audit_log`);
  }, 60_000);
  afterAll(() => drop());
  // each case starts from the three entries sealed
  afterEach(async () => {
    await asOwner(deps.database, sql`DELETE FROM audit_log`);
    await asOwner(deps.database, sql`INSERT INTO audit_log OVERRIDING SYSTEM VALUE SELECT * FROM audit_as_written`);
  });
  const unsealedIds = async () => (await deps.database.rows<{ id: number }>(sql`SELECT id FROM audit_log WHERE seq IS NULL ORDER BY id`)).map((r) => Number(r.id));

  it('seals the committed entries in a contiguous chain after the head, in batches, and they verify', async () => {
    const head = (await verifyChain(deps.database, deps.auditKeys)).head;
    await Promise.all(Array.from({ length: 7 }, (_, i) => write(deps.database, 100 + i)));
    const ids = await unsealedIds();
    expect(ids).toHaveLength(7);
    expect(await verifyChain(deps.database, deps.auditKeys)).toMatchObject({ ok: true, head, unsealed: 7 });
    // three rounds of at most 3
    expect(await sealAuditEntries(deps.database, deps.auditKeys, 3)).toBe(7);
    const sealed = await deps.database.rows<{ id: number; seq: number }>(sql`SELECT id, seq FROM audit_log WHERE id = ANY(${`{${ids.join(',')}}`}::bigint[]) ORDER BY seq`);
    expect(sealed.map((r) => Number(r.seq))).toEqual(ids.map((_, i) => head.seq + 1 + i));
    // in one round's order: the ids'
    expect(sealed.map((r) => Number(r.id))).toEqual(ids);
    expect(await verifyChain(deps.database, deps.auditKeys)).toMatchObject({ ok: true, checked: head.seq + 7, head: { seq: head.seq + 7 }, unsealed: 0 });
    expect(await sealAuditEntries(deps.database, deps.auditKeys)).toBe(0);
  });

  it('seals within a moment of the commit while the server runs its sealer, and stops with it', async () => {
    const errors: unknown[] = [];
    const log = { error: (o: unknown) => errors.push(o), warn: (o: unknown) => errors.push(o) };
    const sealer = startAuditSealer(deps.database, deps.auditKeys, log, 50);
    try {
      await write(deps.database, 500);
      await expect.poll(unsealedIds, { timeout: 5000, interval: 50 }).toEqual([]);
    } finally {
      await sealer.stop();
    }
    await write(deps.database, 501);
    await new Promise((r) => setTimeout(r, 200));
    expect(await unsealedIds()).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('detects a change to an entry not sealed yet, by its MAC, and once sealed, at its place', async () => {
    await write(deps.database, 200);
    const [id] = await unsealedIds();
    await asOwner(deps.database, sql`UPDATE audit_log SET after = '{"name":"forged"}' WHERE id = ${id}`);
    const before = await verifyChain(deps.database, deps.auditKeys);
    expect(before).toMatchObject({ ok: false, brokenAt: null, brokenEntryId: id, problem: 'entry_changed' });
    await sealAuditEntries(deps.database, deps.auditKeys);
    expect(await verifyChain(deps.database, deps.auditKeys)).toMatchObject({ ok: false, brokenAt: before.head.seq + 1, brokenEntryId: null, problem: 'entry_changed' });
  });

  it('leaves an entry signed by a key it does not hold to a sealer that holds it', async () => {
    const forger = new AuditKeyring('cd'.repeat(32));
    await write(deps.database, 300);
    await write(deps.database, 301);
    const [first, second] = await unsealedIds();
    await asOwner(deps.database, sql`UPDATE audit_log SET key_id = ${forger.current.id} WHERE id = ${second}`);
    expect(await verifyChain(deps.database, deps.auditKeys)).toMatchObject({ ok: false, brokenEntryId: second, problem: 'unknown_key' });
    await expect(sealAuditEntries(deps.database, deps.auditKeys)).rejects.toBeInstanceOf(UnsealableEntry);
    expect(await unsealedIds()).toEqual([second]);
    const [sealedFirst] = await deps.database.rows<{ seq: number | null }>(sql`SELECT seq FROM audit_log WHERE id = ${first}`);
    expect(sealedFirst!.seq).not.toBeNull();
    // an instance holding that key seals it
    await expect(sealAuditEntries(deps.database, new AuditKeyring('cd'.repeat(32), [deps.config.AUDIT_HMAC_KEY]))).resolves.toBe(1);
    expect(await unsealedIds()).toEqual([]);
  });

  it.skipIf(testDbKind !== 'postgres')('does not make one audited transaction wait for another (PostgreSQL: two connections)', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let written!: () => void;
    const inside = new Promise<void>((r) => (written = r));
    // one transaction writes its entry and stays open
    const open = deps.database.db.transaction(async (tx) => {
      await audit(tx, actor, { action: 'update', entity: 'org_unit', entityId: 400 });
      written();
      await held;
    });
    await inside;
    // another audited write commits meanwhile, and the sealer seals it, not waiting for the open one
    const timeout = new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 5000));
    expect(await Promise.race([write(deps.database, 401).then(() => 'committed'), timeout])).toBe('committed');
    expect(await Promise.race([sealAuditEntries(deps.database, deps.auditKeys), timeout])).toBeGreaterThanOrEqual(1);
    // a second sealer finds the chain lock held and leaves the work to the one holding it
    await write(deps.database, 402);
    await deps.database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${sql.raw(String(CHAIN_LOCK))}::bigint)`);
      expect(await sealAuditEntries(deps.database, deps.auditKeys)).toBe(0);
    });
    expect(await sealAuditEntries(deps.database, deps.auditKeys)).toBe(1);
    release();
    await open;
    // the entry committed last is sealed after the others, whatever its id
    expect(await sealAuditEntries(deps.database, deps.auditKeys)).toBe(1);
    const [last] = await deps.database.rows<{ entity_id: string }>(sql`SELECT entity_id FROM audit_log ORDER BY seq DESC NULLS FIRST LIMIT 1`);
    expect(last!.entity_id).toBe('400');
  });
});

describe('a chain of v1 entries (signed under the chain lock) continued by sealed ones', () => {
  it('verifies across the change of format', async () => {
    const { database, drop } = await freshTestDatabase();
    try {
      const deps = makeDeps(loadConfig({}, { DATA_DIR: '' }), database);
      const key = deps.auditKeys.current;
      // three entries as the writer of migrations 0020 to 0035 wrote them
      let prevHash: string | null = null;
      for (let seq = 1; seq <= 3; seq++) {
        const atMs = Date.UTC(2026, 0, seq);
        const e = {
          seq,
          atUs: atMs * 1000,
          actorId: 1,
          actorUsername: 'admin',
          actorUnitPath: '/1/',
          action: 'update',
          entity: 'org_unit',
          entityId: String(seq),
          unitPath: '/1/2/',
          before: { name: `u${seq}` },
          after: { name: `v${seq}` },
          diff: { name: [`u${seq}`, `v${seq}`] },
          requestId: 'r',
          ip: '10.0.0.1',
          prevHash,
          keyId: key.id,
        };
        const hash = key.signEntry(entryMessage(e));
        await asOwner(
          database,
          sql`INSERT INTO audit_log (seq, at, actor_id, actor_username, actor_unit_path, action, entity, entity_id, unit_path, before, after, diff, request_id, ip, prev_hash, hash, key_id)
              VALUES (${seq}, ${new Date(atMs)}, 1, 'admin', '/1/', 'update', 'org_unit', ${String(seq)}, '/1/2/', ${JSON.stringify(e.before)}::jsonb,
                      ${JSON.stringify(e.after)}::jsonb, ${JSON.stringify(e.diff)}::jsonb, 'r', '10.0.0.1', ${prevHash}, ${hash}, ${key.id})`,
        );
        prevHash = hash;
      }
      expect(await verifyChain(database, deps.auditKeys)).toMatchObject({ ok: true, checked: 3 });
      for (let i = 4; i <= 6; i++) await write(database, i);
      expect(await sealAuditEntries(database, deps.auditKeys)).toBe(3);
      const [fourth] = await database.rows<{ prev_hash: string }>(sql`SELECT prev_hash FROM audit_log WHERE seq = 4`);
      expect(fourth!.prev_hash).toBe(prevHash);
      expect(await verifyChain(database, deps.auditKeys)).toMatchObject({ ok: true, checked: 6, head: { seq: 6 }, unsealed: 0 });
      // a v1 entry changed is still seen
      await asOwner(database, sql`UPDATE audit_log SET actor_username = 'mallory' WHERE seq = 2`);
      expect(await verifyChain(database, deps.auditKeys)).toMatchObject({ ok: false, brokenAt: 2, problem: 'entry_changed' });
    } finally {
      await drop();
    }
  }, 60_000);
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
