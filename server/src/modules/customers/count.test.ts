import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../db/testing.js';

/** With a low exact-count limit the demo data is "large": totals above it are the planner's estimate. */
let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ LIST_EXACT_COUNT_LIMIT: 50 });
});
afterAll(() => sys.close());

describe('list totals', () => {
  it('counts exactly up to the limit', async () => {
    const admin = await sys.login('admin');
    const res = await admin.request({ method: 'GET', url: '/api/customers?archive=retained&kind=group&limit=5' });
    const total = Number(res.headers['x-total-count']);
    expect(total).toBeLessThanOrEqual(50);
    expect(res.headers['x-total-estimated']).toBeUndefined();
    const all = await admin.request({ method: 'GET', url: '/api/customers?archive=retained&kind=group&limit=1000' });
    expect(all.json()).toHaveLength(total);
  });

  it('estimates beyond the limit and says so', async () => {
    const admin = await sys.login('admin');
    const res = await admin.request({ method: 'GET', url: '/api/customers?limit=5' });
    expect(res.headers['x-total-estimated']).toBe('true');
    expect(Number(res.headers['x-total-count'])).toBeGreaterThan(50);
  });
});

describe('a large regional list, read per unit and merged', () => {
  it('pages in the same order as one global sort, either direction and by any sort key', async () => {
    const { sql } = await import('drizzle-orm');
    const admin = await sys.login('admin');
    const gz = ((await admin.request({ method: 'GET', url: '/api/org/units?q=GD-GZ' })).json() as { id: number; code: string; path: string }[]).find((u) => u.code === 'GD-GZ')!;
    for (const [sort, column, order] of [
      ['customerNo', 'customer_no', 'asc'],
      ['customerNo', 'customer_no', 'desc'],
      ['name', 'name', 'asc'],
    ] as const) {
      const res = await admin.request({ method: 'GET', url: `/api/customers?unitId=${gz.id}&sort=${sort}&order=${order}&offset=5&limit=10` });
      expect(res.headers['x-total-estimated']).toBe('true');
      const expected = await sys.database.rows<{ customer_no: string }>(sql`
        SELECT c.customer_no FROM customers c JOIN org_units o ON o.id = c.unit_id
        WHERE o.path LIKE ${`${gz.path}%`}
        ORDER BY ${sql.raw(`c.${column} ${order}`)} NULLS LAST, ${sql.raw(`c.id ${order}`)} OFFSET 5 LIMIT 10`);
      expect((res.json() as { customerNo: string }[]).map((c) => c.customerNo)).toEqual(expected.map((r) => r.customer_no));
    }
  });
});
