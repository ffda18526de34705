import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestCountsDrift, startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { foldRequestCounts } from './counts.job.js';
import { makeDeps } from '../../../platform/deps.js';
import { seedDemoRequests } from '../../../demo/services-requests.js';
import { runSlaClock } from '../sla/job.js';
import type { RequestDetail, SlaBoard } from './schemas.js';

let sys: TestSystem;
let admin: Session;
let gzAgent: Session;
let gzHead: Session;
let szAgent: Session;
let szHead: Session;
let gzAm02: Session;
let analyst: Session;
/** A key account of 广州's first county, managed by gz_am01, with its own mobile number. */
let customerId: number;
let customerUnitId: number;
const CUSTOMER_PHONE = '13912345678';
const HOUR = 3_600_000;

const one = async <T>(query: ReturnType<typeof sql>) => (await sys.database.rows<T>(query))[0]!;
const idOf = async (query: ReturnType<typeof sql>) => Number((await one<{ id: number }>(query)).id);
const userId = (username: string) => idOf(sql`SELECT id FROM users WHERE username = ${username}`);

async function raised(s: Session, payload: Record<string, unknown>): Promise<RequestDetail> {
  const res = await s.request({ method: 'POST', url: '/api/services/requests', payload: { customerId, channel: 'outlet', title: '宽带中断', ...payload } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const move = (s: Session, r: Pick<RequestDetail, 'id' | 'version'>, to: string, note?: string) =>
  s.request({ method: 'POST', url: `/api/services/requests/${r.id}/transition`, payload: { version: r.version, to, ...(note !== undefined && { note }) } });
async function moved(s: Session, r: Pick<RequestDetail, 'id' | 'version'>, to: string, note?: string): Promise<RequestDetail> {
  const res = await move(s, r, to, note);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const get = (s: Session, id: number) => s.request({ method: 'GET', url: `/api/services/requests/${id}` });

/** A multipart body with one file. */
function multipart(fileName: string, data: Buffer) {
  const boundary = '----kam-test-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  return { payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
const attach = (s: Session, id: number, fileName: string, data: Buffer) => s.request({ method: 'POST', url: `/api/services/requests/${id}/attachments`, ...multipart(fileName, data) });
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error', ATTACHMENT_MAX_BYTES: 4096 });
  admin = await sys.login('admin');
  [gzAgent, gzHead, szAgent, szHead, gzAm02, analyst] = await Promise.all([
    sys.login('gz_agent'),
    sys.login('gz_head'),
    sys.login('sz_agent'),
    sys.login('sz_head'),
    sys.login('gz_am02'),
    sys.login('gd_analyst'),
  ]);
  customerUnitId = await idOf(sql`SELECT id FROM org_units WHERE code = 'GD-GZ-01'`);
  const res = await admin.request({
    method: 'POST',
    url: '/api/customers',
    payload: { customerNo: 'SR-GZ-001', kind: 'group', name: '广州市越秀区服务测试有限公司', unitId: customerUnitId, managerId: await userId('gz_am01'), contactPhone: CUSTOMER_PHONE },
  });
  expect(res.statusCode, res.body).toBe(201);
  customerId = res.json().customer.id;
}, 120_000);
afterAll(() => sys?.close());

describe('raising a request (受理登记)', () => {
  it('an agent raises a fault for a key account of the city; the 48-hour town target of the 2011 standard runs from now', async () => {
    const r = await raised(gzAgent, { type: 'fault' });
    expect(r.requestNo).toMatch(/^SR\d{8}\d{6}$/);
    expect(r).toMatchObject({ customerId, type: 'fault', status: 'new', channel: 'outlet', areaKind: 'town', handlingUnitId: customerUnitId, crossRegion: false, slaState: 'ok', version: 1 });
    // the agent's outlet belongs to the customer's county: the agent handles it
    expect(r.ownerId).toBe(await userId('gz_agent'));
    expect(new Date(r.resolveDueAt!).valueOf() - new Date(r.createdAt).valueOf()).toBeGreaterThan(48 * HOUR - 60_000);
    expect(new Date(r.resolveDueAt!).valueOf() - new Date(r.createdAt).valueOf()).toBeLessThan(48 * HOUR + 60_000);
    expect(new Date(r.respondDueAt!).valueOf() - new Date(r.createdAt).valueOf()).toBeLessThan(HOUR + 60_000);
    expect(r.events.map((e) => e.kind)).toEqual(['created']);
    expect(r.allowedMoves).toEqual(['accepted', 'in_progress', 'resolved']);
    const logged = await one<{ action: string; after: Record<string, unknown> }>(sql`SELECT action, after FROM audit_log WHERE entity = 'service_request' AND entity_id = ${String(r.id)}`);
    expect(logged).toMatchObject({ action: 'create', after: { type: 'fault', customerId, requestNo: r.requestNo } });
  });

  it('a rural fault has 72 hours, a complaint 15 days', async () => {
    const rural = await raised(gzAgent, { type: 'fault', areaKind: 'rural' });
    expect(new Date(rural.resolveDueAt!).valueOf() - new Date(rural.createdAt).valueOf()).toBeGreaterThan(72 * HOUR - 60_000);
    const complaint = await raised(gzAgent, { type: 'complaint', title: '对装机服务不满' });
    expect(new Date(complaint.resolveDueAt!).valueOf() - new Date(complaint.createdAt).valueOf()).toBeGreaterThan(15 * 24 * HOUR - 60_000);
  });

  it('refuses bad input naming the field, and an analyst may read requests but not raise them', async () => {
    const bad = await gzAgent.request({ method: 'POST', url: '/api/services/requests', payload: { customerId, type: 'teleport', channel: 'outlet', title: 'x' } });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('body.type');
    const both = await gzAgent.request({ method: 'POST', url: '/api/services/requests', payload: { customerId, phone: CUSTOMER_PHONE, type: 'fault', channel: 'outlet', title: 'x' } });
    expect(both.statusCode).toBe(400);
    expect((await analyst.request({ method: 'POST', url: '/api/services/requests', payload: { customerId, type: 'fault', channel: 'outlet', title: 'x' } })).statusCode).toBe(403);
    expect((await analyst.request({ method: 'GET', url: '/api/services/requests?view=all' })).statusCode).toBe(200);
  });

  it('counts the customer’s open requests in the 360° view', async () => {
    const [open] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM service_requests WHERE customer_id = ${customerId} AND status NOT IN ('resolved', 'closed')`);
    expect(open!.n).toBeGreaterThan(0);
    const view = await gzHead.request({ method: 'GET', url: `/api/customers/${customerId}` });
    expect(view.json().openServiceRequests).toBe(open!.n);
  });

  it('a customer out of the agent’s area is not found by id', async () => {
    const res = await szAgent.request({ method: 'POST', url: '/api/services/requests', payload: { customerId, type: 'fault', channel: 'outlet', title: '宽带中断' } });
    expect(res.statusCode).toBe(404);
  });
});

describe('the status flow (工单流转)', () => {
  it('answers an illegal move with 409 naming the moves allowed now', async () => {
    const r = await raised(gzAgent, { type: 'consultation', title: '咨询国际漫游资费' });
    const res = await move(gzAgent, r, 'closed');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'request_illegal_move', title: '工单不能从“新建”转为“已关闭”；当前可转为：已受理、处理中、已解决' });
    const english = await gzAgent.request({ method: 'POST', url: `/api/services/requests/${r.id}/transition`, headers: { 'accept-language': 'en-US' }, payload: { version: r.version, to: 'closed' } });
    expect(english.json().title).toBe('A request cannot move from “new” to “closed”; it can move to: accepted, in progress, resolved');
  });

  it('stops the clock while waiting for the customer and moves the deadlines on by the time waited', async () => {
    let r = await raised(gzAgent, { type: 'fault' });
    r = await moved(gzAgent, r, 'accepted');
    expect(r.respondedAt).not.toBeNull();
    r = await moved(gzAgent, r, 'waiting_customer');
    expect(r.pausedAt).not.toBeNull();
    // two hours of waiting, as if the customer answered two hours later
    await sys.database.rows(sql`UPDATE service_requests SET paused_at = paused_at - interval '2 hours' WHERE id = ${r.id}`);
    const before = new Date(r.resolveDueAt!).valueOf();
    r = await moved(gzAgent, r, 'in_progress');
    expect(r.pausedAt).toBeNull();
    expect(new Date(r.resolveDueAt!).valueOf() - before).toBeGreaterThan(2 * HOUR - 5_000);
    expect(new Date(r.resolveDueAt!).valueOf() - before).toBeLessThan(2 * HOUR + 60_000);
  });

  it('lets only its handler or a head move a request someone handles, naming the handler', async () => {
    const r = await raised(gzAgent, { type: 'fault' });
    const manager = await sys.login('gz_am01');
    const res = await move(manager, r, 'accepted');
    expect(res.statusCode).toBe(403);
    const agentName = (await one<{ n: string }>(sql`SELECT display_name AS n FROM users WHERE username = 'gz_agent'`)).n;
    expect(res.json()).toMatchObject({ code: 'request_not_owner' });
    expect(res.json().title).toContain(agentName);
    expect((await move(gzHead, r, 'accepted')).statusCode).toBe(200);
  });

  it('refuses a move at a stale version', async () => {
    const r = await raised(gzAgent, { type: 'bill_query', title: '账单金额异常' });
    await moved(gzAgent, r, 'accepted');
    const stale = await move(gzAgent, r, 'in_progress');
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('version_conflict');
  });

  it('tells the customer what resolved it; a closed request is reopened only by a head, and only with a reason', async () => {
    let r = await raised(gzAgent, { type: 'plan_change', title: '套餐变更' });
    r = await moved(gzAgent, r, 'resolved', '已为您变更为 5G 畅享套餐，下月生效');
    expect(r.events.at(-1)).toMatchObject({ kind: 'status', toStatus: 'resolved', visibility: 'customer' });
    r = await moved(gzAgent, r, 'closed');
    expect(r.allowedMoves).toEqual([]);
    expect((await move(gzAgent, r, 'in_progress', '客户反映未生效')).statusCode).toBe(409);
    const noReason = await move(gzHead, r, 'in_progress');
    expect(noReason.statusCode).toBe(400);
    expect(JSON.stringify(noReason.json())).toContain('body.note');
    r = await moved(gzHead, r, 'in_progress', '客户反映未生效');
    expect(r).toMatchObject({ status: 'in_progress', reopenCount: 1, closedAt: null, resolvedAt: null });
    expect(r.events.at(-1)).toMatchObject({ kind: 'reopened', fromStatus: 'closed', toStatus: 'in_progress' });
  });
});

describe('assignment and the timeline', () => {
  it('a request raised in another city for the customer’s unit has no owner yet: the heads who answer for that unit are told', async () => {
    const r = await raised(szAgent, { customerId: undefined, phone: CUSTOMER_PHONE, type: 'fault' });
    expect(r).toMatchObject({ ownerId: null, crossRegion: true, handlingUnitId: customerUnitId });
    const told = await sys.database.rows<{ username: string; params: Record<string, unknown> }>(sql`
      SELECT u.username, n.params FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.code = 'notify_request_queued' AND n.entity_id = ${r.id}`);
    expect(told).toEqual([{ username: 'gz_head', params: { requestNo: r.requestNo, customerName: r.customerName } }]);
  });

  it('a head gives a request to a handler of the unit, who is told; an agent cannot give it away', async () => {
    const r = await raised(gzHead, { type: 'repair', title: '终端维修', channel: 'manager' });
    const agentId = await userId('gz_agent');
    const given = await gzHead.request({ method: 'POST', url: `/api/services/requests/${r.id}/assignment`, payload: { version: r.version, ownerId: agentId } });
    expect(given.statusCode, given.body).toBe(200);
    expect(given.json()).toMatchObject({ ownerId: agentId });
    const told = await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE user_id = ${agentId} AND code = 'notify_request_assigned' AND entity_id = ${r.id}`);
    expect(told.n).toBe(1);
    const away = await gzAgent.request({ method: 'POST', url: `/api/services/requests/${r.id}/assignment`, payload: { version: given.json().version, ownerId: await userId('gz_head') } });
    expect(away.statusCode).toBe(403);
    const notHandler = await gzHead.request({ method: 'POST', url: `/api/services/requests/${r.id}/assignment`, payload: { version: given.json().version, ownerId: await userId('gd_analyst') } });
    expect(notHandler.statusCode).toBe(400);
    expect(JSON.stringify(notHandler.json())).toContain('body.ownerId');
  });

  it('keeps internal notes and replies to the customer in one timeline', async () => {
    const r = await raised(gzAgent, { type: 'consultation', title: '咨询' });
    await gzAgent.request({ method: 'POST', url: `/api/services/requests/${r.id}/comments`, payload: { kind: 'note', body: '客户要求下午联系' } });
    const res = await gzAgent.request({ method: 'POST', url: `/api/services/requests/${r.id}/comments`, payload: { kind: 'reply', body: '您好，已为您查询' } });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as RequestDetail).events.map((e) => [e.kind, e.visibility])).toEqual([
      ['created', 'internal'],
      ['note', 'internal'],
      ['reply', 'customer'],
    ]);
  });
});

describe('attachments (附件)', () => {
  it('keeps an image and hands it back as it was', async () => {
    const r = await raised(gzAgent, { type: 'fault' });
    const res = await attach(gzAgent, r.id, '故障截图.png', PNG);
    expect(res.statusCode, res.body).toBe(200);
    const [file] = (res.json() as RequestDetail).attachments;
    expect(file).toMatchObject({ fileName: '故障截图.png', contentType: 'image/png', size: PNG.length });
    const back = await gzAgent.request({ method: 'GET', url: `/api/services/requests/${r.id}/attachments/${file!.id}` });
    expect(back.statusCode).toBe(200);
    expect(back.rawPayload.equals(PNG)).toBe(true);
    expect(back.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a disguised file, an unknown type and an oversized one, naming the file field', async () => {
    const r = await raised(gzAgent, { type: 'fault' });
    const disguised = await attach(gzAgent, r.id, '发票.pdf', Buffer.from('MZ\x90\x00 this is a program'));
    expect(disguised.statusCode).toBe(415);
    expect(disguised.json()).toMatchObject({ code: 'attachment_type_mismatch' });
    expect(JSON.stringify(disguised.json())).toContain('body.file');
    expect((await attach(gzAgent, r.id, 'tool.exe', Buffer.from('MZ'))).json().code).toBe('attachment_type_not_allowed');
    const big = await attach(gzAgent, r.id, 'big.png', Buffer.concat([PNG, Buffer.alloc(8192)]));
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('attachment_too_large');
    expect((await get(gzAgent, r.id)).json().attachments).toEqual([]);
  });
});

describe('cross-region service (跨地区服务)', () => {
  it('a 深圳 agent raises a SIM replacement by the customer’s own number; both cities see it and count it; the profile stays closed', async () => {
    const r = await raised(szAgent, { customerId: undefined, phone: CUSTOMER_PHONE, type: 'sim_replacement', title: '补卡' });
    const szOutlet = await idOf(sql`SELECT unit_id AS id FROM users WHERE username = 'sz_agent'`);
    expect(r).toMatchObject({ customerId, crossRegion: true, handlingUnitId: szOutlet, raisedUnitId: szOutlet });
    for (const s of [gzHead, szHead, szAgent]) expect((await get(s, r.id)).statusCode).toBe(200);
    // another manager of 广州 sees neither the customer nor its requests
    expect((await get(gzAm02, r.id)).statusCode).toBe(404);
    expect((await szAgent.request({ method: 'GET', url: `/api/customers/${customerId}` })).statusCode).toBe(404);
    for (const s of [gzHead, szHead]) {
      const board = (await s.request({ method: 'GET', url: '/api/services/requests/board' })).json() as SlaBoard;
      expect(board.total).toBeGreaterThanOrEqual(1);
      const listed = await s.request({ method: 'GET', url: '/api/services/requests?view=unit&open=true&limit=100' });
      expect((listed.json() as { id: number }[]).map((x) => x.id)).toContain(r.id);
      expect(Number(listed.headers['x-total-count'])).toBeGreaterThanOrEqual(1);
    }
  });

  it('an unknown number is not found', async () => {
    const res = await szAgent.request({ method: 'POST', url: '/api/services/requests', payload: { phone: '13000000001', type: 'payment', channel: 'outlet', title: '缴费' } });
    expect(res.statusCode).toBe(404);
  });
});

describe('the SLA clock (服务时限)', () => {
  it('warns the handler and the city head before the breach, records the breach, and waives a fault’s monthly fee, once', async () => {
    const deps = makeDeps(sys.config, sys.database);
    let r = await raised(gzAgent, { type: 'fault' });
    r = await moved(gzAgent, r, 'accepted');
    const warnAt = new Date(r.warnAt!);
    const headId = await userId('gz_head');
    expect((await runSlaClock(deps, new Date(warnAt.valueOf() + 1000))).warnings).toBeGreaterThanOrEqual(1);
    expect((await get(gzAgent, r.id)).json().slaState).toBe('warning');
    const warned = await sys.database.rows<{ user_id: number }>(sql`SELECT user_id FROM notifications WHERE code = 'notify_sla_warning' AND entity_id = ${r.id}`);
    expect(warned.map((w) => Number(w.user_id)).sort()).toEqual([await userId('gz_agent'), headId].sort());
    // a second pass at the same time finds nothing left to do
    expect(await runSlaClock(deps, new Date(warnAt.valueOf() + 1000))).toEqual({ responseBreaches: 0, resolutionBreaches: 0, warnings: 0 });

    const after = new Date(new Date(r.resolveDueAt!).valueOf() + 60_000);
    expect((await runSlaClock(deps, after)).resolutionBreaches).toBeGreaterThanOrEqual(1);
    const breached = (await get(gzAgent, r.id)).json() as RequestDetail;
    expect(breached).toMatchObject({ slaState: 'breached', breachReason: '未在解决时限内解决' });
    expect(breached.feeWaivedMonth).toMatch(/^\d{4}-\d{2}$/);
    expect(breached.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['sla_warning', 'sla_breach', 'fee_waived']));
    expect(await runSlaClock(deps, after)).toEqual({ responseBreaches: 0, resolutionBreaches: 0, warnings: 0 });
    const waivers = await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM fee_waivers WHERE request_id = ${r.id}`);
    expect(waivers.n).toBe(1);
  });

  it('records a request nobody answered in time as breached on its response', async () => {
    const deps = makeDeps(sys.config, sys.database);
    const r = await raised(gzHead, { type: 'complaint', title: '投诉', channel: 'hotline' });
    const pass = await runSlaClock(deps, new Date(new Date(r.respondDueAt!).valueOf() + 1000));
    expect(pass.responseBreaches).toBeGreaterThanOrEqual(1);
    const breached = (await get(gzHead, r.id)).json() as RequestDetail;
    expect(breached).toMatchObject({ slaState: 'breached', breachReason: '未在响应时限内受理', feeWaivedMonth: null });
  });

  it('takes a backlog in batches written two at a time, each request breached and announced once', async () => {
    const deps = makeDeps(sys.config, sys.database);
    const backlog = await Promise.all(Array.from({ length: 7 }, () => raised(gzAgent, { type: 'consultation', title: '积压' })));
    const after = new Date(Math.max(...backlog.map((r) => new Date(r.resolveDueAt!).valueOf())) + HOUR);
    const pass = await runSlaClock(deps, after, 2);
    expect(pass.responseBreaches + pass.resolutionBreaches).toBeGreaterThanOrEqual(backlog.length * 2);
    const ids = backlog.map((r) => r.id);
    const told = await sys.database.rows<{ id: number; breaches: number; messages: number }>(sql`
      SELECT r.id, (SELECT count(*)::int FROM service_request_events e WHERE e.request_id = r.id AND e.kind = 'sla_breach') AS breaches,
             (SELECT count(*)::int FROM notifications n WHERE n.entity_id = r.id AND n.code = 'notify_sla_breach' AND n.entity = 'service_request') AS messages
      FROM service_requests r WHERE r.id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`);
    // each breached on its response, then on its resolution: two events, and the handler and the city head told each time
    expect(told.map((t) => [t.breaches, t.messages])).toEqual(ids.map(() => [2, 4]));
    expect(await runSlaClock(deps, after, 2)).toEqual({ responseBreaches: 0, resolutionBreaches: 0, warnings: 0 });
  });

  it('never breaches a request while it waits for the customer', async () => {
    const deps = makeDeps(sys.config, sys.database);
    let r = await raised(gzAgent, { type: 'fault' });
    r = await moved(gzAgent, r, 'accepted');
    r = await moved(gzAgent, r, 'waiting_customer');
    await runSlaClock(deps, new Date(new Date(r.resolveDueAt!).valueOf() + HOUR));
    expect((await get(gzAgent, r.id)).json().slaState).toBe('ok');
  });
});

describe('satisfaction (满意度)', () => {
  const answer = (s: Session, id: number, payload: Record<string, unknown>) => s.request({ method: 'POST', url: `/api/services/requests/${id}/survey`, payload });

  it('closing sends one survey by SMS; a low score reopens the request for the city head; an answer is kept once', async () => {
    let r = await raised(gzAgent, { type: 'consultation', title: '咨询国际漫游' });
    expect((await answer(gzAgent, r.id, { score: 5 })).json().code).toBe('survey_not_sent');
    r = await moved(gzAgent, r, 'resolved', '已告知资费');
    r = await moved(gzAgent, r, 'closed');
    expect(r.survey).toMatchObject({ channel: 'sms', answeredAt: null, score: null });
    const sms = await sys.database.rows<{ recipient_masked: string; body: string }>(sql`SELECT recipient_masked, body FROM outbound_messages WHERE dedupe_key = ${`survey:${r.id}`}`);
    expect(sms).toHaveLength(1);
    expect(sms[0]!.recipient_masked).toBe('139****5678');
    expect(sms[0]!.body).toContain(r.requestNo);

    const low = await answer(gzAgent, r.id, { score: 2, comment: '答复太慢' });
    expect(low.statusCode, low.body).toBe(200);
    r = low.json();
    expect(r).toMatchObject({ status: 'in_progress', reopenCount: 1, survey: { score: 2, comment: '答复太慢', complaint: false } });
    expect(r.events.slice(-2).map((e) => e.kind)).toEqual(['survey', 'reopened']);
    const told = await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM notifications WHERE code = 'notify_request_reopened' AND entity_id = ${r.id} AND user_id = ${await userId('gz_head')}`);
    expect(told.n).toBe(1);
    expect((await answer(gzAgent, r.id, { score: 5 })).json().code).toBe('survey_answered');

    // closing again sends no second survey
    r = await moved(gzAgent, r, 'resolved', '已再次说明');
    r = await moved(gzAgent, r, 'closed');
    const again = await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM outbound_messages WHERE entity = 'service_request' AND entity_id = ${r.id}`);
    expect(again.n).toBe(1);
  });

  it('a satisfied answer leaves the request closed and counts on the board', async () => {
    let r = await raised(gzAgent, { type: 'bill_query', title: '账单查询' });
    r = await moved(gzAgent, r, 'resolved', '已核对');
    r = await moved(gzAgent, r, 'closed');
    const ok = await answer(gzAgent, r.id, { score: 5, comment: '很满意' });
    expect(ok.json()).toMatchObject({ status: 'closed', reopenCount: 0 });
    const bad = await answer(gzAgent, r.id, { score: 6 });
    expect(bad.statusCode).toBe(400);
    const board = (await gzHead.request({ method: 'GET', url: '/api/services/requests/board' })).json() as SlaBoard;
    expect(board.satisfaction.answered).toBeGreaterThanOrEqual(2);
    expect(board.satisfaction.low).toBeGreaterThanOrEqual(1);
  });
});

describe('the demo’s year of requests', () => {
  it('has requests of every type and status, each with its timeline, breached faults with their fee waived, and answered surveys', async () => {
    // the requests of the tests above come first: the demo's are those after them
    const before = Number((await one<{ id: number | null }>(sql`SELECT max(id) AS id FROM service_requests`)).id ?? 0);
    await seedDemoRequests(makeDeps(sys.config, sys.database), 20261125);
    const [kinds] = await sys.database.rows<{ types: number; statuses: number; waived: number; answered: number; low: number; untimed: number }>(sql`
      SELECT count(DISTINCT type)::int AS types, count(DISTINCT status)::int AS statuses,
             (SELECT count(*)::int FROM fee_waivers WHERE request_id > ${before}) AS waived,
             (SELECT count(*)::int FROM service_surveys WHERE request_id > ${before} AND answered_at IS NOT NULL) AS answered,
             (SELECT count(*)::int FROM service_surveys WHERE request_id > ${before} AND score <= 2) AS low,
             count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM service_request_events e WHERE e.request_id = r.id AND e.kind = 'created'))::int AS untimed
      FROM service_requests r WHERE r.id > ${before}`);
    expect(kinds).toMatchObject({ types: 9, statuses: 6, untimed: 0 });
    expect(kinds!.waived).toBeGreaterThan(0);
    expect(kinds!.answered).toBeGreaterThan(0);
    expect(kinds!.low).toBeGreaterThan(0);
  });
});

describe('the kept counts of requests per unit (工单计数)', () => {
  it('stay equal to the requests after every kind of write, a cross-region request counted once in each subtree', async () => {
    expect(await requestCountsDrift(sys.database)).toEqual([]);
    // a request moved to another city, then deleted
    const r = await raised(szAgent, { customerId: undefined, phone: CUSTOMER_PHONE, type: 'payment', title: '缴费' });
    await sys.database.rows(sql`UPDATE service_requests SET handling_unit_id = (SELECT id FROM org_units WHERE code = 'GD-FS') WHERE id = ${r.id}`);
    expect(await requestCountsDrift(sys.database)).toEqual([]);
    await sys.database.rows(sql`DELETE FROM service_request_events WHERE request_id = ${r.id}`);
    await sys.database.rows(sql`DELETE FROM service_requests WHERE id = ${r.id}`);
    expect(await requestCountsDrift(sys.database)).toEqual([]);
  });

  it('take the changes of requests raised at once as rows of their own, folded into one row per key without changing a total', async () => {
    const rows = async () => (await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM service_request_counts`))[0]!.n;
    await foldRequestCounts(sys.database);
    const folded = await rows();
    await Promise.all([1, 2, 3].map((i) => raised(szAgent, { customerId: undefined, phone: CUSTOMER_PHONE, type: 'payment', title: `同时受理 ${i}` })));
    // each raise appended its own rows, even for the keys that already had one
    expect(await rows()).toBeGreaterThan(folded);
    expect(await requestCountsDrift(sys.database)).toEqual([]);
    expect(await foldRequestCounts(sys.database)).toBeGreaterThan(0);
    const [dupes] = await sys.database.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM (SELECT 1 FROM service_request_counts GROUP BY unit_id, status, sla_state, type HAVING count(*) > 1 OR sum(n) = 0) d`);
    expect(dupes!.n).toBe(0);
    expect(await requestCountsDrift(sys.database)).toEqual([]);
  });

  it('fold a burst of more rows than are left to autovacuum, and vacuum them, without changing a total', async () => {
    // a thousand raises and their undoing, appended to one key as a burst of writes leaves them
    await sys.database.rows(sql`
      INSERT INTO service_request_counts (unit_id, status, sla_state, type, n)
      SELECT (SELECT min(id) FROM org_units), 'new', 'ok', 'payment', CASE WHEN i % 2 = 0 THEN 1 ELSE -1 END FROM generate_series(1, 1200) i`);
    expect(await foldRequestCounts(sys.database)).toBeGreaterThanOrEqual(1200);
    expect(await requestCountsDrift(sys.database)).toEqual([]);
  });

  it('give a head the same totals as counting the requests', async () => {
    const gdHead = await sys.login('gd_head');
    for (const filter of ['open=true', 'open=false', 'status=closed', 'type=fault&open=true', 'slaState=breached']) {
      const total = async (s: Session, view: string) => Number((await s.request({ method: 'GET', url: `/api/services/requests?view=${view}&${filter}&limit=1` })).headers['x-total-count']);
      // the province head's own unit holds every request: its kept total equals the count of all it sees
      expect(await total(gdHead, 'unit'), filter).toBe(await total(gdHead, 'all'));
    }
    const gzTotal = Number((await gzHead.request({ method: 'GET', url: '/api/services/requests?view=unit&open=true&limit=1' })).headers['x-total-count']);
    const [counted] = await sys.database.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM service_requests r WHERE r.status NOT IN ('resolved', 'closed') AND EXISTS (
        SELECT 1 FROM org_units x WHERE x.id IN (r.handling_unit_id, r.raised_unit_id, r.home_unit_id) AND x.path LIKE (SELECT path FROM org_units WHERE code = 'GD-GZ') || '%')`);
    expect(gzTotal).toBe(counted!.n);
  });
});
