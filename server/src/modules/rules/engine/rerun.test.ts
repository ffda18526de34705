/**
 * 重算: a rerun of the month in force after some of its facts changed moves only what changed in the
 * points, and must end exactly where a run from scratch ends; it refuses to take back points that
 * were spent, and gives back nothing twice.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { makeDeps } from '../../../platform/deps.js';
import { previewMonth } from './service.js';

let sys: TestSystem;
let admin: Session;
beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
}, 120_000);
afterAll(() => sys?.close());

const run = async (month: string, status = 201) => {
  const res = await admin.request({ method: 'POST', url: '/api/rules/runs', payload: { month } });
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as { id: number; code?: string };
};
const rollback = async (id: number) => {
  const res = await admin.request({ method: 'POST', url: `/api/rules/runs/${id}/rollback` });
  expect(res.statusCode, res.body).toBe(200);
};
/** Everything a run writes for October, in a comparable form. */
async function october() {
  const q = (query: ReturnType<typeof sql>) => sys.database.rows(query);
  return {
    ratings: await q(sql`SELECT customer_id, level, credit_grade, points_earned, points_promo, points_expired
                         FROM customer_ratings WHERE month = '2026-10-01' ORDER BY customer_id`),
    accounts: await q(sql`SELECT customer_id, balance, earned, redeemed, expired, adjusted FROM points_accounts ORDER BY customer_id`),
    ledger: await q(sql`SELECT customer_id, kind, points FROM points_ledger WHERE month = '2026-10-01' AND run_id IS NOT NULL
                        ORDER BY customer_id, kind`),
  };
}
/** Customers who earned points in October, by id. */
const earners = (n: number) =>
  sys.database.rows<{ id: number; earned: number }>(
    sql`SELECT customer_id::int AS id, points_earned AS earned FROM customer_ratings
        WHERE month = '2026-10-01' AND points_earned > 0 AND kind = 'individual' ORDER BY customer_id LIMIT ${n}`,
  );
const setOctoberPaid = (customerId: number, factor: number) =>
  sys.database.rows(sql`UPDATE monthly_facts SET paid = round(paid * ${factor}, 2) WHERE month = '2026-10-01' AND customer_id = ${customerId}`);

it('previews the next month (moved from the last) the same whole or in shares', async () => {
  await run('2026-09');
  const deps = makeDeps(sys.config, sys.database);
  const { computeMs: _w, sample: wholeSample, ...whole } = await previewMonth(deps, '2026-10', {}, undefined, 1);
  const { computeMs: _s, sample: sharedSample, ...shared } = await previewMonth(deps, '2026-10', {}, undefined, 2);
  expect(whole.comparedWith).toBe('2026-09');
  expect(shared).toEqual(whole);
  expect(sharedSample.length).toBe(wholeSample.length);
});

it('ends with the ratings, balances and ledger of a run from scratch after some October bills changed', async () => {
  await run('2026-10');
  const [up, down, gone] = await earners(3);
  await setOctoberPaid(up!.id, 3);
  await setOctoberPaid(down!.id, 0.5);
  await setOctoberPaid(gone!.id, 0);

  const rerun = await run('2026-10');
  const reconciled = await october();
  const earnedBy = (id: number) => reconciled.ratings.find((r) => Number(r.customer_id) === id)!.points_earned;
  expect(earnedBy(up!.id)).toBeGreaterThan(up!.earned);
  expect(earnedBy(down!.id)).toBeLessThan(down!.earned);
  expect(earnedBy(gone!.id)).toBe(0);
  expect(reconciled.ledger.some((e) => Number(e.customer_id) === gone!.id && e.kind === 'earn')).toBe(false);

  await rollback(rerun.id);
  await run('2026-10'); // nothing of October left: a run from scratch
  expect(await october()).toEqual(reconciled);
});

it('refuses to take back points that were spent, and reruns the same results although points were spent', async () => {
  const [spender] = await earners(1);
  const [account] = await sys.database.rows<{ balance: number }>(sql`SELECT balance FROM points_accounts WHERE customer_id = ${spender!.id}`);
  const adjusted = await admin.request({
    method: 'POST',
    url: `/api/customers/${spender!.id}/points/adjust`,
    payload: { points: -account!.balance, reason: '测试：积分已全部使用' },
  });
  expect(adjusted.statusCode, adjusted.body).toBe(201);

  // the same inputs: nothing to take back, so the spent points do not matter
  const before = await october();
  await run('2026-10');
  expect(await october()).toEqual(before);

  // a lower bill would take back points the customer no longer has
  await setOctoberPaid(spender!.id, 0.5);
  expect(await run('2026-10', 409)).toMatchObject({ code: 'rules_rerun_points_spent' });
  expect(await october()).toEqual(before); // nothing of the refused rerun stays
});
