import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { eventRendererOf } from '../../../platform/outbox/renderers.js';
import { schemaErrors } from '../schemas/validate.testing.js';

const API = '/tmf-api/troubleTicket/v4';
let sys: TestSystem;
let agent: Session;
let customer: number;

beforeAll(async () => {
  sys = await startTestSystem();
  agent = await sys.login('gz_agent');
  const [row] = await sys.database.rows<{ id: number }>(sql`
    SELECT c.id FROM customers c JOIN org_units u ON u.id = c.unit_id WHERE u.path LIKE (SELECT path || '%' FROM org_units WHERE code = 'GD-GZ') ORDER BY c.id LIMIT 1`);
  customer = Number(row!.id);
}, 120_000);
afterAll(() => sys?.close());

const raise = (body: Record<string, unknown>) => agent.request({ method: 'POST', url: `${API}/troubleTicket`, payload: body });
const ticket = { description: '专线中断，影响办公', severity: 'critical', ticketType: 'fault', relatedParty: [] as unknown[] };
const move = (id: string, body: unknown, etag?: string) =>
  agent.request({ method: 'PATCH', url: `${API}/troubleTicket/${id}`, headers: { 'content-type': 'application/merge-patch+json', ...(etag && { 'if-match': etag }) }, payload: JSON.stringify(body) });

describe('TMF621 TroubleTicket', () => {
  it('raises a service request for the related customer, as an urgent fault; valid against the v4 schema', async () => {
    const res = await raise({ ...ticket, name: '专线中断', relatedParty: [{ id: String(customer), role: 'customer', '@referredType': 'Customer' }] });
    expect(res.statusCode, res.body).toBe(201);
    expect(schemaErrors('TroubleTicket', res.json())).toEqual([]);
    expect(res.json()).toMatchObject({ status: 'acknowledged', severity: 'urgent', ticketType: 'fault', name: '专线中断' });
    expect(res.headers.location).toBe(res.json().href);
    const [row] = await sys.database.rows<{ status: string; priority: string; customer_id: number }>(sql`SELECT status, priority, customer_id FROM service_requests WHERE id = ${Number(res.json().id)}`);
    expect(row).toMatchObject({ status: 'new', priority: 'urgent' });
  });

  it('refuses a ticket without its customer, or of an unknown type, in the TMF Error body', async () => {
    const noCustomer = await raise({ ...ticket, relatedParty: [{ id: '1', role: 'reporter', '@referredType': 'Individual' }] });
    expect([noCustomer.statusCode, noCustomer.json().code]).toEqual([400, 'tmf_ticket_customer_required']);
    const badType = await raise({ ...ticket, ticketType: 'teleport', relatedParty: [{ id: String(customer), role: 'customer' }] });
    expect(badType.statusCode).toBe(400);
    expect(schemaErrors('Error', badType.json())).toEqual([]);
  });

  it('moves a ticket through the request flow at the version read; refuses a stale version and a move the flow does not allow', async () => {
    const created = (await raise({ ...ticket, relatedParty: [{ id: String(customer), role: 'customer' }] })).json();
    const read = await agent.request({ method: 'GET', url: `${API}/troubleTicket/${created.id}` });
    expect(schemaErrors('TroubleTicket', read.json())).toEqual([]);
    const etag = read.headers.etag as string;
    expect((await move(created.id, { status: 'inProgress' })).statusCode).toBe(428);
    const working = await move(created.id, { status: 'inProgress' }, etag);
    expect([working.statusCode, working.json().status]).toEqual([200, 'inProgress']);
    const stale = await move(created.id, { status: 'resolved' }, etag);
    expect([stale.statusCode, stale.json().code]).toEqual([409, 'version_conflict']);
    const illegal = await move(created.id, { status: 'closed' }, working.headers.etag as string);
    expect([illegal.statusCode, illegal.json().code, illegal.json()['@type']]).toEqual([409, 'request_illegal_move', 'Error']);
    const unsupported = await move(created.id, { status: 'held' }, working.headers.etag as string);
    expect([unsupported.statusCode, unsupported.json().code]).toEqual([400, 'tmf_status_unsupported']);
    const resolved = await move(created.id, { status: 'resolved', statusChangeReason: '已更换光猫' }, working.headers.etag as string);
    expect([resolved.statusCode, resolved.json().status]).toEqual([200, 'resolved']);
    expect(resolved.json().note.map((n: { text: string }) => n.text)).toContain('已更换光猫');
  });

  it('lists tickets newest first, filtered by status, type, customer and number; unknown filters are refused', async () => {
    const all = await agent.request({ method: 'GET', url: `${API}/troubleTicket?limit=100` });
    expect(all.statusCode, all.body).toBe(200);
    expect(schemaErrors('TroubleTicket', all.json(), true)).toEqual([]);
    const acknowledged = await agent.request({ method: 'GET', url: `${API}/troubleTicket?status=acknowledged` });
    expect(acknowledged.json().every((t: { status: string }) => t.status === 'acknowledged')).toBe(true);
    expect(acknowledged.json().length).toBeGreaterThan(0);
    const mine = await agent.request({ method: 'GET', url: `${API}/troubleTicket?relatedParty.id=${customer}&ticketType=fault&limit=1` });
    expect([mine.statusCode, mine.headers['x-result-count']]).toEqual([206, '1']);
    const byNo = await agent.request({ method: 'GET', url: `${API}/troubleTicket?externalId=${all.json()[0].externalId}` });
    expect(byNo.json().map((t: { id: string }) => t.id)).toEqual([all.json()[0].id]);
    expect((await agent.request({ method: 'GET', url: `${API}/troubleTicket?owner=me` })).statusCode).toBe(400);
  });

  it('renders TroubleTickets for events by id, one statement for the batch, leaving out ids it does not find', async () => {
    const ids = (await agent.request({ method: 'GET', url: `${API}/troubleTicket?limit=2` })).json().map((t: { id: string }) => t.id);
    const rendered = await eventRendererOf('TroubleTicket')!({ database: sys.database } as never, [...ids, '987654321']);
    expect([...rendered.keys()].sort()).toEqual([...ids].sort());
    expect(schemaErrors('TroubleTicket', [...rendered.values()], true)).toEqual([]);
    const customers = await eventRendererOf('Customer')!({ database: sys.database } as never, [String(customer)]);
    expect(schemaErrors('Customer', customers.get(String(customer)))).toEqual([]);
  });
});
