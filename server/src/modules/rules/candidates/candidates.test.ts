import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import type { Candidate } from './schemas.js';

let sys: TestSystem;
let admin: Session;
let gzHead: Session;
let gzAm: Session;
let szHead: Session;
let analyst: Session;

/** Customers who left the in-network archive although they still spend: the run finds them again. */
const lapsed: Record<'ind1' | 'ind2' | 'ind3' | 'group' | 'other', number> = { ind1: 0, ind2: 0, ind3: 0, group: 0, other: 0 };

async function pick(kind: string, manager: string, levels: string[], skip = 0): Promise<number> {
  const [row] = await sys.database.rows<{ id: number }>(sql`
    SELECT c.id FROM customer_ratings r JOIN customers c ON c.id = r.customer_id JOIN users m ON m.id = c.manager_id
    WHERE r.month = '2026-10-01' AND c.kind = ${kind} AND m.username = ${manager} AND r.level = ANY(${`{${levels.join(',')}}`}::text[])
    ORDER BY r.avg_paid DESC, c.id OFFSET ${skip} LIMIT 1`);
  if (!row) throw new Error(`no ${kind} customer of ${manager} at ${levels}`);
  return Number(row.id);
}
async function toRetained(id: number) {
  const view = (await gzHead.request({ method: 'GET', url: `/api/customers/${id}` })).json() as { version: number };
  const res = await gzHead.request({
    method: 'POST',
    url: `/api/customers/${id}/archive`,
    payload: { version: view.version, toArchive: 'retained', reason: 'lost_status', effectiveOn: '2026-10-31' },
  });
  expect(res.statusCode, res.body).toBe(200);
}
const list = async (s: Session, query = '') => {
  const res = await s.request({ method: 'GET', url: `/api/rules/candidates?limit=1000${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Candidate[];
};
const candidateOf = async (customerId: number, status = 'open') => (await list(admin, `&status=${status}`)).find((c) => c.customerId === customerId)!;
const decide = (s: Session, c: Pick<Candidate, 'id' | 'version'>, body: Record<string, unknown>) =>
  s.request({ method: 'POST', url: `/api/rules/candidates/${c.id}/decision`, payload: { version: c.version, ...body } });

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error' });
  admin = await sys.login('admin');
  [gzHead, gzAm, szHead, analyst] = await Promise.all([sys.login('gz_head'), sys.login('gz_am01'), sys.login('sz_head'), sys.login('gd_analyst')]);
  const run = () => admin.request({ method: 'POST', url: '/api/rules/runs', payload: { month: '2026-10' } });
  expect((await run()).statusCode).toBe(201);
  lapsed.ind1 = await pick('individual', 'gz_am01', ['5g', '5d'], 0);
  lapsed.ind2 = await pick('individual', 'gz_am01', ['5g', '5d'], 1);
  lapsed.ind3 = await pick('individual', 'gz_am01', ['5g', '5d'], 2);
  lapsed.group = await pick('group', 'gz_am01', ['A', 'B', 'C']);
  lapsed.other = await pick('individual', 'gz_am02', ['5s', '5g', '5d']);
  for (const id of Object.values(lapsed)) await toRetained(id);
  const rerun = await run();
  expect(rerun.statusCode, rerun.body).toBe(201);
  expect(rerun.json().counts.candidates).toBeGreaterThanOrEqual(5);
}, 120_000);
afterAll(() => sys?.close());

describe('the candidate list (潜在大客户)', () => {
  it('shows what qualified each candidate: the recent average paid bill and the criteria met', async () => {
    const c = await candidateOf(lapsed.ind1);
    expect(c).toMatchObject({ status: 'open', month: '2026-10', archive: 'retained', kind: 'individual', version: 1 });
    expect(Number(c.reasons.avgPaid)).toBeGreaterThanOrEqual(300);
    expect(c.reasons.by).toContain('spend');
  });

  it('a city head sees the candidates of the city; an account manager only those of their portfolio; another city none', async () => {
    const head = (await list(gzHead)).map((c) => c.customerId);
    expect(head).toEqual(expect.arrayContaining(Object.values(lapsed)));
    const mine = (await list(gzAm)).map((c) => c.customerId);
    expect(mine).toEqual(expect.arrayContaining([lapsed.ind1, lapsed.ind2, lapsed.group]));
    expect(mine).not.toContain(lapsed.other);
    expect((await list(szHead)).map((c) => c.customerId)).not.toContain(lapsed.ind1);
  });

  it('needs rules.read: a service agent gets 403', async () => {
    const agent = await sys.login('gz_agent');
    expect((await agent.request({ method: 'GET', url: '/api/rules/candidates' })).statusCode).toBe(403);
  });

  it('filters by status and run month, with the total in headers', async () => {
    const res = await gzHead.request({ method: 'GET', url: '/api/rules/candidates?status=open&month=2026-10&limit=2' });
    expect(res.statusCode).toBe(200);
    expect(Number(res.headers['x-total-count'])).toBeGreaterThanOrEqual(5);
    expect(res.json()).toHaveLength(2);
    expect(await list(gzHead, '&month=2026-09')).toEqual([]);
    expect((await gzHead.request({ method: 'GET', url: '/api/rules/candidates?status=maybe' })).statusCode).toBe(400);
  });
});

describe('confirming a candidate (确认)', () => {
  it('moves the customer into the in-network archive with the level confirmed, audited', async () => {
    const c = await candidateOf(lapsed.ind1);
    const res = await decide(gzAm, c, { decision: 'confirm', level: '5g', note: '客户回归，恢复五星金' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'confirmed', confirmedLevel: '5g', decidedBy: 'gz_am01', archive: 'in_network', version: 2 });
    const view = (await gzHead.request({ method: 'GET', url: `/api/customers/${lapsed.ind1}` })).json();
    expect(view.archive).toBe('in_network');
    const [event] = await sys.database.rows(sql`SELECT from_archive, to_archive, reason FROM lifecycle_events WHERE customer_id = ${lapsed.ind1} ORDER BY id DESC LIMIT 1`);
    expect(event).toMatchObject({ from_archive: 'retained', to_archive: 'in_network', reason: 'regained_status' });
    const [logged] = await sys.database.rows(sql`SELECT after FROM audit_log WHERE entity = 'potential_candidate' AND entity_id = ${String(c.id)}`);
    expect(logged).toMatchObject({ after: { status: 'confirmed', confirmedLevel: '5g' } });
  });

  it('the confirmed level is the customer’s level until the next run rates them', async () => {
    const res = await gzAm.request({ method: 'GET', url: `/api/customers/${lapsed.ind1}/benefits/vip_lounge/eligibility` });
    expect(res.json()).toMatchObject({ level: '5g', allowance: 8, eligible: true });
  });

  it('needs a level of the customer’s kind (400 naming body.level)', async () => {
    const c = await candidateOf(lapsed.ind2);
    const none = await decide(gzAm, c, { decision: 'confirm' });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0].field).toBe('body.level');
    const groupClass = await decide(gzAm, c, { decision: 'confirm', level: 'A' });
    expect(groupClass.statusCode).toBe(400);
    expect(groupClass.json().errors[0]).toMatchObject({ field: 'body.level', code: 'candidate_level_kind', message: '个人客户的级别须为 1, 2, 3, 4, 5s, 5g, 5d 之一' });
    expect((await decide(gzAm, c, { decision: 'confirm', level: 'diamond' })).statusCode).toBe(400);
    const g = await candidateOf(lapsed.group);
    expect((await decide(gzAm, g, { decision: 'confirm', level: '5d' })).statusCode).toBe(400);
    expect((await decide(gzAm, g, { decision: 'confirm', level: 'B' })).json()).toMatchObject({ status: 'confirmed', confirmedLevel: 'B' });
  });

  it('a decided candidate cannot be decided again; a stale version is 409', async () => {
    const done = await candidateOf(lapsed.ind1, 'confirmed');
    const again = await decide(gzHead, done, { decision: 'reject', note: '重复' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('decision_already_made');
    const c = await candidateOf(lapsed.ind2);
    const stale = await decide(gzHead, { id: c.id, version: c.version + 1 }, { decision: 'reject', note: '过期版本' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('version_conflict');
  });

  it('outside the scope is 404, as an unknown candidate; deciding needs candidates.decide', async () => {
    const c = await candidateOf(lapsed.ind2);
    const unknown = await decide(gzHead, { id: 987654, version: 1 }, { decision: 'reject', note: '不存在' });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'not_found']);
    for (const refused of [
      await decide(szHead, c, { decision: 'reject', note: '不在本市' }),
      await decide(gzAm, await candidateOf(lapsed.other), { decision: 'reject', note: '非本人客户' }),
    ]) {
      expect([refused.statusCode, refused.json().title]).toEqual([404, unknown.json().title]);
    }
    expect((await decide(analyst, c, { decision: 'reject', note: '分析员' })).statusCode).toBe(403);
  });
});

describe('one decision, one transaction', () => {
  it('when the customers service refuses the archive move, the candidate stays open', async () => {
    await sys.database.rows(sql`UPDATE customers SET merged_into = ${lapsed.ind1} WHERE id = ${lapsed.other}`);
    const c = await candidateOf(lapsed.other);
    const res = await decide(admin, c, { decision: 'confirm', level: '5s' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('customer_merged');
    expect(await candidateOf(lapsed.other)).toMatchObject({ status: 'open', version: c.version, archive: 'retained', confirmedLevel: null });
  });
});

describe('rejecting a candidate (否决)', () => {
  it('needs a reason (400 naming body.note) and keeps it; the customer stays retained', async () => {
    const c = await candidateOf(lapsed.ind3);
    const bare = await decide(gzAm, c, { decision: 'reject' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors[0].field).toBe('body.note');
    const res = await decide(gzAm, c, { decision: 'reject', note: '客户已转网，消费为存量合约' });
    expect(res.json()).toMatchObject({ status: 'rejected', decisionNote: '客户已转网，消费为存量合约', archive: 'retained', confirmedLevel: null });
    expect((await list(gzAm, '&status=rejected')).map((x) => x.customerId)).toContain(lapsed.ind3);
    const [logged] = await sys.database.rows(sql`SELECT after FROM audit_log WHERE entity = 'potential_candidate' AND entity_id = ${String(c.id)}`);
    expect(logged).toMatchObject({ after: { status: 'rejected', note: '客户已转网，消费为存量合约' } });
  });
});
