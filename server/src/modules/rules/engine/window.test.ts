import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';

let sys: TestSystem;
let admin: Session;

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
}, 120_000);
afterAll(() => sys?.close());

const run = async (month: string) => {
  const res = await admin.request({ method: 'POST', url: '/api/rules/runs', payload: { month } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number };
};
const inputs = () =>
  sys.database.rows(sql`SELECT customer_id, paid, arrears, paid_window, billed_window, arrears_mask, arrears_months, avg_paid, avg_revenue
                        FROM customer_ratings WHERE month = '2026-10-01' ORDER BY customer_id`);

it('moves last month’s window totals by one month to exactly what reading the whole window gives', async () => {
  await run('2026-08');
  await run('2026-09');
  // a customer back from the retained archive was not rated last month: its window is read in full
  const [back] = await sys.database.rows<{ id: number; version: number }>(
    sql`SELECT id, version FROM customers WHERE archive = 'retained' AND merged_into IS NULL ORDER BY id LIMIT 1`,
  );
  const moved = await admin.request({
    method: 'POST',
    url: `/api/customers/${back!.id}/archive`,
    payload: { version: back!.version, toArchive: 'in_network', reason: 'win_back', effectiveOn: '2026-10-15' },
  });
  expect(moved.statusCode, moved.body).toBe(200);
  const october = await run('2026-10');
  const incremental = await inputs();
  expect(incremental.some((r) => Number(r.customer_id) === back!.id)).toBe(true);

  for (const id of [october.id]) await admin.request({ method: 'POST', url: `/api/rules/runs/${id}/rollback` });
  const runs = (await admin.request({ method: 'GET', url: '/api/rules/runs' })).json() as { id: number; status: string }[];
  for (const r of runs.filter((x) => x.status === 'completed')) {
    expect((await admin.request({ method: 'POST', url: `/api/rules/runs/${r.id}/rollback` })).statusCode).toBe(200);
  }
  await run('2026-10'); // nothing before it: the whole window is read
  expect(await inputs()).toEqual(incremental);
});
