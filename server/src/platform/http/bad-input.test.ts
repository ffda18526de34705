import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';

let sys: TestSystem;
let admin: Session;
beforeAll(async () => {
  sys = await startTestSystem({ BODY_LIMIT_BYTES: 64 * 1024 });
  admin = await sys.login('admin');
});
afterAll(() => sys.close());

const isProblem = (res: { statusCode: number; headers: Record<string, unknown> }) =>
  res.statusCode >= 400 && res.statusCode < 500 && String(res.headers['content-type']).includes('application/problem+json');

// ids that do not exist, so that a generated body that happens to be valid changes nothing
const concrete = (url: string) => url.replace(/:(\w+)/g, '987654');
const writeRoutes = () =>
  sys.app.accessCatalogue.filter((r) => r.method !== 'GET' && r.url !== '/api/auth/logout');

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

  it('rejects NUL characters in bodies and queries', async () => {
    const body = await admin.request({ method: 'POST', url: '/api/roles', payload: { code: 'nul', name: 'a\u0000b', permissions: [] } });
    expect(body.statusCode).toBe(400);
    expect(body.json().errors[0].field).toBe('body.name');
    const query = await admin.request({ method: 'GET', url: '/api/users?q=%00' });
    expect(query.statusCode).toBe(400);
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

  it('survives generated JSON bodies on every write endpoint', async () => {
    const routes = writeRoutes();
    expect(routes.length).toBeGreaterThan(8);
    const odd = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('', ' ', '\u200b', '😀'.repeat(300), 'Ǆ', '\ud800', "'; DROP TABLE users; --", '%_\\'),
    );
    const value = fc.oneof(odd, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(odd, { maxLength: 3 }));
    const body = fc.oneof(
      fc.dictionary(fc.constantFrom('code', 'name', 'username', 'displayName', 'unitId', 'roleIds', 'password', 'version', 'parentId', 'kind', 'permissions', 'active', 'locale', 'newPassword', 'currentPassword', 'email', 'phone'), value),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), body, async (route, payload) => {
        const res = await admin.request({
          method: route.method as 'POST',
          url: concrete(route.url),
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(payload) ?? 'null',
        });
        expect(res.statusCode, `${route.method} ${route.url} ${JSON.stringify(payload)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(isProblem(res)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('survives generated query strings on every list endpoint', async () => {
    const lists = sys.app.accessCatalogue.filter((r) => r.method === 'GET' && !r.url.includes(':') && r.url !== '/api/auth/logout');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...lists),
        fc.dictionary(fc.constantFrom('offset', 'limit', 'q', 'fields', 'unitId', 'active', 'from', 'to', 'entity', 'roleId'), fc.string()),
        async (route, query) => {
          const qs = new URLSearchParams(query).toString();
          const res = await admin.request({ method: 'GET', url: `${route.url}?${qs}` });
          expect(res.statusCode, `${route.url}?${qs}`).toBeLessThan(500);
        },
      ),
      { numRuns: 200 },
    );
  });
});
