import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoNotices } from '../../../demo/services-notices.js';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { makeDeps } from '../../../platform/deps.js';
import { shanghaiMinute } from './flow.js';
import type { AffectedCustomer, CustomerOutage, OutageDetail } from './schemas.js';

let sys: TestSystem;
let gdHead: Session;
let gzHead: Session;
let szHead: Session;
let gzAm: Session;
let analyst: Session;
let auditor: Session;
let gz: number;
let sz: number;

const HOUR = 3_600_000;
const one = async <T>(query: ReturnType<typeof sql>) => (await sys.database.rows<T>(query))[0]!;
const idOf = async (query: ReturnType<typeof sql>) => Number((await one<{ id: number }>(query)).id);
const unitId = (code: string) => idOf(sql`SELECT id FROM org_units WHERE code = ${code}`);
/** An instant `hours` from now, as the API takes it. */
const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();

const post = (s: Session, url: string, payload: Record<string, unknown>, lang?: string) =>
  s.request({ method: 'POST', url, payload, ...(lang && { headers: { 'accept-language': lang } }) });
const get = (s: Session, url: string) => s.request({ method: 'GET', url });
const errorsOf = (body: string) => ((JSON.parse(body) as { errors?: { field: string; code: string }[] }).errors ?? []).map((e) => [e.field, e.code]);

async function planned(s: Session, payload: Record<string, unknown> = {}): Promise<OutageDetail> {
  const res = await post(s, '/api/outages', { title: '核心网割接', kind: 'cutover', areaUnitId: gz, startsAt: inHours(96), endsAt: inHours(100), ...payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const act = (s: Session, o: Pick<OutageDetail, 'id' | 'version'>, action: string, extra: Record<string, unknown> = {}, lang?: string) =>
  post(s, `/api/outages/${o.id}/${action}`, { version: o.version, ...extra }, lang);

async function acted(s: Session, o: Pick<OutageDetail, 'id' | 'version'>, action: string, extra: Record<string, unknown> = {}): Promise<OutageDetail> {
  const res = await act(s, o, action, extra);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** The in-network customers of a unit's subtree, counted apart from the service's SQL. */
async function customersUnder(code: string): Promise<number[]> {
  const rows = await sys.database.rows<{ id: number }>(sql`
    SELECT c.id FROM customers c JOIN org_units u ON u.id = c.unit_id
    WHERE starts_with(u.path, (SELECT path FROM org_units WHERE code = ${code})) AND c.archive = 'in_network' AND c.merged_into IS NULL ORDER BY c.id`);
  return rows.map((r) => Number(r.id));
}

const smsOf = (outageId: number) =>
  sys.database.rows<{ dedupe_key: string; recipient_enc: string; recipient_masked: string; body: string }>(
    sql`SELECT dedupe_key, recipient_enc, recipient_masked, body FROM outbound_messages WHERE entity = 'planned_outage' AND entity_id = ${outageId} ORDER BY dedupe_key`,
  );

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error' });
  [gdHead, gzHead, szHead, gzAm, analyst, auditor] = await Promise.all([
    sys.login('gd_head'),
    sys.login('gz_head'),
    sys.login('sz_head'),
    sys.login('gz_am01'),
    sys.login('gd_analyst'),
    sys.login('gd_auditor'),
  ]);
  [gz, sz] = await Promise.all([unitId('GD-GZ'), unitId('GD-SZ')]);
}, 120_000);
afterAll(() => sys?.close());

describe('planning a notice (72 hours ahead)', () => {
  it('refuses a start less than 72 hours ahead, naming body.startsAt and the earliest start allowed', async () => {
    const before = Date.now();
    const res = await post(gzHead, '/api/outages', { title: '基站搬迁', kind: 'maintenance', areaUnitId: gz, startsAt: inHours(71), endsAt: inHours(73) });
    expect(res.statusCode).toBe(400);
    expect(errorsOf(res.body)).toEqual([['body.startsAt', 'outage_notice_too_short']]);
    // the earliest start, in Beijing time, rounded up to the minute
    const earliest = [shanghaiMinute(new Date(Math.ceil((before + 72 * HOUR) / 60_000) * 60_000)), shanghaiMinute(new Date(Math.ceil((Date.now() + 72 * HOUR) / 60_000) * 60_000))];
    expect(earliest.some((e) => res.json().title.includes(e)), res.json().title).toBe(true);
    expect(res.json().title).toContain('72 小时');
    const english = await gzHead.request({ method: 'POST', url: '/api/outages', headers: { 'accept-language': 'en' }, payload: { title: '基站搬迁', kind: 'maintenance', areaUnitId: gz, startsAt: inHours(71), endsAt: inHours(73) } });
    expect(english.json().title).toMatch(/^Customers must be told at least 72 hours ahead: the earliest start is \d{4}-\d\d-\d\d \d\d:\d\d/);
    const draft = await planned(gzHead, { startsAt: inHours(72.1), endsAt: inHours(74) });
    expect(draft).toMatchObject({ status: 'draft', areaUnitId: gz, affectedCount: null, allowedActions: ['submit', 'cancel'], version: 1 });
    const [logged] = await sys.database.rows(sql`SELECT action, after FROM audit_log WHERE entity = 'planned_outage' AND entity_id = ${String(draft.id)}`);
    expect(logged).toMatchObject({ action: 'create', after: { title: '核心网割接', kind: 'cutover', areaUnitId: gz } });
  });

  it.each([
    ['a start in the past', () => ({ startsAt: inHours(-1), endsAt: inHours(2) }), 'body.startsAt', 'outage_in_past'],
    ['an end before the start', () => ({ startsAt: inHours(100), endsAt: inHours(99) }), 'body.endsAt', 'outage_ends_before_start'],
    ['an end equal to the start', () => ({ startsAt: inHours(100), endsAt: inHours(100) }), 'body.endsAt', 'outage_ends_before_start'],
    ['a window over 30 days', () => ({ startsAt: inHours(100), endsAt: inHours(100 + 31 * 24) }), 'body.endsAt', 'outage_window_too_long'],
    ['an area of another city', () => ({ areaUnitId: sz }), 'body.areaUnitId', 'outage_area_outside'],
    ['an area that does not exist', () => ({ areaUnitId: 987654 }), 'body.areaUnitId', 'not_found'],
    ['an unknown kind', () => ({ kind: 'fiber' }), 'body.kind', 'invalid_value'],
    ['an empty title', () => ({ title: '  ' }), 'body.title', 'too_small'],
    ['a time without its offset', () => ({ startsAt: '2030-01-01T00:00:00' }), 'body.startsAt', 'invalid_format'],
  ])('refuses %s with 400 naming the field', async (_what, body, field, code) => {
    const res = await post(gzHead, '/api/outages', { title: '不该保存', kind: 'upgrade', areaUnitId: gz, startsAt: inHours(100), endsAt: inHours(104), ...body() });
    expect(res.statusCode, res.body).toBe(400);
    expect(errorsOf(res.body)).toEqual(expect.arrayContaining([[field, code]]));
  });

  it('is planned with notices.manage only, and read with notices.read', async () => {
    expect((await post(gzAm, '/api/outages', { title: '经理不能编制', kind: 'upgrade', areaUnitId: gz, startsAt: inHours(100), endsAt: inHours(101) })).statusCode).toBe(403);
    expect((await post(analyst, '/api/outages', { title: '分析员不能编制', kind: 'upgrade', areaUnitId: gz, startsAt: inHours(100), endsAt: inHours(101) })).statusCode).toBe(403);
    expect((await get(auditor, '/api/outages')).statusCode).toBe(403);
    expect((await get(analyst, '/api/outages')).statusCode).toBe(200);
  });

  it('changes a draft at the version read (409 when stale); another city’s notice is 404 as a missing one', async () => {
    const draft = await planned(gzHead);
    const res = await gzHead.request({ method: 'PATCH', url: `/api/outages/${draft.id}`, payload: { version: 1, title: '核心网割接（第二阶段）', endsAt: inHours(102) } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ title: '核心网割接（第二阶段）', version: 2 });
    const stale = await gzHead.request({ method: 'PATCH', url: `/api/outages/${draft.id}`, payload: { version: 1, title: '过期' } });
    expect([stale.statusCode, stale.json().code]).toEqual([409, 'version_conflict']);
    const staleAction = await act(gzHead, { id: draft.id, version: 1 }, 'submit');
    expect([staleAction.statusCode, staleAction.json().code]).toEqual([409, 'version_conflict']);
    const tooSoon = await gzHead.request({ method: 'PATCH', url: `/api/outages/${draft.id}`, payload: { version: 2, startsAt: inHours(10) } });
    expect(errorsOf(tooSoon.body)).toEqual([['body.startsAt', 'outage_notice_too_short']]);

    const missing = await get(szHead, '/api/outages/987654321');
    const outside = await get(szHead, `/api/outages/${draft.id}`);
    expect([outside.statusCode, outside.json().title]).toEqual([404, missing.json().title]);
    expect((await szHead.request({ method: 'PATCH', url: `/api/outages/${draft.id}`, payload: { version: 2, title: '越权' } })).statusCode).toBe(404);
    expect((await act(szHead, { id: draft.id, version: 2 }, 'cancel', { reason: '越权' })).statusCode).toBe(404);
    expect((await get(szHead, `/api/outages/${draft.id}/customers`)).statusCode).toBe(404);
    const listed = (await get(szHead, '/api/outages?limit=100')).json() as OutageDetail[];
    expect(listed.map((o) => o.id)).not.toContain(draft.id);
  });
});

describe('the affected key accounts', () => {
  it('are the in-network customers of the area’s subtree, counted and stored when submitted', async () => {
    const county = 'GD-GZ-01';
    const expected = await customersUnder(county);
    expect(expected.length).toBeGreaterThan(0);
    // a customer moved to the retained archive is no longer in the network
    const retained = expected.pop()!;
    await sys.database.db.execute(sql`UPDATE customers SET archive = 'retained' WHERE id = ${retained}`);
    const draft = await planned(gzHead, { title: '越秀片区光缆迁改', areaUnitId: await unitId(county) });
    const submitted = await acted(gzHead, draft, 'submit');
    expect(submitted).toMatchObject({ status: 'pending_approval', needsApproval: true, affectedCount: expected.length });
    const stored = await sys.database.rows<{ customer_id: number }>(sql`SELECT customer_id FROM outage_customers WHERE outage_id = ${draft.id} ORDER BY customer_id`);
    expect(stored.map((r) => Number(r.customer_id))).toEqual(expected);
    const page = await get(gzHead, `/api/outages/${draft.id}/customers?limit=1000`);
    expect(Number(page.headers['x-total-count'])).toBe(expected.length);
    const rows = page.json() as AffectedCustomer[];
    expect(rows.map((c) => c.customerId).sort((a, b) => a - b)).toEqual(expected);
    expect(rows.filter((c) => c.contactPhone).every((c) => /^\d{3}\*{4}\d{4}$/.test(c.contactPhone!))).toBe(true);
  });

  it('a short window touching nobody needs no approval; a window over 24 hours does', async () => {
    const empty = await idOf(sql`
      INSERT INTO org_units (code, name, kind, parent_id, path)
      SELECT 'GD-GZ-LAB', '广州实验局', 'county', id, path FROM org_units WHERE code = 'GD-GZ' RETURNING id`);
    await sys.database.db.execute(sql`UPDATE org_units SET path = path || id || '/' WHERE id = ${empty}`);
    const short = await acted(gzHead, await planned(gzHead, { areaUnitId: empty, startsAt: inHours(80), endsAt: inHours(104) }), 'submit');
    expect(short).toMatchObject({ status: 'approved', needsApproval: false, affectedCount: 0, allowedActions: ['send', 'cancel'] });
    const long = await acted(gzHead, await planned(gzHead, { areaUnitId: empty, startsAt: inHours(80), endsAt: inHours(104.5) }), 'submit');
    expect(long).toMatchObject({ status: 'pending_approval', needsApproval: true, affectedCount: 0 });
  });
});

describe('approval (审批)', () => {
  it('nobody decides their own; another head above or at the area approves; the heads are told', async () => {
    const draft = await planned(gzHead, { title: '天河机房电源改造' });
    const submitted = await acted(gzHead, draft, 'submit');
    expect(submitted.allowedActions).toEqual(['cancel']);
    const own = await act(gzHead, submitted, 'approve');
    expect([own.statusCode, own.json().code]).toEqual([409, 'outage_self_approval']);
    expect((await act(analyst, submitted, 'approve')).statusCode).toBe(403);
    expect((await act(szHead, submitted, 'approve')).statusCode).toBe(404);
    const [told] = await sys.database.rows<{ code: string; params: { title: string } }>(sql`
      SELECT n.code, n.params FROM notifications n JOIN users u ON u.id = n.user_id
      WHERE u.username = 'gd_head' AND n.entity = 'planned_outage' AND n.entity_id = ${submitted.id}`);
    expect(told).toMatchObject({ code: 'notify_outage_pending', params: { title: '天河机房电源改造' } });

    const seen = (await get(gdHead, `/api/outages/${submitted.id}`)).json() as OutageDetail;
    expect(seen.allowedActions).toEqual(['approve', 'reject', 'cancel']);
    const approved = await acted(gdHead, seen, 'approve', { note: '同意，注意做好回退预案' });
    expect(approved).toMatchObject({ status: 'approved', decisionNote: '同意，注意做好回退预案', allowedActions: ['send', 'cancel'] });
    expect(approved.approvedByName).not.toBeNull();
    const [decision] = await sys.database.rows<{ code: string }>(sql`
      SELECT n.code FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'gz_head' AND n.code = 'notify_outage_approved' AND n.entity_id = ${submitted.id}`);
    expect(decision).toBeDefined();
  });

  it('a rejection needs its reason and sends the notice back to draft', async () => {
    const submitted = await acted(gzHead, await planned(gzHead, { title: '越秀片区传输升级', kind: 'upgrade' }), 'submit');
    const bare = await act(gdHead, submitted, 'reject');
    expect([bare.statusCode, errorsOf(bare.body)]).toEqual([400, [['body.note', 'decision_reason_required']]]);
    const rejected = await acted(gdHead, submitted, 'reject', { note: '与重保期冲突，请改期' });
    expect(rejected).toMatchObject({ status: 'draft', decisionNote: '与重保期冲突，请改期', affectedCount: null });
    expect(Number((await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM outage_customers WHERE outage_id = ${rejected.id}`)).n)).toBe(0);
  });

  it('an edit of an approved notice sends it back to draft to be decided again', async () => {
    const approved = await acted(gdHead, await acted(gzHead, await planned(gzHead), 'submit'), 'approve');
    const res = await gzHead.request({ method: 'PATCH', url: `/api/outages/${approved.id}`, payload: { version: approved.version, startsAt: inHours(120), endsAt: inHours(122) } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'draft', approvedByName: null, affectedCount: null });
  });

  it('too late for 72 hours’ notice: submitting or approving is refused, naming the earliest start', async () => {
    const draft = await planned(gzHead);
    await sys.database.db.execute(sql`UPDATE planned_outages SET starts_at = now() + interval '10 hours' WHERE id = ${draft.id}`);
    const late = await act(gzHead, draft, 'submit');
    expect([late.statusCode, late.json().code]).toEqual([409, 'outage_notice_late']);
    expect(late.json().title).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d/);
  });
});

describe('sending (发送通知)', () => {
  let sent: OutageDetail;
  let affected: number[];

  beforeAll(async () => {
    affected = await customersUnder('GD-GZ');
    const approved = await acted(gdHead, await acted(gzHead, await planned(gzHead, { title: '广州核心网割接', startsAt: '2030-12-01T00:00:00+08:00', endsAt: '2030-12-01T06:00:00+08:00' }), 'submit'), 'approve');
    sent = await acted(gzHead, approved, 'send');
  });

  it('queues one SMS per affected customer with a phone, sealed, in Chinese with the window in Beijing time', async () => {
    const phones = await sys.database.rows<{ id: number; contact_phone: string }>(sql`
      SELECT id, contact_phone FROM customers WHERE id = ANY(${`{${affected.join(',')}}`}::bigint[]) AND contact_phone IS NOT NULL`);
    expect(sent).toMatchObject({ status: 'notified', affectedCount: affected.length, notifiedCount: affected.length, smsCount: phones.length });
    const sms = await smsOf(sent.id);
    expect(sms.map((m) => m.dedupe_key).sort()).toEqual(phones.map((p) => `outage:${sent.id}:${p.id}`).sort());
    const vault = makeDeps(sys.config, sys.database).pii;
    const byKey = new Map(phones.map((p) => [`outage:${sent.id}:${p.id}`, p.contact_phone]));
    for (const m of sms) {
      expect(vault.decrypt(Buffer.from(m.recipient_enc, 'base64'))).toBe(byKey.get(m.dedupe_key));
      expect(m.recipient_enc).not.toContain(byKey.get(m.dedupe_key));
    }
    expect(sms[0]!.body).toContain('2030-12-01 00:00–06:00（北京时间）');
    expect(sms[0]!.body).toContain('网络割接');
  });

  it('tells each account manager once, with how many of their customers', async () => {
    const rows = await sys.database.rows<{ user_id: number; params: { count: number } }>(sql`
      SELECT user_id, params FROM notifications WHERE code = 'notify_outage_customers' AND entity_id = ${sent.id}`);
    const [expected] = await sys.database.rows<{ managers: number; customers: number }>(sql`
      SELECT count(DISTINCT manager_id)::int AS managers, count(manager_id)::int AS customers FROM customers WHERE id = ANY(${`{${affected.join(',')}}`}::bigint[])`);
    expect(rows.length).toBe(expected!.managers);
    expect(rows.reduce((n, r) => n + r.params.count, 0)).toBe(expected!.customers);
  });

  it('sending again queues nothing twice; a customer who joined the area since is told once', async () => {
    const again = await acted(gzHead, sent, 'send');
    expect(again).toMatchObject({ status: 'notified', smsCount: sent.smsCount });
    const created = await (await sys.login('admin')).request({
      method: 'POST',
      url: '/api/customers',
      payload: { customerNo: 'N-GZ-NEW', kind: 'group', name: '新入网科技有限公司', unitId: gz, contactPhone: '13900001111' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const third = await acted(gzHead, again, 'send');
    expect(third).toMatchObject({ affectedCount: affected.length + 1, smsCount: sent.smsCount + 1 });
    const fourth = await acted(gzHead, third, 'send');
    expect(fourth.smsCount).toBe(sent.smsCount + 1);
    sent = fourth;
  });

  it('shows on each affected customer’s page, for those who see the customer', async () => {
    const [mine] = await sys.database.rows<{ id: number }>(sql`
      SELECT c.id FROM customers c JOIN users u ON u.id = c.manager_id WHERE u.username = 'gz_am01' AND c.id = ANY(${`{${affected.join(',')}}`}::bigint[]) ORDER BY c.id LIMIT 1`);
    const res = await get(gzAm, `/api/customers/${mine!.id}/outages`);
    expect(res.statusCode, res.body).toBe(200);
    const notices = res.json() as CustomerOutage[];
    expect(notices.find((n) => n.id === sent.id)).toMatchObject({ title: '广州核心网割接', status: 'notified', allowedActions: [] });
    expect(notices.find((n) => n.id === sent.id)!.customerNotifiedAt).not.toBeNull();
    // the manager reads the notice, and among its customers only their own
    expect((await get(gzAm, `/api/outages/${sent.id}`)).statusCode).toBe(200);
    const theirs = (await get(gzAm, `/api/outages/${sent.id}/customers?limit=1000`)).json() as AffectedCustomer[];
    const [own] = await sys.database.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM outage_customers oc JOIN customers c ON c.id = oc.customer_id JOIN users u ON u.id = c.manager_id WHERE oc.outage_id = ${sent.id} AND u.username = 'gz_am01'`);
    expect(theirs.length).toBe(own!.n);
    expect((await get(szHead, `/api/customers/${mine!.id}/outages`)).statusCode).toBe(404);
  });

  it('an account manager does not see a notice that touches none of their customers', async () => {
    const empty = await idOf(sql`SELECT id FROM org_units WHERE code = 'GD-GZ-LAB'`);
    const other = await acted(gzHead, await planned(gzHead, { areaUnitId: empty, startsAt: inHours(80), endsAt: inHours(90) }), 'submit');
    expect((await get(gzAm, `/api/outages/${other.id}`)).statusCode).toBe(404);
    expect((await get(gzHead, `/api/outages/${other.id}`)).statusCode).toBe(200);
  });

  it('names the actions open when one is not (409), in the reader’s language', async () => {
    const draft = await planned(gzHead);
    const zh = await act(gzHead, draft, 'send');
    expect([zh.statusCode, zh.json().code]).toEqual([409, 'outage_illegal_action']);
    expect(zh.json().title).toBe('通知当前为“草稿”，不能“发送通知”；可执行：提交、取消');
    const en = await act(gzHead, draft, 'approve', {}, 'en');
    expect(en.json().title).toBe('The notice is draft and cannot approve; open now: submit, cancel');
    const edit = await gzHead.request({ method: 'PATCH', url: `/api/outages/${sent.id}`, payload: { version: sent.version, title: '改名' } });
    expect([edit.statusCode, edit.json().code]).toEqual([409, 'outage_not_editable']);
  });

  it('is completed only once the work has begun', async () => {
    const early = await act(gzHead, sent, 'complete');
    expect([early.statusCode, early.json().code]).toEqual([409, 'outage_not_started']);
  });

  it('a cancellation after the notice tells each customer told, once', async () => {
    const cancelled = await acted(gzHead, sent, 'cancel', { reason: '设备到货延期' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: '设备到货延期', allowedActions: [] });
    const sms = await smsOf(sent.id);
    const cancellations = sms.filter((m) => m.dedupe_key.endsWith(':cancelled'));
    expect(cancellations.length).toBe(sent.smsCount);
    expect(cancellations[0]!.body).toContain('已取消');
    const after = await act(gzHead, cancelled, 'send');
    expect(after.json().title).toBe('通知当前为“已取消”，不能“发送通知”；可执行：无（流程已结束）');
  });

  it('a notice whose window has begun is marked completed', async () => {
    const approved = await acted(gdHead, await acted(gzHead, await planned(gzHead, { title: '已实施的升级' }), 'submit'), 'approve');
    const notified = await acted(gzHead, approved, 'send');
    await sys.database.db.execute(sql`UPDATE planned_outages SET starts_at = now() - interval '2 hours', ends_at = now() - interval '1 hour' WHERE id = ${notified.id}`);
    const resent = await act(gzHead, notified, 'send');
    expect([resent.statusCode, resent.json().code]).toEqual([409, 'outage_started']);
    expect(await acted(gzHead, notified, 'complete')).toMatchObject({ status: 'completed' });
    const past = await get(gzHead, '/api/outages?upcoming=false&status=completed');
    expect((past.json() as OutageDetail[]).map((o) => o.id)).toContain(notified.id);
  });
});

describe('a large area', () => {
  it('tells 2,500 customers in batches of 1,000: one sealed SMS each, however often it is sent', async () => {
    const big = await idOf(sql`
      INSERT INTO org_units (code, name, kind, parent_id, path)
      SELECT 'GD-GZ-BIG', '广州大型园区', 'county', id, path FROM org_units WHERE code = 'GD-GZ' RETURNING id`);
    await sys.database.db.execute(sql`UPDATE org_units SET path = path || id || '/' WHERE id = ${big}`);
    await sys.database.db.execute(sql`
      INSERT INTO customers (customer_no, kind, name, unit_id, contact_phone)
      SELECT 'BIG-' || lpad(n::text, 5, '0'), 'individual', '园区客户' || n, ${big}, CASE WHEN n % 10 = 0 THEN NULL ELSE '139' || lpad(n::text, 8, '0') END
      FROM generate_series(1, 2500) n`);
    const approved = await acted(gdHead, await acted(gzHead, await planned(gzHead, { title: '园区整体割接', areaUnitId: big }), 'submit'), 'approve');
    expect(approved.affectedCount).toBe(2500);
    const sent = await acted(gzHead, approved, 'send');
    expect(sent).toMatchObject({ notifiedCount: 2500, smsCount: 2250 });
    const again = await acted(gzHead, sent, 'send');
    expect(again.smsCount).toBe(2250);
    const [counts] = await sys.database.rows<{ keys: number; masked: number }>(sql`
      SELECT count(DISTINCT dedupe_key)::int AS keys, count(*) FILTER (WHERE recipient_masked ~ '^139\\*{4}\\d{4}$')::int AS masked
      FROM outbound_messages WHERE entity = 'planned_outage' AND entity_id = ${sent.id}`);
    expect(counts).toEqual({ keys: 2250, masked: 2250 });
  });
});

describe('the demo', () => {
  it('has a notice in every state in 深圳 and 佛山, with the sent ones’ SMS', async () => {
    await seedDemoNotices(makeDeps(sys.config, sys.database), 20261125);
    const rows = await sys.database.rows<{ city: string; status: string; n: number; sms: number }>(sql`
      SELECT cu.code AS city, o.status, count(*)::int AS n, sum((SELECT count(*) FROM outbound_messages m WHERE m.entity = 'planned_outage' AND m.entity_id = o.id))::int AS sms
      FROM planned_outages o JOIN users u ON u.id = o.created_by JOIN org_units cu ON cu.id = u.unit_id
      WHERE u.username IN ('sz_head', 'fs_head') GROUP BY cu.code, o.status ORDER BY cu.code, o.status`);
    for (const city of ['GD-FS', 'GD-SZ']) {
      expect(rows.filter((r) => r.city === city).map((r) => r.status)).toEqual(['approved', 'cancelled', 'completed', 'draft', 'notified', 'pending_approval']);
      expect(rows.find((r) => r.city === city && r.status === 'notified')!.sms).toBeGreaterThan(0);
    }
    const [past] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM planned_outages WHERE status = 'completed' AND ends_at > now()`);
    expect(past!.n).toBe(0);
  });
});
