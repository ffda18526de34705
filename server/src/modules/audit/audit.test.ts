import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshTestDatabase, startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import { systemActor } from '../../platform/auth/principal.js';
import { makeDeps, type Deps } from '../../platform/deps.js';
import { loadConfig } from '../../config.js';
import { AuditKeyring } from '../../platform/audit/keys.js';
import { RefusalAudit, type Refusal } from '../../platform/audit/refusals.js';
import { sealAuditEntries } from '../../platform/audit/sealer.js';
import { inSubtree } from '../../platform/auth/scope.js';

type Entry = { id: number; seq: number | null; action: string; entity: string; entityId: string | null; actorUsername: string | null; unitPath: string | null; ip: string | null; after: Record<string, unknown> | null };

let sys: TestSystem;
let admin: Session;
let gdAuditor: Session;
let gzAuditor: Session;
let gzPath: string;
let szCustomer: number;

const unitOf = async (code: string) =>
  ((await admin.request({ method: 'GET', url: `/api/org/units?q=${code}` })).json() as { id: number; code: string; path: string }[]).find((u) => u.code === code)!;
const trail = async (s: Session, query: string): Promise<Entry[]> => {
  const res = await s.request({ method: 'GET', url: `/api/audit?limit=500&${query}` });
  expect(res.statusCode).toBe(200);
  return res.json() as Entry[];
};
/** The newest entries of the whole trail, straight from the table (what an auditor at the root would see). */
const newest = async (n: number) =>
  sys.database.rows<{ action: string; entity: string; entity_id: string | null; actor_username: string | null; unit_path: string | null; ip: string | null; after: Record<string, unknown> }>(
    sql`SELECT action, entity, entity_id, actor_username, unit_path, ip, after FROM audit_log ORDER BY id DESC LIMIT ${n}`,
  );

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
  const gz = await unitOf('GD-GZ');
  gzPath = gz.path;
  const roles = (await admin.request({ method: 'GET', url: '/api/roles' })).json() as { id: number; code: string; version: number }[];
  // a city auditor: created by the administrator, then past the forced password change
  const created = await admin.request({
    method: 'POST',
    url: '/api/users',
    payload: { username: 'gz_auditor', displayName: '审计', unitId: gz.id, roleIds: [roles.find((r) => r.code === 'auditor')!.id], password: 'Harbour#Lantern42' },
  });
  expect(created.statusCode).toBe(201);
  const first = await sys.login('gz_auditor', 'Harbour#Lantern42');
  expect((await first.request({ method: 'POST', url: '/api/me/password', payload: { currentPassword: 'Harbour#Lantern42', newPassword: 'Audit#Lantern2026' } })).statusCode).toBe(204);
  gzAuditor = await sys.login('gz_auditor', 'Audit#Lantern2026');
  gdAuditor = await sys.login('gd_auditor');
  await sys.login('sz_head');
  // the administrator's own security actions: a built-in role renamed, a password reset in 深圳
  const builtin = roles.find((r) => r.code === 'analyst')!;
  expect((await admin.request({ method: 'PATCH', url: `/api/roles/${builtin.id}`, payload: { version: builtin.version, name: '数据分析员' } })).statusCode).toBe(200);
  const szUser = ((await admin.request({ method: 'GET', url: '/api/users?q=sz_am01' })).json() as { id: number; username: string }[]).find((u) => u.username === 'sz_am01')!;
  expect((await admin.request({ method: 'POST', url: `/api/users/${szUser.id}/password`, payload: { newPassword: 'Reset#Harbour2026' } })).statusCode).toBe(204);
  // and a change to a 深圳 key account's data (not a security event)
  const sz = await unitOf('GD-SZ');
  const [c] = await sys.database.rows<{ id: number; version: number }>(
    sql`SELECT c.id, c.version FROM customers c JOIN org_units o ON o.id = c.unit_id WHERE ${inSubtree(sql`o.path`, sz.path)} ORDER BY c.id LIMIT 1`,
  );
  szCustomer = c!.id;
  expect((await admin.request({ method: 'PATCH', url: `/api/customers/${c!.id}`, payload: { version: c!.version, itNeeds: '专线扩容' } })).statusCode).toBe(200);
}, 180_000);
afterAll(() => sys.close());

describe('the auditor sees the security events (三权分立)', () => {
  it('shows the province auditor every role change the administrator sees', async () => {
    const forAdmin = await trail(admin, 'entity=role');
    expect(forAdmin.length).toBeGreaterThan(0);
    expect((await trail(gdAuditor, 'entity=role')).map((e) => e.id)).toEqual(forAdmin.map((e) => e.id));
    expect((await trail(gzAuditor, 'entity=role')).map((e) => e.id)).toEqual(forAdmin.map((e) => e.id));
  });

  it('shows the administrator’s sign-ins and password resets to the auditors below them', async () => {
    for (const auditor of [gdAuditor, gzAuditor]) {
      expect((await trail(auditor, 'actor=admin&action=login')).length).toBeGreaterThan(0);
      expect(await trail(auditor, 'actor=admin&action=password_reset')).toHaveLength(1);
    }
  });

  it('shows a city’s own security events to its auditors and the province’s, not to another city’s', async () => {
    expect((await trail(gdAuditor, 'actor=sz_head&action=login')).length).toBeGreaterThan(0);
    expect(await trail(gzAuditor, 'actor=sz_head&action=login')).toEqual([]);
    expect((await trail(gzAuditor, 'actor=gz_auditor&action=password_change')).length).toBe(1);
  });

  it('keeps other entries in the data scope: a 深圳 customer’s change is not shown to 广州’s auditor', async () => {
    const query = `entity=customer&entityId=${szCustomer}&action=update`;
    expect(await trail(gdAuditor, query)).toHaveLength(1);
    expect(await trail(gzAuditor, query)).toEqual([]);
  });
});

describe('entries written before personal data was masked', () => {
  it('are masked on their way out to the auditor, and stay as written in the table', async () => {
    // an entry as the writer of before the fix left it: a visit's updates in clear, at the chain's end
    await sealAuditEntries(sys.database, new AuditKeyring(sys.config.AUDIT_HMAC_KEY));
    await sys.database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(sql`
        INSERT INTO audit_log (seq, action, entity, entity_id, unit_path, after, hash)
        SELECT max(seq) + 1, 'create', 'visit', '999', ${gzPath}, ${JSON.stringify({ summary: '新号码 13800138000', updates: { idNumber: '440106198001011234', address: '广州市天河区体育西路191号' } })}::jsonb, 'pre-fix'
        FROM audit_log`);
    });
    const [shown] = await trail(gdAuditor, 'entity=visit&entityId=999');
    expect(shown!.after).toEqual({ summary: '新号码 138****8000', updates: { idNumber: '**************1234', address: '广州市天****' } });
    const [stored] = await sys.database.rows<{ after: unknown }>(sql`SELECT after FROM audit_log WHERE entity = 'visit' AND entity_id = '999'`);
    expect(JSON.stringify(stored!.after)).toContain('440106198001011234');
  });
});

describe('refused accesses are audited (安全审计)', () => {
  it('records a record out of scope, answered as missing, with who, what and from where', async () => {
    const gzManager = await sys.login('gz_am01');
    const res = await gzManager.request({ method: 'GET', url: `/api/customers/${szCustomer}`, remoteAddress: '10.1.2.3' });
    expect(res.statusCode).toBe(404);
    const [entry] = await newest(1);
    expect(entry).toMatchObject({ action: 'refused', entity: 'access', entity_id: String(szCustomer), actor_username: 'gz_am01', unit_path: gzPath, ip: '10.1.2.3' });
    expect(entry!.after).toMatchObject({ reason: 'out_of_scope', entity: 'customer', method: 'GET', route: '/api/customers/:id' });
    // and the city's auditor sees it
    expect((await trail(gzAuditor, 'action=refused&actor=gz_am01')).length).toBeGreaterThan(0);
  });

  it('records a missing permission, a missing CSRF token and a refusal by a service', async () => {
    const analyst = await sys.login('gd_analyst');
    expect((await analyst.request({ method: 'POST', url: '/api/users', payload: {} })).statusCode).toBe(403);
    expect((await newest(1))[0]).toMatchObject({ action: 'refused', actor_username: 'gd_analyst', after: { reason: 'forbidden', permission: 'users.manage', route: '/api/users' } });

    const res = await admin.request({ method: 'POST', url: '/api/auth/logout', headers: { 'x-csrf-token': 'wrong' } });
    expect(res.statusCode).toBe(403);
    expect((await newest(1))[0]).toMatchObject({ action: 'refused', actor_username: 'admin', after: { reason: 'csrf_failed' } });

    const hq = await unitOf('HQ');
    const own = await admin.request({ method: 'DELETE', url: `/api/org/units/${hq.id}` });
    expect(own.statusCode).toBe(403);
    expect((await newest(1))[0]).toMatchObject({ action: 'refused', entity_id: String(hq.id), after: { reason: own.json().code, route: '/api/org/units/:id' } });
  });

  it('records a stale session cookie by its address, and a request without any cookie not at all', async () => {
    const before = (await newest(1))[0];
    expect((await sys.app.inject({ method: 'GET', url: '/api/me', remoteAddress: '10.9.9.9' })).statusCode).toBe(401);
    expect((await newest(1))[0]).toEqual(before);
    const stale = await sys.app.inject({ method: 'GET', url: '/api/customers', headers: { cookie: 'kam_sid=expired-or-forged' }, remoteAddress: '10.9.9.9' });
    expect(stale.statusCode).toBe(401);
    const [entry] = await newest(1);
    expect(entry).toMatchObject({ action: 'refused', actor_username: null, unit_path: null, ip: '10.9.9.9', after: { reason: 'unauthenticated', route: '/api/customers' } });
  });
});

describe('refusals cannot flood the trail', () => {
  let deps: Deps;
  let drop: () => Promise<void>;
  let clock = Date.UTC(2026, 9, 1, 8, 0, 10);
  beforeAll(async () => {
    const fresh = await freshTestDatabase();
    drop = fresh.drop;
    deps = makeDeps(loadConfig({}, { DATA_DIR: '', AUDIT_REFUSALS_PER_MINUTE: 3 }), fresh.database);
  }, 60_000);
  afterAll(() => drop());

  const refusal: Refusal = { reason: 'forbidden', method: 'POST', route: '/api/users', params: {}, permission: 'users.manage' };
  const mallory = { ...systemActor(new Set()), userId: 7, username: 'mallory', unitPath: '/1/2/5/', ip: '10.0.0.7' };
  const anonymous = { ...systemActor(new Set()), userId: null, username: null, unitPath: '', ip: '10.0.0.8' };
  const entries = () => deps.database.rows<{ actor_username: string | null; after: Record<string, unknown> }>(sql`SELECT actor_username, after FROM audit_log ORDER BY id`);

  it('writes the first refusals of a minute in full, then one entry with the count of the rest', async () => {
    const refusals = new RefusalAudit(deps, () => clock);
    for (let i = 0; i < 10; i++) await refusals.record(mallory, refusal);
    for (let i = 0; i < 4; i++) await refusals.record(anonymous, { ...refusal, reason: 'unauthenticated' });
    expect(await entries()).toHaveLength(6);
    clock += 60_000;
    await refusals.record(mallory, refusal);
    // the ended minute's summary, then the new minute's first refusal
    const rows = await entries();
    expect(rows.slice(6).map((r) => r.after)).toEqual([
      { reason: 'suppressed', count: 7, reasons: { forbidden: 7 }, from: '2026-10-01T08:00:00.000Z', to: '2026-10-01T08:01:00.000Z' },
      { ...refusal, params: {} },
    ]);
    await refusals.flush();
    expect(await entries()).toHaveLength(9);
    expect((await entries())[8]).toMatchObject({ actor_username: null, after: { reason: 'suppressed', count: 1 } });
    await refusals.flush(true);
    expect(await entries()).toHaveLength(9);
  });
});
