import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import { clientAuthorization } from '../auth/clients/clients.testing.js';
import { checkCallback, parseHubQuery } from './callback.js';

let sys: TestSystem;
let admin: Session;
let analyst: Session;

beforeAll(async () => {
  sys = await startTestSystem({ DEMO_CUSTOMERS: 20 });
  [admin, analyst] = await Promise.all([sys.login('admin'), sys.login('gd_analyst')]);
}, 120_000);
afterAll(() => sys?.close());

const HUB = '/tmf-api/customerManagement/v4/hub';
const newestEvents = async (after: number) =>
  sys.database.rows<{ id: number; api: string; event_type: string; resource_type: string; resource_id: string; fields: Record<string, unknown> | null }>(
    sql`SELECT id, api, event_type, resource_type, resource_id, fields FROM event_outbox WHERE id > ${after} ORDER BY id`,
  );
const lastEventId = async () => Number((await sys.database.rows<{ n: number }>(sql`SELECT coalesce(max(id), 0) AS n FROM event_outbox`))[0]!.n);
/** 转保留库 (archive as closed) at the customer's `version`. */
const retire = (id: number, version: number) =>
  admin.request({ method: 'POST', url: `/api/customers/${id}/archive`, payload: { version, toArchive: 'retained', reason: 'closure', effectiveOn: '2026-12-01' } });

describe('事件通知 hub', () => {
  it('registers a listener (201 with its secret) and removes it (204), per API', async () => {
    const res = await admin.request({ method: 'POST', url: HUB, payload: { callback: 'http://127.0.0.1:9/events', query: 'eventType=CustomerCreateEvent' } });
    expect(res.statusCode, res.body).toBe(201);
    const hub = res.json<{ id: string; callback: string; query: string; secret: string }>();
    expect(hub).toMatchObject({ callback: 'http://127.0.0.1:9/events', query: 'eventType=CustomerCreateEvent' });
    expect(hub.secret.length).toBeGreaterThanOrEqual(40);
    const [stored] = await sys.database.rows<{ secret_enc: string }>(sql`SELECT secret_enc FROM event_subscriptions WHERE id = ${Number(hub.id)}`);
    expect(stored!.secret_enc).not.toContain(hub.secret);
    // another API's hub does not know it
    expect((await admin.request({ method: 'DELETE', url: `/tmf-api/troubleTicket/v4/hub/${hub.id}` })).statusCode).toBe(404);
    expect((await admin.request({ method: 'DELETE', url: `${HUB}/${hub.id}` })).statusCode).toBe(204);
    expect((await admin.request({ method: 'DELETE', url: `${HUB}/${hub.id}` })).statusCode).toBe(404);
    const audited = await sys.database.rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE entity = 'event_subscription' AND entity_id = ${hub.id} ORDER BY id`);
    expect(audited.map((a) => a.action)).toEqual(['create', 'delete']);
  });

  it('lets a machine client with the API’s read scope register, and remove only its own listeners', async () => {
    const [crm, other, ticketsOnly] = await Promise.all([
      clientAuthorization(sys.app, admin, ['tmf629.read']),
      clientAuthorization(sys.app, admin, ['tmf629.read']),
      clientAuthorization(sys.app, admin, ['tmf621.read']),
    ]);
    const as = (authorization: string, method: 'POST' | 'DELETE', url: string, payload?: object) => sys.app.inject({ method, url, headers: { authorization }, ...(payload && { payload }) });
    expect((await as(ticketsOnly, 'POST', HUB, { callback: 'http://127.0.0.1:9/crm' })).statusCode).toBe(403);
    const res = await as(crm, 'POST', HUB, { callback: 'http://127.0.0.1:9/crm' });
    expect(res.statusCode, res.body).toBe(201);
    const { id } = res.json<{ id: string }>();
    const [row] = await sys.database.rows<{ client_id: string | null }>(sql`SELECT client_id FROM event_subscriptions WHERE id = ${Number(id)}`);
    expect(row!.client_id).toMatch(/^cl_/);
    expect((await as(other, 'DELETE', `${HUB}/${id}`)).statusCode).toBe(404);
    expect((await as(crm, 'DELETE', `${HUB}/${id}`)).statusCode).toBe(204);
  });

  it.each([
    ['ftp://listener.example.com/events', 'body.callback', 'event_callback_invalid'],
    ['https://user:pw@listener.example.com/events', 'body.callback', 'event_callback_invalid'],
    ['not a url', 'body.callback', 'event_callback_invalid'],
  ])('refuses the callback %s in the TMF error body, naming the field', async (callback, field, code) => {
    const res = await admin.request({ method: 'POST', url: HUB, payload: { callback } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code, status: '400', '@type': 'Error', message: expect.stringContaining(`${field}: `) });
  });

  it('refuses a filter it cannot read, naming the field', async () => {
    const res = await admin.request({ method: 'POST', url: HUB, payload: { callback: 'http://127.0.0.1:9/e', query: 'eventType' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'event_query_invalid', message: expect.stringContaining('body.query: ') });
    expect(parseHubQuery('eventType=A,B&event.troubleTicket.status=resolved')).toEqual({ eventTypes: new Set(['A', 'B']), attributes: [[['status'], 'resolved']] });
  });

  it('refuses private callbacks in production unless allowed', async () => {
    const production = { NODE_ENV: 'production' as const, EVENT_CALLBACK_ALLOW_PRIVATE: undefined };
    for (const callback of ['http://127.0.0.1:8080/e', 'http://10.1.2.3/e', 'http://[::1]/e', 'http://192.168.1.1/e', 'http://localhost/e']) {
      await expect(checkCallback(production, callback)).rejects.toMatchObject({ code: 'event_callback_private', fieldErrors: [{ field: 'body.callback' }] });
    }
    await expect(checkCallback({ ...production, EVENT_CALLBACK_ALLOW_PRIVATE: true }, 'http://10.1.2.3/e')).resolves.toBe('http://10.1.2.3/e');
    await expect(checkCallback(production, 'https://93.184.215.14/events')).resolves.toBe('https://93.184.215.14/events');
  });

  it('is closed to those without the permission', async () => {
    expect((await analyst.request({ method: 'POST', url: HUB, payload: { callback: 'http://127.0.0.1:9/e' } })).statusCode).toBe(403);
    expect((await sys.app.inject({ method: 'POST', url: HUB, payload: { callback: 'http://127.0.0.1:9/e' } })).statusCode).toBe(401);
    expect((await analyst.request({ method: 'GET', url: '/api/system/events/subscriptions' })).statusCode).toBe(403);
  });
});

describe('事件通知 written by the changes', () => {
  it('writes the customer’s events and its Organization’s with its changes, and none for a change refused', async () => {
    const [c] = await sys.database.rows<{ id: number; version: number }>(sql`SELECT id, version FROM customers WHERE archive = 'in_network' AND kind = 'group' ORDER BY id LIMIT 1`);
    const after = await lastEventId();
    const patched = await admin.request({ method: 'PATCH', url: `/api/customers/${c!.id}`, payload: { version: c!.version, name: '事件测试有限公司', address: '广州市天河区' } });
    expect(patched.statusCode, patched.body).toBe(200);
    const stale = await admin.request({ method: 'PATCH', url: `/api/customers/${c!.id}`, payload: { version: c!.version, name: '过期版本' } });
    expect(stale.statusCode).toBe(409);
    const archived = await retire(c!.id, c!.version + 1);
    expect(archived.statusCode, archived.body).toBe(200);
    const events = await newestEvents(after);
    expect(events.map((e) => [e.api, e.event_type, e.resource_type, e.resource_id, e.fields])).toEqual([
      ['tmf629', 'CustomerAttributeValueChangeEvent', 'Customer', String(c!.id), { fieldPath: 'name,address' }],
      ['tmf632', 'OrganizationAttributeValueChangeEvent', 'Organization', String(c!.id), { fieldPath: 'name,address' }],
      ['tmf629', 'CustomerStateChangeEvent', 'Customer', String(c!.id), { fieldPath: 'status' }],
      ['tmf632', 'OrganizationStateChangeEvent', 'Organization', String(c!.id), { fieldPath: 'status' }],
    ]);
  });

  it('writes a person’s real-name verification as its Individual’s state, and no Individual event for an archive move', async () => {
    const [c] = await sys.database.rows<{ id: number; version: number; verified: boolean }>(
      sql`SELECT id, version, real_name_verified AS verified FROM customers WHERE archive = 'in_network' AND kind = 'individual' ORDER BY id LIMIT 1`,
    );
    const after = await lastEventId();
    const patched = await admin.request({ method: 'PATCH', url: `/api/customers/${c!.id}`, payload: { version: c!.version, realNameVerified: !c!.verified, jobTitle: '经理' } });
    expect(patched.statusCode, patched.body).toBe(200);
    const archived = await retire(c!.id, c!.version + 1);
    expect(archived.statusCode, archived.body).toBe(200);
    const events = await newestEvents(after);
    expect(events.map((e) => [e.api, e.event_type, e.fields])).toEqual([
      ['tmf629', 'CustomerAttributeValueChangeEvent', { fieldPath: 'jobTitle,realNameVerified' }],
      ['tmf632', 'IndividualAttributeValueChangeEvent', { fieldPath: 'jobTitle' }],
      ['tmf632', 'IndividualStateChangeEvent', { fieldPath: 'status' }],
      ['tmf629', 'CustomerStateChangeEvent', { fieldPath: 'status' }],
    ]);
  });

  it('writes a ticket’s creation and each move of its status', async () => {
    const [c] = await sys.database.rows<{ id: number }>(sql`SELECT id FROM customers WHERE archive = 'in_network' ORDER BY id DESC LIMIT 1`);
    const after = await lastEventId();
    const created = await admin.request({ method: 'POST', url: '/api/services/requests', payload: { customerId: c!.id, type: 'fault', channel: 'outlet', title: '专线中断' } });
    expect(created.statusCode, created.body).toBe(201);
    const r = created.json<{ id: number; version: number }>();
    const moved = await admin.request({ method: 'POST', url: `/api/services/requests/${r.id}/transition`, payload: { version: r.version, to: 'accepted' } });
    expect(moved.statusCode, moved.body).toBe(200);
    const events = await newestEvents(after);
    expect(events.map((e) => [e.event_type, e.resource_id])).toEqual([
      ['TroubleTicketCreateEvent', String(r.id)],
      ['TroubleTicketStatusChangeEvent', String(r.id)],
    ]);
  });
});

describe('事件通知 console', () => {
  it('lists the listeners with their state, pauses and resumes them at their version, and replays dead letters', async () => {
    const hub = (await admin.request({ method: 'POST', url: '/tmf-api/troubleTicket/v4/hub', payload: { callback: 'http://127.0.0.1:9/tickets' } })).json<{ id: string }>();
    const id = Number(hub.id);
    const list = await admin.request({ method: 'GET', url: '/api/system/events/subscriptions' });
    expect(list.statusCode).toBe(200);
    const mine = list.json<{ id: number; active: boolean; lag: number; version: number; api: string }[]>().find((s) => s.id === id)!;
    expect(mine).toMatchObject({ api: 'tmf621', active: true, lag: 0 });
    const pause = (version: number) => admin.request({ method: 'POST', url: `/api/system/events/subscriptions/${id}/pause`, payload: { version } });
    expect((await pause(mine.version)).statusCode).toBe(204);
    expect((await pause(mine.version)).statusCode).toBe(409);
    expect((await admin.request({ method: 'POST', url: `/api/system/events/subscriptions/${id}/resume`, payload: { version: mine.version + 1 } })).statusCode).toBe(204);

    const [event] = await sys.database.rows<{ id: number }>(sql`
      INSERT INTO event_outbox (api, event_type, resource_type, resource_id) VALUES ('tmf621', 'TroubleTicketCreateEvent', 'TroubleTicket', '1') RETURNING id`);
    await sys.database.db.execute(sql`INSERT INTO event_dead_letters (subscription_id, event_id, attempts, last_error) VALUES (${id}, ${event!.id}, 3, 'HTTP 500')`);
    const dead = await admin.request({ method: 'GET', url: `/api/system/events/dead-letters?subscriptionId=${id}` });
    expect(dead.headers['x-total-count']).toBe('1');
    expect(dead.json()).toMatchObject([{ subscriptionId: id, eventId: event!.id, eventType: 'TroubleTicketCreateEvent', attempts: 3, lastError: 'HTTP 500', replayRequestedAt: null }]);
    const replay = await admin.request({ method: 'POST', url: `/api/system/events/subscriptions/${id}/replay`, payload: {} });
    expect(replay.json()).toEqual({ replayed: 1 });
    expect((await admin.request({ method: 'POST', url: `/api/system/events/subscriptions/999999/replay`, payload: {} })).statusCode).toBe(404);
    const health = await admin.request({ method: 'GET', url: '/api/system/events/health' });
    expect(health.json()).toMatchObject({ deadLetters: 1, subscriptions: 1 });

    expect((await admin.request({ method: 'DELETE', url: `/api/system/events/subscriptions/${id}` })).statusCode).toBe(204);
    expect((await sys.database.rows(sql`SELECT 1 FROM event_dead_letters WHERE subscription_id = ${id}`)).length).toBe(0);
    const audited = await sys.database.rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE entity = 'event_subscription' AND entity_id = ${String(id)} ORDER BY id`);
    expect(audited.map((a) => a.action)).toEqual(['create', 'update', 'update', 'update', 'delete']);
  });
});
