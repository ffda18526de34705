import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { ALL_PERMISSIONS } from '../../../platform/auth/permissions.js';
import { systemActor } from '../../../platform/auth/principal.js';
import { makeDeps } from '../../../platform/deps.js';
import type { BenefitStatus, Eligibility } from './schemas.js';
import { eligibility, useBenefit } from './service.js';
import { DEFAULT_PARAMS } from '../params.js';

let sys: TestSystem;
let admin: Session;
let gzHead: Session;
let gzAm: Session;
let analyst: Session;

/** Guangzhou customers by their level in the October run, account manager gz_am01 first. */
async function gzCustomer(level: string, skip = 0): Promise<number> {
  const rows = await sys.database.rows<{ id: number }>(sql`
    SELECT c.id FROM customer_ratings r JOIN customers c ON c.id = r.customer_id JOIN org_units u ON u.id = c.unit_id
    LEFT JOIN users m ON m.id = c.manager_id
    WHERE r.month = '2026-10-01' AND r.level = ${level} AND u.path LIKE (SELECT path || '%' FROM org_units WHERE code = 'GD-GZ')
    ORDER BY (m.username = 'gz_am01') DESC, c.id OFFSET ${skip} LIMIT 1`);
  if (!rows[0]) throw new Error(`no Guangzhou customer of level ${level}`);
  return Number(rows[0].id);
}
const benefits = (s: Session, id: number) => s.request({ method: 'GET', url: `/api/customers/${id}/benefits` });
const check = async (s: Session, id: number, code: string) => (await s.request({ method: 'GET', url: `/api/customers/${id}/benefits/${code}/eligibility` })).json() as Eligibility;
const use = (s: Session, id: number, code: string, quantity = 1, note?: string) =>
  s.request({ method: 'POST', url: `/api/customers/${id}/benefits/${code}/use`, payload: { quantity, ...(note && { note }) } });

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error' });
  admin = await sys.login('admin');
  [gzHead, gzAm, analyst] = await Promise.all([sys.login('gz_head'), sys.login('gz_am01'), sys.login('gd_analyst')]);
  const run = await admin.request({ method: 'POST', url: '/api/rules/runs', payload: { month: '2026-10' } });
  expect(run.statusCode, run.body).toBe(201);
}, 120_000);
afterAll(() => sys?.close());

describe('a customer’s benefits (权益)', () => {
  it('lists every benefit of the rules in effect with the allowance of the customer’s level', async () => {
    const id = await gzCustomer('5g');
    const res = await benefits(gzHead, id);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { level: string; levelName: string; ratedMonth: string; year: number; benefits: BenefitStatus[] };
    expect(body).toMatchObject({ level: '5g', levelName: '五星金', ratedMonth: '2026-10', year: 2026 });
    const byCode = Object.fromEntries(body.benefits.map((b) => [b.code, b]));
    expect(byCode.vip_lounge).toMatchObject({ allowance: 8, used: 0, remaining: 8, eligible: true, reason: 'ok' });
    expect(byCode.priority_service).toMatchObject({ unit: 'flag', allowance: 1, remaining: null, eligible: true });
    expect(byCode.bill_discount).toMatchObject({ unit: 'percent', allowance: 5, eligible: true });
  });

  it('says in English what the level is called when asked', async () => {
    const id = await gzCustomer('5g');
    const res = await gzHead.request({ method: 'GET', url: `/api/customers/${id}/benefits`, headers: { 'accept-language': 'en-US' } });
    expect(res.json().levelName).toBe('5 stars gold');
  });

  it('keeps other cities’ customers out of reach: 404, as customers that do not exist', async () => {
    const sz = await sys.login('sz_head');
    const id = await gzCustomer('5g');
    expect((await benefits(sz, id)).statusCode).toBe(404);
    expect((await use(sz, id, 'vip_lounge')).statusCode).toBe(404);
  });
});

describe('the eligibility check (资格校验)', () => {
  it('answers eligible, the reason, allowance, used, remaining and level', async () => {
    // the demo's one Guangzhou 5d customer (with the planted churn of the facts) is not gz_am01's: the head asks
    const id = await gzCustomer('5d');
    expect(await check(gzHead, id, 'vip_lounge')).toMatchObject({ eligible: true, reason: 'ok', allowance: 12, used: 0, remaining: 12, level: '5d' });
  });

  it('a level without the benefit is not eligible', async () => {
    const id = await gzCustomer('1');
    expect(await check(gzHead, id, 'vip_lounge')).toMatchObject({ eligible: false, reason: 'benefit_not_eligible', allowance: 0, level: '1' });
  });

  it('a customer who was not rated in the latest run has no level', async () => {
    const [retained] = await sys.database.rows<{ id: number }>(sql`
      SELECT c.id FROM customers c WHERE c.archive = 'retained'
        AND NOT EXISTS (SELECT 1 FROM customer_ratings r WHERE r.customer_id = c.id AND r.month = '2026-10-01') LIMIT 1`);
    const id = Number(retained!.id);
    expect(await check(admin, id, 'free_sim')).toMatchObject({ eligible: false, reason: 'benefit_no_level', level: null });
    const res = await use(admin, id, 'free_sim');
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('benefit_no_level');
  });

  it('an unknown benefit is 404 benefit_unknown', async () => {
    const id = await gzCustomer('5g');
    const res = await gzHead.request({ method: 'GET', url: `/api/customers/${id}/benefits/spa_day/eligibility` });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'benefit_unknown', title: '没有名为“spa_day”的权益' });
    expect((await use(gzHead, id, 'spa_day')).statusCode).toBe(404);
  });
});

describe('using a benefit (权益使用)', () => {
  it('counts a use against this year’s allowance, with the note in the audit trail', async () => {
    const id = await gzCustomer('5g', 1);
    const res = await use(gzAm, id, 'vip_lounge', 3, '白云机场 T2 贵宾厅');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().eligibility).toMatchObject({ used: 3, remaining: 5, eligible: true });
    expect(res.json().usage).toMatchObject({ quantity: 3, note: '白云机场 T2 贵宾厅' });
    const [logged] = await sys.database.rows(sql`SELECT after FROM audit_log WHERE entity = 'benefit_usage' ORDER BY id DESC LIMIT 1`);
    expect(logged).toMatchObject({ after: { customerId: id, benefit: 'vip_lounge', quantity: 3, note: '白云机场 T2 贵宾厅' } });
    expect(await check(gzAm, id, 'vip_lounge')).toMatchObject({ used: 3, remaining: 5 });
  });

  it('refuses more than is left with 409 benefit_exhausted and the number left', async () => {
    const id = await gzCustomer('5g', 1);
    const res = await use(gzAm, id, 'vip_lounge', 6);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'benefit_exhausted', title: '本年度额度不足（剩余 5）' });
    expect((await use(gzAm, id, 'vip_lounge', 5)).json().eligibility).toMatchObject({ remaining: 0, eligible: false, reason: 'benefit_exhausted' });
    expect((await use(gzAm, id, 'vip_lounge')).json().code).toBe('benefit_exhausted');
  });

  it('refuses a benefit the level does not include with 409 benefit_not_eligible', async () => {
    const res = await use(gzHead, await gzCustomer('1'), 'vip_lounge');
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('benefit_not_eligible');
  });

  it('10 concurrent uses of a 4-a-year lounge allowance: exactly 4 are recorded', async () => {
    const id = await gzCustomer('5s');
    const results = await Promise.all(Array.from({ length: 10 }, () => use(gzHead, id, 'vip_lounge')));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(4);
    expect(results.filter((r) => r.statusCode === 409).map((r) => r.json().code)).toEqual(Array(6).fill('benefit_exhausted'));
    const [row] = await sys.database.rows<{ n: number }>(sql`SELECT sum(quantity)::int AS n FROM benefit_usages WHERE customer_id = ${id} AND benefit = 'vip_lounge'`);
    expect(row!.n).toBe(4);
  });

  it('flags and percentages are recorded without a yearly count', async () => {
    const res = await use(gzHead, await gzCustomer('5d'), 'priority_service');
    expect(res.statusCode).toBe(201);
    expect(res.json().eligibility).toMatchObject({ used: 1, remaining: null, eligible: true });
  });

  it('needs benefits.use (an analyst gets 403) and a sane quantity (400 naming the field)', async () => {
    const id = await gzCustomer('5d');
    expect((await use(analyst, id, 'free_sim')).statusCode).toBe(403);
    const bad = await gzHead.request({ method: 'POST', url: `/api/customers/${id}/benefits/free_sim/use`, payload: { quantity: 0, extra: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['body.quantity', 'body.extra']));
  });

  it('counts allowances per calendar year in Asia/Shanghai: New Year’s Eve 23:59 and New Year 00:00 are different years', async () => {
    // a second customer whose level has 5 free SIM replacements a year (5d and B alike): Guangzhou's B
    const id = await gzCustomer('B');
    const deps = makeDeps(sys.config, sys.database);
    const actor = systemActor(new Set(ALL_PERMISSIONS));
    const eve = new Date('2026-12-31T15:59:59Z'); // 23:59:59 in 广州
    const newYear = new Date('2026-12-31T16:00:00Z'); // 00:00:00 on 1 January 2027
    await useBenefit(deps, actor, id, 'free_sim', { quantity: 5 }, 'zh-CN', eve);
    await expect(useBenefit(deps, actor, id, 'free_sim', { quantity: 1 }, 'zh-CN', eve)).rejects.toMatchObject({ code: 'benefit_exhausted' });
    expect(await eligibility(deps, actor, id, 'free_sim', 'zh-CN', newYear)).toMatchObject({ year: 2027, used: 0, remaining: 5, eligible: true });
    const next = await useBenefit(deps, actor, id, 'free_sim', { quantity: 1 }, 'zh-CN', newYear);
    expect(next.eligibility).toMatchObject({ year: 2027, used: 1, remaining: 4 });
  });
});

describe('the rules decide', () => {
  it('a new benefits version in effect this month changes the allowances at once', async () => {
    const id = await gzCustomer('1', 1);
    expect((await check(gzHead, id, 'vip_lounge')).eligible).toBe(false);
    const params = structuredClone(DEFAULT_PARAMS.benefits);
    params.benefits.find((b) => b.code === 'vip_lounge')!.allowances['1'] = 1;
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const saved = await admin.request({ method: 'POST', url: '/api/rules/versions', payload: { family: 'benefits', effectiveFrom: month, params, baseVersion: 1 } });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(await check(gzHead, id, 'vip_lounge')).toMatchObject({ eligible: true, allowance: 1, remaining: 1 });
    expect((await benefits(gzHead, id)).json().rulesVersion).toBe(2);
  });
});
