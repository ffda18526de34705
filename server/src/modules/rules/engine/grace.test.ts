import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { DEFAULT_PARAMS } from '../params.js';

let sys: TestSystem;
let admin: Session;

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
}, 120_000);
afterAll(() => sys?.close());

it('downgrades a 五星钻 customer only after three months below, across the year end', async () => {
  // one month's bill decides the star, so that a single month's drop shows
  const star = { ...structuredClone(DEFAULT_PARAMS.star), windowMonths: 1 };
  const saved = await admin.request({ method: 'POST', url: '/api/rules/versions', payload: { family: 'star', effectiveFrom: '2025-11', params: star, baseVersion: 1 } });
  expect(saved.statusCode, saved.body).toBe(201);
  const [c] = await sys.database.rows<{ id: number }>(
    sql`SELECT id FROM customers WHERE kind = 'individual' AND archive = 'in_network' ORDER BY id LIMIT 1`,
  );
  await sys.database.rows(sql`UPDATE customers SET joined_on = '2015-01-01', real_name_verified = true WHERE id = ${c!.id}`);
  await sys.database.rows(sql`UPDATE monthly_facts SET paid = CASE WHEN month = '2025-11-01' THEN 2000 ELSE 10 END, arrears = 0
                              WHERE customer_id = ${c!.id}`);
  const levels: string[] = [];
  for (const month of ['2025-11', '2025-12', '2026-01', '2026-02']) {
    const res = await admin.request({ method: 'POST', url: '/api/rules/runs', payload: { month } });
    expect(res.statusCode, res.body).toBe(201);
    const [r] = await sys.database.rows<{ level: string; below: number }>(
      sql`SELECT level, below_months AS below FROM customer_ratings WHERE customer_id = ${c!.id} AND month = ${`${month}-01`}::date`,
    );
    levels.push(`${r!.level}/${r!.below}`);
  }
  expect(levels).toEqual(['5d/0', '5d/1', '5d/2', '1/0']);
  const rules = (await admin.request({ method: 'GET', url: `/api/customers/${c!.id}/rules` })).json();
  expect(rules.history.find((h: { month: string }) => h.month === '2026-01').explanations.level).toContain('降级宽限期第 2/3 个月');
});
