import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { BUILTIN_INDICATORS, DIMENSIONS } from '../indicators/catalogue.js';
import { refreshStaleMonths } from '../indicators/service.js';
import { DASHBOARDS } from './definitions.js';
import type { Dashboard, DrillCustomerRow } from './schemas.js';

describe('dashboard definitions', () => {
  const byCode = new Map(BUILTIN_INDICATORS.map((i) => [i.code, i]));
  it('are the eleven of the issue, with unique ids', () => {
    expect(DASHBOARDS.map((d) => d.id)).toEqual(['development', 'revenue', 'behaviour', 'arrears', 'abnormal', 'points', 'marketing', 'satisfaction', 'competitors', 'managers', 'group_products']);
    for (const d of DASHBOARDS) expect(new Set(d.panels.map((p) => p.id)).size, d.id).toBe(d.panels.length);
  });
  it('name existing catalogue indicators, cut only by dimensions they take', () => {
    for (const d of DASHBOARDS)
      for (const p of d.panels) {
        if (p.special) {
          expect(p.indicators, `${d.id}.${p.id}`).toEqual([]);
          continue;
        }
        expect(p.indicators.length, `${d.id}.${p.id}`).toBeGreaterThan(0);
        expect(p.indicators.length).toBeLessThanOrEqual(12);
        for (const code of p.indicators) {
          const def = byCode.get(code);
          expect(def, `${d.id}.${p.id}: ${code}`).toBeDefined();
          for (const dim of p.dimensions) {
            expect(DIMENSIONS).toContain(dim);
            expect(def!.dimensions, `${d.id}.${p.id}: ${code} by ${dim}`).toContain(dim);
          }
        }
        if (p.chart === 'line') expect(p.dimensions).toEqual(['month']);
        if (p.chart === 'bar') expect(p.dimensions.length).toBe(1);
      }
  });
});

describe('/api/analysis/dashboards', () => {
  let sys: TestSystem;
  let head: Session;
  let am: Session;
  let amId: number;
  let planted: number;
  const get = (s: Session, url: string) => s.request({ method: 'GET', url });

  beforeAll(async () => {
    sys = await startTestSystem();
    await sys.database.rows(sql`SELECT refresh_analysis_month(m::date) FROM generate_series('2025-11-01'::date, '2026-10-01'::date, interval '1 month') m`);
    head = await sys.login('gd_head');
    am = await sys.login('gz_am01');
    amId = Number((await sys.database.rows<{ id: number }>(sql`SELECT id FROM users WHERE username = 'gz_am01'`))[0]!.id);
    // a planted fall: one of gz_am01's customers billed ≥ ¥10 in 2026-09 bills a tenth of it in 2026-10 (the
    // facts change; the month totals follow by trigger)
    const [c] = await sys.database.rows<{ id: number }>(sql`
      SELECT t.customer_id AS id FROM customer_month_totals t JOIN customers c ON c.id = t.customer_id
      WHERE t.month = '2026-09-01' AND t.billed_fen >= 5000 AND c.manager_id = ${amId}
        AND EXISTS (SELECT 1 FROM customer_month_totals m WHERE m.customer_id = t.customer_id AND m.month = '2026-10-01' AND m.billed_fen >= t.billed_fen * 0.9)
      ORDER BY t.customer_id LIMIT 1`);
    planted = Number(c!.id);
    await sys.database.rows(sql`
      UPDATE monthly_facts f SET billed = round(p.billed * 0.1, 2)
      FROM (SELECT subscription_id, billed FROM monthly_facts WHERE month = '2026-09-01' AND customer_id = ${planted}) p
      WHERE f.month = '2026-10-01' AND f.customer_id = ${planted} AND f.subscription_id = p.subscription_id`);
    // as after a facts import: the month's rollup is rebuilt
    await sys.database.rows(sql`SELECT refresh_analysis_month('2026-10-01'::date)`);
  }, 240_000);
  afterAll(() => sys?.close());

  it('lists the dashboards and answers each with every panel', async () => {
    const list = await get(head, '/api/analysis/dashboards');
    expect(list.statusCode).toBe(200);
    expect(list.json<unknown[]>()).toHaveLength(11);
    for (const d of DASHBOARDS) {
      const res = await get(head, `/api/analysis/dashboards/${d.id}?from=2025-11&to=2026-10`);
      expect(res.statusCode, `${d.id}: ${res.body.slice(0, 300)}`).toBe(200);
      const body = res.json<Dashboard>();
      expect(body.panels.map((p) => p.id)).toEqual(d.panels.map((p) => p.id));
    }
    const rev = (await get(head, '/api/analysis/dashboards/revenue?from=2025-11&to=2026-10')).json<Dashboard>();
    expect(rev.panels.find((p) => p.id === 'trend')!.rows).toHaveLength(12);
    expect(rev.panels.find((p) => p.id === 'kpi')!.totals.billed_revenue).toBeGreaterThan(0);
  });

  it('finds the planted fall and drills down to it', async () => {
    const d = (await get(head, '/api/analysis/dashboards/abnormal?from=2025-11&to=2026-10&pct=50')).json<Dashboard>();
    const summary = d.panels.find((p) => p.id === 'summary')!;
    const falls = summary.rows.find((r) => r.keys.abnormal === 'spend_fall')!.values.customers!;
    expect(falls).toBeGreaterThanOrEqual(1);
    // the trend's last month counts the same customers as the summary
    expect(d.panels.find((p) => p.id === 'by_month')!.rows.find((r) => r.keys.month === '2026-10')!.values.customers).toBe(falls);
    const res = await get(head, '/api/analysis/dashboards/abnormal/panels/summary/customers?to=2026-10&pct=50&abnormal=spend_fall&limit=1000');
    expect(res.statusCode, res.body).toBe(200);
    const hit = res.json<DrillCustomerRow[]>().find((c) => c.id === planted);
    expect(hit).toBeDefined();
    expect(hit!.after!).toBeCloseTo(hit!.before! * 0.1, 0);
    expect(hit!.unitNameEn).toEqual(expect.any(String));
    expect(Number(res.headers['x-total-count'])).toBeGreaterThanOrEqual(1);
  });

  it('keeps an account manager to their portfolio, in figures and drill-downs', async () => {
    const res = await get(am, '/api/analysis/dashboards/abnormal/panels/summary/customers?to=2026-10&pct=50&abnormal=spend_fall&limit=1000');
    expect(res.statusCode).toBe(200);
    const ids = res.json<DrillCustomerRow[]>().map((c) => c.id);
    expect(ids).toContain(planted);
    const [outside] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM customers WHERE id = ANY(${`{${ids.join(',')}}`}::bigint[]) AND manager_id IS DISTINCT FROM ${amId}`);
    expect(outside!.n).toBe(0);
    const mine = (await get(am, '/api/analysis/dashboards/revenue?from=2025-11&to=2026-10')).json<Dashboard>().panels.find((p) => p.id === 'kpi')!.totals.billed_revenue!;
    const [sum] = await sys.database.rows<{ v: number }>(sql`
      SELECT sum(t.billed_fen)::float8 / 100 AS v FROM customer_month_totals t JOIN customers c ON c.id = t.customer_id WHERE c.manager_id = ${amId}`);
    expect(mine).toBeCloseTo(sum!.v, 2);
    // an engine figure's drill-down too
    const drill = await get(am, '/api/analysis/dashboards/development/panels/by_level/customers?from=2025-11&to=2026-10&limit=1000');
    expect(drill.statusCode, drill.body).toBe(200);
    const drilled = drill.json<DrillCustomerRow[]>().map((c) => c.id);
    const [foreign] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM customers WHERE id = ANY(${`{${drilled.join(',')}}`}::bigint[]) AND manager_id IS DISTINCT FROM ${amId}`);
    expect(foreign!.n).toBe(0);
    // a unit outside one's scope is refused, naming the field
    const [sz] = await sys.database.rows<{ id: number }>(sql`SELECT id FROM org_units WHERE code = 'GD-SZ'`);
    const gzHead = await sys.login('gz_head');
    const refused = await get(gzHead, `/api/analysis/dashboards/revenue?unitId=${sz!.id}`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('query.unitId');
  });

  it('counts from the rollups what the raw facts and products say', async () => {
    const d = (await get(head, '/api/analysis/dashboards/abnormal?from=2025-11&to=2026-10&pct=30')).json<Dashboard>();
    const summary = new Map(d.panels.find((p) => p.id === 'summary')!.rows.map((r) => [r.keys.abnormal, r.values.customers]));
    // the definitions, on the raw tables: billed ≥ ¥10 (or used ≥ 10) in 2026-09 and more than 30 % less in 2026-10
    const [raw] = await sys.database.rows<{ spend: number; usage: number }>(sql`
      WITH u AS (
        SELECT customer_id, sum(billed) FILTER (WHERE month = '2026-09-01') AS b0, coalesce(sum(billed) FILTER (WHERE month = '2026-10-01'), 0) AS b1,
               sum(data_mb + min_local + min_long_distance + min_roaming) FILTER (WHERE month = '2026-09-01') AS u0,
               coalesce(sum(data_mb + min_local + min_long_distance + min_roaming) FILTER (WHERE month = '2026-10-01'), 0) AS u1
        FROM monthly_facts GROUP BY customer_id)
      SELECT count(*) FILTER (WHERE b0 >= 10 AND b1 < b0 * 0.7)::int AS spend, count(*) FILTER (WHERE u0 >= 10 AND u1 < u0 * 0.7)::int AS usage FROM u`);
    expect(summary.get('spend_fall')).toBe(raw!.spend);
    expect(summary.get('usage_fall')).toBe(raw!.usage);
    const [numbers] = await sys.database.rows<{ suspended: number; ported: number }>(sql`
      SELECT count(DISTINCT customer_id) FILTER (WHERE status = 'suspended')::int AS suspended, count(DISTINCT customer_id) FILTER (WHERE status = 'ported_out')::int AS ported
      FROM subscriptions`);
    expect(numbers!.suspended + numbers!.ported).toBeGreaterThan(0);
    expect(summary.get('suspended')).toBe(numbers!.suspended);
    expect(summary.get('ported_out')).toBe(numbers!.ported);
    const products = (await get(head, '/api/analysis/dashboards/group_products?from=2025-11&to=2026-10')).json<Dashboard>();
    const byProduct = new Map(products.panels.find((p) => p.id === 'by_product')!.rows.map((r) => [r.keys.product, r.values]));
    const rawProducts = await sys.database.rows<{ product: string; customers: number; fresh: number }>(sql`
      SELECT product, count(DISTINCT customer_id)::int AS customers,
             count(*) FILTER (WHERE first >= '2025-11-01' AND first < '2026-11-01')::int AS fresh
      FROM (SELECT p.customer_id, p.product, min(p.since) AS first FROM customer_products p JOIN customers c ON c.id = p.customer_id
            WHERE p.competitor IS NULL AND c.kind = 'group' AND c.merged_into IS NULL GROUP BY 1, 2) x GROUP BY 1`);
    expect(rawProducts.length).toBeGreaterThan(0);
    for (const r of rawProducts) expect(byProduct.get(r.product), r.product).toEqual({ customers: r.customers, newInPeriod: r.fresh });
  });

  it('shows a competitor product entered at a group customer, and a number ported out, after the rollup job’s next round', async () => {
    const [group] = await sys.database.rows<{ id: number }>(sql`SELECT id FROM customers WHERE kind = 'group' AND merged_into IS NULL ORDER BY id LIMIT 1`);
    await sys.database.rows(sql`INSERT INTO customer_products (customer_id, competitor, product, since, monthly_fee) VALUES (${group!.id}, '测试通信', '测试专线', '2026-10-15', 880)`);
    const competitorsOf = async () => (await get(head, '/api/analysis/dashboards/competitors')).json<Dashboard>().panels.find((p) => p.id === 'by_competitor')!.rows.map((r) => r.keys.competitor);
    expect(await competitorsOf()).not.toContain('测试通信');
    expect((await refreshStaleMonths({ database: sys.database })).current).toBe(true);
    expect(await competitorsOf()).toContain('测试通信');
    // a number ported out is counted at the next round too
    const before = (await get(head, '/api/analysis/dashboards/abnormal')).json<Dashboard>().panels.find((p) => p.id === 'summary')!.rows.find((r) => r.keys.abnormal === 'ported_out')!.values.customers!;
    await sys.database.rows(sql`UPDATE subscriptions SET status = 'ported_out' WHERE id = (SELECT min(s.id) FROM subscriptions s WHERE s.status = 'normal' AND NOT EXISTS (SELECT 1 FROM subscriptions o WHERE o.customer_id = s.customer_id AND o.status = 'ported_out'))`);
    expect((await refreshStaleMonths({ database: sys.database })).current).toBe(true);
    const after = (await get(head, '/api/analysis/dashboards/abnormal')).json<Dashboard>().panels.find((p) => p.id === 'summary')!.rows.find((r) => r.keys.abnormal === 'ported_out')!.values.customers!;
    expect(after).toBe(before + 1);
    // nothing changed since: the next round leaves the rollup alone
    expect((await refreshStaleMonths({ database: sys.database })).current).toBe(false);
    const drill = await get(head, `/api/analysis/dashboards/competitors/panels/by_competitor/customers?competitor=${encodeURIComponent('测试通信')}`);
    expect(drill.statusCode, drill.body).toBe(200);
    expect(drill.json<DrillCustomerRow[]>().map((c) => c.id)).toEqual([Number(group!.id)]);
  });

  it('exports a panel as CSV and .xlsx', async () => {
    const csv = await get(head, '/api/analysis/dashboards/revenue/panels/by_city/export?format=csv&from=2025-11&to=2026-10');
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('地市,出账收入（元）');
    expect(lines.length).toBeGreaterThan(2);
    // an English reader gets the cities by their English names
    const en = await head.request({ method: 'GET', url: '/api/analysis/dashboards/revenue/panels/by_city/export?format=csv&from=2025-11&to=2026-10', headers: { 'accept-language': 'en-US' } });
    expect(en.body).toContain('Guangzhou Branch');
    expect(en.body).not.toContain('广州分公司');
    const xlsx = await get(head, '/api/analysis/dashboards/competitors/panels/by_product/export?format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  it('refuses an unknown dashboard and a reversed period', async () => {
    expect((await get(head, '/api/analysis/dashboards/nope')).statusCode).toBe(404);
    const res = await get(head, '/api/analysis/dashboards/revenue?from=2026-10&to=2026-01');
    expect(res.statusCode).toBe(400);
    expect(res.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('query.to');
    // the rollup keeps falls of more than 10 %: a lower threshold is refused, not answered short
    const low = await get(head, '/api/analysis/dashboards/abnormal?pct=5');
    expect(low.statusCode).toBe(400);
    expect(low.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('query.pct');
  });
});
