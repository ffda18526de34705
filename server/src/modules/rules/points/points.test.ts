import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { systemActor } from '../../../platform/auth/principal.js';
import { ALL_PERMISSIONS } from '../../../platform/auth/permissions.js';
import { makeDeps } from '../../../platform/deps.js';
import type { CatalogueItem, LedgerEntry, PointsAccount } from './schemas.js';
import { awardPromotional, pointsValue } from './service.js';

let sys: TestSystem;
let admin: Session;
let gzHead: Session;
let gzAm: Session;
let gzAgent: Session;
/** A customer in gz_am01's portfolio who earned points in the October run. */
let customerId: number;
/** A customer of 深圳, outside everything 广州 staff may see. */
let shenzhenCustomerId: number;

const account = async (s: Session, id = customerId) => (await s.request({ method: 'GET', url: `/api/customers/${id}/points` })).json() as PointsAccount;
const redeem = (s: Session, itemId: number, quantity = 1, id = customerId) =>
  s.request({ method: 'POST', url: `/api/customers/${id}/points/redeem`, payload: { itemId, quantity } });
const adjust = (s: Session, payload: Record<string, unknown>, id = customerId) => s.request({ method: 'POST', url: `/api/customers/${id}/points/adjust`, payload });
async function newItem(code: string, points: number): Promise<CatalogueItem> {
  const res = await admin.request({ method: 'POST', url: '/api/points/catalogue', payload: { code, name: `测试兑换 ${code}`, points } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
/** Sets the balance to exactly `target` with one adjustment (as a head would, with a reason). */
async function setBalance(target: number) {
  const { balance } = await account(gzHead);
  if (balance === target) return;
  const res = await adjust(gzHead, { points: target - balance, reason: '测试：设定余额' });
  expect(res.statusCode, res.body).toBe(201);
}
async function ledgerSum(id = customerId) {
  const [row] = await sys.database.rows<{ n: number }>(sql`SELECT coalesce(sum(points), 0)::int AS n FROM points_ledger WHERE customer_id = ${id}`);
  return row!.n;
}
function expectConserved(a: PointsAccount) {
  expect(a.balance).toBeGreaterThanOrEqual(0);
  expect(a.balance).toBe(a.earned - a.redeemed - a.expired + a.adjusted);
}

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error' });
  admin = await sys.login('admin');
  [gzHead, gzAm, gzAgent] = await Promise.all([sys.login('gz_head'), sys.login('gz_am01'), sys.login('gz_agent')]);
  const run = await admin.request({ method: 'POST', url: '/api/rules/runs', payload: { month: '2026-10' } });
  expect(run.statusCode, run.body).toBe(201);
  const [mine] = await sys.database.rows<{ id: number }>(sql`
    SELECT c.id FROM customers c JOIN users u ON u.id = c.manager_id JOIN points_accounts a ON a.customer_id = c.id
    WHERE u.username = 'gz_am01' AND a.balance > 0 ORDER BY a.balance DESC, c.id LIMIT 1`);
  const [sz] = await sys.database.rows<{ id: number }>(sql`
    SELECT c.id FROM customers c JOIN org_units u ON u.id = c.unit_id WHERE u.path LIKE (SELECT path || '%' FROM org_units WHERE code = 'GD-SZ') LIMIT 1`);
  customerId = Number(mine!.id);
  shenzhenCustomerId = Number(sz!.id);
}, 120_000);
afterAll(() => sys?.close());

describe('the points account (积分账户)', () => {
  it('shows the balance the October run credited, its totals and its value at 100 points = ¥1', async () => {
    const a = await account(gzAm);
    expect(a.balance).toBeGreaterThan(0);
    expect(a.earned).toBeGreaterThanOrEqual(a.balance);
    expectConserved(a);
    expect(a.valueYuan).toBe(pointsValue(a.balance, 1));
    expect(pointsValue(1234, 1)).toBe('12.34');
    expect(pointsValue(5, 2.5)).toBe('0.13');
  });

  it('lists the ledger newest first with its totals in headers, and it adds up to the balance', async () => {
    const res = await gzAm.request({ method: 'GET', url: `/api/customers/${customerId}/points/ledger?limit=50` });
    expect(res.statusCode).toBe(200);
    const entries = res.json() as LedgerEntry[];
    expect(Number(res.headers['x-total-count'])).toBe(entries.length);
    expect(entries.some((e) => e.kind === 'earn' && e.month === '2026-10')).toBe(true);
    expect(await ledgerSum()).toBe((await account(gzAm)).balance);
  });

  it('keeps other cities’ customers and other managers’ portfolios out of reach (404, as customers that do not exist)', async () => {
    expect((await gzHead.request({ method: 'GET', url: `/api/customers/${shenzhenCustomerId}/points` })).statusCode).toBe(404);
    expect((await redeem(gzAm, 1, 1, shenzhenCustomerId)).statusCode).toBe(404);
    expect((await gzHead.request({ method: 'GET', url: '/api/customers/987654/points' })).statusCode).toBe(404);
  });
});

describe('the redemption catalogue (积分兑换目录)', () => {
  it('starts with the default items: 话费充值 10 元 for 1000 points', async () => {
    const res = await gzAgent.request({ method: 'GET', url: '/api/points/catalogue' });
    expect(res.statusCode).toBe(200);
    const items = res.json() as CatalogueItem[];
    expect(items.find((i) => i.name === '话费充值 10 元')).toMatchObject({ points: 1000, active: true });
    expect(items.map((i) => i.name)).toEqual(expect.arrayContaining(['视频会员月卡', '流量包 5GB（当月有效）']));
  });

  it('is managed only with points.catalogue; codes are unique; edits carry the version read', async () => {
    expect((await gzHead.request({ method: 'POST', url: '/api/points/catalogue', payload: { code: 'x_head', name: 'x', points: 10 } })).statusCode).toBe(403);
    const item = await newItem('umbrella', 800);
    const dup = await admin.request({ method: 'POST', url: '/api/points/catalogue', payload: { code: 'umbrella', name: '另一把伞', points: 900 } });
    expect(dup.statusCode).toBe(409);
    const renamed = await admin.request({ method: 'PATCH', url: `/api/points/catalogue/${item.id}`, payload: { version: item.version, name: '晴雨伞', points: 850 } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: '晴雨伞', points: 850, version: item.version + 1 });
    const stale = await admin.request({ method: 'PATCH', url: `/api/points/catalogue/${item.id}`, payload: { version: item.version, points: 1 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('version_conflict');
    expect((await admin.request({ method: 'PATCH', url: '/api/points/catalogue/987654', payload: { version: 1 } })).statusCode).toBe(404);
  });

  it('withdraws an item instead of deleting it: it can no longer be redeemed', async () => {
    const item = await newItem('old_gift', 10);
    const off = await admin.request({ method: 'PATCH', url: `/api/points/catalogue/${item.id}`, payload: { version: item.version, active: false } });
    expect(off.json().active).toBe(false);
    const res = await redeem(gzAm, item.id);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('points_item_inactive');
    const offered = (await gzAgent.request({ method: 'GET', url: '/api/points/catalogue?active=true' })).json() as CatalogueItem[];
    expect(offered.map((i) => i.id)).not.toContain(item.id);
  });
});

describe('redeeming points (积分兑换)', () => {
  it('takes the points, writes a redeem entry and says what is left', async () => {
    await setBalance(5000);
    const item = await newItem('credit_test', 1000);
    const res = await redeem(gzAm, item.id, 2);
    expect(res.statusCode, res.body).toBe(201);
    const { account: a, entry } = res.json() as { account: PointsAccount; entry: LedgerEntry };
    expect(a.balance).toBe(3000);
    expectConserved(a);
    expect(entry).toMatchObject({ kind: 'redeem', points: -2000, quantity: 2, catalogueItemId: item.id, actor: 'gz_am01' });
    const [logged] = await sys.database.rows(sql`SELECT action, entity FROM audit_log WHERE entity = 'points_redemption' AND entity_id = ${String(entry.id)}`);
    expect(logged).toMatchObject({ action: 'create' });
  });

  it('refuses what the balance does not cover with 409, the balance and the points needed', async () => {
    await setBalance(500);
    const item = await newItem('too_dear', 600);
    const res = await redeem(gzAm, item.id);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'points_insufficient', title: '积分余额不足（余额 500，需要 600）' });
    expect((await account(gzAm)).balance).toBe(500);
  });

  it('names an unknown item in the body', async () => {
    const res = await redeem(gzAm, 987654);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.itemId');
  });

  it.each([
    [1600, 1],
    [700, 4],
  ])('10 concurrent redemptions of %i points from 3000: exactly %i succeed, the balance never goes negative', async (price, affordable) => {
    await setBalance(3000);
    const item = await newItem(`rush_${price}`, price);
    const results = await Promise.all(Array.from({ length: 10 }, () => redeem(gzAm, item.id)));
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(affordable);
    expect(codes.filter((c) => c === 409)).toHaveLength(10 - affordable);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().code).toBe('points_insufficient');
    const a = await account(gzAm);
    expect(a.balance).toBe(3000 - affordable * price);
    expectConserved(a);
    expect(await ledgerSum()).toBe(a.balance);
  });
});

describe('adjusting points (积分调整)', () => {
  it('needs a reason of 2 to 200 characters and a non-zero number of points (400 naming the field)', async () => {
    const noReason = await adjust(gzHead, { points: 100 });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors.map((e: { field: string }) => e.field)).toContain('body.reason');
    expect((await adjust(gzHead, { points: 100, reason: ' x ' })).json().errors[0].field).toBe('body.reason');
    expect((await adjust(gzHead, { points: 100, reason: '长'.repeat(201) })).statusCode).toBe(400);
    const zero = await adjust(gzHead, { points: 0, reason: '不变' });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().errors[0].field).toBe('body.points');
    expect((await adjust(gzHead, { points: 1.5, reason: '半分' })).json().errors[0].field).toBe('body.points');
  });

  it('needs points.adjust: an account manager gets 403', async () => {
    const res = await adjust(gzAm, { points: 100, reason: '客户投诉补偿' });
    expect(res.statusCode).toBe(403);
  });

  it('credits and debits with the reason in the ledger and the audit trail, never below zero', async () => {
    await setBalance(300);
    const credit = await adjust(gzHead, { points: 200, reason: '客户投诉补偿' });
    expect(credit.statusCode).toBe(201);
    expect(credit.json().entry).toMatchObject({ kind: 'adjust', points: 200, reason: '客户投诉补偿', actor: 'gz_head' });
    const tooMuch = await adjust(gzHead, { points: -501, reason: '误发积分冲正' });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().code).toBe('points_insufficient');
    const debit = await adjust(gzHead, { points: -500, reason: '误发积分冲正' });
    expect(debit.json().account.balance).toBe(0);
    const [logged] = await sys.database.rows(sql`SELECT after FROM audit_log WHERE entity = 'points_adjustment' ORDER BY id DESC LIMIT 1`);
    expect(logged).toMatchObject({ after: { points: -500, reason: '误发积分冲正' } });
  });

  it('a customer without an account can be credited but not debited', async () => {
    const [none] = await sys.database.rows<{ id: number }>(sql`
      SELECT c.id FROM customers c JOIN org_units u ON u.id = c.unit_id
      WHERE u.path LIKE (SELECT path || '%' FROM org_units WHERE code = 'GD-GZ')
        AND NOT EXISTS (SELECT 1 FROM points_accounts a WHERE a.customer_id = c.id) LIMIT 1`);
    const id = Number(none!.id);
    expect((await account(gzHead, id)).balance).toBe(0);
    const debit = await adjust(gzHead, { points: -1, reason: '冲正' }, id);
    expect(debit.statusCode).toBe(409);
    expect(debit.json().title).toBe('积分余额不足（余额 0，需要 1）');
    expect((await adjust(gzHead, { points: 50, reason: '开户礼' }, id)).json().account).toMatchObject({ balance: 50, adjusted: 50 });
  });
});

describe('promotional points (赠送积分)', () => {
  it('credits a campaign’s points as earned, with the occasion in the ledger; only with points.adjust', async () => {
    const before = await account(gzHead);
    const res = await gzHead.request({ method: 'POST', url: `/api/customers/${customerId}/points/promo`, payload: { points: 300, reason: '双十一营销活动' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().entry).toMatchObject({ kind: 'promo', points: 300, reason: '双十一营销活动' });
    const after = await account(gzHead);
    expect([after.balance - before.balance, after.earned - before.earned]).toEqual([300, 300]);
    const refused = await gzAm.request({ method: 'POST', url: `/api/customers/${customerId}/points/promo`, payload: { points: 300, reason: '双十一营销活动' } });
    expect(refused.statusCode).toBe(403);
    const zero = await gzHead.request({ method: 'POST', url: `/api/customers/${customerId}/points/promo`, payload: { points: 0, reason: '无' } });
    expect(zero.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['body.points']));
  });
});

describe('conservation (property)', () => {
  type Op = { kind: 'earn'; points: number } | { kind: 'redeem'; item: number; quantity: number } | { kind: 'adjust'; points: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('earn' as const), points: fc.integer({ min: 1, max: 5000 }) }),
    fc.record({ kind: fc.constant('redeem' as const), item: fc.integer({ min: 0, max: 2 }), quantity: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant('adjust' as const), points: fc.integer({ min: -4000, max: 4000 }).filter((n) => n !== 0) }),
  );

  it('after any sequence of earn / redeem / adjust: balance = earned − redeemed − expired + adjusted = the ledger sum, never negative', async () => {
    const items = [await newItem('prop_a', 300), await newItem('prop_b', 1000), await newItem('prop_c', 2500)];
    const deps = makeDeps(sys.config, sys.database);
    const campaign = systemActor(new Set(ALL_PERMISSIONS));
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        let expected = (await account(gzHead)).balance;
        for (const o of ops) {
          if (o.kind === 'earn') {
            await awardPromotional(deps, campaign, customerId, { points: o.points, reason: '营销活动赠送' });
            expected += o.points;
          } else if (o.kind === 'redeem') {
            const cost = items[o.item]!.points * o.quantity;
            const res = await redeem(gzAm, items[o.item]!.id, o.quantity);
            expect(res.statusCode).toBe(cost <= expected ? 201 : 409);
            if (cost <= expected) expected -= cost;
          } else {
            const res = await adjust(gzHead, { points: o.points, reason: '属性测试' });
            const ok = expected + o.points >= 0;
            expect(res.statusCode).toBe(ok ? 201 : 409);
            if (ok) expected += o.points;
          }
        }
        const a = await account(gzHead);
        expect(a.balance).toBe(expected);
        expectConserved(a);
        expect(await ledgerSum()).toBe(a.balance);
      }),
      { numRuns: 25 },
    );
  });
});
