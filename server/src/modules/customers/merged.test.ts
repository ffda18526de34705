import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import { routeKey, sampleBody } from '../../platform/http/route-samples.testing.js';
import type { OrgUnit } from '../org/schemas.js';
import type { CustomerView } from './schemas.js';

/**
 * 合并后冻结: once merged, a customer takes no change from any path — the console, the API, the rules
 * area — and the refusal names the customer it lives on in, so that the person knows where to go.
 */
let sys: TestSystem;
let admin: Session;
let gzAm: Session;
let units: OrgUnit[];
let survivor: CustomerView;
let merged: CustomerView;
let other: CustomerView;
let discountId: number;
let candidateId: number;

const unitId = (code: string) => units.find((u) => u.code === code)!.id;
const userId = async (username: string) => (await admin.request({ method: 'GET', url: `/api/users?q=${username}` })).json()[0].id as number;
const view = async (id: number) => (await admin.request({ method: 'GET', url: `/api/customers/${id}` })).json() as CustomerView;

async function create(customerNo: string, name: string, unitCode = 'GD-GZ-04') {
  const res = await admin.request({
    method: 'POST',
    url: '/api/customers',
    payload: { customerNo, kind: 'group', name, unitId: unitId(unitCode), ...(unitCode === 'GD-GZ-04' && { managerId: await userId('gz_am01') }), creditCode: '91440106MA5MERGE1X' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().customer as CustomerView;
}

/** Everything of a customer a write could change: its row and the rows that refer to it. */
async function fingerprint(customerId: number) {
  const [row] = await sys.database.rows(sql`
    SELECT (SELECT md5(c::text) FROM customers c WHERE c.id = ${customerId}) AS customer,
           ${sql.join(
             ['visits', 'key_persons', 'customer_changes', 'lifecycle_events', 'portfolio_assignments', 'points_ledger', 'benefit_usages', 'discount_requests', 'potential_candidates'].map(
               (t) => sql`(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.id), '')) FROM ${sql.identifier(t)} x WHERE x.customer_id = ${customerId}) AS ${sql.identifier(t)}`,
             ),
             sql`, `,
           )},
           (SELECT md5(a::text) FROM points_accounts a WHERE a.customer_id = ${customerId}) AS points`);
  return row;
}

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
  gzAm = await sys.login('gz_am01');
  units = (await admin.request({ method: 'GET', url: '/api/org/units' })).json();
  survivor = await create('M-G0001', '广州合并存续科技有限公司');
  const dup = await create('M-G0002', '广州合并重复录入科技有限公司');
  other = await create('M-G0003', '广州另一家科技有限公司');
  // the duplicate's own records from before the merge: points, a pending discount request, an open candidacy
  expect((await admin.request({ method: 'POST', url: `/api/customers/${dup.id}/points/promo`, payload: { points: 500, reason: '开户礼' } })).statusCode).toBe(201);
  const requested = await gzAm.request({ method: 'POST', url: `/api/customers/${dup.id}/discounts`, payload: { amount: '100', months: 3, reason: '续约挽留' } });
  expect(requested.statusCode, requested.body).toBe(201);
  discountId = requested.json().id;
  const [candidate] = await sys.database.rows<{ id: number }>(
    sql`INSERT INTO potential_candidates (customer_id, month, reasons) VALUES (${dup.id}, '2026-10-01', '{}') RETURNING id`,
  );
  candidateId = Number(candidate!.id);
  const res = await admin.request({
    method: 'POST',
    url: `/api/customers/${survivor.id}/merge`,
    payload: { version: survivor.version, duplicateId: dup.id, duplicateVersion: (await view(dup.id)).version },
  });
  expect(res.statusCode, res.body).toBe(200);
  [survivor, merged] = [res.json(), await view(dup.id)];
  expect(merged.mergedInto).toBe(survivor.id);
});
afterAll(() => sys.close());

/** The writes that change nothing of a merged customer, with the reason; every other write on a customer is refused. */
const ALLOWED_ON_MERGED: Record<string, string> = {
  'POST /api/customers/:id/reveal': 'a read of one field (audited), not a change',
  'POST /api/discounts/:id/withdrawal': 'the requester closes their own pending request; nothing of the customer changes',
};

/** The id each write route names on the merged customer: the customer itself, or its discount request or candidacy. */
function recordOf(url: string): number | undefined {
  if (url.startsWith('/api/customers/:id')) return merged.id;
  if (url.startsWith('/api/discounts/:id')) return discountId;
  if (url.startsWith('/api/rules/candidates/:id')) return candidateId;
  return undefined;
}

const writesOnCustomers = () => sys.app.accessCatalogue.filter((r) => r.method !== 'GET' && recordOf(r.url) !== undefined);

async function versionOf(url: string, id: number): Promise<number> {
  const table = url.startsWith('/api/discounts') ? 'discount_requests' : url.startsWith('/api/rules/candidates') ? 'potential_candidates' : 'customers';
  const [row] = await sys.database.rows<{ version: number }>(sql`SELECT version FROM ${sql.identifier(table)} WHERE id = ${id}`);
  return Number(row!.version);
}

describe('a merged customer is frozen (合并后冻结)', () => {
  it('walks every write on a customer and its records; the allowed ones are listed with their reason', () => {
    const keys = writesOnCustomers().map(routeKey);
    expect(keys.length).toBeGreaterThan(12);
    expect(keys).toEqual(expect.arrayContaining(Object.keys(ALLOWED_ON_MERGED)));
  });

  it('refuses every other write with 409 customer_merged naming the survivor, in both languages, and changes nothing', async () => {
    const items = (await admin.request({ method: 'GET', url: '/api/points/catalogue' })).json() as { id: number }[];
    const failures: string[] = [];
    for (const route of writesOnCustomers().filter((r) => !(routeKey(r) in ALLOWED_ON_MERGED))) {
      const id = recordOf(route.url)!;
      const url = route.url.replace(':id', String(id)).replace(':code', 'vip_lounge');
      const payload = sampleBody(route, {
        version: await versionOf(route.url, id),
        managerId: await userId('gz_am02'),
        duplicate: { id: other.id, version: (await view(other.id)).version },
        catalogueItemId: items[0]!.id,
      });
      const before = await fingerprint(merged.id);
      for (const [language, words] of [['zh-CN', '已合并到客户'], ['en-US', 'was merged into']] as const) {
        const res = await admin.request({ method: route.method as 'POST', url, payload, headers: { 'accept-language': language } });
        const { code, title = '' } = res.json() as { code?: string; title?: string };
        const named = title.includes(words) && title.includes(survivor.customerNo) && title.includes(survivor.name);
        if (res.statusCode !== 409 || code !== 'customer_merged' || !named) failures.push(`${routeKey(route)} (${language}) → ${res.statusCode} ${res.body}`);
      }
      if (JSON.stringify(await fingerprint(merged.id)) !== JSON.stringify(before)) failures.push(`${routeKey(route)} changed the merged customer`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses to merge a merged customer into a live one, naming where it went', async () => {
    const live = await view(other.id);
    const res = await admin.request({
      method: 'POST',
      url: `/api/customers/${live.id}/merge`,
      payload: { version: live.version, duplicateId: merged.id, duplicateVersion: merged.version },
    });
    expect([res.statusCode, res.json().code]).toEqual([409, 'customer_merged']);
    expect(res.json().title).toBe(`该客户已合并到客户 ${survivor.customerNo}（${survivor.name}），不能再修改，请在该客户上办理`);
    expect((await view(other.id)).version).toBe(live.version);
  });

  it('lets the requester withdraw a pending discount request of a merged customer', async () => {
    const res = await gzAm.request({ method: 'POST', url: `/api/discounts/${discountId}/withdrawal`, payload: { version: await versionOf('/api/discounts', discountId) } });
    expect([res.statusCode, res.json().status]).toEqual([200, 'withdrawn']);
  });

  it('still shows the merged customer and its history to those who may read it', async () => {
    expect((await admin.request({ method: 'GET', url: `/api/customers/${merged.id}/history` })).statusCode).toBe(200);
    expect((await admin.request({ method: 'GET', url: `/api/customers/${merged.id}/points` })).json().balance).toBe(500);
  });

  it('does not name a survivor the reader may not see', async () => {
    const [gz, sz] = [await create('M-G0004', '广州跨市重复科技有限公司'), await create('M-G0005', '深圳跨市存续科技有限公司', 'GD-SZ')];
    const res = await admin.request({ method: 'POST', url: `/api/customers/${sz.id}/merge`, payload: { version: sz.version, duplicateId: gz.id, duplicateVersion: gz.version } });
    expect(res.statusCode, res.body).toBe(200);
    const gzHead = await sys.login('gz_head');
    const refused = await gzHead.request({ method: 'PATCH', url: `/api/customers/${gz.id}`, payload: { version: (await view(gz.id)).version, address: '广州市天河区' } });
    expect([refused.statusCode, refused.json().code]).toEqual([409, 'customer_merged_hidden']);
    expect(refused.body).not.toContain(sz.customerNo);
    expect(refused.body).not.toContain('深圳');
  });

  it('names the end of the chain when the survivor was merged in turn', async () => {
    const [live, end] = [await view(survivor.id), await view(other.id)];
    const res = await admin.request({ method: 'POST', url: `/api/customers/${end.id}/merge`, payload: { version: end.version, duplicateId: live.id, duplicateVersion: live.version } });
    expect(res.statusCode, res.body).toBe(200);
    const refused = await admin.request({ method: 'POST', url: `/api/customers/${merged.id}/key-persons`, payload: { name: '钱关键', role: 'it_contact' } });
    expect(refused.json().title).toContain(`${end.customerNo}（${end.name}）`);
  });
});
