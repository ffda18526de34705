/**
 * 二字检索: any two characters of a customer's or a key person's name find the customer — anywhere in the
 * name, on PGlite and on PostgreSQL — with LIKE's wildcards, quotes and backslashes taken as themselves, and
 * nothing else is found; the best matches come first.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import type { CustomerSummary } from './schemas.js';
import { bigramsOf } from './search.queries.js';

let sys: TestSystem;
let admin: Session;
let unitId: number;

beforeAll(async () => {
  sys = await startTestSystem({ SEARCH_MATCH_LIMIT: 5000 });
  admin = await sys.login('admin');
  [{ unitId }] = (await sys.database.rows<{ unitId: number }>(sql`SELECT min(unit_id) AS "unitId" FROM customers`)) as [{ unitId: number }];
});
afterAll(() => sys.close());

const special = ['%', '_', "'", '"', '\\', '%_', '宝', '利', '芳', '林', 'a', 'A', '1', '-', '😀', '\u{10FFFF}'];
const char = fc.oneof(
  fc.constantFrom(...special),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((c) => !c.includes('\0') && c.trim() === c && c !== ''),
);
const name = fc.array(char, { minLength: 2, maxLength: 6 }).map((cs) => cs.join(''));
/** Customers with their key persons' names. */
const customers = fc.array(fc.record({ name, keyPersons: fc.array(name, { maxLength: 2 }) }), { minLength: 1, maxLength: 5 });

let run = 0;

async function insert(batch: { name: string; keyPersons: string[] }[]) {
  run++;
  for (const [i, c] of batch.entries()) {
    const [row] = await sys.database.rows<{ id: number }>(sql`
      INSERT INTO customers (customer_no, kind, name, unit_id) VALUES (${`FRAG${run}-${i}`}, 'individual', ${c.name}, ${unitId}) RETURNING id`);
    for (const kp of c.keyPersons) await sys.database.rows(sql`INSERT INTO key_persons (customer_id, name, role) VALUES (${row!.id}, ${kp}, 'other')`);
  }
}

/** Customers whose name or one of whose key persons' names holds the fragment, and the best rank of each. */
async function expected(fragment: string) {
  const names = await sys.database.rows<{ id: number; name: string }>(sql`
    SELECT id, name FROM customers UNION ALL SELECT customer_id, name FROM key_persons`);
  const best = new Map<number, number>();
  for (const n of names) {
    if (!n.name.includes(fragment)) continue;
    const rank = n.name === fragment ? 0 : n.name.startsWith(fragment) ? 1 : 2;
    best.set(Number(n.id), Math.min(rank, best.get(Number(n.id)) ?? 2));
  }
  return best;
}

// first, on the demo data alone (the property below adds names of every kind)
it('takes wildcards, quotes and backslashes literally', async () => {
  await insert([{ name: '宝%利', keyPersons: ["芳'芳"] }, { name: '宝利', keyPersons: ['芳\\芳'] }, { name: '宝_利', keyPersons: [] }]);
  const nos = async (q: string) =>
    ((await admin.request({ method: 'GET', url: `/api/customers?limit=1000&q=${encodeURIComponent(q)}` })).json() as CustomerSummary[]).map((c) => c.name).sort();
  expect(await nos('宝%')).toEqual(['宝%利']);
  expect(await nos('_利')).toEqual(['宝_利']);
  expect(await nos("'芳")).toEqual(['宝%利']);
  expect(await nos('\\芳')).toEqual(['宝利']);
  expect(await nos('%_')).toEqual([]);
});

it('finds exactly the customers whose name or key person holds any two characters, best first', async () => {
  await fc.assert(
    fc.asyncProperty(customers, fc.nat(), fc.nat(), async (batch, pick, at) => {
      await insert(batch);
      const names = batch.flatMap((c) => [c.name, ...c.keyPersons]);
      const pairs = bigramsOf(names[pick % names.length]!);
      const fragment = pairs[at % pairs.length]!;
      const res = await admin.request({ method: 'GET', url: `/api/customers?limit=1000&q=${encodeURIComponent(fragment)}` });
      expect(res.statusCode, res.body).toBe(200);
      const found = res.json() as CustomerSummary[];
      const want = await expected(fragment);
      expect(found.map((c) => c.id).sort((a, b) => a - b)).toEqual([...want.keys()].sort((a, b) => a - b));
      const ranks = found.map((c) => want.get(c.id)!);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }),
    { numRuns: 60 },
  );
});
