/**
 * 客户月度汇总: the customers' monthly totals that the rules run reads must always equal the sum of
 * their facts, whoever wrote the facts (demo data, statements on monthly_facts, merges, imports).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { monthTotalsDrift, startTestSystem, type TestSystem } from './testing.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
}, 120_000);
afterAll(() => sys?.close());

const q = <T = Record<string, unknown>>(query: ReturnType<typeof sql>) => sys.database.rows<T>(query);

it('holds the demo data’s facts summed per customer and month', async () => {
  const [n] = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM customer_month_totals`);
  expect(n!.n).toBeGreaterThan(0);
  expect(await monthTotalsDrift(sys.database)).toEqual([]);
});

it('follows inserts, updates (also to another customer) and deletes of facts, in a month of its own too', async () => {
  const [a, b] = await q<{ sub: number; customer: number }>(
    sql`SELECT s.id AS sub, s.customer_id AS customer FROM subscriptions s ORDER BY s.id LIMIT 2`,
  );
  await q(sql`SELECT ensure_fact_partition('2031-03-01')`);
  await q(sql`INSERT INTO monthly_facts (month, subscription_id, customer_id, billed, paid, arrears)
              VALUES ('2031-03-01', ${a!.sub}, ${a!.customer}, 100, 60, 40), ('2031-03-01', ${b!.sub}, ${b!.customer}, 10, 10, 0)`);
  const totals = () => q(sql`SELECT customer_id::int AS customer, paid_fen::int AS paid, arrears_subs FROM customer_month_totals
                             WHERE month = '2031-03-01' ORDER BY customer_id, paid`);
  expect(await monthTotalsDrift(sys.database)).toEqual([]);
  expect((await totals()).length).toBe(a!.customer === b!.customer ? 1 : 2);

  await q(sql`UPDATE monthly_facts SET paid = 100, arrears = 0 WHERE month = '2031-03-01' AND subscription_id = ${a!.sub}`);
  expect(await monthTotalsDrift(sys.database)).toEqual([]);
  // what a merge does: the facts move to the surviving customer
  await q(sql`UPDATE monthly_facts SET customer_id = ${b!.customer} WHERE month = '2031-03-01'`);
  expect(await monthTotalsDrift(sys.database)).toEqual([]);
  expect(await totals()).toEqual([{ customer: b!.customer, paid: 11000, arrears_subs: 0 }]);

  await q(sql`DELETE FROM monthly_facts WHERE month = '2031-03-01'`);
  expect(await monthTotalsDrift(sys.database)).toEqual([]);
  expect(await totals()).toEqual([]);
});

it('rebuilds a whole month for bulk loads that defer the per-statement upkeep', async () => {
  const [a] = await q<{ sub: number; customer: number }>(sql`SELECT id AS sub, customer_id AS customer FROM subscriptions ORDER BY id LIMIT 1`);
  await sys.database.db.transaction(async (tx) => {
    await sys.database.rows(sql`SELECT set_config('kam.month_totals', 'deferred', true)`, tx);
    await sys.database.rows(sql`SELECT ensure_fact_partition('2031-04-01')`, tx);
    await sys.database.rows(
      sql`INSERT INTO monthly_facts (month, subscription_id, customer_id, billed, paid, arrears) VALUES ('2031-04-01', ${a!.sub}, ${a!.customer}, 5, 5, 0)`,
      tx,
    );
    const [drift] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM customer_month_totals WHERE month = '2031-04-01'`, tx);
    expect(drift!.n).toBe(0); // deferred: nothing yet
    await sys.database.rows(sql`SELECT refresh_month_totals('2031-04-01')`, tx);
  });
  expect(await monthTotalsDrift(sys.database)).toEqual([]);
});
