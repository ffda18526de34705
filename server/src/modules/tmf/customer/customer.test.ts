import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { clientAuthorization } from '../../../platform/auth/clients/clients.testing.js';
import { schemaErrors } from '../schemas/validate.testing.js';

const API = '/tmf-api/customerManagement/v4';
let sys: TestSystem;
let admin: Session;
let gzManager: Session;
/** A group key account of 广州 with a contact phone, and one of 深圳. */
let gz: number;
let sz: number;

const one = async <T>(query: ReturnType<typeof sql>) => (await sys.database.rows<T>(query))[0]!;

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
  gzManager = await sys.login('gz_am01');
  gz = Number((await one<{ id: number }>(sql`SELECT c.id FROM customers c JOIN users m ON m.id = c.manager_id WHERE m.username = 'gz_am01' AND c.kind = 'group' ORDER BY c.id LIMIT 1`)).id);
  sz = Number((await one<{ id: number }>(sql`SELECT c.id FROM customers c JOIN users m ON m.id = c.manager_id WHERE m.username = 'sz_am01' ORDER BY c.id LIMIT 1`)).id);
  await sys.database.db.execute(sql`UPDATE customers SET contact_phone = '13812345678' WHERE id = ${gz}`);
  await sys.database.db.execute(sql`UPDATE customers SET contact_phone = '13612345678' WHERE id = ${sz}`);
}, 120_000);
afterAll(() => sys?.close());

describe('TMF629 Customer', () => {
  it('lists the key accounts as Customers that validate against the v4 schema, with the paging headers and 206 for a partial page', async () => {
    const res = await admin.request({ method: 'GET', url: `${API}/customer?limit=5` });
    expect(res.statusCode, res.body).toBe(206);
    expect(res.headers['x-result-count']).toBe('5');
    expect(Number(res.headers['x-total-count'])).toBeGreaterThan(5);
    expect(schemaErrors('Customer', res.json(), true)).toEqual([]);
    const all = await admin.request({ method: 'GET', url: `${API}/customer?limit=100&offset=${Number(res.headers['x-total-count']) - 3}` });
    expect(all.statusCode).toBe(206);
    expect(all.json()).toHaveLength(3);
  });

  it('answers 200 for a page holding every match', async () => {
    const res = await gzManager.request({ method: 'GET', url: `${API}/customer?limit=100` });
    const total = Number(res.headers['x-total-count']);
    expect(total).toBeLessThan(100);
    expect([res.statusCode, res.json().length]).toEqual([200, total]);
  });


  it('lists the console’s customers in its order, each exactly as its own read renders it (address, archive reason and all)', async () => {
    const fragment = (await one<{ name: string }>(sql`SELECT substr(name, 2, 2) AS name FROM customers WHERE id = ${gz}`)).name;
    const lists = [
      [admin, 'limit=30&offset=40', 'limit=30&offset=40&sort=customerNo&order=asc'],
      [admin, 'limit=20&status=inactive', 'limit=20&archive=retained&sort=customerNo&order=asc'],
      [admin, `limit=20&name=${encodeURIComponent(fragment)}`, `limit=20&q=${encodeURIComponent(fragment)}`],
      [gzManager, 'limit=50', 'limit=50&sort=customerNo&order=asc'],
    ] as const;
    for (const [who, tmf, console] of lists) {
      const page = (await who.request({ method: 'GET', url: `${API}/customer?${tmf}` })).json() as { id: string }[];
      const summaries = (await who.request({ method: 'GET', url: `/api/customers?${console}` })).json() as { id: number }[];
      expect(page.length, tmf).toBeGreaterThan(0);
      expect(page.map((c) => c.id)).toEqual(summaries.map((s) => String(s.id)));
      const singles = await Promise.all(page.map(async (c) => (await who.request({ method: 'GET', url: `${API}/customer/${c.id}` })).json()));
      expect(page).toEqual(singles);
    }
  });
  it('shows one Customer with its party, characteristics, manager and masked phone, its version as ETag', async () => {
    const res = await gzManager.request({ method: 'GET', url: `${API}/customer/${gz}` });
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    expect(schemaErrors('Customer', c)).toEqual([]);
    expect(c).toMatchObject({ id: String(gz), href: `${API}/customer/${gz}`, '@type': 'Customer', status: 'active' });
    expect(c.engagedParty).toMatchObject({ id: String(gz), '@referredType': 'Organization', href: `/tmf-api/partyManagement/v4/organization/${gz}` });
    expect(c.relatedParty[0]).toMatchObject({ role: 'accountManager', '@referredType': 'Individual' });
    expect(c.characteristic.map((x: { name: string }) => x.name)).toContain('customerNo');
    expect(c.contactMedium[0].characteristic.phoneNumber).toBe('138****5678');
    expect(res.headers.etag).toMatch(/^W\/"\d+"$/);
  });

  it('selects fields, always keeping id, href and @type', async () => {
    const list = await admin.request({ method: 'GET', url: `${API}/customer?limit=2&fields=name,status` });
    expect(Object.keys(list.json()[0]).sort()).toEqual(['@type', 'href', 'id', 'name', 'status']);
    const single = await admin.request({ method: 'GET', url: `${API}/customer/${gz}?fields=name` });
    expect(Object.keys(single.json()).sort()).toEqual(['@type', 'href', 'id', 'name']);
  });

  it('filters by name, status and level; refuses an unknown filter with 400 in the TMF Error body', async () => {
    const name = (await one<{ name: string }>(sql`SELECT name FROM customers WHERE id = ${gz}`)).name;
    const byName = await admin.request({ method: 'GET', url: `${API}/customer?name=${encodeURIComponent(name)}` });
    expect(byName.json().map((c: { id: string }) => c.id)).toContain(String(gz));
    const retained = await admin.request({ method: 'GET', url: `${API}/customer?status=inactive&limit=100` });
    expect(retained.json().every((c: { status: string }) => c.status === 'inactive')).toBe(true);
    const unknown = await admin.request({ method: 'GET', url: `${API}/customer?shoeSize=44` });
    expect(unknown.statusCode).toBe(400);
    expect(schemaErrors('Error', unknown.json())).toEqual([]);
    expect(unknown.json()).toMatchObject({ code: 'validation_failed', status: '400', '@type': 'Error' });
    expect(unknown.json().message).toContain('shoeSize');
  });

  it('a 广州 manager does not see a 深圳 customer: 404 as for a missing one, in the TMF Error body', async () => {
    const other = await gzManager.request({ method: 'GET', url: `${API}/customer/${sz}` });
    const missing = await gzManager.request({ method: 'GET', url: `${API}/customer/987654321` });
    const text = await gzManager.request({ method: 'GET', url: `${API}/customer/abc` });
    for (const res of [other, missing, text]) {
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/json');
      expect(schemaErrors('Error', res.json())).toEqual([]);
    }
    expect(other.json()).toEqual(missing.json());
  });

  it('answers 401 without a session and 403 without the permission, in the TMF Error body', async () => {
    const anonymous = await sys.app.inject({ method: 'GET', url: `${API}/customer` });
    expect([anonymous.statusCode, anonymous.json().code, anonymous.json()['@type']]).toEqual([401, 'unauthenticated', 'Error']);
    const auditor = await sys.login('gd_auditor');
    const forbidden = await auditor.request({ method: 'GET', url: `${API}/customer` });
    expect([forbidden.statusCode, forbidden.json().code]).toEqual([403, 'forbidden']);
    expect(schemaErrors('Error', forbidden.json())).toEqual([]);
  });
});

describe('TMF629 merge-patch of a Customer', () => {
  const patch = (who: Session, id: number, body: unknown, etag?: string) =>
    who.request({ method: 'PATCH', url: `${API}/customer/${id}`, headers: { 'content-type': 'application/merge-patch+json', ...(etag && { 'if-match': etag }) }, payload: JSON.stringify(body) });

  it('changes the name and the contact phone at the version read; a stale ETag is a 409', async () => {
    const read = await gzManager.request({ method: 'GET', url: `${API}/customer/${gz}` });
    const res = await patch(gzManager, gz, { name: '广州改名科技有限公司', contactMedium: [{ mediumType: 'phone', characteristic: { phoneNumber: '13900001111' } }] }, read.headers.etag as string);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: '广州改名科技有限公司' });
    expect(res.json().contactMedium[0].characteristic.phoneNumber).toBe('139****1111');
    expect(res.headers.etag).not.toBe(read.headers.etag);
    const stale = await patch(gzManager, gz, { name: '又一次改名' }, read.headers.etag as string);
    expect([stale.statusCode, stale.json().code, stale.json()['@type']]).toEqual([409, 'version_conflict', 'Error']);
    const [row] = await sys.database.rows<{ name: string; contact_phone: string }>(sql`SELECT name, contact_phone FROM customers WHERE id = ${gz}`);
    expect(row).toEqual({ name: '广州改名科技有限公司', contact_phone: '13900001111' });
  });

  it('needs If-Match (428), refuses a masked phone sent back and an attribute it does not change (400 naming it)', async () => {
    const read = await gzManager.request({ method: 'GET', url: `${API}/customer/${gz}` });
    const etag = read.headers.etag as string;
    expect((await patch(gzManager, gz, { name: '无版本' })).statusCode).toBe(428);
    const masked = await patch(gzManager, gz, { contactMedium: read.json().contactMedium }, etag);
    expect(masked.statusCode).toBe(400);
    expect(masked.json().message).toContain('phoneNumber');
    const readOnly = await patch(gzManager, gz, { engagedParty: { id: '1' } }, etag);
    expect([readOnly.statusCode, readOnly.json().message]).toEqual([400, expect.stringContaining('engagedParty')]);
  });

  it('moves the customer to the retained archive with a reason, for a holder of customers.lifecycle only', async () => {
    const read = await admin.request({ method: 'GET', url: `${API}/customer/${gz}` });
    const etag = read.headers.etag as string;
    expect((await patch(admin, gz, { status: 'inactive' }, etag)).json().code).toBe('tmf_status_reason_required');
    const moved = await patch(admin, gz, { status: 'inactive', statusReason: 'lost_status' }, etag);
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ status: 'inactive', statusReason: 'lost_status' });
    expect(schemaErrors('Customer', moved.json())).toEqual([]);
    const [audit] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'customer' AND entity_id = ${String(gz)}`);
    expect(audit!.n).toBeGreaterThan(0);
  });
});

describe('TMF629 for a machine client (OAuth 2.0 client credentials)', () => {
  const get = (authorization: string, url: string) => sys.app.inject({ method: 'GET', url, headers: { authorization } });

  it('shows contact phones in clear only to a client holding the pii scope, in the client unit’s scope', async () => {
    const clear = await get(await clientAuthorization(sys.app, admin, ['tmf629.read', 'pii']), `${API}/customer/${sz}`);
    expect(clear.statusCode, clear.body).toBe(200);
    expect(clear.json().contactMedium[0].characteristic.phoneNumber).toBe('13612345678');
    const masked = await get(await clientAuthorization(sys.app, admin, ['tmf629.read']), `${API}/customer/${gz}`);
    expect(masked.json().contactMedium[0].characteristic.phoneNumber).toMatch(/^\d{3}\*{4}\d{4}$/);
    const gzClient = await clientAuthorization(sys.app, admin, ['tmf629.read'], 'GD-GZ');
    expect((await get(gzClient, `${API}/customer/${sz}`)).statusCode).toBe(404);
  });

  it('refuses a token without the API’s scope (403) and a forged one (401), in the TMF Error body', async () => {
    const partyOnly = await get(await clientAuthorization(sys.app, admin, ['tmf632.read']), `${API}/customer`);
    expect([partyOnly.statusCode, partyOnly.json().code]).toEqual([403, 'scope_insufficient']);
    expect(schemaErrors('Error', partyOnly.json())).toEqual([]);
    const forged = await get('Bearer not-a-real-token', `${API}/customer`);
    expect([forged.statusCode, forged.json()['@type']]).toEqual([401, 'Error']);
    expect(schemaErrors('Error', forged.json())).toEqual([]);
  });
});

describe('TMF629 creation of a Customer (Customer_Create)', () => {
  const create = (as: { request: Session['request'] } | string, body: unknown) =>
    typeof as === 'string'
      ? sys.app.inject({ method: 'POST', url: `${API}/customer`, headers: { authorization: as }, payload: body as object })
      : as.request({ method: 'POST', url: `${API}/customer`, payload: body as object });
  const unitOf = async (username: string) => Number((await one<{ id: number }>(sql`SELECT unit_id AS id FROM users WHERE username = ${username}`)).id);
  const eventsOf = (id: string) =>
    sys.database.rows<{ api: string; event_type: string; fields: unknown }>(sql`SELECT api, event_type, fields FROM event_outbox WHERE resource_id = ${id} AND resource_type IN ('Customer', 'Organization', 'Individual') ORDER BY id`);
  const organization = (customerNo: string, unitId: number, more: object = {}) => ({
    name: '广州新建科技有限公司',
    engagedParty: { '@referredType': 'Organization' },
    characteristic: [
      { name: 'customerNo', value: customerNo },
      { name: 'unitId', value: unitId, valueType: 'integer' },
      { name: 'industry', value: 'I' },
      { name: 'creditCode', value: '91440101MA5CXXXX0X' },
    ],
    contactMedium: [{ mediumType: 'phone', characteristic: { phoneNumber: '13711112222' } }, { mediumType: 'postalAddress', characteristic: { street1: '广州市天河区' } }],
    '@type': 'Customer',
    ...more,
  });

  it('creates a group key account for a signed-in manager: 201, its Location, valid against v4, audited, its events written with it', async () => {
    const res = await create(gzManager, organization('TMF-GZ-0001', await unitOf('gz_am01')));
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(schemaErrors('Customer', c)).toEqual([]);
    expect(res.headers.location).toBe(c.href);
    expect(res.headers.etag).toMatch(/^W\/"\d+"$/);
    expect(c).toMatchObject({ name: '广州新建科技有限公司', status: 'active', engagedParty: { id: c.id, '@referredType': 'Organization' } });
    // a manager's new customer joins their own portfolio, as in the console
    expect(c.relatedParty[0]).toMatchObject({ role: 'accountManager' });
    expect(c.contactMedium[0].characteristic.phoneNumber).toBe('137****2222');
    const [row] = await sys.database.rows<{ kind: string; customer_no: string; industry: string; address: string; archive: string }>(
      sql`SELECT kind, customer_no, industry, address, archive FROM customers WHERE id = ${Number(c.id)}`,
    );
    expect(row).toEqual({ kind: 'group', customer_no: 'TMF-GZ-0001', industry: 'I', address: '广州市天河区', archive: 'in_network' });
    const [audit] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'customer' AND action = 'create' AND entity_id = ${c.id}`);
    expect(audit!.n).toBe(1);
    expect((await eventsOf(c.id)).map((e) => [e.api, e.event_type])).toEqual([
      ['tmf629', 'CustomerCreateEvent'],
      ['tmf632', 'OrganizationCreateEvent'],
    ]);
  });

  it('creates a person for a machine client holding tmf629.write, with the account manager of its relatedParty', async () => {
    const manager = Number((await one<{ id: number }>(sql`SELECT id FROM users WHERE username = 'gz_am01'`)).id);
    const client = await clientAuthorization(sys.app, admin, ['tmf629.write'], 'GD-GZ');
    const res = await create(client, {
      name: '张三',
      engagedParty: { '@referredType': 'Individual' },
      characteristic: [
        { name: 'customerNo', value: 'TMF-GZ-0002' },
        { name: 'unitId', value: await unitOf('gz_am01') },
        { name: 'gender', value: 'male' },
        { name: 'brand', value: 'gotone' },
      ],
      relatedParty: [{ id: String(manager), role: 'accountManager', '@referredType': 'Individual' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(schemaErrors('Customer', res.json())).toEqual([]);
    expect(res.json()).toMatchObject({ engagedParty: { '@referredType': 'Individual' }, relatedParty: [{ id: String(manager), role: 'accountManager' }] });
    expect((await eventsOf(res.json().id)).map((e) => e.event_type)).toEqual(['CustomerCreateEvent', 'IndividualCreateEvent']);
  });

  it('refuses a token without tmf629.write (403) and a user without customers.edit, in the TMF Error body', async () => {
    const readOnly = await create(await clientAuthorization(sys.app, admin, ['tmf629.read']), organization('TMF-GZ-0003', await unitOf('gz_am01')));
    expect([readOnly.statusCode, readOnly.json().code]).toEqual([403, 'scope_insufficient']);
    expect(schemaErrors('Error', readOnly.json())).toEqual([]);
    const auditor = await create(await sys.login('gd_auditor'), organization('TMF-GZ-0003', await unitOf('gz_am01')));
    expect([auditor.statusCode, auditor.json()['@type']]).toEqual([403, 'Error']);
  });

  it.each([
    ['no customer number', { characteristic: [{ name: 'unitId', value: 1 }] }, 'body.characteristic.customerNo'],
    ['a malformed customer number', { characteristic: [{ name: 'customerNo', value: 'a b' }, { name: 'unitId', value: 1 }] }, 'body.characteristic.customerNo'],
    ['an unknown characteristic', { characteristic: [{ name: 'customerNo', value: 'TMF-X-1' }, { name: 'unitId', value: 1 }, { name: 'shoeSize', value: 44 }] }, 'body.characteristic.shoeSize'],
    ['no name', { name: undefined }, 'body.name'],
    ['a party of another type', { engagedParty: { '@referredType': 'Customer' } }, 'body.engagedParty.@referredType'],
    ['an existing party', { engagedParty: { id: '12', '@referredType': 'Organization' } }, 'body.engagedParty.id'],
    ['a masked phone', { contactMedium: [{ mediumType: 'phone', characteristic: { phoneNumber: '137****2222' } }] }, 'body.contactMedium.0.characteristic.phoneNumber'],
    ['another role', { relatedParty: [{ id: '1', role: 'reporter' }] }, 'body.relatedParty.0.role'],
  ])('refuses %s with 400 naming the field', async (_what, change, field) => {
    const res = await create(gzManager, { ...organization('TMF-GZ-0009', await unitOf('gz_am01')), ...change });
    expect(res.statusCode, res.body).toBe(400);
    expect(schemaErrors('Error', res.json())).toEqual([]);
    expect(res.json().message).toContain(`${field}: `);
  });

  it('refuses a unit outside the caller’s subtree (400) and a number taken (409), naming the characteristic, and writes no event', async () => {
    const before = Number((await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM event_outbox`)).n);
    const elsewhere = await create(gzManager, organization('TMF-GZ-0010', await unitOf('sz_am01')));
    expect([elsewhere.statusCode, elsewhere.json().message]).toEqual([400, expect.stringContaining('body.characteristic.unitId')]);
    const taken = await create(gzManager, organization('TMF-GZ-0001', await unitOf('gz_am01')));
    expect([taken.statusCode, taken.json().code, taken.json().message]).toEqual([409, 'duplicate', expect.stringContaining('body.characteristic.customerNo')]);
    expect(Number((await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM event_outbox`)).n)).toBe(before);
  });
});
