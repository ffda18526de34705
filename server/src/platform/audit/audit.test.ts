import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import { diffOf, verifyAuditChain } from './audit.js';

let sys: TestSystem;
let admin: Session;
beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
  // some history: writes from several sessions, some of them concurrent
  const units = (await admin.request({ method: 'GET', url: '/api/org/units?q=GD-MZ-0' })).json() as { id: number; version: number; name: string }[];
  await Promise.all(
    units.map((u) => admin.request({ method: 'PATCH', url: `/api/org/units/${u.id}`, payload: { version: u.version, nameEn: `u${u.id}` } })),
  );
  await Promise.all(['gd_head', 'gd_analyst', 'gz_am01'].map((n) => sys.login(n)));
});
afterAll(() => sys.close());

describe('the audit trail (日志管理)', () => {
  it('keeps an unbroken hash chain across concurrent writes', async () => {
    const report = await verifyAuditChain(sys.database);
    expect(report.checked).toBeGreaterThan(10);
    expect(report).toMatchObject({ ok: true, brokenAt: null });
    const api = await admin.request({ method: 'GET', url: '/api/audit/verify' });
    expect(api.json().ok).toBe(true);
  });

  it('refuses updates, deletes and truncation from the application', async () => {
    await expect(sys.database.db.execute(sql`UPDATE audit_log SET action = 'x' WHERE seq = 1`)).rejects.toThrow();
    await expect(sys.database.db.execute(sql`DELETE FROM audit_log WHERE seq = 1`)).rejects.toThrow();
    await expect(sys.database.db.execute(sql`TRUNCATE audit_log`)).rejects.toThrow();
  });

  it('detects a row changed behind the triggers’ back', async () => {
    await sys.database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(sql`UPDATE audit_log SET actor_username = 'mallory' WHERE seq = 3`);
    });
    expect(await verifyAuditChain(sys.database)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('detects a removed row', async () => {
    await sys.database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(sql`UPDATE audit_log SET actor_username = 'admin' WHERE seq = 3`);
    });
    // the original content hashes to the stored value again
    expect((await verifyAuditChain(sys.database)).ok).toBe(true);
    await sys.database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(sql`DELETE FROM audit_log WHERE seq IN (2, 3)`);
    });
    expect((await verifyAuditChain(sys.database)).brokenAt).toBe(4);
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
