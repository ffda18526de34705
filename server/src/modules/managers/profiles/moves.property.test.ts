import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';

/**
 * 不留无主客户: whatever sequence of bulk moves (all of a manager's customers, those of a filter, a chosen few) and
 * deactivations (and reactivations) heads and administrators make, every customer that had a manager still has
 * exactly one: a non-null manager_id naming an active user, and exactly one open portfolio row, naming them.
 */

let sys: TestSystem;
let gzHead: Session;
let admin: Session;
let managers: number[];
let held: number[];

const rows = <T>(query: ReturnType<typeof sql>) => sys.database.rows<T>(query);

type Command =
  | { kind: 'move'; from: number; to: number; how: 'all' | 'group' | 'individual' | 'some'; some: number; dryRun: boolean }
  | { kind: 'deactivate' | 'reactivate'; who: number };

const command = (n: number): fc.Arbitrary<Command> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('move' as const), from: fc.nat(n - 1), to: fc.nat(n - 1), how: fc.constantFrom('all' as const, 'group' as const, 'individual' as const, 'some' as const), some: fc.integer({ min: 1, max: 4 }), dryRun: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('deactivate' as const, 'reactivate' as const), who: fc.nat(n - 1) }) },
  );

async function run(c: Command): Promise<number> {
  if (c.kind === 'move') {
    const from = managers[c.from]!;
    const body: Record<string, unknown> = { fromManagerId: from, toManagerId: managers[c.to]!, dryRun: c.dryRun };
    if (c.how === 'group' || c.how === 'individual') body.filter = { kind: c.how };
    if (c.how === 'some') {
      const ids = await rows<{ id: number }>(sql`SELECT id FROM customers WHERE manager_id = ${from} AND merged_into IS NULL ORDER BY id LIMIT ${c.some}`);
      if (ids.length === 0) return 0;
      body.customerIds = ids.map((r) => Number(r.id));
    }
    const res = await gzHead.request({ method: 'POST', url: '/api/managers/portfolio-moves', payload: body });
    // refused: the same manager, or a target made inactive
    expect([200, 400], res.body).toContain(res.statusCode);
    return res.statusCode;
  }
  const who = managers[c.who]!;
  const user = (await admin.request({ method: 'GET', url: `/api/users/${who}` })).json() as { version: number };
  const res = await admin.request({ method: 'PATCH', url: `/api/users/${who}`, payload: { version: user.version, active: c.kind === 'reactivate' } });
  // refused: a manager who still holds customers
  expect([200, 409], res.body).toContain(res.statusCode);
  return res.statusCode;
}

/** The customers (of those that had a manager) whose manager is missing, inactive, or not the one open portfolio row names. */
const orphans = () =>
  rows<{ id: number }>(sql`
    SELECT c.id FROM customers c LEFT JOIN users u ON u.id = c.manager_id
    WHERE c.id = ANY(${`{${held.join(',')}}`}::bigint[])
      AND (c.manager_id IS NULL OR NOT coalesce(u.active, false)
        OR (SELECT count(*) FROM portfolio_assignments p WHERE p.customer_id = c.id AND p.until_date IS NULL) <> 1
        OR NOT EXISTS (SELECT 1 FROM portfolio_assignments p WHERE p.customer_id = c.id AND p.until_date IS NULL AND p.manager_id = c.manager_id))`);

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error' });
  [gzHead, admin] = await Promise.all([sys.login('gz_head'), sys.login('admin')]);
  const found = await rows<{ id: number }>(sql`
    SELECT u.id FROM users u JOIN org_units o ON o.id = u.unit_id
    WHERE u.username LIKE 'gz_am%' AND u.active ORDER BY u.username LIMIT 4`);
  managers = found.map((r) => Number(r.id));
  held = (await rows<{ id: number }>(sql`SELECT id FROM customers WHERE manager_id = ANY(${`{${managers.join(',')}}`}::bigint[]) AND merged_into IS NULL`)).map((r) => Number(r.id));
}, 120_000);
afterAll(() => sys?.close());

describe('portfolio moves and deactivations (property)', () => {
  it('the demo starts with every customer held by an active manager through one open portfolio row', async () => {
    expect(managers.length).toBeGreaterThanOrEqual(3);
    expect(held.length).toBeGreaterThan(10);
    expect(await orphans()).toEqual([]);
  });

  it('never leaves a customer without exactly one active manager and one open portfolio row', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command(managers.length), { minLength: 1, maxLength: 6 }), async (commands) => {
        for (const c of commands) await run(c);
        expect(await orphans()).toEqual([]);
      }),
      { numRuns: 12 },
    );
    // the sequences did move and refuse things
    const [moves] = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'portfolio_move'`);
    expect(Number(moves!.n)).toBeGreaterThan(0);
  }, 300_000);
});
