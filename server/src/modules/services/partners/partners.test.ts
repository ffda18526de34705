import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yearAt } from '../../../platform/months.js';
import { seedDemoPartners } from '../../../demo/services-partners.js';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { makeDeps } from '../../../platform/deps.js';
import { testPartner, type TestPartner } from './partners.testing.js';
import type { PartnerDetail, Verified } from './schemas.js';

let sys: TestSystem;
let admin: Session;
let gzHead: Session;
/** 南方航空 贵宾厅: may confirm lounge visits and priority service. */
let lounge: TestPartner;
/** A five-star gold customer of 广州 with a mobile number. */
let gold: { id: number; name: string; phone: string; customerNo: string };

const one = async <T>(query: ReturnType<typeof sql>) => (await sys.database.rows<T>(query))[0]!;
const count = async (query: ReturnType<typeof sql>) => Number((await one<{ n: number }>(query)).n);

type Call = { method?: 'GET' | 'POST'; url: string; payload?: Record<string, unknown>; headers?: Record<string, string> };
const asPartner = (p: TestPartner | string, { method = 'POST', url, payload, headers }: Call) =>
  sys.app.inject({ method, url, ...(payload && { payload }), headers: { authorization: typeof p === 'string' ? p : p.authorization, ...headers } });

const startByPhone = (p: TestPartner, phone: string) => asPartner(p, { url: '/api/partner/v1/verifications', payload: { phone } });
const enter = (p: TestPartner, id: number, code: string) => asPartner(p, { url: `/api/partner/v1/verifications/${id}/confirm`, payload: { code } });
const confirmUse = (p: TestPartner, payload: Record<string, unknown>) => asPartner(p, { url: '/api/partner/v1/confirmations', payload });

/** The code the SMS of a verification carries (what the customer reads out). */
async function codeOf(verificationId: number): Promise<string> {
  const row = await one<{ body: string }>(sql`SELECT body FROM outbound_messages WHERE entity = 'partner_verification' AND entity_id = ${verificationId}`);
  return row.body.match(/\d{6}/)![0];
}

/** A verification of the customer's phone, completed with the right code. */
async function verified(p: TestPartner, phone = gold.phone): Promise<Verified> {
  // the codes sent before were sent long ago: at most five go to one customer in 15 minutes
  await sys.database.rows(sql`UPDATE partner_verifications SET created_at = created_at - interval '1 hour'`);
  const started = await startByPhone(p, phone);
  expect(started.statusCode, started.body).toBe(201);
  const id = started.json().verificationId as number;
  const res = await enter(p, id, await codeOf(id));
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const auditOf = (entity: string, id: number | string) =>
  sys.database.rows<{ action: string; after: Record<string, unknown>; actor_username: string }>(
    sql`SELECT action, after, actor_username FROM audit_log WHERE entity = ${entity} AND entity_id = ${String(id)} ORDER BY id`,
  );
const usesOf = (customerId: number, benefit: string) => count(sql`SELECT coalesce(sum(quantity), 0)::int AS n FROM benefit_usages WHERE customer_id = ${customerId} AND benefit = ${benefit}`);

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error' });
  admin = await sys.login('admin');
  gzHead = await sys.login('gz_head');
  const run = await admin.request({ method: 'POST', url: '/api/rules/runs', payload: { month: '2026-10' } });
  expect(run.statusCode, run.body).toBe(201);
  const row = await one<{ id: number; name: string; phone: string; customer_no: string }>(sql`
    SELECT c.id, c.name, s.msisdn AS phone, c.customer_no FROM customer_ratings r JOIN customers c ON c.id = r.customer_id
    JOIN subscriptions s ON s.customer_id = c.id JOIN org_units u ON u.id = c.unit_id
    WHERE r.month = '2026-10-01' AND r.level = '5g' AND c.kind = 'individual' AND u.path LIKE (SELECT path || '%' FROM org_units WHERE code = 'GD-GZ')
      AND (SELECT count(*) FROM subscriptions x WHERE x.msisdn = s.msisdn) = 1
    ORDER BY c.id LIMIT 1`);
  gold = { id: Number(row.id), name: row.name, phone: row.phone, customerNo: row.customer_no };
  lounge = await testPartner(admin, 'CSA-LOUNGE', { name: '南方航空 贵宾厅', benefits: ['vip_lounge', 'priority_service'] });
}, 120_000);
afterAll(() => sys?.close());

describe('partner administration (partners.manage)', () => {
  it('registers a partner with the benefits it may confirm, audited; codes are unique', async () => {
    const res = await admin.request({
      method: 'POST',
      url: '/api/services/partners',
      payload: { code: 'gz-hospital', name: '广州某三甲医院 绿色通道', nameEn: 'Hospital green channel', industry: 'hospital', benefits: ['priority_service'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json() as PartnerDetail;
    expect(p).toMatchObject({ code: 'GZ-HOSPITAL', industry: 'hospital', active: true, benefits: ['priority_service'], verifyByMemberNo: false, rateLimitPerMinute: 600, credentials: [], version: 1 });
    expect((await auditOf('partner', p.id))[0]).toMatchObject({ action: 'create', after: { code: 'GZ-HOSPITAL', benefits: ['priority_service'] } });
    const again = await admin.request({ method: 'POST', url: '/api/services/partners', payload: { code: 'GZ-HOSPITAL', name: '重复', industry: 'other', benefits: [] } });
    expect([again.statusCode, again.json().errors[0].field]).toEqual([409, 'body.code']);
  });

  it.each([
    ['a benefit the rules do not name', { benefits: ['spa_day'] }, 'body.benefits.0', 'partner_benefit_unknown'],
    ['a benefit twice', { benefits: ['vip_lounge', 'vip_lounge'] }, 'body.benefits.1', 'partner_benefit_duplicate'],
    ['an unknown industry', { industry: 'casino' }, 'body.industry', 'invalid_value'],
    ['a rate limit of zero', { rateLimitPerMinute: 0 }, 'body.rateLimitPerMinute', 'too_small'],
  ])('refuses %s with 400 naming the field', async (_what, fields, field, code) => {
    const res = await admin.request({ method: 'POST', url: '/api/services/partners', payload: { code: 'REFUSED', name: '不该保存', industry: 'hotel', benefits: [], ...fields } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
  });

  it('is kept by the system administrator only (403 to a city head), listed with a total', async () => {
    expect((await gzHead.request({ method: 'GET', url: '/api/services/partners' })).statusCode).toBe(403);
    const list = await admin.request({ method: 'GET', url: '/api/services/partners?industry=airline' });
    expect(list.statusCode).toBe(200);
    expect((list.json() as PartnerDetail[]).map((p) => p.code)).toContain('CSA-LOUNGE');
    expect(Number(list.headers['x-total-count'])).toBeGreaterThanOrEqual(1);
    const options = await admin.request({ method: 'GET', url: '/api/services/partner-benefits' });
    expect((options.json() as { code: string }[]).map((b) => b.code)).toEqual(expect.arrayContaining(['vip_lounge', 'free_sim']));
  });

  it('changes a partner at the version read (409 when stale)', async () => {
    const p = await testPartner(admin, 'HOTEL-1', { industry: 'hotel' });
    const detail = (await admin.request({ method: 'GET', url: `/api/services/partners/${p.id}` })).json() as PartnerDetail;
    const res = await admin.request({ method: 'PATCH', url: `/api/services/partners/${p.id}`, payload: { version: detail.version, rateLimitPerMinute: 120, name: '白天鹅宾馆' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rateLimitPerMinute: 120, name: '白天鹅宾馆', version: 2 });
    const stale = await admin.request({ method: 'PATCH', url: `/api/services/partners/${p.id}`, payload: { version: detail.version, active: false } });
    expect([stale.statusCode, stale.json().code]).toEqual([409, 'version_conflict']);
    expect((await admin.request({ method: 'GET', url: '/api/services/partners/987654' })).statusCode).toBe(404);
  });
});

describe('credentials (接口密钥)', () => {
  it('shows the secret once and keeps only its hash; the key opens the partner API', async () => {
    const issued = await admin.request({ method: 'POST', url: `/api/services/partners/${lounge.id}/credentials`, payload: { label: '白云机场 T2 前台', expiresInDays: 365 } });
    expect(issued.statusCode, issued.body).toBe(201);
    expect(issued.headers['cache-control']).toBe('no-store');
    const { credential, secret, token } = issued.json() as { credential: { id: number; keyId: string; status: string; expiresAt: string }; secret: string; token: string };
    expect(token).toBe(`${credential.keyId}.${secret}`);
    expect(credential).toMatchObject({ status: 'active', expiresAt: expect.any(String) });
    const detail = await admin.request({ method: 'GET', url: `/api/services/partners/${lounge.id}` });
    expect(detail.body).not.toContain(secret);
    const kept = await one<{ secret_hash: string }>(sql`SELECT secret_hash FROM partner_credentials WHERE id = ${credential.id}`);
    expect(kept.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(kept.secret_hash).not.toContain(secret);
    const audited = await sys.database.rows<{ t: string }>(sql`SELECT a::text AS t FROM audit_log a WHERE entity = 'partner_credential'`);
    expect(audited.length).toBeGreaterThan(0);
    expect(audited.some((r) => r.t.includes(secret))).toBe(false);
    const profile = await asPartner(`Bearer ${token}`, { method: 'GET', url: '/api/partner/v1/profile' });
    expect(profile.statusCode, profile.body).toBe(200);
    expect(profile.json()).toMatchObject({ code: 'CSA-LOUNGE', keyId: credential.keyId, benefits: ['vip_lounge', 'priority_service'] });
  });

  it('rotates: the new key works while the old keeps working until it expires', async () => {
    const p = await testPartner(admin, 'ROTATE-1');
    const rotated = await admin.request({ method: 'POST', url: `/api/services/partners/${p.id}/credentials`, payload: { retireOthersInDays: 7 } });
    const fresh = `Bearer ${rotated.json().token}`;
    for (const key of [p.authorization, fresh]) expect((await asPartner(key, { method: 'GET', url: '/api/partner/v1/profile' })).statusCode).toBe(200);
    const keys = (await admin.request({ method: 'GET', url: `/api/services/partners/${p.id}` })).json().credentials as { status: string; expiresAt: string | null }[];
    expect(keys.map((k) => k.status)).toEqual(['active', 'active']);
    expect(keys.filter((k) => k.expiresAt !== null)).toHaveLength(1);
    // at once: the old key stops now
    const now = await admin.request({ method: 'POST', url: `/api/services/partners/${p.id}/credentials`, payload: { retireOthersInDays: 0 } });
    expect((await asPartner(p.authorization, { method: 'GET', url: '/api/partner/v1/profile' })).statusCode).toBe(401);
    expect((await asPartner(fresh, { method: 'GET', url: '/api/partner/v1/profile' })).statusCode).toBe(401);
    expect((await asPartner(`Bearer ${now.json().token}`, { method: 'GET', url: '/api/partner/v1/profile' })).statusCode).toBe(200);
  });

  it('revokes a key: 401 at once, revoking again 409, audited', async () => {
    const p = await testPartner(admin, 'REVOKE-1');
    expect((await asPartner(p, { method: 'GET', url: '/api/partner/v1/profile' })).statusCode).toBe(200);
    const [key] = (await admin.request({ method: 'GET', url: `/api/services/partners/${p.id}` })).json().credentials as { id: number }[];
    const revoked = await admin.request({ method: 'POST', url: `/api/services/partners/${p.id}/credentials/${key!.id}/revoke` });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().status).toBe('revoked');
    const refused = await asPartner(p, { method: 'GET', url: '/api/partner/v1/profile' });
    expect([refused.statusCode, refused.json().code, refused.headers['www-authenticate']]).toEqual([401, 'partner_unauthenticated', 'Bearer realm="partner"']);
    const again = await admin.request({ method: 'POST', url: `/api/services/partners/${p.id}/credentials/${key!.id}/revoke` });
    expect([again.statusCode, again.json().code]).toEqual([409, 'partner_credential_revoked']);
    expect((await auditOf('partner_credential', key!.id)).map((a) => a.action)).toEqual(['create', 'update']);
  });

  it('refuses calls without a key, with a forged one, or with a session instead (401); a suspended partner 403', async () => {
    expect((await sys.app.inject({ method: 'GET', url: '/api/partner/v1/profile' })).statusCode).toBe(401);
    const [keyId] = lounge.authorization.slice(7).split('.');
    expect((await asPartner(`Bearer ${keyId}.${'A'.repeat(43)}`, { method: 'GET', url: '/api/partner/v1/profile' })).statusCode).toBe(401);
    expect((await admin.request({ method: 'POST', url: '/api/partner/v1/verifications', payload: { phone: gold.phone } })).statusCode).toBe(401);
    const p = await testPartner(admin, 'SUSPEND-1');
    await admin.request({ method: 'PATCH', url: `/api/services/partners/${p.id}`, payload: { version: 1, active: false } });
    const res = await asPartner(p, { method: 'GET', url: '/api/partner/v1/profile' });
    expect([res.statusCode, res.json().code]).toEqual([403, 'partner_inactive']);
  });
});

describe('identity verification (身份认证)', () => {
  it('sends a code to the customer’s phone and answers the level and the allowances left, nothing personal', async () => {
    const started = await startByPhone(lounge, gold.phone);
    expect(started.statusCode, started.body).toBe(201);
    expect(started.json()).toMatchObject({ method: 'otp', status: 'code_sent' });
    const id = started.json().verificationId as number;
    const sms = await one<{ recipient_masked: string; body: string }>(sql`SELECT recipient_masked, body FROM outbound_messages WHERE entity = 'partner_verification' AND entity_id = ${id}`);
    expect(sms.recipient_masked).toBe(`${gold.phone.slice(0, 3)}****${gold.phone.slice(-4)}`);
    expect(sms.body).toContain('南方航空 贵宾厅');
    const res = await enter(lounge, id, await codeOf(id));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Verified;
    expect(body).toMatchObject({ status: 'verified', level: '5g', levelName: '五星金', levelNameEn: '5 stars gold', customer: `${[...gold.name][0]}**`, year: yearAt() });
    expect(body.benefits.map((b) => [b.code, b.allowance, b.remaining])).toEqual([
      ['vip_lounge', 8, 8],
      ['priority_service', 1, null],
    ]);
    // (the customer's id is not among the answer's keys, checked below: as digits it could be found in any timestamp)
    for (const personal of [gold.name, gold.phone, gold.customerNo]) expect(res.body).not.toContain(personal);
    expect(Object.keys(body).sort()).toEqual(['benefits', 'customer', 'level', 'levelName', 'levelNameEn', 'status', 'validUntil', 'verificationId', 'year']);
    const again = await enter(lounge, id, await codeOf(id));
    expect([again.statusCode, again.json().code]).toEqual([409, 'partner_verification_used']);
  });

  it('counts wrong codes (422 with the tries left), refuses after five even the right one, and audits every try', async () => {
    const id = (await startByPhone(lounge, gold.phone)).json().verificationId as number;
    const code = await codeOf(id);
    for (let left = 4; left >= 0; left--) {
      const res = await enter(lounge, id, wrongCode(code));
      expect([res.statusCode, res.json().code, res.json().title]).toEqual([422, 'partner_code_wrong', `验证码错误，还可再试 ${left} 次`]);
    }
    const locked = await enter(lounge, id, code);
    expect([locked.statusCode, locked.json().code]).toEqual([409, 'partner_code_locked']);
    const tries = await auditOf('partner_verification', id);
    expect(tries.map((t) => t.after.outcome ?? t.action)).toEqual(['create', 'wrong', 'wrong', 'wrong', 'wrong', 'wrong', 'locked']);
    expect(tries.every((t) => t.actor_username === 'partner:CSA-LOUNGE')).toBe(true);
    // the phone is masked in the trail
    expect(JSON.stringify(tries)).not.toContain(gold.phone);
  });

  it('refuses an expired code (5 minutes)', async () => {
    const id = (await startByPhone(lounge, gold.phone)).json().verificationId as number;
    await sys.database.rows(sql`UPDATE partner_verifications SET expires_at = now() - interval '1 second' WHERE id = ${id}`);
    const res = await enter(lounge, id, await codeOf(id));
    expect([res.statusCode, res.json().code]).toEqual([409, 'partner_code_expired']);
    expect((await auditOf('partner_verification', id)).at(-1)!.after.outcome).toBe('expired');
  });

  it('answers a number that names nobody alike, sends nothing, and never verifies it', async () => {
    const res = await startByPhone(lounge, '13900000001');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'code_sent' });
    const id = res.json().verificationId as number;
    expect(await count(sql`SELECT count(*)::int AS n FROM outbound_messages WHERE entity = 'partner_verification' AND entity_id = ${id}`)).toBe(0);
    expect((await enter(lounge, id, '123456')).statusCode).toBe(422);
  });

  it('sends at most five codes to one customer in 15 minutes', async () => {
    const p = await testPartner(admin, 'FLOOD-1');
    for (let i = 0; i < 5; i++) expect((await startByPhone(p, gold.phone)).statusCode).toBe(201);
    const res = await startByPhone(p, gold.phone);
    expect([res.statusCode, res.json().code]).toEqual([429, 'partner_otp_too_frequent']);
  });

  it('verifies by the membership number only partners allowed to', async () => {
    const refused = await asPartner(lounge, { url: '/api/partner/v1/verifications', payload: { memberNo: gold.customerNo } });
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'partner_member_no_not_allowed']);
    const p = await testPartner(admin, 'MEMBER-1', { verifyByMemberNo: true, benefits: ['free_sim'] });
    const res = await asPartner(p, { url: '/api/partner/v1/verifications', payload: { memberNo: gold.customerNo.toLowerCase() } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'verified', level: '5g', benefits: [{ code: 'free_sim', allowance: 3 }] });
    const unknown = await asPartner(p, { url: '/api/partner/v1/verifications', payload: { memberNo: 'NOSUCH-0001' } });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'partner_member_unknown']);
  });

  it('names the field of bad input (400) and keeps other partners’ verifications out of reach (404)', async () => {
    const both = await asPartner(lounge, { url: '/api/partner/v1/verifications', payload: { phone: gold.phone, memberNo: gold.customerNo } });
    expect([both.statusCode, both.json().errors[0].field]).toEqual([400, 'body.phone']);
    const short = await enter(lounge, 1, '12345');
    expect([short.statusCode, short.json().errors[0].field]).toEqual([400, 'body.code']);
    const other = await testPartner(admin, 'OTHER-1');
    const id = (await startByPhone(lounge, gold.phone)).json().verificationId as number;
    expect((await enter(other, id, await codeOf(id))).statusCode).toBe(404);
  });
});

describe('consumption (消费确认)', () => {
  let txn = 0;
  const nextTxn = () => `CZ-${Date.now()}-${++txn}`;

  it('records a use against the yearly allowance and answers what is left', async () => {
    const v = await verified(lounge);
    const before = await usesOf(gold.id, 'vip_lounge');
    const res = await confirmUse(lounge, { verificationId: v.verificationId, benefit: 'vip_lounge', quantity: 2, partnerTxnId: nextTxn() });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ benefit: 'vip_lounge', quantity: 2, level: '5g', levelName: '五星金', allowance: 8, remaining: 8 - before - 2 });
    expect(await usesOf(gold.id, 'vip_lounge')).toBe(before + 2);
    const [logged] = await auditOf('partner_confirmation', res.json().confirmationId);
    expect(logged).toMatchObject({ action: 'create', actor_username: 'partner:CSA-LOUNGE', after: { benefit: 'vip_lounge', quantity: 2 } });
  });

  it('answers a replayed transaction id with the first answer and never deducts twice', async () => {
    const v = await verified(lounge);
    const payload = { verificationId: v.verificationId, benefit: 'vip_lounge', quantity: 1, partnerTxnId: nextTxn() };
    const first = await confirmUse(lounge, payload);
    expect(first.statusCode, first.body).toBe(201);
    const used = await usesOf(gold.id, 'vip_lounge');
    const replay = await confirmUse(lounge, payload);
    expect([replay.statusCode, replay.headers['idempotent-replayed']]).toEqual([200, 'true']);
    expect(replay.json()).toEqual(first.json());
    expect(await usesOf(gold.id, 'vip_lounge')).toBe(used);
    const different = await confirmUse(lounge, { ...payload, quantity: 2 });
    expect([different.statusCode, different.json().code]).toEqual([409, 'partner_txn_reused']);
  });

  it('deducts once when the same transaction id arrives many times at once', async () => {
    const v = await verified(lounge);
    const payload = { verificationId: v.verificationId, benefit: 'vip_lounge', quantity: 1, partnerTxnId: nextTxn() };
    const used = await usesOf(gold.id, 'vip_lounge');
    const answers = await Promise.all(Array.from({ length: 6 }, () => confirmUse(lounge, payload)));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((r) => r.json().confirmationId)).size).toBe(1);
    expect(await usesOf(gold.id, 'vip_lounge')).toBe(used + 1);
    expect(await count(sql`SELECT count(*)::int AS n FROM partner_confirmations WHERE partner_txn_id = ${payload.partnerTxnId}`)).toBe(1);
  });

  it('refuses a use over the allowance with 422 and the allowance left, recording nothing but the refusal', async () => {
    const v = await verified(lounge);
    const left = 8 - (await usesOf(gold.id, 'vip_lounge'));
    const partnerTxnId = nextTxn();
    const res = await confirmUse(lounge, { verificationId: v.verificationId, benefit: 'vip_lounge', quantity: left + 1, partnerTxnId });
    expect([res.statusCode, res.json().code, res.headers['x-allowance-remaining']]).toEqual([422, 'partner_allowance_exceeded', String(left)]);
    expect(res.json().title).toBe(`超出客户本年度权益额度，剩余 ${left} 次`);
    expect(await usesOf(gold.id, 'vip_lounge')).toBe(8 - left);
    expect(await count(sql`SELECT count(*)::int AS n FROM partner_confirmations WHERE partner_txn_id = ${partnerTxnId}`)).toBe(0);
    const refused = await one<{ after: Record<string, unknown> }>(sql`SELECT after FROM audit_log WHERE entity = 'partner_confirmation' AND action = 'refused' ORDER BY id DESC LIMIT 1`);
    expect(refused.after).toMatchObject({ partnerTxnId, reason: 'partner_allowance_exceeded', remaining: left });
    // the same transaction id may be sent again once it fits
    const fits = await confirmUse(lounge, { verificationId: v.verificationId, benefit: 'vip_lounge', quantity: left, partnerTxnId });
    expect(fits.statusCode, fits.body).toBe(201);
    expect(fits.json().remaining).toBe(0);
  });

  it('refuses a benefit the partner may not confirm (403), an unverified or foreign verification', async () => {
    const v = await verified(lounge);
    const res = await confirmUse(lounge, { verificationId: v.verificationId, benefit: 'free_sim', quantity: 1, partnerTxnId: nextTxn() });
    expect([res.statusCode, res.json().code]).toEqual([403, 'partner_benefit_not_allowed']);
    const pending = (await startByPhone(lounge, gold.phone)).json().verificationId as number;
    const unverified = await confirmUse(lounge, { verificationId: pending, benefit: 'priority_service', quantity: 1, partnerTxnId: nextTxn() });
    expect([unverified.statusCode, unverified.json().code]).toEqual([409, 'partner_verification_unusable']);
    const other = await testPartner(admin, 'OTHER-2', { benefits: ['priority_service'] });
    const foreign = await confirmUse(other, { verificationId: v.verificationId, benefit: 'priority_service', quantity: 1, partnerTxnId: nextTxn() });
    expect(foreign.statusCode).toBe(404);
  });

  it('lists the partner’s confirmations to its administrator, with the masked name only', async () => {
    const res = await admin.request({ method: 'GET', url: `/api/services/partners/${lounge.id}/confirmations?limit=5` });
    expect(res.statusCode, res.body).toBe(200);
    expect(Number(res.headers['x-total-count'])).toBeGreaterThanOrEqual(4);
    expect(res.json()[0]).toMatchObject({ benefit: 'vip_lounge', customerLabel: `${[...gold.name][0]}**` });
  });
});

describe('rate limit and documentation', () => {
  it('answers 429 with Retry-After beyond the partner’s calls a minute, and audits the refusal', async () => {
    const p = await testPartner(admin, 'SLOW-1', { rateLimitPerMinute: 3 });
    const answers: LightMyRequestResponse[] = [];
    for (let i = 0; i < 4; i++) answers.push(await asPartner(p, { method: 'GET', url: '/api/partner/v1/profile' }));
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 429]);
    const limited = answers[3]!;
    expect(limited.json().code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const refusal = await one<{ after: Record<string, unknown>; actor_username: string }>(
      sql`SELECT after, actor_username FROM audit_log WHERE entity = 'access' AND after->>'reason' = 'rate_limited' ORDER BY id DESC LIMIT 1`,
    );
    expect(refusal).toMatchObject({ actor_username: 'partner:SLOW-1', after: { route: '/api/partner/v1/profile' } });
    // another partner's budget is its own
    expect((await asPartner(lounge, { method: 'GET', url: '/api/partner/v1/profile' })).statusCode).toBe(200);
  });

  it('documents the partner API under its own tag with the key, or a partner’s OAuth client, as its security scheme', async () => {
    const doc = (await sys.app.inject({ url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { tags: string[]; security: unknown }>>;
      components: { securitySchemes: Record<string, { scheme?: string }> };
    };
    const op = doc.paths['/api/partner/v1/confirmations']!.post!;
    expect(op.tags).toEqual(['跨行业合作伙伴 Partner API']);
    expect(op.security).toEqual([{ partnerKey: [] }, { machineClient: ['partner'] }]);
    expect(doc.components.securitySchemes.partnerKey).toMatchObject({ scheme: 'bearer' });
    expect(doc.components.securitySchemes.machineClient).toMatchObject({ type: 'oauth2' });
  });
});

describe('the demo’s partners', () => {
  it('registers the lounge and the hospital with a key each, and a dozen lounge visits confirmed through the API', async () => {
    // this year's lounge visits of the tests above are forgotten, so that every guest of the demo has room
    await sys.database.rows(sql`DELETE FROM benefit_usages`);
    await seedDemoPartners(makeDeps(sys.config, sys.database), 7);
    const partners = await sys.database.rows<{ code: string; keys: number; confirmations: number }>(sql`
      SELECT p.code, (SELECT count(*)::int FROM partner_credentials k WHERE k.partner_id = p.id) AS keys,
             (SELECT count(*)::int FROM partner_confirmations f WHERE f.partner_id = p.id AND f.answer IS NOT NULL) AS confirmations
      FROM partners p WHERE p.code IN ('CSA-VIP-LOUNGE', 'GZ-HOSPITAL-GREEN') ORDER BY p.code`);
    expect(partners).toEqual([
      { code: 'CSA-VIP-LOUNGE', keys: 1, confirmations: 12 },
      { code: 'GZ-HOSPITAL-GREEN', keys: 1, confirmations: 0 },
    ]);
    expect(await count(sql`SELECT count(*)::int AS n FROM benefit_usages WHERE note LIKE '南方航空 贵宾厅%'`)).toBe(12);
  });
});
