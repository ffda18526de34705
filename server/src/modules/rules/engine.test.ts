import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';

let sys: TestSystem;
let admin: Session;

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error' });
  admin = await sys.login('admin');
}, 120_000);
afterAll(() => sys?.close());

const run = (month: string) => admin.request({ method: 'POST', url: '/api/rules/runs', payload: { month } });

async function snapshot() {
  return sys.database.rows(sql`SELECT r.customer_id, r.level, r.credit_score, r.points_earned, a.balance
    FROM customer_ratings r LEFT JOIN points_accounts a USING (customer_id) WHERE r.month = '2026-10-01' ORDER BY 1`);
}

describe('the monthly run', () => {
  it('rates every in-network customer and a rerun changes nothing', async () => {
    const first = await run('2026-10');
    expect(first.statusCode, first.body).toBe(201);
    const before = await snapshot();
    expect(before.length).toBeGreaterThan(100);
    const second = await run('2026-10');
    expect(second.statusCode, second.body).toBe(201);
    expect(await snapshot()).toEqual(before);
  });
});
