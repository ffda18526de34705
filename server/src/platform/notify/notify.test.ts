import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import { makeDeps, type Deps } from '../deps.js';
import { drainOutbound, MAX_ATTEMPTS, type OutboundAdapter, type OutboundDelivery } from './drain.js';
import { notifyNearestHolders, notifyUsers, queueOutbound } from './notify.js';

let sys: TestSystem;
let deps: Deps;
let gzHead: Session;
let gzHeadId: number;

/** An adapter that keeps what it is given, or fails as told. */
function recorder(fail = false): OutboundAdapter & { sent: OutboundDelivery[] } {
  const sent: OutboundDelivery[] = [];
  return {
    sent,
    send: async (m) => {
      if (fail) throw new Error('gateway down');
      sent.push(m);
    },
  };
}
const pending = async () => Number((await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM outbound_messages WHERE status = 'pending'`))[0]!.n);

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error' });
  deps = makeDeps(sys.config, sys.database);
  gzHead = await sys.login('gz_head');
  gzHeadId = Number((await sys.database.rows<{ id: number }>(sql`SELECT id FROM users WHERE username = 'gz_head'`))[0]!.id);
}, 120_000);
afterAll(() => sys?.close());

describe('outbound messages (外发消息)', () => {
  it('keeps the recipient sealed with a masked copy, and queues a message once per dedupe key', async () => {
    const queued = await sys.database.db.transaction(async (tx) => [
      await queueOutbound(tx, deps.pii, { channel: 'sms', recipient: '13912345678', body: '您的预约在明天上午 10:00', dedupeKey: 'test:1' }),
      await queueOutbound(tx, deps.pii, { channel: 'sms', recipient: '13912345678', body: '您的预约在明天上午 10:00', dedupeKey: 'test:1' }),
    ]);
    expect(queued).toEqual([true, false]);
    const [row] = await sys.database.rows<{ recipient_enc: string; recipient_masked: string }>(sql`SELECT recipient_enc, recipient_masked FROM outbound_messages WHERE dedupe_key = 'test:1'`);
    expect(row!.recipient_masked).toBe('139****5678');
    expect(row!.recipient_enc).not.toContain('13912345678');
  });

  it('hands each message to the adapter in clear once and marks it sent; a second drain sends nothing', async () => {
    const adapter = recorder();
    const first = await drainOutbound(deps, adapter);
    expect(first.sent).toBeGreaterThanOrEqual(1);
    expect(adapter.sent.find((m) => m.body.includes('预约'))?.recipient).toBe('13912345678');
    expect(await drainOutbound(deps, adapter)).toEqual({ sent: 0, failed: 0 });
  });

  it('tries a failing message again later, with a growing delay, and gives up after the last attempt', async () => {
    await sys.database.db.transaction((tx) => queueOutbound(tx, deps.pii, { channel: 'email', recipient: 'li.ming@example.cn', body: '通知', dedupeKey: 'test:2' }));
    expect((await drainOutbound(deps, recorder(true))).failed).toBe(1);
    const [after] = await sys.database.rows<{ status: string; attempts: number; delay: number; recipient_masked: string }>(sql`
      SELECT status, attempts, extract(epoch FROM next_attempt_at - now())::int AS delay, recipient_masked FROM outbound_messages WHERE dedupe_key = 'test:2'`);
    expect(after).toMatchObject({ status: 'pending', attempts: 1, recipient_masked: 'l***@example.cn' });
    expect(after!.delay).toBeGreaterThan(30);
    // not due yet: nothing is tried
    expect(await drainOutbound(deps, recorder(true))).toEqual({ sent: 0, failed: 0 });
    await sys.database.rows(sql`UPDATE outbound_messages SET attempts = ${MAX_ATTEMPTS - 1}, next_attempt_at = now() WHERE dedupe_key = 'test:2'`);
    await drainOutbound(deps, recorder(true));
    const [gaveUp] = await sys.database.rows<{ status: string; last_error: string }>(sql`SELECT status, last_error FROM outbound_messages WHERE dedupe_key = 'test:2'`);
    expect(gaveUp).toMatchObject({ status: 'failed' });
    expect(gaveUp!.last_error).toContain('gateway down');
    expect(await pending()).toBe(0);
  });
});

describe('in-app messages (我的消息)', () => {
  it('are worded in the reader’s language, counted unread, and marked read by the reader only', async () => {
    await sys.database.db.transaction((tx) =>
      notifyUsers(tx, [
        { userId: gzHeadId, code: 'notify_sla_breach', params: { requestNo: 'SR20261204000001', customerName: '广州某公司' }, link: '/services/requests/1', entity: 'service_request', entityId: 1 },
        { userId: gzHeadId, code: 'notify_sla_breach', params: { requestNo: 'SR20261204000001', customerName: '广州某公司' }, link: '/services/requests/1', entity: 'service_request', entityId: 1 },
      ]),
    );
    const res = await gzHead.request({ method: 'GET', url: '/api/me/notifications?unread=true' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-unread-count']).toBe('1');
    const [message] = res.json() as { id: number; text: string; link: string }[];
    expect(message).toMatchObject({ text: '工单 SR20261204000001（广州某公司）已超时', link: '/services/requests/1' });
    const english = await gzHead.request({ method: 'GET', url: '/api/me/notifications', headers: { 'accept-language': 'en-US' } });
    expect((english.json() as { text: string }[])[0]!.text).toBe('Request SR20261204000001 (广州某公司) has breached its target');

    const other = await sys.login('sz_head');
    expect((await other.request({ method: 'POST', url: '/api/me/notifications/read', payload: { ids: [message!.id] } })).json()).toEqual({ marked: 0 });
    expect((await gzHead.request({ method: 'POST', url: '/api/me/notifications/read', payload: {} })).json()).toEqual({ marked: 1 });
    expect((await gzHead.request({ method: 'GET', url: '/api/me/notifications?unread=true' })).headers['x-unread-count']).toBe('0');
  });

  it('reach whoever answers for a unit: the nearest unit above it with a holder of the permission, leaving out the one who acted', async () => {
    const [outlet] = await sys.database.rows<{ path: string }>(sql`
      SELECT o.path FROM org_units o WHERE o.path LIKE (SELECT path FROM org_units WHERE code = 'GD-GZ') || '_%' ORDER BY length(o.path) DESC LIMIT 1`);
    const message = { code: 'notify_request_queued', params: { requestNo: 'SR20261206000001', customerName: '广州某公司' }, entity: 'service_request', entityId: 2 } as const;
    const told = async () => (await sys.database.rows<{ username: string }>(sql`
      SELECT u.username FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.entity_id = 2 AND n.code = 'notify_request_queued' ORDER BY u.username`)).map((r) => r.username);

    expect(await sys.database.db.transaction((tx) => notifyNearestHolders(tx, outlet!.path, 'services.manage', message))).toBe(1);
    expect(await told()).toEqual(['gz_head']);
    // the one who acted is left out; the message does not climb to the province for it
    expect(await sys.database.db.transaction((tx) => notifyNearestHolders(tx, outlet!.path, 'services.manage', message, gzHeadId))).toBe(0);
    expect(await told()).toEqual(['gz_head']);
    // a permission nobody holds: nobody is told
    expect(await sys.database.db.transaction((tx) => notifyNearestHolders(tx, outlet!.path, 'no.such_permission', message))).toBe(0);
  });
});
