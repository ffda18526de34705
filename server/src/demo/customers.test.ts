import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import { freshTestDatabase } from '../db/testing.js';
import { ensureBuiltinRoles } from '../modules/roles/service.js';
import { PiiVault } from '../platform/pii.js';
import { isValidCreditCode, isValidResidentId, residentId, creditCode } from './ids.js';
import { seedDemo } from './seed.js';

const vault = new PiiVault('11'.repeat(32), '22'.repeat(32));
const CUSTOMERS = 400;
const dropAfter: (() => Promise<void>)[] = [];

/** A fresh database of the kind under test with the demo data of `seed`. */
async function seeded(seed: number): Promise<Database> {
  const { database, drop } = await freshTestDatabase();
  dropAfter.push(drop);
  await ensureBuiltinRoles(database.db);
  await seedDemo(database, 'demo', seed, 'Demo@2026!', { vault, customers: CUSTOMERS });
  return database;
}

const one = async <T>(db: Database, q: ReturnType<typeof sql>) => (await db.rows<T>(q))[0]!;

let a: Database;
let b: Database;
let other: Database;

beforeAll(async () => {
  [a, b, other] = await Promise.all([seeded(7), seeded(7), seeded(8)]);
});
afterAll(async () => {
  await Promise.all(dropAfter.map((drop) => drop()));
});

describe('identifiers', () => {
  it('makes resident ID numbers with a valid check digit and the sex in the 17th digit', () => {
    expect(residentId('110105', '1949-12-31', 2, false)).toBe('11010519491231002X'); // GB 11643's example
    expect(isValidResidentId('110105194912310021')).toBe(false);
    const female = residentId('440106', '1985-02-17', 123, false);
    expect(isValidResidentId(female)).toBe(true);
    expect(Number(female[16]) % 2).toBe(0);
  });
  it('makes unified social credit codes with both check characters', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true); // a published example
    expect(isValidCreditCode(creditCode('440106', '12345678'))).toBe(true);
    expect(isValidCreditCode('91440106MA5TEXT01X')).toBe(false);
  });
});

describe('demo customers', () => {
  it('gives the same data for the same seed and other data for another seed', async () => {
    const digest = sql`SELECT
        (SELECT md5(string_agg(customer_no || name || coalesce(id_number_hash, '') || coalesce(credit_code, '') || unit_id || manager_id, ',' ORDER BY id)) FROM customers) AS customers,
        (SELECT md5(string_agg(msisdn || customer_id || plan || status, ',' ORDER BY id)) FROM subscriptions) AS subscriptions,
        (SELECT sum(billed)::text || '/' || sum(paid)::text || '/' || sum(data_mb)::text FROM monthly_facts) AS facts,
        (SELECT count(*)::int FROM key_persons) + (SELECT count(*)::int FROM contracts) + (SELECT count(*)::int FROM customer_products) AS related`;
    const [da, db, dother] = await Promise.all([a, b, other].map((d) => one<Record<string, unknown>>(d, digest)));
    expect(da).toEqual(db);
    expect(dother!.customers).not.toBe(da!.customers);
    expect(dother!.facts).not.toBe(da!.facts);
  });

  it('has groups and individuals, subscriptions, key persons, contracts, products and a retained archive', async () => {
    const r = await one<Record<string, number>>(
      a,
      sql`SELECT (SELECT count(*)::int FROM customers) AS customers,
                 (SELECT count(*)::int FROM customers WHERE kind = 'group') AS groups,
                 (SELECT count(*)::int FROM customers WHERE archive = 'retained') AS retained,
                 (SELECT count(*)::int FROM customers c WHERE archive = 'retained'
                    AND NOT EXISTS (SELECT 1 FROM lifecycle_events e WHERE e.customer_id = c.id AND e.to_archive = 'retained')) AS retained_without_event,
                 (SELECT count(*)::int FROM subscriptions) AS subscriptions,
                 (SELECT count(*)::int FROM subscriptions WHERE group_customer_id IS NOT NULL AND group_customer_id <> customer_id) AS members,
                 (SELECT count(*)::int FROM customers c WHERE kind = 'group' AND (SELECT count(*) FROM key_persons k WHERE k.customer_id = c.id) NOT BETWEEN 2 AND 4) AS bad_key_persons,
                 (SELECT count(*)::int FROM contracts WHERE expires_on BETWEEN DATE '2026-11-25' AND DATE '2026-11-25' + 90) AS expiring,
                 (SELECT count(*)::int FROM customer_products WHERE competitor IS NOT NULL) AS competitor_products,
                 (SELECT count(*)::int FROM monthly_facts) AS facts`,
    );
    expect(r.customers).toBe(CUSTOMERS);
    expect(r.groups).toBeGreaterThan(CUSTOMERS * 0.12);
    expect(r.groups).toBeLessThan(CUSTOMERS * 0.28);
    expect(r.retained).toBeGreaterThan(0);
    expect(r.retained_without_event).toBe(0);
    expect(r.subscriptions).toBeGreaterThan(CUSTOMERS * 1.7);
    expect(r.subscriptions).toBeLessThan(CUSTOMERS * 2.3);
    expect(r.members).toBeGreaterThan(0);
    expect(r.bad_key_persons).toBe(0);
    expect(r.expiring).toBeGreaterThan(0);
    expect(r.competitor_products).toBeGreaterThan(0);
    expect(r.facts).toBe(r.subscriptions! * 12);
  });

  it("puts every customer in a county of its manager's city, with one open portfolio row for that manager", async () => {
    const r = await one<Record<string, number>>(
      a,
      sql`SELECT
            count(*) FILTER (WHERE u.kind <> 'county' OR u.parent_id <> m.unit_id)::int AS outside,
            count(*) FILTER (WHERE (SELECT count(*) FROM portfolio_assignments p
                                    WHERE p.customer_id = c.id AND p.until_date IS NULL AND p.manager_id = c.manager_id) <> 1)::int AS bad_portfolio,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM portfolio_assignments p
                                          WHERE p.customer_id = c.id AND p.until_date IS NOT NULL AND p.manager_id <> c.manager_id))::int AS handed_over
          FROM customers c JOIN org_units u ON u.id = c.unit_id JOIN users m ON m.id = c.manager_id`,
    );
    expect(r.outside).toBe(0);
    expect(r.bad_portfolio).toBe(0);
    expect(r.handed_over).toBeGreaterThan(0);
  });

  it('bills the sum of the revenue categories, never takes more than billed, and keeps arrears = billed − paid', async () => {
    const r = await one<Record<string, number>>(
      a,
      sql`SELECT
            count(*) FILTER (WHERE billed <> rev_voice + rev_sms + rev_data + rev_vas + rev_roaming)::int AS bad_sum,
            count(*) FILTER (WHERE paid > billed OR paid < 0)::int AS overpaid,
            count(*) FILTER (WHERE arrears <> billed - paid)::int AS bad_arrears,
            count(*) FILTER (WHERE arrears > 0)::int AS unpaid,
            count(*) FILTER (WHERE month <> date_trunc('month', month)::date)::int AS bad_month
          FROM monthly_facts`,
    );
    expect(r).toMatchObject({ bad_sum: 0, overpaid: 0, bad_arrears: 0, bad_month: 0 });
    expect(r.unpaid).toBeGreaterThan(0);
  });

  it('shows seasonality, and ported-out numbers of retained customers bill nothing after they left', async () => {
    const roaming = await a.rows<{ month: string; share: number }>(
      sql`SELECT to_char(month, 'YYYY-MM') AS month, (sum(rev_roaming) / sum(billed))::float8 AS share FROM monthly_facts GROUP BY month ORDER BY month`,
    );
    const share = Object.fromEntries(roaming.map((x) => [x.month, Number(x.share)]));
    expect(share['2026-02']).toBeGreaterThan(share['2026-03']! * 1.8); // 春节
    expect(share['2026-08']).toBeGreaterThan(share['2026-03']! * 1.3); // summer
    const after = await one<{ n: number; total: string }>(
      a,
      sql`SELECT count(*)::int AS n, coalesce(sum(f.billed), 0)::text AS total
          FROM monthly_facts f JOIN subscriptions s ON s.id = f.subscription_id JOIN customers c ON c.id = s.customer_id
          WHERE c.archive = 'retained' AND s.status IN ('ported_out', 'closed') AND f.month > c.archived_on`,
    );
    expect(Number(after.total)).toBe(0);
  });

  it('stores ID numbers only encrypted, with a keyed hash and the last four characters', async () => {
    const rows = await a.rows<{ enc: Buffer | Uint8Array; hash: string; tail: string; birthday: string; gender: string; plain: string }>(
      sql`SELECT id_number_enc AS enc, id_number_hash AS hash, id_number_tail AS tail, birthday::text AS birthday, gender,
                 concat_ws('|', customer_no, name, address, contact_phone, employer, job_title, preferences, id_number_tail, credit_code, legal_representative) AS plain
          FROM customers WHERE kind = 'individual'`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const id = vault.decrypt(Buffer.from(r.enc));
      expect(isValidResidentId(id)).toBe(true);
      expect(id.startsWith('44')).toBe(true);
      expect(id.slice(6, 14)).toBe(r.birthday.replaceAll('-', ''));
      expect(Number(id[16]) % 2 === 1).toBe(r.gender === 'male');
      expect(r.hash).toBe(vault.lookupHash(id));
      expect(r.tail).toBe(id.slice(-4));
      expect(r.plain).not.toContain(id);
      expect(r.plain).not.toMatch(/\d{17}[\dX]/);
    }
    const codes = await a.rows<{ code: string }>(sql`SELECT credit_code AS code FROM customers WHERE kind = 'group'`);
    for (const c of codes) expect(isValidCreditCode(c.code)).toBe(true);
  });
});
