import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { ALL_PERMISSIONS } from '../../../platform/auth/permissions.js';
import { systemActor } from '../../../platform/auth/principal.js';
import { makeDeps, type Deps } from '../../../platform/deps.js';
import { BUILTIN_INDICATORS, DIMENSIONS, INDICATOR_GROUPS } from './catalogue.js';
import { drillCustomers, evaluateIndicators, type IndicatorResult } from './engine.js';
import { MEASURES } from './queries.js';
import { refreshStaleMonths } from './service.js';
import { runMonth } from '../../rules/engine/service.js';

describe('the indicator catalogue', () => {
  it('has several dozen indicators, each named, defined and with a formula in both languages', () => {
    expect(BUILTIN_INDICATORS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(BUILTIN_INDICATORS.map((i) => i.code)).size).toBe(BUILTIN_INDICATORS.length);
    for (const i of BUILTIN_INDICATORS) {
      expect(i.code, i.code).toMatch(/^[a-z][a-z0-9_]+$/);
      for (const text of [i.name, i.definition, i.formula]) {
        expect(text['zh-CN'].trim(), i.code).not.toBe('');
        expect(text['en-US'].trim(), i.code).not.toBe('');
        // the Chinese text is Chinese (codes and English words aside, it holds CJK characters)
        expect(/[\u4e00-\u9fff]/.test(text['zh-CN']) || /^[Σ\w\s+×÷()−-]+$/u.test(text['zh-CN']), `${i.code}: ${text['zh-CN']}`).toBe(true);
      }
      expect(i.dimensions.length, i.code).toBeGreaterThan(0);
      for (const d of i.dimensions) expect(DIMENSIONS).toContain(d);
      expect(i.dimensions, i.code).toContain('month');
    }
  });

  it('covers every group of §9, and every built-in indicator is computed by exactly one measure', () => {
    for (const g of INDICATOR_GROUPS) expect(BUILTIN_INDICATORS.some((i) => i.group === g), g).toBe(true);
    expect(Object.keys(MEASURES).sort()).toEqual(BUILTIN_INDICATORS.map((i) => i.code).sort());
    // what reads the rollup is computed from it, what reads raw data is not
    for (const i of BUILTIN_INDICATORS) expect(MEASURES[i.code]!.source === 'cube', i.code).toBe(i.reads === 'rollup');
  });

  it('includes the managers’ scorecard indicators, read from the scorecards', () => {
    const managers = BUILTIN_INDICATORS.filter((i) => i.group === 'managers');
    expect(managers.length).toBeGreaterThanOrEqual(10);
    for (const i of managers) {
      expect(i.source).toBe('scorecards');
      expect([...i.dimensions].sort()).toEqual(['city', 'county', 'manager', 'month']);
    }
  });
});

describe('the indicator engine on the demo data', () => {
  let system: TestSystem;
  let deps: Deps;
  let head: Session; // gd_head: the province, analysis.indicators
  let cityHead: Session; // gz_head: one city
  let manager: Session; // gz_am01: their own portfolio
  const everything = systemActor(new Set(ALL_PERMISSIONS));

  beforeAll(async () => {
    system = await startTestSystem();
    deps = makeDeps(system.config, system.database);
    [head, cityHead, manager] = await Promise.all([system.login('gd_head'), system.login('gz_head'), system.login('gz_am01')]);
  }, 120_000);
  afterAll(() => system?.close());

  // the hand-written figures: straight from the facts and the unit tree, not through the rollup or its view
  const rawByCityMonth = sql`
    WITH per_customer AS (
      SELECT f.month, f.customer_id, sum(f.billed) AS billed, sum(f.min_local + f.min_long_distance + f.min_roaming) AS voice,
             sum(f.data_mb) AS mb, sum(f.rev_data) AS rev_data, sum(f.arrears) AS arrears
      FROM monthly_facts f GROUP BY f.month, f.customer_id)
    SELECT ci.id::text AS city, to_char(p.month, 'YYYY-MM') AS month, sum(p.billed)::float8 AS billed, sum(p.voice)::float8 AS voice,
           sum(p.mb)::float8 AS mb, sum(p.rev_data)::float8 AS rev_data, count(*) FILTER (WHERE p.arrears > 0)::int AS arrears_customers,
           count(*) FILTER (WHERE p.billed > 0)::int AS billed_customers
    FROM per_customer p
    JOIN customers c ON c.id = p.customer_id
    JOIN org_units o ON o.id = c.unit_id
    JOIN org_units ci ON ci.kind = 'city' AND o.path LIKE ci.path || '%'
    GROUP BY 1, 2`;

  const byKeys = (r: IndicatorResult) => new Map(r.rows.map((row) => [JSON.stringify(Object.values(row.keys)), row.values]));

  it('fills the rollup from the demo loader, for every fact month', async () => {
    const [row] = await system.database.rows<{ months: number; facts: number }>(
      sql`SELECT (SELECT count(DISTINCT month)::int FROM analysis_month_cube) AS months, (SELECT count(DISTINCT month)::int FROM customer_month_totals) AS facts`,
    );
    expect(row!.months).toBe(row!.facts);
    expect(row!.months).toBe(12);
  });

  it('gives the same figures as a GROUP BY on the raw facts (city × month)', async () => {
    const raw = await system.database.rows<Record<string, string | number>>(rawByCityMonth);
    const result = await evaluateIndicators(deps, everything, {
      indicators: ['billed_revenue', 'voice_minutes', 'data_mb', 'revenue_data', 'arrears_customers', 'billed_customers', 'arpu'],
      dimensions: ['city', 'month'],
      from: '2025-11',
      to: '2026-10',
    });
    const engine = byKeys(result);
    expect(raw.length).toBeGreaterThan(12);
    expect(engine.size).toBe(raw.length);
    for (const r of raw) {
      const v = engine.get(JSON.stringify([r.city, r.month]))!;
      expect(v, `${r.city} ${r.month}`).toBeDefined();
      expect(v.billed_revenue).toBeCloseTo(Number(r.billed), 2);
      expect(v.voice_minutes).toBe(Number(r.voice));
      expect(v.data_mb).toBeCloseTo(Number(r.mb), 2);
      expect(v.revenue_data).toBeCloseTo(Number(r.rev_data), 2);
      expect(v.arrears_customers).toBe(Number(r.arrears_customers));
      expect(v.arpu).toBeCloseTo(Number(r.billed) / Number(r.billed_customers), 6);
    }
    // the total: flows summed over the year, stocks (customers in arrears) as of the last month
    const billed = raw.reduce((s, r) => s + Number(r.billed), 0);
    expect(result.totals.billed_revenue).toBeCloseTo(billed, 2);
    const lastArrears = raw.filter((r) => r.month === '2026-10').reduce((s, r) => s + Number(r.arrears_customers), 0);
    expect(result.totals.arrears_customers).toBe(lastArrears);
  });

  it('counts customers in network by kind and month as the customers table says', async () => {
    const raw = await system.database.rows<{ kind: string; month: string; n: number }>(sql`
      SELECT c.kind, to_char(m, 'YYYY-MM') AS month, count(*)::int AS n
      FROM generate_series('2025-11-01'::date, '2026-10-01'::date, interval '1 month') m
      JOIN customers c ON c.merged_into IS NULL AND coalesce(c.joined_on, m::date) < (m + interval '1 month')::date
        AND (c.archive = 'in_network' OR c.archived_on >= (m + interval '1 month')::date)
      GROUP BY 1, 2`);
    const engine = byKeys(await evaluateIndicators(deps, everything, { indicators: ['in_network_customers'], dimensions: ['kind', 'month'], from: '2025-11', to: '2026-10' }));
    for (const r of raw) expect(engine.get(JSON.stringify([r.kind, r.month]))?.in_network_customers, `${r.kind} ${r.month}`).toBe(r.n);
  });

  it('keeps a city head to their city and an account manager to their own customers', async () => {
    const raw = await system.database.rows<Record<string, string | number>>(rawByCityMonth);
    const [gz] = await system.database.rows<{ id: string; path: string }>(sql`SELECT id::text, path FROM org_units WHERE code = 'GD-GZ'`);
    const cityRes = await cityHead.request({
      method: 'POST',
      url: '/api/analysis/indicators/evaluate',
      payload: { indicators: ['billed_revenue'], dimensions: ['city'], from: '2026-10', to: '2026-10' },
    });
    expect(cityRes.statusCode).toBe(200);
    const cityRows = (cityRes.json() as IndicatorResult).rows;
    expect(cityRows.map((r) => r.keys.city)).toEqual([gz!.id]);
    expect(cityRows[0]!.labels.city).toBe('广州分公司');
    // the unit's English name beside it, for the English side of the console (org_units.name_en)
    expect(cityRows[0]!.labelsEn.city).toBe('Guangzhou Branch');
    expect(cityRows[0]!.values.billed_revenue).toBeCloseTo(Number(raw.find((r) => r.city === gz!.id && r.month === '2026-10')!.billed), 2);

    const [me] = await system.database.rows<{ id: number }>(sql`SELECT id FROM users WHERE username = 'gz_am01'`);
    const [own] = await system.database.rows<{ billed: number; customers: number }>(sql`
      SELECT coalesce(sum(f.billed), 0)::float8 AS billed, count(DISTINCT f.customer_id)::int AS customers
      FROM monthly_facts f JOIN customers c ON c.id = f.customer_id
      WHERE f.month = '2026-10-01' AND c.manager_id = ${me!.id}`);
    const mine = await manager.request({
      method: 'POST',
      url: '/api/analysis/indicators/evaluate',
      payload: { indicators: ['billed_revenue'], dimensions: ['manager'], from: '2026-10', to: '2026-10' },
    });
    expect(mine.statusCode).toBe(200);
    const body = mine.json() as IndicatorResult;
    expect(own!.customers).toBeGreaterThan(0);
    expect(body.rows.every((r) => r.keys.manager === String(me!.id))).toBe(true);
    expect(body.totals.billed_revenue).toBeCloseTo(own!.billed, 2);

    // the drill-down keeps the same scope
    const drill = await manager.request({ method: 'GET', url: '/api/analysis/drill?indicator=billed_customers&from=2026-10&to=2026-10&limit=500' });
    expect(drill.statusCode).toBe(200);
    const items = (drill.json() as { items: { managerId: number }[] }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.managerId === me!.id)).toBe(true);
  });

  it('reads the rollup by area for a city or a county, and by unit for an outlet: the figures of the subtree', async () => {
    const units = await system.database.rows<{ id: number; path: string; kind: string }>(sql`
      SELECT DISTINCT ON (o.kind) o.id, o.path, o.kind FROM org_units o WHERE o.kind IN ('city', 'county', 'outlet')
        AND EXISTS (SELECT 1 FROM customers c JOIN org_units x ON x.id = c.unit_id WHERE x.path LIKE o.path || '%') ORDER BY o.kind, o.id`);
    // the demo's key accounts belong to cities and counties; an outlet (by unit) is read when one holds customers
    expect(units.map((u) => u.kind)).toEqual(expect.arrayContaining(['city', 'county']));
    for (const u of units) {
      const [raw] = await system.database.rows<{ billed: number }>(sql`
        SELECT coalesce(sum(f.billed), 0)::float8 AS billed FROM monthly_facts f JOIN customers c ON c.id = f.customer_id JOIN org_units o ON o.id = c.unit_id
        WHERE f.month BETWEEN '2026-01-01' AND '2026-10-01' AND o.path LIKE ${`${u.path}%`}`);
      const reader = { ...everything, unitPath: u.path, areaPath: u.path };
      const res = await evaluateIndicators(deps, reader, { indicators: ['billed_revenue'], dimensions: ['level'], from: '2026-01', to: '2026-10' });
      expect(res.totals.billed_revenue, u.kind).toBeCloseTo(raw!.billed, 2);
    }
  });

  it('gives the same manager figures from the rollup by manager and from the full one', async () => {
    const q = { indicators: ['billed_revenue', 'customers'], from: '2026-01', to: '2026-10' };
    const byManager = await evaluateIndicators(deps, everything, { ...q, dimensions: ['manager', 'kind'] });
    const full = await evaluateIndicators(deps, everything, { ...q, dimensions: ['manager', 'brand'] });
    const [raw] = await system.database.rows<{ billed: number }>(sql`SELECT sum(billed)::float8 AS billed FROM monthly_facts WHERE month BETWEEN '2026-01-01' AND '2026-10-01'`);
    expect(byManager.totals.billed_revenue).toBeCloseTo(raw!.billed, 2);
    expect(full.totals.billed_revenue).toBeCloseTo(raw!.billed, 2);
    expect(byManager.totals.customers).toBe(full.totals.customers);
  });

  it('drills into the customers behind a figure: as many as it counts', async () => {
    const res = await evaluateIndicators(deps, everything, { indicators: ['arrears_customers', 'new_customers'], dimensions: ['city'], from: '2026-10', to: '2026-10' });
    const row = res.rows.find((r) => (r.values.arrears_customers ?? 0) > 0)!;
    const drill = await head.request({ method: 'GET', url: `/api/analysis/drill?indicator=arrears_customers&from=2026-10&to=2026-10&city=${row.keys.city}&limit=1` });
    expect(drill.statusCode).toBe(200);
    expect((drill.json() as { total: number }).total).toBe(row.values.arrears_customers);
  });

  it('follows a rules run: the run marks its month, the job rebuilds it, and the levels in the rollup are the ratings’', async () => {
    await runMonth(deps, everything, '2026-10', 'cli');
    const marked = await system.database.rows<{ month: string }>(sql`SELECT to_char(month, 'YYYY-MM') AS month FROM analysis_stale_months`);
    expect(marked.map((m) => m.month)).toContain('2026-10');
    expect((await refreshStaleMonths(deps)).months).toContain('2026-10');
    expect(await system.database.rows(sql`SELECT 1 FROM analysis_stale_months`)).toEqual([]);
    const raw = await system.database.rows<{ level: string; n: number }>(sql`SELECT level, count(*)::int AS n FROM customer_ratings WHERE month = '2026-10-01' GROUP BY level`);
    expect(raw.length).toBeGreaterThan(1);
    const engine = byKeys(await evaluateIndicators(deps, everything, { indicators: ['rated_customers', 'points_earned'], dimensions: ['level'], from: '2026-10', to: '2026-10' }));
    for (const r of raw) expect(engine.get(JSON.stringify([r.level]))?.rated_customers, r.level).toBe(r.n);
    const [earned] = await system.database.rows<{ n: number }>(sql`SELECT sum(points_earned + points_promo)::int AS n FROM customer_ratings WHERE month = '2026-10-01'`);
    const total = await evaluateIndicators(deps, everything, { indicators: ['points_earned', 'points_liability'], dimensions: [], from: '2026-10', to: '2026-10' });
    expect(total.totals.points_earned).toBe(earned!.n);
    const [balance] = await system.database.rows<{ n: number }>(sql`SELECT coalesce(sum(balance), 0)::int AS n FROM points_accounts`);
    expect(total.totals.points_liability).toBe(balance!.n);
  });

  it('evaluates the raw sources (requests, surveys, campaigns, scorecards); a campaign counts its contacted and answering members', async () => {
    // a running campaign of 2026-09 with four members of 广州: three contacted, two of them answered
    const [campaign] = await system.database.rows<{ id: number }>(sql`
      INSERT INTO analysis_campaigns (name, channel, starts_on, ends_on, offer, status, owner_id, unit_id)
      SELECT '专线提速体验', 'phone', '2026-09-10', '2026-10-31', '专线提速 3 个月', 'running', id, unit_id FROM users WHERE username = 'gz_head' RETURNING id`);
    await system.database.rows(sql`
      INSERT INTO analysis_campaign_members (campaign_id, customer_id, unit_id, manager_id, response)
      SELECT ${campaign!.id}, c.id, c.unit_id, c.manager_id, (ARRAY['accepted', 'declined', 'no_answer', NULL])[row_number() OVER (ORDER BY c.id)]
      FROM customers c JOIN org_units u ON u.id = c.unit_id JOIN org_units gz ON gz.code = 'GD-GZ' AND u.path LIKE gz.path || '%'
      ORDER BY c.id LIMIT 4`);
    const res = await evaluateIndicators(deps, everything, {
      indicators: ['requests_raised', 'sla_met_rate', 'fee_waivers', 'satisfaction_avg', 'campaign_reach', 'campaign_responses', 'campaign_response_rate'],
      dimensions: ['city', 'level'],
      from: '2026-01',
      to: '2026-10',
    });
    expect(res.totals).toMatchObject({ campaign_reach: 3, campaign_responses: 2 });
    expect(res.totals.campaign_response_rate).toBeCloseTo(66.67, 1);
    const drilled = await drillCustomers(deps, everything, { indicator: 'campaign_responses', keys: {}, from: '2026-09', to: '2026-09' }, { offset: 0, limit: 10 });
    expect(drilled.total).toBe(2);
    const before = await evaluateIndicators(deps, everything, { indicators: ['campaign_reach'], dimensions: [], from: '2026-01', to: '2026-08' });
    expect(before.totals.campaign_reach ?? 0).toBe(0);
    const managers = await evaluateIndicators(deps, everything, { indicators: ['scorecard_visits', 'scorecard_total', 'scored_managers'], dimensions: ['manager', 'county'], from: '2026-01', to: '2026-10' });
    expect(managers.rows.every((r) => r.values.scored_managers! > 0)).toBe(true);
  });

  it('refuses a dimension an indicator cannot be cut by, naming the field', async () => {
    const res = await head.request({
      method: 'POST',
      url: '/api/analysis/indicators/evaluate',
      payload: { indicators: ['scorecard_visits'], dimensions: ['level'], from: '2026-10', to: '2026-10' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.dimensions');
  });

  it('lets administrators add derived indicators, validated, versioned and evaluated from their operands', async () => {
    const base = { group: 'revenue', nameZh: '集团客户数据收入', nameEn: 'Data revenue of group customers', definitionZh: '集团客户的数据业务收入', definitionEn: 'Data revenue of group customers', unit: 'yuan', direction: 'higher' };
    const created = await head.request({ method: 'POST', url: '/api/analysis/indicators', payload: { ...base, code: 'group_data_revenue', formula: { op: 'filter', left: 'revenue_data', filter: { kind: ['group'] } } } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().dimensions).toContain('city');
    const ratio = await head.request({
      method: 'POST',
      url: '/api/analysis/indicators',
      payload: { ...base, code: 'group_data_share', unit: 'percent', nameZh: '集团数据收入占比', nameEn: 'Group data share', formula: { op: 'ratio', left: 'group_data_revenue', right: 'billed_revenue', scale: 100 } },
    });
    expect(ratio.statusCode, ratio.body).toBe(201);

    const derived = await evaluateIndicators(deps, everything, { indicators: ['group_data_revenue', 'group_data_share', 'billed_revenue'], dimensions: ['month'], from: '2026-09', to: '2026-10' });
    const direct = await evaluateIndicators(deps, everything, { indicators: ['revenue_data'], dimensions: ['month'], from: '2026-09', to: '2026-10', filters: { kind: ['group'] } });
    expect(derived.totals.group_data_revenue).toBeCloseTo(direct.totals.revenue_data!, 2);
    expect(derived.totals.group_data_share).toBeCloseTo((direct.totals.revenue_data! / derived.totals.billed_revenue!) * 100, 6);

    // problems name their field
    const unknown = await head.request({ method: 'POST', url: '/api/analysis/indicators', payload: { ...base, code: 'x_unknown', formula: { op: 'sum', left: 'no_such', right: 'billed_revenue' } } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('body.formula.left');
    const badFilter = await head.request({ method: 'POST', url: '/api/analysis/indicators', payload: { ...base, code: 'x_filter', formula: { op: 'filter', left: 'scorecard_visits', filter: { level: ['A'] } } } });
    expect(badFilter.statusCode).toBe(400);
    expect(badFilter.json().errors[0].field).toBe('body.formula.filter.level');
    const first = created.json() as { id: number; version: number };
    const cycle = await head.request({ method: 'PATCH', url: `/api/analysis/indicators/derived/${first.id}`, payload: { ...base, version: first.version, formula: { op: 'filter', left: 'group_data_share', filter: { kind: ['group'] } } } });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().code).toBe('analysis_indicator_cycle');
    expect(cycle.json().errors[0].field).toBe('body.formula.left');
    const clash = await head.request({ method: 'POST', url: '/api/analysis/indicators', payload: { ...base, code: 'arpu', formula: { op: 'sum', left: 'billed_revenue', right: 'paid_revenue' } } });
    expect(clash.statusCode).toBe(409);

    // versions and use
    const inUse = await head.request({ method: 'DELETE', url: `/api/analysis/indicators/derived/${first.id}?version=${first.version}` });
    expect(inUse.statusCode).toBe(409);
    const stale = await head.request({ method: 'PATCH', url: `/api/analysis/indicators/derived/${first.id}`, payload: { ...base, version: first.version + 5, formula: { op: 'filter', left: 'revenue_data', filter: { kind: ['group'] } } } });
    expect(stale.statusCode).toBe(409);
    const listed = await cityHead.request({ method: 'GET', url: '/api/analysis/indicators' });
    expect((listed.json() as { code: string; derived: boolean }[]).filter((i) => i.derived).map((i) => i.code).sort()).toEqual(['group_data_revenue', 'group_data_share']);
    // only holders of analysis.indicators define indicators
    expect((await cityHead.request({ method: 'POST', url: '/api/analysis/indicators', payload: { ...base, code: 'x_city', formula: { op: 'sum', left: 'billed_revenue', right: 'paid_revenue' } } })).statusCode).toBe(403);
    const [audited] = await system.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'analysis_indicator'`);
    expect(audited!.n).toBe(2);
  });

  it('exports the catalogue as a document and rebuilds a month on request', async () => {
    const md = await cityHead.request({ method: 'GET', url: '/api/analysis/indicators/export?format=md' });
    expect(md.statusCode).toBe(200);
    expect(md.body).toContain('# 指标体系');
    expect(md.body).toContain('户均收入（ARPU）');
    const xlsx = await cityHead.request({ method: 'GET', url: '/api/analysis/indicators/export' });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');

    const before = await evaluateIndicators(deps, everything, { indicators: ['billed_revenue', 'customers'], dimensions: [], from: '2026-10', to: '2026-10' });
    const rebuilt = await head.request({ method: 'POST', url: '/api/analysis/rollups/2026-10/refresh' });
    expect(rebuilt.statusCode, rebuilt.body).toBe(200);
    expect(rebuilt.json().rows).toBeGreaterThan(0);
    const after = await evaluateIndicators(deps, everything, { indicators: ['billed_revenue', 'customers'], dimensions: [], from: '2026-10', to: '2026-10' });
    expect(after.totals).toEqual(before.totals);
    expect((await manager.request({ method: 'POST', url: '/api/analysis/rollups/2026-10/refresh' })).statusCode).toBe(403);
    const empty = await head.request({ method: 'POST', url: '/api/analysis/rollups/2020-01/refresh' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].field).toBe('params.month');
  });
});
