import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import type { Deps } from '../deps.js';
import { installAccessControl } from './access.js';

let sys: TestSystem;
let nobody: Session;

beforeAll(async () => {
  sys = await startTestSystem();
  const admin = await sys.login('admin');
  const gz = (await admin.request({ method: 'GET', url: '/api/org/units?q=GD-GZ' })).json()[0];
  const created = await admin.request({
    method: 'POST',
    url: '/api/users',
    payload: { username: 'no_roles', displayName: '无角色', unitId: gz.id, roleIds: [], password: 'Start#2026pass' },
  });
  expect(created.statusCode).toBe(201);
  nobody = await sys.login('no_roles', 'Start#2026pass');
  // past the forced change of the initial password, so that the refusals below are for the permission
  await nobody.request({ method: 'POST', url: '/api/me/password', payload: { currentPassword: 'Start#2026pass', newPassword: 'Own#Lantern2026' } });
});
afterAll(() => sys.close());

const concrete = (url: string) => url.replace(/:(\w+)/g, '1');

describe('every API route declares and enforces its access', () => {
  it('lists a non-trivial set of routes, all declared', () => {
    expect(sys.app.accessCatalogue.length).toBeGreaterThan(20);
    for (const r of sys.app.accessCatalogue) expect(r.access).toBeTruthy();
  });

  it('answers 401 on every non-public route without a session', async () => {
    const failures: string[] = [];
    for (const r of sys.app.accessCatalogue.filter((x) => x.access !== 'public')) {
      const res = await sys.app.inject({ method: r.method as 'GET', url: concrete(r.url), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      // the TM Forum APIs answer their own Error body (modules/tmf), every other route a problem
      const shaped = r.url.startsWith('/tmf-api/') ? res.json()['@type'] === 'Error' : String(res.headers['content-type']).includes('problem+json');
      if (res.statusCode !== 401 || !shaped) {
        failures.push(`${r.method} ${r.url} → ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 403 on every permission route to a user who lacks the permission', async () => {
    const failures: string[] = [];
    // the partner API takes a partner's key, never a session: a signed-in user gets its 401 (partners.test.ts)
    for (const r of sys.app.accessCatalogue.filter((x) => x.access !== 'public' && x.access !== 'authenticated' && x.access !== 'partner' && x.access !== 'machine')) {
      const res = await nobody.request({ method: r.method as 'GET', url: concrete(r.url), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      if (res.statusCode !== 403 || res.json().code !== 'forbidden') failures.push(`${r.method} ${r.url} → ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses to start when a route does not declare its access', async () => {
    const app = Fastify();
    await app.register(cookie);
    installAccessControl(app, {} as Deps);
    expect(() => app.get('/api/forgotten', async () => 'oops')).toThrow(/does not declare its access/);
    await app.close();
  });

  it('accepts the metrics token instead of a session on /api/metrics only when configured', async () => {
    const withToken = await startTestSystem({ METRICS_TOKEN: 'scrape-token-0123456789' });
    try {
      const ok = await withToken.app.inject({ url: '/api/metrics', headers: { authorization: 'Bearer scrape-token-0123456789' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('kam_http_request_duration_seconds');
      const bad = await withToken.app.inject({ url: '/api/metrics', headers: { authorization: 'Bearer wrong-token-0123456789' } });
      expect(bad.statusCode).toBe(401);
    } finally {
      await withToken.close();
    }
  });
});

describe('public endpoints', () => {
  it('health answers with the version and the database kind', async () => {
    const res = await sys.app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: expect.stringMatching(/pglite|postgres/) });
  });

  it('the OpenAPI document covers every API route', async () => {
    const doc = (await sys.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const missing = sys.app.accessCatalogue
      .filter((r) => r.url !== '/api/openapi.json')
      .filter((r) => !doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()])
      .map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('sends security headers', async () => {
    const res = await sys.app.inject({ url: '/api/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-request-id']).toBeTruthy();
  });
});
