import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSolutions } from '../../../demo/services-solutions.js';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { makeDeps } from '../../../platform/deps.js';
import { todayAt } from '../../../platform/months.js';
import type { Pipeline, Product, Solution } from './schemas.js';

let sys: TestSystem;
let gdHead: Session;
let gzHead: Session;
let szHead: Session;
let gzAm: Session;
let analyst: Session;
/** Customers of gz_am01's portfolio (a group customer and an individual) and one of gz_am02's. */
let group: number;
let individual: number;
let otherManagers: number;
const catalogue: Record<string, Product> = {};

const one = async <T>(query: ReturnType<typeof sql>) => (await sys.database.rows<T>(query))[0]!;
const idOf = async (query: ReturnType<typeof sql>) => Number((await one<{ id: number }>(query)).id);
const userId = (username: string) => idOf(sql`SELECT id FROM users WHERE username = ${username}`);
const customerOf = (manager: string, kind: string) =>
  idOf(sql`SELECT c.id FROM customers c JOIN users u ON u.id = c.manager_id WHERE u.username = ${manager} AND c.kind = ${kind} AND c.archive = 'in_network' ORDER BY c.id LIMIT 1`);

const post = (s: Session, url: string, payload: Record<string, unknown>, lang?: string) =>
  s.request({ method: 'POST', url, payload, ...(lang && { headers: { 'accept-language': lang } }) });
const patch = (s: Session, url: string, payload: Record<string, unknown>) => s.request({ method: 'PATCH', url, payload });
const get = (s: Session, url: string) => s.request({ method: 'GET', url });
const fieldsOf = (body: string) => ((JSON.parse(body) as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field);

async function product(code: string, payload: Record<string, unknown>): Promise<Product> {
  const res = await post(gdHead, '/api/solution-products', { code, category: 'connectivity', kind: 'product', ...payload });
  expect(res.statusCode, res.body).toBe(201);
  return (catalogue[code] = res.json());
}

async function drafted(s: Session, customerId: number, payload: Record<string, unknown>): Promise<Solution> {
  const res = await post(s, `/api/customers/${customerId}/solutions`, { title: '集团信息化升级方案', ...payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const move = (s: Session, sol: Pick<Solution, 'id' | 'version'>, status: string, extra: Record<string, unknown> = {}, lang?: string) =>
  post(s, `/api/solutions/${sol.id}/status`, { version: sol.version, status, ...extra }, lang);

async function moved(s: Session, sol: Pick<Solution, 'id' | 'version'>, ...statuses: string[]): Promise<Solution> {
  let current = sol as Solution;
  for (const status of statuses) {
    const res = await move(s, current, status, status === 'lost' ? { reason: '客户预算取消' } : {});
    expect(res.statusCode, res.body).toBe(200);
    current = res.json();
  }
  return current;
}

const itemOf = (code: string, quantity: number, monthlyFee?: string) => ({ productId: catalogue[code]!.id, quantity, ...(monthlyFee && { monthlyFee }) });

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error' });
  [gdHead, gzHead, szHead, gzAm, analyst] = await Promise.all([sys.login('gd_head'), sys.login('gz_head'), sys.login('sz_head'), sys.login('gz_am01'), sys.login('gd_analyst')]);
  [group, individual, otherManagers] = await Promise.all([customerOf('gz_am01', 'group'), customerOf('gz_am01', 'individual'), customerOf('gz_am02', 'group')]);
  await product('DIA-100M', { name: '互联网专线（100M）', nameEn: 'Dedicated Internet access, 100 Mbps', monthlyFee: '3000.00' });
  await product('VPMN', { name: '集团V网', nameEn: 'Group VPMN', category: 'voice', monthlyFee: '10.50' });
  await product('ECS-4C8G', { name: '移动云主机（4核8G）', category: 'cloud', monthlyFee: '899.99' });
  await product('HOME-1000M', { name: '家庭宽带千兆', category: 'personal', monthlyFee: '129' });
}, 120_000);
afterAll(() => sys?.close());

describe('the catalogue (解决方案目录)', () => {
  it('a bundle lists its products with quantities and shows them', async () => {
    const bundle = await product('HESHANGWU', { name: '和商务套餐', kind: 'bundle', category: 'ict', monthlyFee: '599', items: [itemOf('DIA-100M', 1), itemOf('VPMN', 20)] });
    expect(bundle).toMatchObject({ kind: 'bundle', monthlyFee: '599.00', active: true, version: 1 });
    expect(bundle.items.map((i) => [i.code, i.quantity, i.monthlyFee])).toEqual([
      ['DIA-100M', 1, '3000.00'],
      ['VPMN', 20, '10.50'],
    ]);
    const [logged] = await sys.database.rows(sql`SELECT action, after FROM audit_log WHERE entity = 'solution_product' AND entity_id = ${String(bundle.id)}`);
    expect(logged).toMatchObject({ action: 'create', after: { code: 'HESHANGWU', kind: 'bundle' } });
  });

  it.each([
    ['a bundle inside a bundle', () => ({ kind: 'bundle', items: [itemOf('HESHANGWU', 1)] }), 'body.items.0.productId', 'solution_bundle_nested'],
    ['a bundle without products', () => ({ kind: 'bundle', items: [] }), 'body.items', 'solution_bundle_empty'],
    ['a product that lists products', () => ({ kind: 'product', items: [itemOf('VPMN', 2)] }), 'body.items', 'solution_product_no_items'],
    ['a product listed twice', () => ({ kind: 'bundle', items: [itemOf('VPMN', 2), itemOf('VPMN', 3)] }), 'body.items.1.productId', 'solution_item_duplicate'],
    ['an unknown product', () => ({ kind: 'bundle', items: [{ productId: 987654, quantity: 1 }] }), 'body.items.0.productId', 'not_found'],
    ['a fee with three decimals', () => ({ monthlyFee: '1.234' }), 'body.monthlyFee', 'invalid_format'],
    ['an unknown category', () => ({ category: 'satellite' }), 'body.category', 'invalid_value'],
  ])('refuses %s with 400 naming the field', async (_what, body, field, code) => {
    const res = await post(gdHead, '/api/solution-products', { code: 'X-REFUSED', name: '不该保存', category: 'ict', monthlyFee: '100', ...body() });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
  });

  it('a code is unique (409 naming body.code)', async () => {
    const res = await post(gdHead, '/api/solution-products', { code: 'VPMN', name: '另一个V网', kind: 'product', category: 'voice', monthlyFee: '9' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'duplicate', errors: [{ field: 'body.code' }] });
  });

  it('is read by those who draft solutions and those who keep the catalogue; kept only with solutions.catalogue', async () => {
    const listed = await get(gzAm, '/api/solution-products?kind=bundle');
    expect(listed.statusCode).toBe(200);
    expect((listed.json() as Product[]).map((p) => p.code)).toEqual(['HESHANGWU']);
    expect(Number(listed.headers['x-total-count'])).toBe(1);
    expect((await get(analyst, '/api/solution-products')).statusCode).toBe(403);
    expect((await post(gzHead, '/api/solution-products', { code: 'X-HEAD', name: '地市新增', kind: 'product', category: 'ict', monthlyFee: '1' })).statusCode).toBe(403);
    expect((await get(gzAm, `/api/solution-products/${catalogue.VPMN!.id}`)).json().name).toBe('集团V网');
    expect((await get(gzAm, '/api/solution-products/987654')).statusCode).toBe(404);
  });

  it('reprices at the version read (409 when stale) and changes a bundle’s products', async () => {
    const bundle = catalogue.HESHANGWU!;
    const res = await patch(gdHead, `/api/solution-products/${bundle.id}`, { version: bundle.version, monthlyFee: '639.90', items: [itemOf('DIA-100M', 1), itemOf('VPMN', 30)] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ monthlyFee: '639.90', version: 2, items: [{ code: 'DIA-100M' }, { code: 'VPMN', quantity: 30 }] });
    const stale = await patch(gdHead, `/api/solution-products/${bundle.id}`, { version: bundle.version, monthlyFee: '1' });
    expect([stale.statusCode, stale.json().code]).toEqual([409, 'version_conflict']);
    const nested = await patch(gdHead, `/api/solution-products/${bundle.id}`, { version: 2, items: [itemOf('HESHANGWU', 1)] });
    expect([nested.statusCode, fieldsOf(nested.body)]).toEqual([400, ['body.items.0.productId']]);
    catalogue.HESHANGWU = res.json();
  });
});

describe('drafting a solution (编制方案)', () => {
  it('for a group customer: a group solution owned by its author, fees defaulting to the catalogue’s, the revenue summed exactly in decimals', async () => {
    const sol = await drafted(gzAm, group, { items: [itemOf('VPMN', 3, '33.33'), itemOf('ECS-4C8G', 1), itemOf('DIA-100M', 7, '0.1')] });
    expect(sol).toMatchObject({ customerId: group, kind: 'group', status: 'draft', owner: 'gz_am01', nextStatuses: ['proposed', 'lost'], version: 1 });
    expect(sol.items.map((i) => [i.code, i.quantity, i.monthlyFee, i.amount])).toEqual([
      ['VPMN', 3, '33.33', '99.99'],
      ['ECS-4C8G', 1, '899.99', '899.99'],
      ['DIA-100M', 7, '0.10', '0.70'],
    ]);
    // 99.99 + 899.99 + 0.70 in floating point is 1000.6800000000001
    expect(sol.expectedMonthlyRevenue).toBe('1000.68');
    const [logged] = await sys.database.rows(sql`SELECT action, after FROM audit_log WHERE entity = 'solution' AND entity_id = ${String(sol.id)}`);
    expect(logged).toMatchObject({ action: 'create', after: { customerId: group, kind: 'group' } });
  });

  it('for an individual: a personal solution; a group solution for an individual is refused (400 naming body.kind)', async () => {
    expect((await drafted(gzAm, individual, { title: '家庭融合套餐方案', items: [itemOf('HOME-1000M', 1)] })).kind).toBe('personal');
    const res = await post(gzAm, `/api/customers/${individual}/solutions`, { kind: 'group', title: '错配的方案' });
    expect([res.statusCode, res.json().code, fieldsOf(res.body)]).toEqual([400, 'solution_kind_mismatch', ['body.kind']]);
    const wrong = await post(gzAm, `/api/customers/${group}/solutions`, { kind: 'personal', title: '错配的方案' });
    expect(fieldsOf(wrong.body)).toEqual(['body.kind']);
  });

  it.each([
    [{ title: '' }, 'body.title'],
    [{ title: '方案', items: [{ productId: 1, quantity: 0 }] }, 'body.items.0.quantity'],
    [{ title: '方案', items: [{ productId: 1, quantity: 1, monthlyFee: '-1' }] }, 'body.items.0.monthlyFee'],
    [{ title: '方案', items: [{ productId: 1, quantity: 1, monthlyFee: '1000000' }] }, 'body.items.0.monthlyFee'],
    [{ title: '方案', status: 'signed' }, 'body.status'],
  ])('refuses %j with 400 naming %s', async (payload, field) => {
    const res = await post(gzAm, `/api/customers/${group}/solutions`, payload);
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res.body)).toContain(field);
  });

  it('names an owner of the author’s unit or below, not of another city (400 naming body.ownerId)', async () => {
    const handed = await drafted(gzHead, otherManagers, { ownerId: await userId('gz_am02') });
    expect(handed.owner).toBe('gz_am02');
    const res = await post(gzHead, `/api/customers/${otherManagers}/solutions`, { title: '方案', ownerId: await userId('sz_am01') });
    expect([res.statusCode, fieldsOf(res.body)]).toEqual([400, ['body.ownerId']]);
  });

  it('does not add a withdrawn product, but keeps it where it already is', async () => {
    const withdrawn = await product('OLD-LINE', { name: '旧版专线', monthlyFee: '100' });
    const sol = await drafted(gzAm, group, { items: [itemOf('OLD-LINE', 1)] });
    const off = await patch(gdHead, `/api/solution-products/${withdrawn.id}`, { version: 1, active: false });
    expect(off.json().active).toBe(false);
    const kept = await patch(gzAm, `/api/solutions/${sol.id}`, { version: sol.version, items: [itemOf('OLD-LINE', 2)] });
    expect([kept.statusCode, kept.json().expectedMonthlyRevenue]).toEqual([200, '200.00']);
    const added = await post(gzAm, `/api/customers/${group}/solutions`, { title: '新方案', items: [itemOf('OLD-LINE', 1)] });
    expect([added.statusCode, added.json().code, fieldsOf(added.body)]).toEqual([400, 'solution_product_inactive', ['body.items.0.productId']]);
  });
});

describe('the status flow (草稿 → 已提交方案 → 洽谈中 → 已签约 | 已丢单)', () => {
  it('signing adds the solution’s products to the customer’s products, in the same change', async () => {
    const sol = await drafted(gzAm, group, { title: '融合通信方案', items: [itemOf('VPMN', 40, '9.90'), itemOf('HESHANGWU', 1)] });
    const proposed = await moved(gzAm, sol, 'proposed');
    expect(proposed).toMatchObject({ status: 'proposed', nextStatuses: ['negotiating', 'lost'], version: 2 });
    expect(proposed.proposedAt).not.toBeNull();
    const signed = await moved(gzAm, proposed, 'negotiating', 'signed');
    expect(signed).toMatchObject({ status: 'signed', nextStatuses: [], expectedMonthlyRevenue: '1035.90' });
    expect(signed.signedAt).not.toBeNull();
    const view = (await get(gzAm, `/api/customers/${group}`)).json() as { products: { product: string; monthlyFee: string; since: string; note: string; competitor: string | null }[] };
    const added = view.products.filter((p) => p.note?.startsWith('融合通信方案'));
    expect(added.map((p) => [p.product, p.monthlyFee, p.since, p.competitor])).toEqual([
      ['集团V网', '396.00', todayAt(), null],
      ['和商务套餐', '639.90', todayAt(), null],
    ]);
    const [logged] = await sys.database.rows(sql`SELECT after FROM audit_log WHERE entity = 'customer_product' AND entity_id = ${String(group)}`);
    expect(logged).toMatchObject({ after: { source: { entity: 'solution', id: sol.id } } });
  });

  it('an illegal move is 409 naming the allowed ones, in the reader’s language', async () => {
    const sol = await drafted(gzAm, group, { items: [itemOf('DIA-100M', 1)] });
    const res = await move(gzAm, sol, 'signed');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'solution_illegal_move', title: '方案当前为“草稿”，不能改为“已签约”；可改为：“已提交方案”或“已丢单”' });
    const en = await move(gzAm, sol, 'negotiating', {}, 'en-US');
    expect(en.json().title).toBe('The solution is draft and cannot become negotiating; it may become: proposed or lost');
    const signed = await moved(gzAm, sol, 'proposed', 'negotiating', 'signed');
    const again = await move(gzAm, signed, 'lost', { reason: '反悔' });
    expect([again.statusCode, again.json().title]).toEqual([409, '方案当前为“已签约”，不能改为“已丢单”；可改为：无（已签约的方案不再变更）']);
  });

  it('lost needs its reason (400 naming body.reason), keeps it, and closes the solution to changes', async () => {
    const sol = await moved(gzAm, await drafted(gzAm, group, { items: [itemOf('DIA-100M', 1)] }), 'proposed');
    for (const extra of [{}, { reason: '   ' }]) {
      const res = await move(gzAm, sol, 'lost', extra);
      expect([res.statusCode, res.json().code, fieldsOf(res.body)]).toEqual([400, 'solution_lost_reason_required', ['body.reason']]);
    }
    const lost = (await move(gzAm, sol, 'lost', { reason: '客户选择了竞争对手的报价' })).json() as Solution;
    expect(lost).toMatchObject({ status: 'lost', lostReason: '客户选择了竞争对手的报价', nextStatuses: [] });
    expect(lost.closedAt).not.toBeNull();
    const edit = await patch(gzAm, `/api/solutions/${sol.id}`, { version: lost.version, items: [itemOf('DIA-100M', 2)] });
    expect([edit.statusCode, edit.json().code, edit.json().title]).toEqual([409, 'solution_closed', '方案已是“已丢单”，不能再修改']);
    const [logged] = await sys.database.rows(sql`SELECT before, after FROM audit_log WHERE entity = 'solution' AND entity_id = ${String(sol.id)} AND after->>'status' = 'lost'`);
    expect(logged).toMatchObject({ before: { status: 'proposed' }, after: { lostReason: '客户选择了竞争对手的报价' } });
  });

  it('a draft without items cannot be proposed (409), and may be lost directly', async () => {
    const empty = await drafted(gzAm, group, {});
    expect((await move(gzAm, empty, 'proposed')).json().code).toBe('solution_empty');
    expect((await moved(gzAm, empty, 'lost')).status).toBe('lost');
  });

  it('a change at a stale version is 409 version_conflict, for the items and for a move', async () => {
    const sol = await drafted(gzAm, group, { items: [itemOf('DIA-100M', 1)] });
    const edited = await patch(gzAm, `/api/solutions/${sol.id}`, { version: sol.version, title: '专线扩容方案', items: [itemOf('DIA-100M', 2, '2800')] });
    expect(edited.json()).toMatchObject({ title: '专线扩容方案', version: 2, expectedMonthlyRevenue: '5600.00' });
    const stale = await patch(gzAm, `/api/solutions/${sol.id}`, { version: sol.version, title: '旧版本' });
    expect([stale.statusCode, stale.json().code]).toEqual([409, 'version_conflict']);
    expect((await move(gzAm, sol, 'proposed')).json().code).toBe('version_conflict');
    expect((await get(gzAm, `/api/solutions/${sol.id}`)).json()).toMatchObject({ title: '专线扩容方案', status: 'draft', version: 2 });
  });
});

describe('who may do what (权限与数据范围)', () => {
  let gzSolution: Solution;
  beforeAll(async () => {
    gzSolution = await drafted(gzHead, otherManagers, { items: [itemOf('DIA-100M', 1)] });
  });

  it('an analyst reads the pipeline but writes nothing (403)', async () => {
    expect((await get(analyst, '/api/solutions/pipeline')).statusCode).toBe(200);
    expect((await post(analyst, `/api/customers/${group}/solutions`, { title: '分析员的方案' })).statusCode).toBe(403);
    expect((await move(analyst, gzSolution, 'proposed')).statusCode).toBe(403);
  });

  it('a head of 深圳 cannot touch a solution of a 广州 customer: 404 as for none', async () => {
    const missing = await move(szHead, { id: 987654, version: 1 }, 'proposed');
    for (const res of [
      await move(szHead, gzSolution, 'proposed'),
      await patch(szHead, `/api/solutions/${gzSolution.id}`, { version: 1, title: '深圳改名' }),
      await get(szHead, `/api/solutions/${gzSolution.id}`),
    ]) {
      expect([res.statusCode, res.json().title]).toEqual([404, missing.json().title]);
    }
    expect((await post(szHead, `/api/customers/${group}/solutions`, { title: '深圳的方案' })).statusCode).toBe(404);
    expect((await get(szHead, `/api/solutions?customerId=${otherManagers}`)).json()).toEqual([]);
    expect((await get(gzAm, `/api/solutions/${gzSolution.id}`)).statusCode).toBe(404);
    expect((await get(gzHead, `/api/solutions/${gzSolution.id}`)).json().version).toBe(1);
  });
});

describe('lists and the pipeline (方案漏斗)', () => {
  it('the customer’s 360° tab lists its solutions, latest first; the list filters by status, kind, owner and customer', async () => {
    const res = await get(gzAm, `/api/customers/${group}/solutions?limit=100`);
    const listed = res.json() as Solution[];
    expect(listed.length).toBeGreaterThan(5);
    expect(Number(res.headers['x-total-count'])).toBe(listed.length);
    expect(listed.every((s) => s.customerId === group)).toBe(true);
    expect(listed[0]!.updatedAt >= listed.at(-1)!.updatedAt).toBe(true);
    const signed = (await get(gzAm, `/api/solutions?status=signed&customerId=${group}`)).json() as Solution[];
    expect(signed.length).toBe(2);
    expect(signed.every((s) => s.status === 'signed')).toBe(true);
    expect(((await get(gzAm, '/api/solutions?kind=personal&limit=100')).json() as Solution[]).map((s) => s.customerId)).toEqual([individual]);
    const unit = await idOf(sql`SELECT id FROM org_units WHERE code = 'GD-SZ'`);
    expect((await get(gdHead, `/api/solutions?unitId=${unit}`)).json()).toEqual([]);
    expect(fieldsOf((await get(gdHead, '/api/solutions?unitId=987654')).body)).toEqual(['query.unitId']);
  });

  it('counts and sums the expected revenue by status, per owner and per sub-unit, within the reader’s scope', async () => {
    const am02 = await userId('gz_am02');
    // gz_am02's solutions: two drafted here (one handed over above, one below), one proposed, one lost
    const draft = await drafted(gzHead, otherManagers, { ownerId: am02, items: [itemOf('VPMN', 10, '0.01')] });
    await moved(gzHead, await drafted(gzHead, otherManagers, { ownerId: am02, items: [itemOf('ECS-4C8G', 3)] }), 'proposed');
    await moved(gzHead, await drafted(gzHead, otherManagers, { ownerId: am02, items: [itemOf('DIA-100M', 1)] }), 'lost');
    expect(draft.expectedMonthlyRevenue).toBe('0.10');
    const figures = async (s: Session, query: string) => {
      const res = await get(s, `/api/solutions/pipeline?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Pipeline;
    };
    const byOwner = await figures(gzHead, `ownerId=${am02}&by=owner`);
    expect(byOwner.statuses).toEqual([
      { status: 'draft', count: 2, revenue: '0.10' },
      { status: 'proposed', count: 1, revenue: '2699.97' },
      { status: 'negotiating', count: 0, revenue: '0.00' },
      { status: 'signed', count: 0, revenue: '0.00' },
      { status: 'lost', count: 1, revenue: '3000.00' },
    ]);
    expect(byOwner.rows.map((r) => r.name)).toEqual([await one<{ n: string }>(sql`SELECT display_name AS n FROM users WHERE username = 'gz_am02'`).then((r) => r.n)]);

    // per city for the province, and the city's row equals the city's own totals; each count is the list's total
    const province = await figures(gdHead, 'by=unit');
    const gz = await idOf(sql`SELECT id FROM org_units WHERE code = 'GD-GZ'`);
    const gzRow = province.rows.find((r) => r.id === gz)!;
    expect(gzRow.name).toBe('广州分公司');
    const city = await figures(gdHead, `unitId=${gz}`);
    expect(city.statuses).toEqual(gzRow.statuses);
    for (const f of city.statuses) {
      expect(Number((await get(gdHead, `/api/solutions?unitId=${gz}&status=${f.status}&limit=1`)).headers['x-total-count'])).toBe(f.count);
    }
    const [fresh] = await sys.database.rows<{ n: number; revenue: string }>(sql`SELECT count(*)::int AS n, sum(expected_monthly_revenue)::text AS revenue FROM solutions`);
    expect(province.statuses.reduce((n, f) => n + f.count, 0)).toBe(fresh!.n);

    // an account manager's pipeline covers their own portfolio only
    const mine = await figures(gzAm, 'by=owner');
    expect(mine.rows.map((r) => r.name)).not.toContain(byOwner.rows[0]!.name);
  });
});

describe('the demo’s solutions', () => {
  it('a catalogue with bundles, and proposals for about one customer in eight in every status; signed ones added their products', async () => {
    await sys.database.rows(sql`DELETE FROM solution_items`);
    await sys.database.rows(sql`DELETE FROM solutions`);
    await sys.database.rows(sql`DELETE FROM solution_bundle_items`);
    await sys.database.rows(sql`DELETE FROM solution_products`);
    const deps = makeDeps(sys.config, sys.database);
    await seedSolutions(deps, 7);
    const facts = await one<Record<'products' | 'bundles' | 'solutions' | 'customers' | 'statuses' | 'wrong_totals' | 'wrong_kinds' | 'signed_items' | 'signed_products', number>>(sql`
      SELECT (SELECT count(*)::int FROM solution_products WHERE kind = 'product') AS products,
             (SELECT count(*)::int FROM solution_products WHERE kind = 'bundle') AS bundles,
             (SELECT count(*)::int FROM solutions) AS solutions,
             (SELECT count(*)::int FROM customers WHERE archive = 'in_network' AND merged_into IS NULL) AS customers,
             (SELECT count(DISTINCT status)::int FROM solutions) AS statuses,
             (SELECT count(*)::int FROM solutions s WHERE s.expected_monthly_revenue <> (SELECT sum(quantity * monthly_fee) FROM solution_items i WHERE i.solution_id = s.id)) AS wrong_totals,
             (SELECT count(*)::int FROM solutions s JOIN customers c ON c.id = s.customer_id WHERE (c.kind = 'group') <> (s.kind = 'group')) AS wrong_kinds,
             (SELECT count(*)::int FROM solution_items i JOIN solutions s ON s.id = i.solution_id WHERE s.status = 'signed') AS signed_items,
             (SELECT count(*)::int FROM customer_products p JOIN solutions s ON s.customer_id = p.customer_id AND s.status = 'signed' AND p.note LIKE s.title || '（×%') AS signed_products`);
    expect(facts.products).toBeGreaterThanOrEqual(15);
    expect(facts.bundles).toBeGreaterThanOrEqual(3);
    expect(facts.solutions).toBeGreaterThan(facts.customers / 14);
    expect(facts.solutions).toBeLessThan(facts.customers / 5);
    expect(facts).toMatchObject({ statuses: 5, wrong_totals: 0, wrong_kinds: 0 });
    expect(facts.signed_products).toBeGreaterThanOrEqual(facts.signed_items);
    const digest = async () =>
      (await one<{ d: string }>(sql`SELECT md5(string_agg(customer_id || status || title || expected_monthly_revenue, ',' ORDER BY customer_id)) AS d FROM solutions`)).d;
    const first = await digest();
    await sys.database.rows(sql`DELETE FROM solution_items`);
    await sys.database.rows(sql`DELETE FROM solutions`);
    await seedSolutions(deps, 7);
    expect(await digest()).toBe(first);
  });
});
