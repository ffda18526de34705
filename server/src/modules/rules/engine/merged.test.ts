import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';

/**
 * 合并后冻结, in the monthly run: a merged customer is never rated, never earns, gets no birthday or
 * promotional points and never becomes a potential key account — whatever its archive and facts say.
 * The run selects customers with `merged_into IS NULL` (inputsSql, insertCandidates); every point it
 * posts comes from a rating. To show that the merge alone keeps it out, the merged customers here are
 * given what a customer needs to qualify (as an import that renamed a merged customer could, before
 * they were frozen): back in the in-network archive or retained for a reason that qualifies, with
 * numbers, a year of large bills and a birthday this month; their unmerged twins qualify.
 */
let sys: TestSystem;
let admin: Session;
const ids: Record<'survivor' | 'merged' | 'twin' | 'mergedLapsed' | 'twinLapsed', number> = {} as never;
const MONTHS = Array.from({ length: 12 }, (_, i) => `${i < 2 ? 2025 : 2026}-${String(((i + 10) % 12) + 1).padStart(2, '0')}-01`);

async function create(customerNo: string, name: string) {
  const [unit] = await sys.database.rows<{ id: number }>(sql`SELECT id FROM org_units WHERE code = 'GD-GZ-01'`);
  const res = await admin.request({
    method: 'POST',
    url: '/api/customers',
    payload: { customerNo, kind: 'individual', name, unitId: Number(unit!.id), joinedOn: '2018-01-01', birthday: '1980-10-05', realNameVerified: true, brand: 'gotone' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().customer as { id: number; version: number };
}

/** A number and a year of ¥800 bills, paid, up to 2026-10. */
async function billsFor(customerId: number, msisdn: string) {
  await sys.database.db.execute(sql`INSERT INTO subscriptions (msisdn, customer_id, plan, opened_on) VALUES (${msisdn}, ${customerId}, '全球通尊享588', '2018-01-01')`);
  await sys.database.db.execute(sql`
    INSERT INTO monthly_facts (month, subscription_id, customer_id, rev_voice, rev_data, billed, paid, arrears)
    SELECT m::date, s.id, s.customer_id, 300, 500, 800, 800, 0
    FROM subscriptions s, unnest(${`{${MONTHS.join(',')}}`}::text[]) AS m WHERE s.msisdn = ${msisdn}`);
}

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
  await sys.database.db.execute(sql`SELECT ensure_fact_partition(m::date) FROM unnest(${`{${MONTHS.join(',')}}`}::text[]) AS m`);
  const survivor = await create('R-P0001', '合并存续');
  ids.survivor = survivor.id;
  for (const [key, no] of [['merged', 'R-P0002'], ['twin', 'R-P0003'], ['mergedLapsed', 'R-P0004'], ['twinLapsed', 'R-P0005']] as const) {
    ids[key] = (await create(no, `测试${no}`)).id;
  }
  for (const dup of [ids.merged, ids.mergedLapsed]) {
    const [s, d] = await sys.database.rows<{ version: number }>(sql`SELECT version FROM customers WHERE id IN (${ids.survivor}, ${dup}) ORDER BY id = ${dup}`);
    const res = await admin.request({ method: 'POST', url: `/api/customers/${ids.survivor}/merge`, payload: { version: s!.version, duplicateId: dup, duplicateVersion: d!.version } });
    expect(res.statusCode, res.body).toBe(200);
  }
  // what only a write around the freeze could do: a merged customer back in the archive, or retained for a reason that qualifies
  await sys.database.db.execute(sql`UPDATE customers SET archive = 'in_network', archived_reason = NULL, archived_on = NULL WHERE id = ${ids.merged}`);
  await sys.database.db.execute(sql`UPDATE customers SET archived_reason = 'lost_status' WHERE id = ${ids.mergedLapsed}`);
  const twinLapsed = (await sys.database.rows<{ version: number }>(sql`SELECT version FROM customers WHERE id = ${ids.twinLapsed}`))[0]!;
  const lapse = await admin.request({
    method: 'POST',
    url: `/api/customers/${ids.twinLapsed}/archive`,
    payload: { version: twinLapsed.version, toArchive: 'retained', reason: 'lost_status', effectiveOn: '2025-10-01' },
  });
  expect(lapse.statusCode, lapse.body).toBe(200);
  await billsFor(ids.merged, '13700000002');
  await billsFor(ids.twin, '13700000003');
  await billsFor(ids.mergedLapsed, '13700000004');
  await billsFor(ids.twinLapsed, '13700000005');
  const run = await admin.request({ method: 'POST', url: '/api/rules/runs', payload: { month: '2026-10' } });
  expect(run.statusCode, run.body).toBe(201);
}, 120_000);
afterAll(() => sys?.close());

const rating = (id: number) =>
  sys.database.rows<{ level: string; points_earned: number; points_promo: number }>(sql`SELECT level, points_earned, points_promo FROM customer_ratings WHERE customer_id = ${id}`);
const pointsOf = async (id: number) => {
  const [row] = await sys.database.rows<{ entries: number; balance: number | null }>(sql`
    SELECT (SELECT count(*)::int FROM points_ledger WHERE customer_id = ${id}) AS entries,
           (SELECT balance FROM points_accounts WHERE customer_id = ${id}) AS balance`);
  return row!;
};
const candidacies = async (id: number) =>
  (await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM potential_candidates WHERE customer_id = ${id}`))[0]!.n;

describe('the monthly run and merged customers', () => {
  it('rates the unmerged twin and awards it consumption and birthday points', async () => {
    const [twin] = await rating(ids.twin);
    expect(twin!.level).not.toBe('unrated');
    expect([twin!.points_earned > 0, twin!.points_promo > 0]).toEqual([true, true]);
    expect((await pointsOf(ids.twin)).balance).toBe(twin!.points_earned + twin!.points_promo);
  });

  it('never rates a merged customer nor awards it points, though its archive and bills say it qualifies', async () => {
    expect(await rating(ids.merged)).toEqual([]);
    expect(await pointsOf(ids.merged)).toEqual({ entries: 0, balance: null });
  });

  it('never proposes a merged customer as a potential key account; its unmerged twin is proposed', async () => {
    expect(await candidacies(ids.twinLapsed)).toBe(1);
    expect(await candidacies(ids.mergedLapsed)).toBe(0);
  });
});
