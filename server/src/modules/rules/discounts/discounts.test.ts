import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import type { Discount } from './schemas.js';
import { approverLevelFor, toFen } from './service.js';

let sys: TestSystem;
let admin: Session;
let gdHead: Session;
let gzHead: Session;
let szHead: Session;
let gzAm: Session;
/** A customer in gz_am01's portfolio. */
let customerId: number;

const ask = (s: Session, payload: Record<string, unknown>, id = customerId) => s.request({ method: 'POST', url: `/api/customers/${id}/discounts`, payload });
async function requested(s: Session, amount: string, reason = '集团客户续约挽留'): Promise<Discount> {
  const res = await ask(s, { amount, months: 12, reason });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const decide = (s: Session, d: Pick<Discount, 'id' | 'version'>, decision: 'approve' | 'reject', note?: string) =>
  s.request({ method: 'POST', url: `/api/discounts/${d.id}/decision`, payload: { version: d.version, decision, ...(note !== undefined && { note }) } });
const inbox = async (s: Session, status = 'pending') => {
  const res = await s.request({ method: 'GET', url: `/api/discounts?status=${status}&limit=1000` });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as Discount[]).map((d) => d.id);
};

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error' });
  admin = await sys.login('admin');
  [gdHead, gzHead, szHead, gzAm] = await Promise.all([sys.login('gd_head'), sys.login('gz_head'), sys.login('sz_head'), sys.login('gz_am01')]);
  const [mine] = await sys.database.rows<{ id: number }>(sql`
    SELECT c.id FROM customers c JOIN users u ON u.id = c.manager_id WHERE u.username = 'gz_am01' AND c.archive = 'in_network' ORDER BY c.id LIMIT 1`);
  customerId = Number(mine!.id);
}, 120_000);
afterAll(() => sys?.close());

describe('who approves (审批层级)', () => {
  it('a city head up to the threshold of the benefits rules (¥500 a month), the province above, counted in fen', () => {
    expect(approverLevelFor('500', 500)).toBe('city');
    expect(approverLevelFor('500.00', 500)).toBe('city');
    expect(approverLevelFor('500.01', 500)).toBe('province');
    expect(approverLevelFor('0.1', 0.1)).toBe('city');
    expect(toFen('12.3')).toBe(1230);
    expect(toFen(0.29)).toBe(29);
  });
});

describe('requesting a custom discount (优惠申请)', () => {
  it('an account manager asks for a customer of their portfolio; the amount decides the approver', async () => {
    const small = await requested(gzAm, '300');
    expect(small).toMatchObject({ customerId, amount: '300.00', months: 12, approverLevel: 'city', status: 'pending', requestedBy: 'gz_am01', version: 1 });
    expect((await requested(gzAm, '500.00')).approverLevel).toBe('city');
    expect((await requested(gzAm, '800.50')).approverLevel).toBe('province');
    const [logged] = await sys.database.rows(sql`SELECT action, after FROM audit_log WHERE entity = 'discount_request' AND entity_id = ${String(small.id)}`);
    expect(logged).toMatchObject({ action: 'create', after: { amount: '300', approverLevel: 'city' } });
  });

  it.each([
    [{ amount: '-5', months: 12, reason: '挽留' }, 'body.amount'],
    [{ amount: '0.00', months: 12, reason: '挽留' }, 'body.amount'],
    [{ amount: '1.234', months: 12, reason: '挽留' }, 'body.amount'],
    [{ amount: 300, months: 12, reason: '挽留' }, 'body.amount'],
    [{ amount: '300', months: 0, reason: '挽留' }, 'body.months'],
    [{ amount: '300', months: 12 }, 'body.reason'],
    [{ amount: '300', months: 12, reason: '挽留', approverLevel: 'city' }, 'body.approverLevel'],
  ])('refuses %j with 400 naming %s', async (payload, field) => {
    const res = await ask(gzAm, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('only for customers the requester may see, and only with discounts.request', async () => {
    const [sz] = await sys.database.rows<{ id: number }>(sql`
      SELECT c.id FROM customers c JOIN org_units u ON u.id = c.unit_id WHERE u.path LIKE (SELECT path || '%' FROM org_units WHERE code = 'GD-SZ') LIMIT 1`);
    expect((await ask(gzAm, { amount: '100', months: 3, reason: '挽留' }, Number(sz!.id))).statusCode).toBe(404);
    const analyst = await sys.login('gd_analyst');
    expect((await ask(analyst, { amount: '100', months: 3, reason: '挽留' })).statusCode).toBe(403);
  });

  it('the customer page lists its requests, newest first', async () => {
    const res = await gzAm.request({ method: 'GET', url: `/api/customers/${customerId}/discounts` });
    expect(res.statusCode).toBe(200);
    const list = res.json() as Discount[];
    expect(list.length).toBeGreaterThanOrEqual(3);
    expect(Number(res.headers['x-total-count'])).toBe(list.length);
    expect(list[0]!.createdAt >= list[list.length - 1]!.createdAt).toBe(true);
  });
});

describe('the approvals inbox (审批待办)', () => {
  it('a city head sees the city-level requests of their city; the province head sees every level; another city sees none', async () => {
    const city = await requested(gzAm, '200');
    const province = await requested(gzAm, '2000');
    const gz = await inbox(gzHead);
    expect(gz).toContain(city.id);
    expect(gz).not.toContain(province.id);
    expect(await inbox(gdHead)).toEqual(expect.arrayContaining([city.id, province.id]));
    expect(await inbox(admin)).toEqual(expect.arrayContaining([city.id, province.id]));
    const sz = await inbox(szHead);
    expect(sz).not.toContain(city.id);
    expect(sz).not.toContain(province.id);
  });

  it('is not for account managers (403)', async () => {
    expect((await gzAm.request({ method: 'GET', url: '/api/discounts' })).statusCode).toBe(403);
  });
});

describe('deciding (审批)', () => {
  it('the city head approves a city-level request; it leaves the inbox and cannot be decided again', async () => {
    const d = await requested(gzAm, '450');
    const res = await decide(gzHead, d, 'approve', '同意，按集团续约政策执行');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'approved', decidedBy: 'gz_head', decisionNote: '同意，按集团续约政策执行', version: 2 });
    expect(await inbox(gzHead)).not.toContain(d.id);
    expect(await inbox(gzHead, 'approved')).toContain(d.id);
    const again = await decide(gdHead, { id: d.id, version: 2 }, 'reject', '撤销');
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('decision_already_made');
    const [logged] = await sys.database.rows(sql`SELECT action, before, after FROM audit_log WHERE entity = 'discount_request' AND entity_id = ${String(d.id)} AND action = 'update'`);
    expect(logged).toMatchObject({ before: { status: 'pending' }, after: { status: 'approved' } });
  });

  it('a city head may not decide a province-level request (409 discount_wrong_approver); the province head may', async () => {
    const d = await requested(gzAm, '1200');
    const res = await decide(gzHead, d, 'approve');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'discount_wrong_approver', title: '该优惠金额需由省公司主管审批' });
    const en = await gzHead.request({ method: 'POST', url: `/api/discounts/${d.id}/decision`, headers: { 'accept-language': 'en' }, payload: { version: 1, decision: 'approve' } });
    expect(en.json().title).toBe('A discount of this amount needs a province head’s approval');
    expect((await decide(gdHead, d, 'approve')).json().status).toBe('approved');
  });

  it('nobody decides their own request (409 discount_self_approval)', async () => {
    const d = await requested(gzHead, '100');
    const res = await decide(gzHead, d, 'approve');
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('discount_self_approval');
    expect((await decide(gdHead, d, 'approve')).statusCode).toBe(200);
  });

  it('a decision at a stale version is 409 version_conflict', async () => {
    const d = await requested(gzAm, '120');
    const res = await decide(gzHead, { id: d.id, version: d.version + 1 }, 'approve');
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('version_conflict');
  });

  it('a rejection needs a reason (400 naming body.note) and keeps it', async () => {
    const d = await requested(gzAm, '99.90');
    const bare = await decide(gzHead, d, 'reject');
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors[0].field).toBe('body.note');
    expect((await decide(gzHead, d, 'reject', '  ')).statusCode).toBe(400);
    const res = await decide(gzHead, d, 'reject', '客户近三月欠费，暂不予优惠');
    expect(res.json()).toMatchObject({ status: 'rejected', decisionNote: '客户近三月欠费，暂不予优惠' });
  });

  it('another city’s head gets 404, as for an unknown request; an account manager lacks the permission (403)', async () => {
    const d = await requested(gzAm, '80');
    const unknown = await decide(gzHead, { id: 987654, version: 1 }, 'approve');
    const outside = await decide(szHead, d, 'approve');
    expect([outside.statusCode, outside.json().title]).toEqual([404, unknown.json().title]);
    expect((await decide(gzAm, d, 'approve')).statusCode).toBe(403);
  });
});

describe('withdrawing a request (撤回)', () => {
  const withdraw = (s: Session, d: Pick<Discount, 'id' | 'version'>) =>
    s.request({ method: 'POST', url: `/api/discounts/${d.id}/withdrawal`, payload: { version: d.version } });

  it('the requester withdraws a pending request: it leaves the inbox, cannot be decided, and is audited', async () => {
    const d = await requested(gzAm, '150');
    expect(await inbox(gzHead)).toContain(d.id);
    const res = await withdraw(gzAm, d);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: d.id, status: 'withdrawn', version: d.version + 1 });
    expect(await inbox(gzHead)).not.toContain(d.id);
    expect((await decide(gzHead, res.json(), 'approve')).json().code).toBe('decision_already_made');
    const [audited] = await sys.database.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'discount_request' AND entity_id = ${String(d.id)} AND after->>'status' = 'withdrawn'`,
    );
    expect(audited!.n).toBe(1);
  });

  it('only the requester (403), only while pending (409), only at the version read (409)', async () => {
    const d = await requested(gzAm, '160');
    expect((await withdraw(gzHead, d)).json()).toMatchObject({ status: 403, code: 'discount_not_requester' });
    expect((await withdraw(gzAm, { id: d.id, version: d.version + 1 })).json().code).toBe('version_conflict');
    const decided = (await decide(gzHead, d, 'approve')).json() as Discount;
    expect((await withdraw(gzAm, decided)).json().code).toBe('decision_already_made');
    expect((await withdraw(gzAm, { id: 987654, version: 1 })).statusCode).toBe(404);
    expect((await withdraw(gzAm, { id: d.id, version: 0 })).statusCode).toBe(400);
  });
});
