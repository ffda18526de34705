import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { makeDeps } from '../../../platform/deps.js';
import { eventRendererOf } from '../../../platform/outbox/renderers.js';
import { schemaErrors } from '../schemas/validate.testing.js';

const API = '/tmf-api/loyaltyManagement/v4';
let sys: TestSystem;
let admin: Session;
let customer: number;

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
  customer = Number((await sys.database.rows<{ id: number }>(sql`SELECT id FROM customers ORDER BY id LIMIT 1`))[0]!.id);
  for (const points of [500, 300]) {
    const res = await admin.request({ method: 'POST', url: `/api/customers/${customer}/points/promo`, payload: { points, reason: '开户礼' } });
    expect(res.statusCode, res.body).toBe(201);
  }
}, 120_000);
afterAll(() => sys?.close());

describe('TMF658 Loyalty', () => {
  it('lists the points accounts (a zero one for a customer who never earned), valid against the schema', async () => {
    const res = await admin.request({ method: 'GET', url: `${API}/loyaltyAccount?limit=3` });
    expect(res.statusCode, res.body).toBe(206);
    expect(schemaErrors('LoyaltyAccount', res.json(), true)).toEqual([]);
    expect(res.headers['x-result-count']).toBe('3');
  });

  it('shows an account with its balance in points', async () => {
    const res = await admin.request({ method: 'GET', url: `${API}/loyaltyAccount/${customer}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(schemaErrors('LoyaltyAccount', res.json())).toEqual([]);
    expect(res.json().loyaltyBalance[0].quantity).toEqual({ unit: 'points', value: 800 });
    expect(res.json().relatedParty[0]).toMatchObject({ id: String(customer), '@referredType': 'Customer' });
  });

  it('lists an account’s transactions newest first, filtered by type; the account filter is required', async () => {
    const res = await admin.request({ method: 'GET', url: `${API}/loyaltyTransaction?loyaltyAccount.id=${customer}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(schemaErrors('LoyaltyTransaction', res.json(), true)).toEqual([]);
    expect(res.json().map((t: { quantity: { value: number } }) => t.quantity.value)).toEqual([300, 500]);
    const paged = await admin.request({ method: 'GET', url: `${API}/loyaltyTransaction?loyaltyAccount.id=${customer}&limit=1` });
    expect([paged.statusCode, paged.headers['x-total-count'], paged.headers['x-result-count']]).toEqual([206, '2', '1']);
    const none = await admin.request({ method: 'GET', url: `${API}/loyaltyTransaction?loyaltyAccount.id=${customer}&transactionType=redeem` });
    expect(none.json()).toEqual([]);
    const missing = await admin.request({ method: 'GET', url: `${API}/loyaltyTransaction` });
    expect([missing.statusCode, missing.json()['@type']]).toEqual([400, 'Error']);
  });

  it('a 广州 manager reads no account of 深圳', async () => {
    const [sz] = await sys.database.rows<{ id: number }>(sql`SELECT c.id FROM customers c JOIN users m ON m.id = c.manager_id WHERE m.username = 'sz_am01' ORDER BY c.id LIMIT 1`);
    const gz = await sys.login('gz_am01');
    expect((await gz.request({ method: 'GET', url: `${API}/loyaltyAccount/${sz!.id}` })).statusCode).toBe(404);
    expect((await gz.request({ method: 'GET', url: `${API}/loyaltyTransaction?loyaltyAccount.id=${sz!.id}` })).statusCode).toBe(404);
  });

  it('renders the LoyaltyAccounts of events by id, with their balance', async () => {
    const rendered = await eventRendererOf('LoyaltyAccount')!(makeDeps(sys.config, sys.database), [String(customer), '987654321']);
    expect([...rendered.keys()]).toEqual([String(customer)]);
    expect(schemaErrors('LoyaltyAccount', rendered.get(String(customer)))).toEqual([]);
    expect(rendered.get(String(customer))).toMatchObject({ loyaltyBalance: [{ quantity: { unit: 'points', value: 800 } }] });
  });

  it('writes a LoyaltyAccountAttributeValueChangeEvent with each points movement made by a person, none for one refused', async () => {
    const last = async () => Number((await sys.database.rows<{ n: number }>(sql`SELECT coalesce(max(id), 0) AS n FROM event_outbox`))[0]!.n);
    const after = await last();
    expect((await admin.request({ method: 'POST', url: `/api/customers/${customer}/points/adjust`, payload: { points: -100, reason: '更正' } })).statusCode).toBe(201);
    const refused = await admin.request({ method: 'POST', url: `/api/customers/${customer}/points/adjust`, payload: { points: -100_000, reason: '超额' } });
    expect(refused.statusCode).toBe(409);
    const events = await sys.database.rows<{ api: string; event_type: string; resource_type: string; resource_id: string; fields: unknown }>(
      sql`SELECT api, event_type, resource_type, resource_id, fields FROM event_outbox WHERE id > ${after} ORDER BY id`,
    );
    expect(events).toEqual([{ api: 'tmf658', event_type: 'LoyaltyAccountAttributeValueChangeEvent', resource_type: 'LoyaltyAccount', resource_id: String(customer), fields: { fieldPath: 'loyaltyBalance' } }]);
  });
});
