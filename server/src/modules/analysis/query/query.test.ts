import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import type { Actor } from '../../../platform/auth/principal.js';
import type { Permission } from '../../../platform/auth/permissions.js';
import { makeDeps, type Deps } from '../../../platform/deps.js';
import { todayAt } from '../../../platform/months.js';
import { runQuery } from './service.js';
import { monthsOf, type Group, type Node } from './tree.js';

let sys: TestSystem;
let deps: Deps;
let gzHead: Session;
let gdHead: Session;
let szHead: Session;

/** The actor of a demo user as the sessions build it (their roles' permissions, their unit), optionally narrowed. */
async function actorFor(username: string, drop: Permission[] = [], add: Permission[] = []): Promise<Actor> {
  const [u] = await sys.database.rows<{ id: number; path: string }>(sql`SELECT u.id, ou.path FROM users u JOIN org_units ou ON ou.id = u.unit_id WHERE u.username = ${username}`);
  const perms = await sys.database.rows<{ p: Permission }>(sql`SELECT DISTINCT unnest(r.permissions) AS p FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = ${u!.id}`);
  const permissions = new Set<Permission>([...perms.map((r) => r.p).filter((p) => !drop.includes(p)), ...add]);
  return { userId: Number(u!.id), username, unitPath: u!.path, areaPath: u!.path, permissions, requestId: null, ip: null };
}

const post = (s: Session, url: string, payload: unknown) => s.request({ method: 'POST', url, payload: payload as Record<string, unknown> });
const all = (...conditions: Node[]): Group => ({ match: 'all', conditions });

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error', DEMO_CUSTOMERS: 200 });
  deps = makeDeps(sys.config, sys.database);
  [gzHead, gdHead, szHead] = await Promise.all([sys.login('gz_head'), sys.login('gd_head'), sys.login('sz_head')]);
  // some data the generator may leave out: visits, competitor products and contracts on a few customers
  await sys.database.rows(sql`INSERT INTO visits (customer_id, manager_id, visited_on, channel, summary)
    SELECT id, manager_id, (${todayAt()}::date - (id % 120)::int), 'visit', '走访' FROM customers WHERE id % 3 = 0`);
  await sys.database.rows(sql`INSERT INTO customer_products (customer_id, competitor, product) SELECT id, '中国电信', '专线' FROM customers WHERE id % 5 = 0`);
  await sys.database.rows(sql`INSERT INTO contracts (customer_id, contract_no, title, signed_on, expires_on)
    SELECT id, 'HT-' || id, '合同', '2025-01-01', (${todayAt()}::date + (id % 200)::int) FROM customers WHERE id % 4 = 0`);
}, 180_000);
afterAll(() => sys?.close());

describe('validation names the path of the bad condition', () => {
  it('answers 400 with the field path of each bad part', async () => {
    const res = await post(gzHead, '/api/analysis/query', {
      tree: {
        match: 'all',
        conditions: [
          { field: 'kind', op: 'eq', value: 'group' },
          { match: 'any', conditions: [{ field: 'industry', op: 'gt', value: 'C' }, { field: 'nope', op: 'eq', value: 1 }, { field: 'points', op: 'between', value: [5, 1] }] },
          { measure: 'rev_data', aggregate: 'avg', period: { lastMonths: 99 }, op: 'gt', value: 'x' },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(400);
    const body = res.json() as { code: string; errors: { field: string; code: string; message: string }[] };
    expect(body.code).toBe('query_tree_invalid');
    const fields = body.errors.map((e) => e.field);
    expect(fields).toEqual([
      'body.tree.conditions[1].conditions[0].op',
      'body.tree.conditions[1].conditions[1].field',
      'body.tree.conditions[1].conditions[2].value',
      'body.tree.conditions[2].period',
      'body.tree.conditions[2].value',
    ]);
    expect(body.errors[0]!.message).toContain('eq');
    expect(body.errors[2]!.message).toContain('[下限, 上限]');
  });

  it('refuses a tree nested deeper than 3 levels, and an empty group', async () => {
    const deep = { match: 'all', conditions: [{ match: 'any', conditions: [{ match: 'all', conditions: [{ match: 'any', conditions: [{ field: 'kind', op: 'eq', value: 'group' }] }] }] }] };
    const res = await post(gzHead, '/api/analysis/query', { tree: deep });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { errors: { field: string; code: string }[] }).errors[0]).toMatchObject({ field: 'body.tree.conditions[0].conditions[0].conditions[0]', code: 'query_too_deep' });
    const empty = await post(gzHead, '/api/analysis/query', { tree: { match: 'all', conditions: [] } });
    expect((empty.json() as { errors: { field: string }[] }).errors[0]!.field).toBe('body.tree.conditions');
  });

  it('words the errors in English for an English reader', async () => {
    const res = await gzHead.request({ method: 'POST', url: '/api/analysis/query', headers: { 'accept-language': 'en-US' }, payload: { tree: { match: 'all', conditions: [{ field: 'brand', op: 'eq', value: 'x' }] } } });
    expect((res.json() as { errors: { message: string }[] }).errors[0]!.message).toBe('The value should be: one of gotone / mzone / easyown');
  });
});

describe('data scope', () => {
  it('a head sees the customers of their subtree only', async () => {
    const tree = all({ field: 'kind', op: 'in', value: ['group', 'individual'] });
    const count = async (s: Session) => ((await post(s, '/api/analysis/query', { tree, limit: 200 })).json() as { total: number }).total;
    const [gd, gz, sz] = [await count(gdHead), await count(gzHead), await count(szHead)];
    const expected = async (code: string) =>
      Number((await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM customers c JOIN org_units u ON u.id = c.unit_id WHERE c.merged_into IS NULL AND u.path LIKE (SELECT path || '%' FROM org_units WHERE code = ${code})`))[0]!.n);
    expect(gz).toBe(await expected('GD-GZ'));
    expect(sz).toBe(await expected('GD-SZ'));
    expect(gd).toBeGreaterThan(gz + sz - 1);
    const res = (await post(gzHead, '/api/analysis/query', { tree, limit: 200 })).json() as { items: { id: number }[] };
    const outside = await sys.database.rows(sql`SELECT c.id FROM customers c JOIN org_units u ON u.id = c.unit_id WHERE c.id = ANY(${`{${res.items.map((i) => i.id).join(',')}}`}::bigint[]) AND u.path NOT LIKE (SELECT path || '%' FROM org_units WHERE code = 'GD-GZ')`);
    expect(outside).toEqual([]);
  });

  it('an account manager (no customers.read_unit) sees only their own portfolio', async () => {
    const am = await actorFor('gz_am01', [], ['analysis.query']);
    expect(am.permissions.has('customers.read_unit')).toBe(false);
    const result = await runQuery(deps, am, { tree: all({ field: 'kind', op: 'in', value: ['group', 'individual'] }), offset: 0, limit: 200 });
    const [own] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM customers WHERE manager_id = ${am.userId} AND merged_into IS NULL`);
    expect(result.total).toBe(Number(own!.n));
    expect(result.total).toBeGreaterThan(0);
  });

  it('a user without analysis.query is refused', async () => {
    const am = await sys.login('gz_am01');
    expect((await post(am, '/api/analysis/query', { tree: all({ field: 'kind', op: 'eq', value: 'group' }) })).statusCode).toBe(403);
  });
});

describe('saved queries', () => {
  it('shared within the owner’s unit subtree, changed only by the owner, versioned', async () => {
    const tree = all({ field: 'kind', op: 'eq', value: 'group' });
    const mine = await post(gdHead, '/api/analysis/queries', { name: '全省集团客户', tree, shared: false });
    expect(mine.statusCode, mine.body).toBe(201);
    const saved = mine.json() as { id: number; version: number };
    const sees = async (s: Session) => ((await s.request({ method: 'GET', url: '/api/analysis/queries' })).json() as { id: number }[]).some((x) => x.id === saved.id);
    expect(await sees(gzHead)).toBe(false);
    const shared = await gdHead.request({ method: 'PATCH', url: `/api/analysis/queries/${saved.id}`, payload: { version: saved.version, shared: true } });
    expect(shared.statusCode, shared.body).toBe(200);
    expect(await sees(gzHead)).toBe(true);
    // a city's query is not shared upwards nor sideways
    const gz = (await post(gzHead, '/api/analysis/queries', { name: '广州集团', tree, shared: true })).json() as { id: number };
    expect(((await gdHead.request({ method: 'GET', url: '/api/analysis/queries' })).json() as { id: number }[]).some((x) => x.id === gz.id)).toBe(false);
    expect(((await szHead.request({ method: 'GET', url: '/api/analysis/queries' })).json() as { id: number }[]).some((x) => x.id === gz.id)).toBe(false);
    // the reader may not change another's query; a stale version is 409
    expect((await gzHead.request({ method: 'PATCH', url: `/api/analysis/queries/${saved.id}`, payload: { version: 2, name: 'x' } })).statusCode).toBe(403);
    expect((await gdHead.request({ method: 'PATCH', url: `/api/analysis/queries/${saved.id}`, payload: { version: 1, name: 'x' } })).statusCode).toBe(409);
    const bad = await post(gdHead, '/api/analysis/queries', { name: 'x', tree: all({ field: 'kind', op: 'eq', value: 'nope' }) });
    expect((bad.json() as { errors: { field: string }[] }).errors[0]!.field).toBe('body.tree.conditions[0].value');
    const audits = await sys.database.rows(sql`SELECT action FROM audit_log WHERE entity = 'analysis_query' AND entity_id = ${String(saved.id)}`);
    expect(audits.length).toBe(2);
    expect((await gdHead.request({ method: 'DELETE', url: `/api/analysis/queries/${saved.id}?version=2` })).statusCode).toBe(204);
  });
});

// ---- the compiler against a filter in JS ---------------------------------------------------------------------------

interface Cust {
  id: number;
  kind: string;
  industry: string | null;
  brand: string | null;
  strategic: boolean;
  managerId: number | null;
  joinedOn: string | null;
  level: string | null;
  points: number | null;
  arrearsFen: number | null;
  lastVisit: string | null;
  competitor: boolean;
  contracts: string[];
  billed: Map<string, number>; // month → fen
  data: Map<string, number>; // month → fen
}

const DAY_MS = 86_400_000;
const days = (a: string, b: string) => Math.round((Date.parse(a) - Date.parse(b)) / DAY_MS);
function tenure(joined: string, today: string): number {
  const [jy, jm, jd] = joined.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return (ty - jy) * 12 + (tm - jm) - (td < jd ? 1 : 0);
}

function cmp(x: number | string | boolean | null, op: string, value: unknown): boolean {
  if (op === 'empty') return x === null;
  if (op === 'not_empty') return x !== null;
  if (op === 'ne') return x !== value;
  if (x === null) return false;
  const v = x as number; // dates compare as YYYY-MM-DD text, alike
  switch (op) {
    case 'eq':
      return v === value;
    case 'in':
      return (value as unknown[]).includes(v);
    case 'between':
      return v >= (value as [number, number])[0] && v <= (value as [number, number])[1];
    case 'gt':
      return v > (value as number);
    case 'ge':
      return v >= (value as number);
    case 'lt':
      return v < (value as number);
    case 'le':
      return v <= (value as number);
  }
  throw new Error(op);
}

/** The aggregate of monthly fen over the months, a missing month as 0, rounded to the fen as the SQL rounds. */
function aggregate(byMonth: Map<string, number>, months: string[], agg: string): number {
  const present = months.filter((m) => byMonth.has(m)).map((m) => byMonth.get(m)!);
  const sum = present.reduce((a, b) => a + b, 0);
  const full = present.length === months.length;
  const value = agg === 'sum' ? sum : agg === 'avg' ? sum / months.length : agg === 'min' ? (full ? Math.min(...present) : Math.min(0, ...present)) : full ? Math.max(...present) : Math.max(0, ...present);
  return Math.round(value) / 100;
}

describe('the compiler', () => {
  it('selects exactly the customers a JS filter of the same tree selects (random trees)', async () => {
    const today = todayAt();
    const [{ latest }] = (await sys.database.rows<{ latest: string }>(sql`SELECT to_char(max(month), 'YYYY-MM') AS latest FROM monthly_facts`)) as [{ latest: string }];
    const base = await sys.database.rows<Record<string, unknown>>(sql`
      SELECT c.id, c.kind, c.industry, c.brand, c.strategic, c.manager_id AS "managerId", to_char(c.joined_on, 'YYYY-MM-DD') AS "joinedOn",
             st.level, st.points, st.arrears_fen AS "arrearsFen",
             (SELECT to_char(max(visited_on), 'YYYY-MM-DD') FROM visits v WHERE v.customer_id = c.id) AS "lastVisit",
             EXISTS (SELECT 1 FROM customer_products p WHERE p.customer_id = c.id AND p.competitor IS NOT NULL) AS competitor,
             coalesce((SELECT array_agg(to_char(expires_on, 'YYYY-MM-DD')) FROM contracts k WHERE k.customer_id = c.id), '{}') AS contracts
      FROM customers c LEFT JOIN customer_standings st ON st.customer_id = c.id WHERE c.merged_into IS NULL`);
    const custs = new Map<number, Cust>();
    for (const r of base) {
      custs.set(Number(r.id), { ...(r as unknown as Cust), id: Number(r.id), managerId: r.managerId === null ? null : Number(r.managerId), points: r.points === null ? null : Number(r.points), arrearsFen: r.arrearsFen === null ? null : Number(r.arrearsFen), billed: new Map(), data: new Map() });
    }
    for (const r of await sys.database.rows<{ id: number; m: string; fen: string }>(sql`SELECT customer_id AS id, to_char(month, 'YYYY-MM-DD') AS m, billed_fen::text AS fen FROM customer_month_totals`)) custs.get(Number(r.id))?.billed.set(r.m, Number(r.fen));
    for (const r of await sys.database.rows<{ id: number; m: string; v: string }>(sql`SELECT customer_id AS id, to_char(month, 'YYYY-MM-DD') AS m, sum(rev_data)::text AS v FROM monthly_facts GROUP BY 1, 2`)) custs.get(Number(r.id))?.data.set(r.m, Math.round(Number(r.v) * 100));
    const managers = [...new Set([...custs.values()].map((c) => c.managerId).filter((m): m is number => m !== null))].slice(0, 4);

    const evalNode = (n: Node, c: Cust): boolean => {
      if ('conditions' in n) return n.match === 'all' ? n.conditions.every((x) => evalNode(x, c)) : n.conditions.some((x) => evalNode(x, c));
      if ('measure' in n) return cmp(aggregate(n.measure === 'billed' ? c.billed : c.data, monthsOf(n.period, latest), n.aggregate), n.op, n.value);
      switch (n.field) {
        case 'kind':
        case 'industry':
        case 'brand':
        case 'strategic':
        case 'level':
          return cmp(c[n.field] as string | boolean | null, n.op, n.value);
        case 'manager':
          return cmp(c.managerId, n.op, n.value);
        case 'joinedOn':
          return cmp(c.joinedOn, n.op, n.value);
        case 'tenureMonths':
          return cmp(c.joinedOn === null ? null : tenure(c.joinedOn, today), n.op, n.value);
        case 'daysSinceVisit':
          return cmp(c.lastVisit === null ? null : days(today, c.lastVisit), n.op, n.value);
        case 'points':
          return cmp(c.points, n.op, n.value);
        case 'arrears':
          return cmp(c.arrearsFen === null ? null : c.arrearsFen / 100, n.op, n.value);
        case 'competitorProduct':
          return c.competitor === n.value;
        case 'contractExpiresWithinDays':
          return c.contracts.some((d) => days(d, today) >= 0 && days(d, today) <= (n.value as number));
      }
      throw new Error(n.field);
    };

    const num = fc.constantFrom(0, 1, 30, 60, 100, 200, 500, 1000);
    const cmpOp = fc.constantFrom('gt', 'ge', 'lt', 'le', 'eq', 'ne');
    const leaf: fc.Arbitrary<Node> = fc.oneof(
      fc.record({ field: fc.constant('kind'), op: fc.constantFrom('eq', 'ne'), value: fc.constantFrom('group', 'individual') }),
      fc.record({ field: fc.constant('industry'), op: fc.constant('in'), value: fc.subarray(['A', 'C', 'F', 'I', 'K'], { minLength: 1 }) }),
      fc.record({ field: fc.constant('industry'), op: fc.constantFrom('empty', 'not_empty') }),
      fc.record({ field: fc.constant('brand'), op: fc.constantFrom('eq', 'ne'), value: fc.constantFrom('gotone', 'mzone', 'easyown') }),
      fc.record({ field: fc.constant('strategic'), op: fc.constant('eq'), value: fc.boolean() }),
      fc.record({ field: fc.constant('manager'), op: fc.constant('in'), value: fc.subarray(managers.length ? managers : [1], { minLength: 1 }) }),
      fc.record({ field: fc.constant('manager'), op: fc.constantFrom('empty', 'not_empty') }),
      fc.record({ field: fc.constant('joinedOn'), op: fc.constantFrom('ge', 'lt'), value: fc.constantFrom('2015-01-01', '2020-06-30', '2024-01-01') }),
      fc.record({ field: fc.constant('tenureMonths'), op: cmpOp, value: num }),
      fc.record({ field: fc.constant('daysSinceVisit'), op: fc.constantFrom('gt', 'le'), value: fc.constantFrom(10, 60, 90) }),
      fc.record({ field: fc.constant('daysSinceVisit'), op: fc.constant('empty') }),
      fc.record({ field: fc.constant('competitorProduct'), op: fc.constant('eq'), value: fc.boolean() }),
      fc.record({ field: fc.constant('contractExpiresWithinDays'), op: fc.constant('le'), value: fc.constantFrom(30, 90, 180) }),
      fc.record({ field: fc.constant('arrears'), op: cmpOp, value: num }),
      fc.record({ field: fc.constant('points'), op: fc.constantFrom('ge', 'empty'), value: num }).map((c) => (c.op === 'empty' ? { field: 'points', op: 'empty' } : c)),
      fc.record({
        measure: fc.constantFrom('billed', 'rev_data'),
        aggregate: fc.constantFrom('avg', 'sum', 'min', 'max'),
        period: fc.oneof(fc.record({ lastMonths: fc.integer({ min: 1, max: 6 }) }), fc.constant({ from: '2026-02', to: '2026-05' }), fc.constant({ from: '2023-01', to: '2023-03' })),
        op: cmpOp,
        value: num,
      }),
    ) as fc.Arbitrary<Node>;
    const group = (inner: fc.Arbitrary<Node>): fc.Arbitrary<Group> => fc.record({ match: fc.constantFrom('all', 'any'), conditions: fc.array(inner, { minLength: 1, maxLength: 3 }) }) as fc.Arbitrary<Group>;
    const tree = group(fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 1, arbitrary: group(fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 1, arbitrary: group(leaf) })) }));

    const admin = await actorFor('admin');
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(tree, async (t) => {
        const result = await runQuery(deps, admin, { tree: t, offset: 0, limit: 200 });
        const expected = [...custs.values()].filter((c) => evalNode(t, c)).map((c) => c.id).sort((a, b) => a - b);
        if (expected.length) nonEmpty++;
        expect(result.total).toBe(expected.length);
        if (expected.length <= 200) expect(result.items.map((i) => i.id).sort((a, b) => a - b)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
    expect(nonEmpty).toBeGreaterThan(10);
  }, 240_000);

  it('reports the measure values it used', async () => {
    const admin = await actorFor('admin');
    const t = all({ field: 'kind', op: 'eq', value: 'group' }, { measure: 'rev_data', aggregate: 'avg', period: { lastMonths: 6 }, op: 'gt', value: 0 });
    const result = await runQuery(deps, admin, { tree: t, offset: 0, limit: 5 });
    expect(result.measures).toEqual([{ key: 'm0', measure: 'rev_data', aggregate: 'avg', period: { lastMonths: 6 } }]);
    for (const item of result.items) expect(item.measures.m0).toBeGreaterThan(0);
  });
});
