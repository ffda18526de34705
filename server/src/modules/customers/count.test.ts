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
