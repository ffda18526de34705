import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import { illFormedText, JSON_LIMITS, jsonShapeProblem, type ShapeProblem } from './input.js';
import { testPartner } from '../../modules/services/partners/partners.testing.js';
import { hasVisibleCharacter, readableName } from './text.js';

/** Every generated request is the same on every run. */
const SEED = 20261125;

let sys: TestSystem;
let admin: Session;
/** Ids of real records, so that a body that passes the edge would reach a service and the database. */
let ids: { customer: number; unit: number; role: number; user: number; item: number };
beforeAll(async () => {
  sys = await startTestSystem({ BODY_LIMIT_BYTES: 64 * 1024 });
  const signedIn = await sys.login('admin');
  // the partner API takes a partner's key instead of a session: its requests carry one, so that its routes reach validation too
  // (only its: a bearer on a route of access 'machine' is a machine client's token, checked before the body is read)
  const { authorization } = await testPartner(signedIn);
  const partnerKey = (url: string | undefined) => (url?.startsWith('/api/partner/') ? { authorization } : {});
  admin = { ...signedIn, request: (opts) => signedIn.request({ ...opts, headers: { ...partnerKey(opts.url as string | undefined), ...opts.headers } }) };
  const first = async (url: string) => ((await admin.request({ method: 'GET', url })).json() as { id: number }[])[0]!.id;
  ids = {
    customer: await first('/api/customers?limit=1'),
    unit: await first('/api/org/units?limit=1'),
    role: await first('/api/roles'),
    user: await first('/api/users?limit=1'),
    item: await first('/api/points/catalogue'),
  };
});
afterAll(() => sys.close());

// (the TM Forum APIs answer their own Error body, modules/tmf: a JSON with code and @type Error; the OAuth token
// endpoint RFC 6749's application/json error with the problem's fields beside, platform/auth/clients)
const isProblem = (res: { statusCode: number; headers: Record<string, unknown>; body?: string }) =>
  res.statusCode >= 400 &&
  res.statusCode < 500 &&
  (String(res.headers['content-type']).includes('application/problem+json') ||
    /^\{"code":.*"@type":"Error"\}$/.test(res.body ?? '') ||
    /^\{"error":"[a-z_]+","error_description":.*"code":"oauth_[a-z_]+"/.test(res.body ?? ''));
const fieldsOf = (res: LightMyRequestResponse) => (res.json().errors as { field: string; code: string }[]).map((e) => [e.field, e.code]);

// ids that do not exist, so that a generated body that happens to be valid changes nothing
const concrete = (url: string) => url.replace(/:(\w+)/g, '987654');
const writeRoutes = () =>
  sys.app.accessCatalogue.filter((r) => r.method !== 'GET' && r.url !== '/api/auth/logout');
const anonymous = (opts: InjectOptions) => sys.app.inject(opts);
const json = (payload: string) => ({ headers: { 'content-type': 'application/json' }, payload });

describe('bad input gets a 4xx problem naming the field, never a 500', () => {
  it('names every wrong, missing and unknown field', async () => {
    const res = await admin.request({
      method: 'POST',
      url: '/api/users',
      payload: { username: 12, displayName: '', unitId: 'x', roleIds: [], password: 'x', shoeSize: 44 },
    });
    expect(res.statusCode).toBe(400);
    const fields = (res.json().errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.username', 'body.displayName', 'body.unitId', 'body.shoeSize']));
  });

  it('answers malformed JSON with 400', async () => {
    const res = await admin.request({ method: 'POST', url: '/api/roles', headers: { 'content-type': 'application/json' }, payload: '{"code": "x",' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('malformed_json');
  });

  it('answers an oversized body with 413', async () => {
    const res = await admin.request({ method: 'POST', url: '/api/roles', payload: { code: 'big', name: 'x'.repeat(100_000), permissions: [] } });
    expect(res.statusCode).toBe(413);
    expect(isProblem(res)).toBe(true);
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await admin.request({ method: 'POST', url: '/api/roles', headers: { 'content-type': 'text/csv' }, payload: 'a,b' });
    expect(res.statusCode).toBe(415);
  });

  it('answers a URL that is not percent-encoded UTF-8 with a problem', async () => {
    const res = await admin.request({ method: 'GET', url: '/api/users/%ED%BF%BF' });
    expect(res.statusCode).toBe(400);
    expect(isProblem(res)).toBe(true);
    expect(res.json().code).toBe('malformed_url');
  });

  it('rejects NUL characters in bodies and queries', async () => {
    const body = await admin.request({ method: 'POST', url: '/api/roles', payload: { code: 'nul', name: 'a\u0000b', permissions: [] } });
    expect(body.statusCode).toBe(400);
    expect(fieldsOf(body)).toEqual([['body.name', 'text_nul_character']]);
    const query = await admin.request({ method: 'GET', url: '/api/users?q=%00' });
    expect(query.statusCode).toBe(400);
    expect(fieldsOf(query)).toEqual([['query.q', 'text_nul_character']]);
  });

  it('rejects empty and very long strings', async () => {
    const empty = await admin.request({ method: 'POST', url: '/api/roles', payload: { code: 'ok_code', name: '   ', permissions: [] } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].field).toBe('body.name');
    const long = await admin.request({ method: 'POST', url: '/api/roles', payload: { code: 'ok_code', name: '长'.repeat(51), permissions: [] } });
    expect(long.statusCode).toBe(400);
  });

  it('speaks English when asked', async () => {
    const res = await admin.request({ method: 'POST', url: '/api/roles', headers: { 'accept-language': 'en-US,en;q=0.9' }, payload: {} });
    expect(res.json().title).toBe('The input is not valid');
  });
});

/** What jsonShapeProblem must find, computed on the parsed value in document order. */
function shapeOf(value: unknown, limits: typeof JSON_LIMITS, depth = 1): ShapeProblem['code'] | null {
  if (value === null || typeof value !== 'object') return null;
  if (depth > limits.depth) return 'json_too_deep';
  const children = Array.isArray(value) ? value : Object.values(value);
  const max = Array.isArray(value) ? limits.arrayLength : limits.keys;
  for (let i = 0; i < children.length; i++) {
    if (i >= max) return Array.isArray(value) ? 'json_array_too_long' : 'json_too_many_keys';
    const found = shapeOf(children[i], limits, depth + 1);
    if (found) return found;
  }
  return null;
}

describe('JSON shapes are refused while the body is still text', () => {
  it('finds the first limit broken, as a walk of the parsed value would, whatever the strings hold', () => {
    const limits = { depth: 4, arrayLength: 3, keys: 3 } as unknown as typeof JSON_LIMITS;
    const text = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', ',', '"', '\\', ':', 'a', '\u00e9') });
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), text, fc.array(tie('node'), { maxLength: 5 }), fc.dictionary(text, tie('node'), { maxKeys: 5 })),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(jsonShapeProblem(JSON.stringify(v), limits)?.code ?? null).toBe(shapeOf(v, limits));
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('refuses 5,000 levels of nesting on every JSON route, signed in or not, before the sign-in even looks at it', async () => {
    const deep = '{"a":'.repeat(2500) + '['.repeat(2500) + ']'.repeat(2500) + '}'.repeat(2500);
    const signIn = await anonymous({ method: 'POST', url: '/api/auth/login', ...json(deep) });
    expect(signIn.statusCode).toBe(400);
    expect(signIn.json()).toMatchObject({ code: 'json_too_deep', type: '/api/problems/json_too_deep', errors: [{ field: 'body', code: 'json_too_deep' }] });
    for (const route of writeRoutes()) {
      const res = await admin.request({ method: route.method as 'POST', url: concrete(route.url), ...json(deep) });
      expect(res.json().code, `${route.method} ${route.url}`).toBe('json_too_deep');
    }
  });

  it('refuses long arrays and objects with too many members, in both languages', async () => {
    const long = JSON.stringify({ code: 'r1', name: 'x', permissions: Array(JSON_LIMITS.arrayLength + 1).fill(0) });
    const zh = await admin.request({ method: 'POST', url: '/api/roles', ...json(long) });
    expect(zh.json()).toMatchObject({ code: 'json_array_too_long', title: `JSON 数组元素超过 ${JSON_LIMITS.arrayLength} 个` });
    const wide = JSON.stringify(Object.fromEntries(Array.from({ length: JSON_LIMITS.keys + 1 }, (_, i) => [`k${i}`, 0])));
    const en = await admin.request({ method: 'POST', url: '/api/roles', headers: { 'content-type': 'application/json', 'accept-language': 'en-US' }, payload: wide });
    expect(en.json()).toMatchObject({ code: 'json_too_many_keys', title: `A JSON object has more than ${JSON_LIMITS.keys} members` });
    // the limits themselves are allowed: the schema answers
    const atLimit = JSON.stringify({ code: 'r1', name: 'x', permissions: Array(JSON_LIMITS.arrayLength).fill('x') });
    expect((await admin.request({ method: 'POST', url: '/api/roles', ...json(atLimit) })).json().code).toBe('validation_failed');
  });

  it('refuses them in merge-patch bodies too', async () => {
    const res = await admin.request({ method: 'PATCH', url: `/api/org/units/${ids.unit}`, headers: { 'content-type': 'application/merge-patch+json' }, payload: '['.repeat(40) + ']'.repeat(40) });
    expect(res.json().code).toBe('json_too_deep');
  });
});

const SURROGATE = 'x \udfff x';

describe('ill-formed Unicode is refused at the edge, naming the field', () => {
  it('finds a lone surrogate or a NUL in any key or string at any depth; a well-formed pair passes', () => {
    expect(illFormedText({ a: [{ b: 'ok 😀' }], c: { d: [1, SURROGATE] } }, 'body')).toEqual({ field: 'body.c.d.1', code: 'text_ill_formed', message: '' });
    expect(illFormedText({ ['k\ud800']: 1 }, 'query')).toMatchObject({ field: 'query.k\ud800', code: 'text_ill_formed' });
    expect(illFormedText({ a: '\ud83d\ude00', b: ['\u0000'] }, 'body')).toMatchObject({ field: 'body.b.0', code: 'text_nul_character' });
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const wellFormed = !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
        const found = illFormedText(s, 'body')?.code;
        expect(found === 'text_ill_formed').toBe(!wellFormed && !s.includes('\u0000'));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  // the writes where a lone surrogate reached PostgreSQL (the audit trail's JSON refused it: 500)
  const writes = (): [string, string, Record<string, unknown>, string][] => [
    ['POST', '/api/customers', { customerNo: 'SUR-0001', kind: 'group', unitId: ids.unit, name: SURROGATE }, 'body.name'],
    ['PATCH', `/api/customers/${ids.customer}`, { version: 1, address: SURROGATE }, 'body.address'],
    ['POST', `/api/customers/${ids.customer}/visits`, { visitedOn: '2026-11-01', channel: 'visit', summary: SURROGATE }, 'body.summary'],
    ['POST', `/api/customers/${ids.customer}/key-persons`, { name: '欧阳', role: 'other', preferences: SURROGATE }, 'body.preferences'],
    ['POST', `/api/customers/${ids.customer}/discounts`, { amount: '10', months: 1, reason: SURROGATE }, 'body.reason'],
    ['POST', `/api/customers/${ids.customer}/points/adjust`, { points: 1, reason: SURROGATE }, 'body.reason'],
    ['POST', `/api/customers/${ids.customer}/points/promo`, { points: 1, reason: SURROGATE }, 'body.reason'],
    ['POST', '/api/points/catalogue', { code: 'sur', name: SURROGATE, points: 10 }, 'body.name'],
    ['PATCH', `/api/points/catalogue/${ids.item}`, { version: 1, nameEn: SURROGATE }, 'body.nameEn'],
    ['POST', '/api/customer-filters', { name: '过滤', filter: { q: SURROGATE } }, 'body.filter.q'],
  ];

  it('on customer, visit, key-person, discount, points and catalogue writes', async () => {
    for (const [method, url, payload, field] of writes()) {
      const res = await admin.request({ method: method as 'POST', url, payload });
      expect(res.statusCode, `${method} ${url}`).toBe(400);
      expect(fieldsOf(res), `${method} ${url}`).toEqual([[field, 'text_ill_formed']]);
    }
  });

  it('on the sign-in, before any account is looked up, in English when asked', async () => {
    const res = await anonymous({ method: 'POST', url: '/api/auth/login', headers: { 'accept-language': 'en' }, payload: { username: SURROGATE, password: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'body.username', code: 'text_ill_formed', message: 'Contains a lone UTF-16 surrogate (not well-formed Unicode text)' }]);
  });
});

/** Characters a person does not see: blanks, zero-width, joiners, bidi controls, fillers, BOM. */
const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u202e', '\u202d', '\u2066', '\u2069', '\u200f', '\u3164', '\u00ad', ' ', '\u3000', '\u180e'];
const invisibleName = fc.array(fc.constantFrom(...INVISIBLE), { minLength: 1, maxLength: 8 }).map((a) => a.join(''));

describe('names a person can read', () => {
  it('refuses a name of invisible characters only; keeps any visible one; never keeps a bidi control', () => {
    const name = readableName(50);
    fc.assert(
      fc.property(invisibleName, (s) => {
        expect(name.safeParse(s).success).toBe(false);
      }),
      { seed: SEED, numRuns: 300 },
    );
    fc.assert(
      fc.property(invisibleName, fc.constantFrom('张', 'a', '😀', 'é', '٣'), invisibleName, (before, visible, after) => {
        const parsed = name.safeParse(before + visible + after);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toContain(visible);
        expect(parsed.data).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
        expect(hasVisibleCharacter(parsed.data!)).toBe(true);
      }),
      { seed: SEED, numRuns: 300 },
    );
    expect(name.safeParse('张\n三').success).toBe(false);
  });

  // every name-like field of the API, with a body otherwise valid
  const nameFields = (bad: string): [string, string, Record<string, unknown>, string][] => [
    ['POST', '/api/customers', { customerNo: 'INV-0001', kind: 'group', unitId: ids.unit, name: bad }, 'body.name'],
    ['PATCH', `/api/customers/${ids.customer}`, { version: 1, name: bad }, 'body.name'],
    ['PATCH', `/api/customers/${ids.customer}`, { version: 1, legalRepresentative: bad }, 'body.legalRepresentative'],
    ['PATCH', `/api/customers/${ids.customer}`, { version: 1, employer: bad }, 'body.employer'],
    ['POST', `/api/customers/${ids.customer}/visits`, { visitedOn: '2026-11-01', channel: 'visit', summary: '拜访', version: 1, updates: { name: bad } }, 'body.updates.name'],
    ['POST', `/api/customers/${ids.customer}/key-persons`, { name: bad, role: 'other' }, 'body.name'],
    ['POST', '/api/customer-filters', { name: bad, filter: {} }, 'body.name'],
    ['POST', '/api/org/units', { code: 'INV1', name: bad, kind: 'outlet', parentId: ids.unit }, 'body.name'],
    ['PATCH', `/api/org/units/${ids.unit}`, { version: 1, nameEn: bad }, 'body.nameEn'],
    ['POST', '/api/users', { username: 'inv_user', displayName: bad, unitId: ids.unit, roleIds: [], password: 'Xx#1234567890' }, 'body.displayName'],
    ['PATCH', `/api/users/${ids.user}`, { version: 1, displayName: bad }, 'body.displayName'],
    ['PATCH', '/api/me', { version: 1, displayName: bad }, 'body.displayName'],
    ['POST', '/api/roles', { code: 'inv_role', name: bad, permissions: [] }, 'body.name'],
    ['PATCH', `/api/roles/${ids.role}`, { version: 1, nameEn: bad }, 'body.nameEn'],
    ['POST', '/api/points/catalogue', { code: 'inv', name: bad, points: 10 }, 'body.name'],
    ['PATCH', `/api/points/catalogue/${ids.item}`, { version: 1, name: bad }, 'body.name'],
  ];

  it('every name-like field refuses one made of zero-width and direction controls, naming it', async () => {
    for (const [method, url, payload, field] of nameFields('\u200b\u202e\u200d')) {
      const res = await admin.request({ method: method as 'POST', url, payload });
      expect(res.statusCode, `${method} ${url}`).toBe(400);
      expect(fieldsOf(res), `${method} ${url}`).toEqual([[field, 'name_not_readable']]);
    }
  });

  it('benefit and credit grade names of a new rules version too', async () => {
    const versions = (await admin.request({ method: 'GET', url: '/api/rules/benefits/versions' })).json() as { version: number; params: { benefits: { name: string }[] } }[];
    const latest = versions.reduce((a, b) => (a.version > b.version ? a : b));
    latest.params.benefits[0]!.name = '\u2060\u200b';
    const res = await admin.request({ method: 'POST', url: '/api/rules/versions', payload: { family: 'benefits', effectiveFrom: '2030-01', params: latest.params, baseVersion: latest.version } });
    expect(fieldsOf(res)).toEqual([['body.params.benefits.0.name', 'name_not_readable']]);
  });

  it('stores a name without its bidi controls', async () => {
    const res = await admin.request({ method: 'POST', url: '/api/roles', payload: { code: 'bidi_role', name: '\u202e审计\u2066助理\u2069', nameEn: '\u200fAudit aide', permissions: [] } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: '审计助理', nameEn: 'Audit aide' });
  });
});

/** Hostile bodies: each the same text on every run (fixed seed). */
function hostileBodies(): [string, string][] {
  const fields = ['code', 'name', 'nameEn', 'username', 'displayName', 'password', 'summary', 'reason', 'note', 'q', 'customerNo'];
  const [invisible] = fc.sample(fc.dictionary(fc.constantFrom(...fields), invisibleName, { minKeys: 3 }), { seed: SEED, numRuns: 1 });
  return [
    ['deep arrays', '['.repeat(5000) + ']'.repeat(5000)],
    ['deep objects', '{"a":'.repeat(5000) + 'null' + '}'.repeat(5000)],
    ['long array', JSON.stringify({ permissions: Array(20_000).fill(1), roleIds: [1] })],
    ['many members', JSON.stringify(Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, 1])))],
    ['lone surrogates', JSON.stringify(Object.fromEntries(fields.map((f) => [f, SURROGATE])))],
    ['surrogate key', JSON.stringify({ ['\ud800']: 1 })],
    ['invisible names', JSON.stringify({ ...invisible, version: 1, unitId: 1, kind: 'outlet', parentId: 1, permissions: [], roleIds: [] })],
  ];
}

describe('no input answers 500, on any route of the catalogue', () => {
  it('hostile bodies, signed in as the administrator (so they reach validation) and signed out', async () => {
    const routes = sys.app.accessCatalogue.filter((r) => r.url !== '/api/auth/logout');
    expect(routes.length).toBeGreaterThan(60);
    const failures: string[] = [];
    for (const [what, payload] of hostileBodies()) {
      for (const route of routes) {
        const opts = { method: route.method as 'POST', url: concrete(route.url), ...(route.method !== 'GET' && json(payload)) };
        for (const [who, res] of [['admin', await admin.request(opts)], ['anonymous', await anonymous(opts)]] as const) {
          if (res.statusCode >= 500 || (res.statusCode >= 400 && !isProblem(res))) failures.push(`${who} ${what}: ${route.method} ${route.url} → ${res.statusCode}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('survives generated JSON bodies on every write endpoint', async () => {
    const routes = writeRoutes();
    expect(routes.length).toBeGreaterThan(8);
    const odd = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: 'binary' }),
      invisibleName,
      fc.constantFrom('', ' ', '\u200b', '😀'.repeat(300), 'Ǆ', '\ud800', SURROGATE, "'; DROP TABLE users; --", '%_\\'),
    );
    const value = fc.oneof(odd, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(odd, { maxLength: 3 }));
    const body = fc.oneof(
      fc.dictionary(fc.constantFrom('code', 'name', 'nameEn', 'username', 'displayName', 'unitId', 'roleIds', 'password', 'version', 'parentId', 'kind', 'permissions', 'active', 'locale', 'newPassword', 'currentPassword', 'email', 'phone', 'summary', 'reason'), value),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), body, async (route, payload) => {
        const res = await admin.request({
          method: route.method as 'POST',
          url: concrete(route.url),
          ...json(JSON.stringify(payload) ?? 'null'),
        });
        expect(res.statusCode, `${route.method} ${route.url} ${JSON.stringify(payload)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(isProblem(res)).toBe(true);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('survives generated query strings on every list endpoint', async () => {
    const lists = sys.app.accessCatalogue.filter((r) => r.method === 'GET' && !r.url.includes(':') && r.url !== '/api/auth/logout');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...lists),
        fc.dictionary(fc.constantFrom('offset', 'limit', 'q', 'fields', 'unitId', 'active', 'from', 'to', 'entity', 'roleId'), fc.oneof(fc.string(), invisibleName, fc.string({ unit: 'grapheme' }))),
        async (route, query) => {
          const qs = new URLSearchParams(query).toString();
          const res = await admin.request({ method: 'GET', url: `${route.url}?${qs}` });
          expect(res.statusCode, `${route.url}?${qs}`).toBeLessThan(500);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });
});
