import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';

let sys: TestSystem;
let admin: Session;
let gzHead: Session;
let gzAm: Session;
/** A customer in gz_am01's portfolio. */
let customerId: number;

const get = async (s: Session, url: string) => {
  const res = await s.request({ method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const displayName = async (username: string) =>
  (await sys.database.rows<{ name: string }>(sql`SELECT display_name AS name FROM users WHERE username = ${username}`))[0]!.name;

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error' });
  [admin, gzHead, gzAm] = await Promise.all([sys.login('admin'), sys.login('gz_head'), sys.login('gz_am01')]);
  const [mine] = await sys.database.rows<{ id: number }>(sql`
    SELECT c.id FROM customers c JOIN users u ON u.id = c.manager_id WHERE u.username = 'gz_am01' AND c.archive = 'in_network' ORDER BY c.id LIMIT 1`);
  customerId = Number(mine!.id);
}, 120_000);
afterAll(() => sys?.close());

describe('the months with facts (GET /api/rules/months)', () => {
  it('are every month of the facts, newest first, each rated once a run completed it', async () => {
    const facts = await sys.database.rows<{ month: string }>(sql`SELECT DISTINCT to_char(month, 'YYYY-MM') AS month FROM monthly_facts ORDER BY 1 DESC`);
    const rated = await sys.database.rows<{ month: string }>(sql`SELECT DISTINCT to_char(month, 'YYYY-MM') AS month FROM rule_runs WHERE status = 'completed'`);
    const months = await get(gzAm, '/api/rules/months');
    expect(months.map((m: { month: string }) => m.month)).toEqual(facts.map((f) => f.month));
    expect(months.length).toBeGreaterThan(0);
    const ratedSet = new Set(rated.map((r) => r.month));
    for (const m of months) expect(m.rated, m.month).toBe(ratedSet.has(m.month));
  });

  it('need rules.read', async () => {
    expect((await (await sys.login('gd_auditor')).request({ method: 'GET', url: '/api/rules/months' })).statusCode).toBe(403);
  });
});

describe('people by their display names, units by both names', () => {
  it('a discount names its requester and decider and the customer unit in English', async () => {
    const asked = await gzAm.request({ method: 'POST', url: `/api/customers/${customerId}/discounts`, payload: { amount: '120', months: 6, reason: '续约挽留' } });
    expect(asked.statusCode, asked.body).toBe(201);
    const d = asked.json();
    const decided = await gzHead.request({ method: 'POST', url: `/api/discounts/${d.id}/decision`, payload: { version: d.version, decision: 'approve' } });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({
      requestedBy: 'gz_am01',
      requestedByName: await displayName('gz_am01'),
      decidedBy: 'gz_head',
      decidedByName: await displayName('gz_head'),
    });
    const [unit] = await sys.database.rows<{ nameEn: string | null }>(sql`
      SELECT u.name_en AS "nameEn" FROM customers c JOIN org_units u ON u.id = c.unit_id WHERE c.id = ${customerId}`);
    expect(decided.json().unitNameEn).toBe(unit!.nameEn);
  });

  it('the first rule versions are the system’s, without a note the console would show as it is', async () => {
    const versions = await get(admin, '/api/rules/star/versions');
    expect(versions.find((v: { version: number }) => v.version === 1)).toMatchObject({ createdBy: null, createdByName: null, note: null });
  });

  it('a run and a points entry name the person who made them', async () => {
    const months = await get(admin, '/api/rules/months');
    const ran = await admin.request({ method: 'POST', url: '/api/rules/runs', payload: { month: months[0].month } });
    expect(ran.statusCode, ran.body).toBe(201);
    const [run] = await get(admin, '/api/rules/runs?limit=1');
    expect(run).toMatchObject({ actor: 'admin', actorName: await displayName('admin') });
    const adjusted = await gzHead.request({ method: 'POST', url: `/api/customers/${customerId}/points/adjust`, payload: { points: 10, reason: '补偿积分' } });
    expect(adjusted.statusCode, adjusted.body).toBe(201);
    expect(adjusted.json().entry).toMatchObject({ actor: 'gz_head', actorName: await displayName('gz_head') });
  });
});
