import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerCountsDrift, startTestSystem, type TestSystem } from '../../db/testing.js';

/**
 * With low limits the demo data is "large": a search lists its best 50 matches and says there are more
 * (counted apart); a manager's list beyond 50 is the planner's estimate; a list by region, archive, kind,
 * brand or industry is always exact (customer_counts).
 */
let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ LIST_EXACT_COUNT_LIMIT: 50, SEARCH_MATCH_LIMIT: 50 });
});
afterAll(() => sys.close());

describe('list totals', () => {
  const count = async (where: string) =>
    (await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM customers c WHERE ${sql.raw(where)}`))[0]!.n;

  it('counts a search exactly up to the limit', async () => {
    const admin = await sys.login('admin');
    const res = await admin.request({ method: 'GET', url: `/api/customers?q=${encodeURIComponent('林')}&limit=5` });
    const total = Number(res.headers['x-total-count']);
    expect(total).toBeLessThanOrEqual(50);
    expect(res.headers['x-total-estimated']).toBeUndefined();
    const all = await admin.request({ method: 'GET', url: `/api/customers?q=${encodeURIComponent('林')}&limit=1000` });
    expect(all.json()).toHaveLength(total);
  });

  it('lists the best matches of a search beyond the limit, says there are more and counts them apart', async () => {
    const admin = await sys.login('admin');
    const q = encodeURIComponent('有限公司');
    const res = await admin.request({ method: 'GET', url: `/api/customers?q=${q}&limit=5` });
    expect([res.headers['x-total-more'], res.headers['x-total-estimated'], res.headers['x-total-count']]).toEqual(['true', 'true', '50']);
    // the listed matches end at the limit: pages past it are empty
    const last = await admin.request({ method: 'GET', url: `/api/customers?q=${q}&offset=40&limit=20` });
    expect(last.json()).toHaveLength(10);
    const counted = await admin.request({ method: 'GET', url: `/api/customers/count?q=${q}` });
    expect(counted.json().total).toBe(await count(`name LIKE '%有限公司%'`));
    expect(counted.json().total).toBeGreaterThan(50);
  });

  it('lists the first names by name of a prefix with more matches than the limit, not any of them', async () => {
    const admin = await sys.login('admin');
    const [unit] = await sys.database.rows<{ id: number }>(sql`SELECT min(unit_id) AS id FROM customers`);
    // written in the reverse of their names' order, so that the table's order is not the answer
    const names = Array.from({ length: 60 }, (_, i) => `序测${String(i).padStart(2, '0')}有限公司`).reverse();
    for (const [i, name] of names.entries()) {
      await sys.database.rows(sql`INSERT INTO customers (customer_no, kind, name, unit_id) VALUES (${`ORDER-${i}`}, 'group', ${name}, ${unit!.id})`);
    }
    const res = await admin.request({ method: 'GET', url: `/api/customers?q=${encodeURIComponent('序测')}&limit=5` });
    expect(res.headers['x-total-more']).toBe('true');
    expect((res.json() as { name: string }[]).map((c) => c.name)).toEqual(['序测00有限公司', '序测01有限公司', '序测02有限公司', '序测03有限公司', '序测04有限公司']);
  });

  it('counts a customer found by its name and by a key person’s once, and then still finds the fragment elsewhere in names', async () => {
    const admin = await sys.login('admin');
    const [unit] = await sys.database.rows<{ id: number }>(sql`SELECT min(unit_id) AS id FROM customers`);
    // 30 customers found twice from the start (60 rows, 30 customers: within the limit of 50), 5 only elsewhere
    for (let i = 0; i < 35; i++) {
      const name = i < 30 ? `双测${String(i).padStart(2, '0')}公司` : `某双测${i}公司`;
      const [c] = await sys.database.rows<{ id: number }>(sql`INSERT INTO customers (customer_no, kind, name, unit_id) VALUES (${`TWICE-${i}`}, 'group', ${name}, ${unit!.id}) RETURNING id`);
      if (i < 30) await sys.database.rows(sql`INSERT INTO key_persons (customer_id, name, role) VALUES (${c!.id}, ${`双测${i}`}, 'other')`);
    }
    const res = await admin.request({ method: 'GET', url: `/api/customers?q=${encodeURIComponent('双测')}&limit=100` });
    expect([res.headers['x-total-count'], res.headers['x-total-more']]).toEqual(['35', undefined]);
    expect((res.json() as { customerNo: string }[]).filter((c) => c.customerNo.startsWith('TWICE-'))).toHaveLength(35);
  });

  it('gives a list by archive, kind and brand its exact total, however long, with its first page', async () => {
    const admin = await sys.login('admin');
    for (const [url, where] of [
      ['/api/customers?limit=5', 'true'],
      ['/api/customers?archive=in_network&kind=group&limit=5', "archive = 'in_network' AND kind = 'group'"],
      ['/api/customers?archive=retained&brand=gotone&limit=5', "archive = 'retained' AND brand = 'gotone'"],
    ] as const) {
      const res = await admin.request({ method: 'GET', url });
      expect(res.headers['x-total-estimated']).toBeUndefined();
      expect(Number(res.headers['x-total-count'])).toBe(await count(where));
      const first = await sys.database.rows<{ customer_no: string }>(
        sql`SELECT customer_no FROM customers c WHERE ${sql.raw(where)} ORDER BY customer_no, id LIMIT 5`,
      );
      expect((res.json() as { customerNo: string }[]).map((c) => c.customerNo)).toEqual(first.map((r) => r.customer_no));
    }
  });

  it('keeps the counts equal to the customers through inserts, edits, archive moves, merges and deletes', async () => {
    expect(await customerCountsDrift(sys.database)).toEqual([]);
    const q = (query: ReturnType<typeof sql>) => sys.database.rows(query);
    await q(sql`INSERT INTO customers (customer_no, kind, name, unit_id, brand, industry)
                SELECT 'CNT' || id, kind, name || '（计数）', unit_id, brand, industry FROM customers ORDER BY id LIMIT 30`);
    expect(await customerCountsDrift(sys.database)).toEqual([]);
    await q(sql`UPDATE customers SET brand = 'mzone', industry = NULL WHERE customer_no LIKE 'CNT%' AND id % 2 = 0`);
    await q(sql`UPDATE customers SET name = name || '·' WHERE customer_no LIKE 'CNT%'`);
    await q(sql`UPDATE customers SET archive = 'retained' WHERE customer_no LIKE 'CNT%' AND id % 3 = 0`);
    expect(await customerCountsDrift(sys.database)).toEqual([]);
    await q(sql`UPDATE customers SET unit_id = (SELECT min(unit_id) FROM customers) WHERE customer_no LIKE 'CNT%' AND id % 5 = 0`);
    await q(sql`DELETE FROM customers WHERE customer_no LIKE 'CNT%' AND id % 7 = 0`);
    expect(await customerCountsDrift(sys.database)).toEqual([]);
    await q(sql`DELETE FROM customers WHERE customer_no LIKE 'CNT%'`);
    expect(await customerCountsDrift(sys.database)).toEqual([]);
  });
});

describe('a large regional list, read per unit and merged', () => {
  it('pages in the same order as one global sort, either direction and by any sort key', async () => {
    const admin = await sys.login('admin');
    const gz = ((await admin.request({ method: 'GET', url: '/api/org/units?q=GD-GZ' })).json() as { id: number; code: string; path: string }[]).find((u) => u.code === 'GD-GZ')!;
    for (const [sort, column, order] of [
      ['customerNo', 'customer_no', 'asc'],
      ['customerNo', 'customer_no', 'desc'],
      ['name', 'name', 'asc'],
    ] as const) {
      const res = await admin.request({ method: 'GET', url: `/api/customers?unitId=${gz.id}&sort=${sort}&order=${order}&offset=5&limit=10` });
      expect(res.headers['x-total-estimated']).toBeUndefined();
      const expected = await sys.database.rows<{ customer_no: string }>(sql`
        SELECT c.customer_no FROM customers c JOIN org_units o ON o.id = c.unit_id
        WHERE o.path LIKE ${`${gz.path}%`}
        ORDER BY ${sql.raw(`c.${column} ${order}`)} NULLS LAST, ${sql.raw(`c.id ${order}`)} OFFSET 5 LIMIT 10`);
      expect((res.json() as { customerNo: string }[]).map((c) => c.customerNo)).toEqual(expected.map((r) => r.customer_no));
    }
  });
});
