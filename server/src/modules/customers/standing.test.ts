/**
 * Lists that answer a manager's questions: level and credit grade of the latest completed rules run, points
 * balance and the latest month's arrears, as columns, filters and sort keys, with exact totals — equal to
 * what the rules' own tables say.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standingCountsDrift, startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import { makeDeps } from '../../platform/deps.js';
import { refreshStandings } from './list.service.js';
import type { CustomerSummary } from './schemas.js';

let sys: TestSystem;
let admin: Session;
let refresh: () => Promise<number>;
let gzId: number;

beforeAll(async () => {
  sys = await startTestSystem({ DEMO_RULE_RUNS: 1 });
  admin = await sys.login('admin');
  const deps = makeDeps(sys.config, sys.database);
  refresh = () => refreshStandings(deps);
  await refresh();
  [{ gzId }] = (await sys.database.rows<{ gzId: number }>(sql`SELECT id AS "gzId" FROM org_units WHERE code = 'GD-GZ'`)) as [{ gzId: number }];
});
afterAll(() => sys.close());

/** The customers and their standing straight from the rules' tables, ordered as the list orders them. */
const truth = (where: string, orderBy = 'c.customer_no') =>
  sys.database.rows<{ customer_no: string; level: string | null; credit_grade: string | null; points: number | null; arrears: string | null }>(sql`
    SELECT c.customer_no, r.level, r.credit_grade, a.balance AS points, to_char(t.arrears_fen / 100.0, 'FM999999999990.00') AS arrears
    FROM customers c
    JOIN org_units u ON u.id = c.unit_id
    LEFT JOIN customer_ratings r ON r.customer_id = c.id AND r.month = (SELECT max(month) FROM rule_runs WHERE status = 'completed')
    LEFT JOIN points_accounts a ON a.customer_id = c.id
    LEFT JOIN customer_month_totals t ON t.customer_id = c.id AND t.month = (SELECT max(month) FROM customer_month_totals)
    WHERE ${sql.raw(where)}
    ORDER BY ${sql.raw(orderBy)}`);

async function list(query: string) {
  const res = await admin.request({ method: 'GET', url: `/api/customers?${query.includes('limit=') ? '' : 'limit=1000&'}${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return { items: res.json() as CustomerSummary[], total: Number(res.headers['x-total-count']), estimated: res.headers['x-total-estimated'] };
}

describe('lists by standing', () => {
  it('finds five-star customers in arrears, exactly, with their standing', async () => {
    const found = await list('level=5s,5g,5d&arrears=yes');
    const want = await truth(`r.level IN ('5s', '5g', '5d') AND t.arrears_fen > 0`);
    expect(want.length).toBeGreaterThan(0);
    expect([found.total, found.estimated]).toEqual([want.length, undefined]);
    expect(found.items.map((c) => [c.customerNo, c.level, c.creditGrade, c.points, c.arrears])).toEqual(
      want.map((w) => [w.customer_no, w.level, w.credit_grade, w.points, w.arrears]),
    );
  });

  it('combines a region, grades and a points floor, sorted by points', async () => {
    const gzPath = `(SELECT path FROM org_units WHERE id = ${gzId})`;
    const found = await list(`unitId=${gzId}&creditGrade=AAA,AA&pointsMin=100&sort=points&order=desc&limit=25`);
    const want = await truth(`u.path LIKE ${gzPath} || '%' AND r.credit_grade IN ('AAA', 'AA') AND a.balance >= 100`, 'a.balance DESC NULLS LAST, c.id DESC');
    expect(found.total).toBe(want.length);
    expect(found.items.map((c) => c.customerNo)).toEqual(want.slice(0, 25).map((w) => w.customer_no));
  });

  it('sorts a whole archive by arrears and by level, customers without one last', async () => {
    for (const [sort, order] of [
      ['arrears', 't.arrears_fen DESC NULLS LAST, c.id DESC'],
      ['level', `array_position(ARRAY['unrated','1','2','3','4','5s','5g','5d','C','B','A'], r.level) DESC NULLS LAST, c.id DESC`],
    ]) {
      const found = await list(`archive=in_network&sort=${sort}&order=desc&offset=3&limit=20`);
      const want = await truth(`c.archive = 'in_network'`, order);
      expect(found.total).toBe(want.length);
      expect(found.items.map((c) => c.customerNo)).toEqual(want.slice(3, 23).map((w) => w.customer_no));
    }
  });

  it('walks a region by customer number when its matches are dense, with the exact total', async () => {
    const gzPath = `(SELECT path FROM org_units WHERE id = ${gzId})`;
    const found = await list(`unitId=${gzId}&archive=in_network&creditGrade=AAA,AA,A,B,C&offset=0&limit=1`);
    const want = await truth(`u.path LIKE ${gzPath} || '%' AND c.archive = 'in_network' AND r.credit_grade IN ('AAA', 'AA', 'A', 'B', 'C')`);
    expect(found.total).toBe(want.length);
    expect(found.items.map((c) => c.customerNo)).toEqual(want.slice(0, 1).map((w) => w.customer_no));
  });

  it('walks a region by points or arrears, largest first, with the exact total', async () => {
    const gzPath = `(SELECT path FROM org_units WHERE id = ${gzId})`;
    for (const [query, order, where] of [
      ['sort=points&order=desc', 'a.balance DESC NULLS LAST, c.id DESC', 'true'],
      ['sort=arrears&order=desc&kind=group', 't.arrears_fen DESC NULLS LAST, c.id DESC', "c.kind = 'group'"],
    ]) {
      const found = await list(`unitId=${gzId}&archive=in_network&${query}&offset=2&limit=15`);
      const want = await truth(`u.path LIKE ${gzPath} || '%' AND c.archive = 'in_network' AND ${where}`, order);
      expect(found.total).toBe(want.length);
      expect(found.items.map((c) => c.customerNo)).toEqual(want.slice(2, 17).map((w) => w.customer_no));
    }
  });

  it('follows a move at once and the points at the next refresh, which does nothing when nothing changed', async () => {
    expect(await refresh()).toBe(-1);
    const [moved] = await truth(`r.level = '5g' AND u.path NOT LIKE (SELECT path FROM org_units WHERE id = ${gzId}) || '%'`);
    const target = await sys.database.rows<{ id: number }>(sql`SELECT id FROM org_units WHERE code = 'GD-GZ-01'`);
    await sys.database.rows(sql`UPDATE customers SET unit_id = ${target[0]!.id} WHERE customer_no = ${moved!.customer_no}`);
    expect((await list(`unitId=${gzId}&level=5g`)).items.map((c) => c.customerNo)).toContain(moved!.customer_no);
    await sys.database.rows(sql`
      UPDATE points_accounts SET balance = balance + 7, adjusted = adjusted + 7
      WHERE customer_id = (SELECT id FROM customers WHERE customer_no = ${moved!.customer_no})`);
    expect(await refresh()).toBe(1);
    const [after] = (await list(`q=${moved!.customer_no}`)).items;
    expect(after!.points).toBe((moved!.points ?? 0) + 7);
  });

  it('keeps the totals by level, grade and arrears equal to the standings through refreshes, moves, new customers and deletes', async () => {
    expect(await standingCountsDrift(sys.database)).toEqual([]);
    const q = (query: ReturnType<typeof sql>) => sys.database.rows(query);
    await q(sql`INSERT INTO customers (customer_no, kind, name, unit_id, brand, industry)
                SELECT 'STC' || id, kind, name || '（计数）', unit_id, brand, industry FROM customers ORDER BY id LIMIT 20`);
    await q(sql`UPDATE customers SET archive = 'retained' WHERE id % 11 = 0`);
    await q(sql`UPDATE customers SET unit_id = ${gzId} WHERE id % 13 = 0`);
    expect(await standingCountsDrift(sys.database)).toEqual([]);
    // arrears cleared and points changed: the refresh moves customers between "in arrears" and not
    await q(sql`UPDATE customer_month_totals SET arrears_fen = 0 WHERE customer_id % 3 = 0`);
    await q(sql`UPDATE points_accounts SET balance = balance + 1, adjusted = adjusted + 1 WHERE customer_id % 2 = 0`);
    expect(await refresh()).toBeGreaterThan(0);
    expect(await standingCountsDrift(sys.database)).toEqual([]);
    await q(sql`DELETE FROM customers WHERE customer_no LIKE 'STC%'`);
    expect(await standingCountsDrift(sys.database)).toEqual([]);
    const found = await list('level=5s,5g,5d&arrears=no&limit=1');
    expect(found.total).toBe((await truth(`r.level IN ('5s', '5g', '5d') AND coalesce(t.arrears_fen, 0) <= 0`)).length);
  });

  it('keeps the new filters in saved filters and refuses unknown levels by name', async () => {
    const saved = await admin.request({ method: 'POST', url: '/api/customer-filters', payload: { name: '五星欠费', filter: { level: '5s,5g,5d', arrears: 'yes', pointsMin: 100 } } });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json().filter).toEqual({ level: '5s,5g,5d', arrears: 'yes', pointsMin: 100 });
    const bad = await admin.request({ method: 'GET', url: '/api/customers?level=6s' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['query.level']);
  });
});
