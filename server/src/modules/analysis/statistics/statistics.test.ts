import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import type { IndicatorResult } from '../indicators/engine.js';
import type { Statistics } from './schemas.js';
import { change, comparisonPeriods, joinPeriods, percentChange } from './service.js';

describe('statistics arithmetic (by hand)', () => {
  it('picks the comparison periods', () => {
    expect(comparisonPeriods('2026-01', '2026-03', 'both', false)).toEqual({
      previous: { from: '2025-10', to: '2025-12', shift: 3 },
      year: { from: '2025-01', to: '2025-03', shift: 12 },
    });
    // by month, 环比 is each month against the month before
    expect(comparisonPeriods('2026-01', '2026-03', 'previous', true)).toEqual({ previous: { from: '2025-12', to: '2026-02', shift: 1 }, year: null });
    expect(comparisonPeriods('2026-01', '2026-03', 'none', true)).toEqual({ previous: null, year: null });
  });

  it('computes changes and percentages', () => {
    expect(change(120, 100)).toBe(20);
    expect(percentChange(120, 100)).toBe(20);
    expect(percentChange(80, 100)).toBe(-20);
    expect(percentChange(-50, -100)).toBe(50); // a smaller loss is a rise
    expect(percentChange(5, 0)).toBeNull();
    expect(change(5, null)).toBeNull();
    expect(percentChange(0.3, 0.1)).toBe(200);
  });

  it('joins the periods row by row, shifting month keys', () => {
    const row = (city: string, month: string, billed: number | null, arpu: number | null) => ({ keys: { city, month }, labels: { city: `C${city}`, month: null }, labelsEn: { city: `City ${city}` }, values: { billed_revenue: billed, arpu } });
    const current: IndicatorResult = { rows: [row('1', '2026-03', 120, 60), row('2', '2026-03', 80, 40)], totals: { billed_revenue: 200, arpu: 50 } };
    const previous: IndicatorResult = { rows: [row('1', '2026-02', 100, 50), row('2', '2026-02', 0, null)], totals: { billed_revenue: 100, arpu: 50 } };
    const year: IndicatorResult = { rows: [row('1', '2025-03', 60, 30)], totals: { billed_revenue: 60, arpu: 30 } };
    const { rows, total } = joinPeriods(['billed_revenue', 'arpu'], ['city', 'month'], current, { result: previous, shift: 1 }, { result: year, shift: 12 });
    expect(rows[0]).toMatchObject({
      keys: { city: '1', month: '2026-03' },
      values: { billed_revenue: 120, arpu: 60 },
      previous: { billed_revenue: 100, arpu: 50 },
      previousChange: { billed_revenue: 20, arpu: 10 },
      previousPct: { billed_revenue: 20, arpu: 20 },
      yearAgo: { billed_revenue: 60, arpu: 30 },
      yearChange: { billed_revenue: 60, arpu: 30 },
      yearPct: { billed_revenue: 100, arpu: 100 },
    });
    // city 2: the previous month was 0 (no percentage) and there is no year-ago row
    expect(rows[1]).toMatchObject({ previousChange: { billed_revenue: 80, arpu: null }, previousPct: { billed_revenue: null, arpu: null }, yearAgo: { billed_revenue: null }, yearPct: { billed_revenue: null } });
    expect(total).toMatchObject({ values: { billed_revenue: 200 }, previousPct: { billed_revenue: 100, arpu: 0 }, yearChange: { billed_revenue: 140, arpu: 20 } });
  });
});

describe('POST /api/analysis/statistics', () => {
  let sys: TestSystem;
  let head: Session;
  let cityHead: Session;
  let am: Session;
  const post = (s: Session, payload: unknown, url = '/api/analysis/statistics') => s.request({ method: 'POST', url, payload: payload as Record<string, unknown> });
  const sumBilled = async (months: [string, string], where = sql`true`) =>
    Number(
      (
        await sys.database.rows<{ v: number }>(sql`
          SELECT coalesce(sum(t.billed_fen), 0)::float8 / 100 AS v FROM customer_month_totals t JOIN customers c ON c.id = t.customer_id
          WHERE t.month BETWEEN ${`${months[0]}-01`}::date AND ${`${months[1]}-01`}::date AND ${where}`)
      )[0]!.v,
    );

  beforeAll(async () => {
    sys = await startTestSystem();
    // the rollup of every fact month (the demo loader of a test system leaves it to the tests)
    await sys.database.rows(sql`SELECT refresh_analysis_month(m::date) FROM generate_series('2025-11-01'::date, '2026-10-01'::date, interval '1 month') m`);
    head = await sys.login('gd_head');
    cityHead = await sys.login('gz_head');
    am = await sys.login('gz_am01');
  }, 240_000);
  afterAll(() => sys?.close());

  const body = { indicators: ['billed_revenue', 'arpu', 'customers'], dimensions: ['city', 'level'], from: '2026-05', to: '2026-07', compare: 'both' };

  it('answers the pivot with subtotals that add up, the total and the comparisons', async () => {
    const res = await post(head, body);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json<Statistics>();
    expect(s.rows.length).toBeGreaterThan(0);
    expect(s.previousPeriod).toEqual({ from: '2026-02', to: '2026-04' });
    expect(s.yearPeriod).toEqual({ from: '2025-05', to: '2025-07' });
    const total = await sumBilled(['2026-05', '2026-07']);
    expect(total).toBeGreaterThan(0);
    expect(s.total.values.billed_revenue).toBeCloseTo(total, 2);
    // billed revenue adds up: the rows of each city to its subtotal, the subtotals to the total
    for (const sub of s.subtotals) {
      const rows = s.rows.filter((r) => r.keys.city === sub.keys.city);
      expect(rows.reduce((a, r) => a + (r.values.billed_revenue ?? 0), 0)).toBeCloseTo(sub.values.billed_revenue!, 2);
    }
    expect(s.subtotals.reduce((a, r) => a + (r.values.billed_revenue ?? 0), 0)).toBeCloseTo(total, 2);
    // 环比 against the three months before, as the facts say; 同比: no facts a year before
    const before = await sumBilled(['2026-02', '2026-04']);
    expect(s.total.previous!.billed_revenue).toBeCloseTo(before, 2);
    expect(s.total.previousPct!.billed_revenue).toBeCloseTo(((total - before) / before) * 100, 1);
    expect(s.total.yearPct!.billed_revenue).toBeNull();
    // ARPU is computed per group, not summed: the total is billed ÷ billed customer-months
    expect(s.total.values.arpu).toBeLessThan(s.total.values.billed_revenue!);
  });

  it('compares month rows with their previous month', async () => {
    const res = await post(head, { indicators: ['billed_revenue'], dimensions: ['month'], from: '2026-05', to: '2026-07', compare: 'previous' });
    const s = res.json<Statistics>();
    expect(s.rows.map((r) => r.keys.month?.slice(0, 7))).toEqual(['2026-05', '2026-06', '2026-07']);
    for (const r of s.rows) {
      const m = r.keys.month!.slice(0, 7);
      const prev = `${m.slice(0, 5)}${String(Number(m.slice(5)) - 1).padStart(2, '0')}`;
      expect(r.previous!.billed_revenue).toBeCloseTo(await sumBilled([prev, prev]), 2);
    }
  });

  it('refuses bad input with problem+json naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ ...body, dimensions: ['city', 'level', 'brand', 'kind'] }, 'body.dimensions'],
      [{ ...body, indicators: ['no_such_indicator'] }, 'body.indicators.0'],
      [{ ...body, from: '2026-07', to: '2026-05' }, 'body.to'],
      [{ ...body, indicators: [] }, 'body.indicators'],
      [{ ...body, from: '2026-13' }, 'body.from'],
      [{ ...body, dimensions: ['city', 'city'] }, 'body.dimensions'],
    ];
    for (const [payload, field] of cases) {
      const res = await post(head, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain(field);
    }
  });

  it('keeps to the data scope: a city head their city, an account manager their portfolio', async () => {
    const province = (await post(head, { ...body, dimensions: [] })).json<Statistics>().total.values.billed_revenue!;
    const city = (await post(cityHead, { ...body, dimensions: [] })).json<Statistics>();
    const mine = (await post(am, { ...body, dimensions: ['city'] })).json<Statistics>();
    const [gz] = await sys.database.rows<{ path: string }>(sql`SELECT o.path FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.username = 'gz_head'`);
    const [amUser] = await sys.database.rows<{ id: number }>(sql`SELECT id FROM users WHERE username = 'gz_am01'`);
    expect(city.total.values.billed_revenue).toBeCloseTo(await sumBilled(['2026-05', '2026-07'], sql`c.unit_id IN (SELECT id FROM org_units WHERE path LIKE ${`${gz!.path}%`})`), 2);
    expect(city.total.values.billed_revenue).toBeLessThan(province);
    expect(mine.total.values.billed_revenue ?? 0).toBeCloseTo(await sumBilled(['2026-05', '2026-07'], sql`c.manager_id = ${amUser!.id}`), 2);
    expect(mine.rows.every((r) => r.keys.city === mine.rows[0]?.keys.city)).toBe(true);
  });

  it('exports the pivot to .xlsx with Chinese headers and units, readable again', async () => {
    const res = await post(head, body, '/api/analysis/statistics/export?format=xlsx');
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 2)).toEqual(['地市', '客户级别']);
    expect(headers).toContain('出账收入（元）');
    expect(headers).toContain('出账收入·环比（%）');
    const s = (await post(head, body)).json<Statistics>();
    // each row, one subtotal per city, the total
    expect(ws.rowCount).toBe(1 + s.rows.length + s.subtotals.length + 1);
    const last = ws.getRow(ws.rowCount);
    expect(last.getCell(1).value).toBe('合计');
    expect(Number(last.getCell(3).value)).toBeCloseTo(s.total.values.billed_revenue!, 2);
  });

  it('names the units in English for an English reader (org_units.name_en)', async () => {
    const s = (await post(head, { ...body, dimensions: ['city'] })).json<Statistics>();
    const [gz] = await sys.database.rows<{ id: string }>(sql`SELECT id::text FROM org_units WHERE code = 'GD-GZ'`);
    expect(s.rows.find((r) => r.keys.city === gz!.id)).toMatchObject({ labels: { city: '广州分公司' }, labelsEn: { city: 'Guangzhou Branch' } });
    const csv = await head.request({ method: 'POST', url: '/api/analysis/statistics/export?format=csv', payload: { ...body, dimensions: ['city'] }, headers: { 'accept-language': 'en-US' } });
    expect(csv.statusCode, csv.body.slice(0, 300)).toBe(200);
    expect(csv.body).toContain('Guangzhou Branch');
    expect(csv.body).not.toContain('广州分公司');
  });
});
