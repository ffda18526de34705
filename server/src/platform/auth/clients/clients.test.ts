import { sql } from 'drizzle-orm';
import type { FastifyPluginAsync, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { getCustomerView } from '../../../modules/customers/service.js';
import { testPartner } from '../../../modules/services/partners/partners.testing.js';
import type { Deps } from '../../deps.js';
import { idParam } from '../../http/params.js';
import { clientAuthorization, testClient, tokenOf, type TestClient } from './clients.testing.js';
import { pruneCallLog } from './service.js';

/**
 * 接口客户端: OAuth 2.0 client credentials end to end — the token endpoint, the bearer gate of routes of access
 * 'machine' (a route of this file's own, reading a customer through the customers service as the caller), the
 * partner API called with a partner's client, rotation and revocation, the per-client rate limit and the call log.
 */

const testRoutes: FastifyPluginAsync<Deps> = async (app, deps) => {
  app.get('/tmf-api/test/customer/:id', {
    config: { access: 'machine', machine: { scope: 'tmf629.read', permission: 'customers.read' } },
    handler: async (req) => {
      const { id } = idParam.parse(req.params);
      const view = await getCustomerView(deps, req.caller!.actor, id, 1);
      return { id: view.id, name: view.name, caller: { kind: req.caller!.kind, clientId: req.caller!.clientId, pii: req.caller!.pii } };
    },
  });
};

let sys: TestSystem;
let admin: Session;
const logged: string[] = [];
/** Every secret and token answered in this file: none may reach the logs or the audit trail. */
const secrets: string[] = [];
let gzCustomer: number;
let szCustomer: number;

const customerIn = async (unitCode: string) =>
  Number(
    (
      await sys.database.rows<{ id: number }>(sql`
        SELECT c.id FROM customers c JOIN org_units u ON u.id = c.unit_id
        WHERE u.path LIKE (SELECT path || '%' FROM org_units WHERE code = ${unitCode}) ORDER BY c.id LIMIT 1`)
    )[0]!.id,
  );

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url: '/api/oauth/token',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  payload: new URLSearchParams(fields).toString(),
});
const basic = (c: Pick<TestClient, 'clientId' | 'secret'>) => ({ authorization: `Basic ${Buffer.from(`${c.clientId}:${c.secret}`).toString('base64')}` });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const readCustomer = (token: string, id = gzCustomer) => sys.app.inject({ method: 'GET', url: `/tmf-api/test/customer/${id}`, headers: bearer(token) });

async function newClient(scopes: string[], unitCode = 'GD-GZ', fields: Record<string, unknown> = {}) {
  const c = await testClient(admin, scopes, unitCode, fields);
  secrets.push(c.secret);
  return c;
}
async function newToken(c: TestClient, scope?: string) {
  const token = await tokenOf(sys.app, c, scope);
  secrets.push(token);
  return token;
}
const expectInvalidToken = (res: LightMyRequestResponse, code: string) => {
  expect(res.statusCode, res.body).toBe(401);
  expect(res.json().code).toBe(code);
  expect(res.headers['www-authenticate']).toBe('Bearer realm="kam", error="invalid_token"');
};

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'trace' }, { logStream: { write: (line) => void logged.push(line) }, testRoutes });
  admin = await sys.login('admin');
  gzCustomer = await customerIn('GD-GZ');
  szCustomer = await customerIn('GD-SZ');
}, 120_000);
afterAll(() => sys?.close());

describe('the token endpoint (RFC 6749 client credentials)', () => {
  it('issues a token by HTTP Basic with a form body, and by client_id/client_secret in a form or JSON body, never cached', async () => {
    const c = await newClient(['tmf629.read', 'pii']);
    const res = await sys.app.inject(form({ grant_type: 'client_credentials' }, basic(c)));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    secrets.push(body.access_token);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'tmf629.read pii' });
    const inForm = await sys.app.inject(form({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret, scope: 'tmf629.read' }));
    expect(inForm.json()).toMatchObject({ scope: 'tmf629.read' });
    const inJson = await sys.app.inject({ method: 'POST', url: '/api/oauth/token', payload: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret } });
    expect(inJson.statusCode, inJson.body).toBe(200);
    secrets.push(inForm.json().access_token, inJson.json().access_token);
  });

  it('answers the RFC’s errors: invalid_request, unsupported_grant_type, invalid_scope, invalid_client with its challenge', async () => {
    const c = await newClient(['tmf629.read']);
    const cases: [ReturnType<typeof form>, number, string][] = [
      [form({ client_id: c.clientId, client_secret: c.secret }), 400, 'invalid_request'],
      [form({ grant_type: 'client_credentials', client_id: c.clientId }, basic(c)), 400, 'invalid_request'],
      [form({ grant_type: 'password', username: 'admin', password: 'x' }, basic(c)), 400, 'unsupported_grant_type'],
      [form({ grant_type: 'client_credentials', scope: 'tmf629.read tmf621.write' }, basic(c)), 400, 'invalid_scope'],
      [form({ grant_type: 'client_credentials', scope: 'admin' }, basic(c)), 400, 'invalid_scope'],
      [form({ grant_type: 'client_credentials' }), 401, 'invalid_client'],
      [form({ grant_type: 'client_credentials' }, basic({ clientId: c.clientId, secret: 'x'.repeat(43) })), 401, 'invalid_client'],
      [form({ grant_type: 'client_credentials' }, basic({ clientId: 'cl_nobody', secret: c.secret })), 401, 'invalid_client'],
    ];
    for (const [request, status, error] of cases) {
      const res = await sys.app.inject(request);
      expect([res.statusCode, res.json().error], request.payload).toEqual([status, error]);
      expect(res.json().error_description).toBeTruthy();
      expect(res.json().code).toBe(`oauth_${error}`);
      expect(res.headers['cache-control']).toBe('no-store');
      if (status === 401) expect(res.headers['www-authenticate']).toBe('Basic realm="kam"');
    }
    // the failed authentications of a client id are audited, with the reason (a request without credentials names none)
    const failed = await sys.database.rows<{ reason: string }>(sql`SELECT after->>'reason' AS reason FROM audit_log WHERE action = 'login_failed' AND entity = 'api_client' ORDER BY id`);
    expect(failed.map((f) => f.reason)).toEqual(['wrong_secret', 'unknown_client']);
  });

  it('throttles failed authentications of a client from one address, then refuses without checking the secret', async () => {
    const c = await newClient(['tmf629.read']);
    const wrong = form({ grant_type: 'client_credentials' }, basic({ clientId: c.clientId, secret: 'y'.repeat(43) }));
    for (let i = 0; i < 10; i++) expect((await sys.app.inject(wrong)).statusCode).toBe(401);
    const res = await sys.app.inject(form({ grant_type: 'client_credentials' }, basic(c)));
    expect([res.statusCode, res.json().code]).toEqual([429, 'oauth_too_many_failures']);
  });
});

describe('the bearer gate of routes of access machine', () => {
  it('serves a client of 广州 the customers of 广州 under its own name, and none of 深圳 (404 as for none)', async () => {
    const c = await newClient(['tmf629.read']);
    const token = await newToken(c);
    const own = await readCustomer(token);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ id: gzCustomer, caller: { kind: 'client', clientId: c.clientId, pii: false } });
    const other = await readCustomer(token, szCustomer);
    expect([other.statusCode, other.json().code]).toEqual([404, 'not_found']);
  });

  it('refuses unknown and malformed tokens with invalid_token, and an expired one as token_expired', async () => {
    expectInvalidToken(await readCustomer('A'.repeat(43)), 'token_invalid');
    expectInvalidToken(await readCustomer('not a token'), 'token_invalid');
    const c = await newClient(['tmf629.read']);
    const token = await newToken(c);
    await sys.database.db.execute(sql`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE api_client_id = ${c.id}`);
    expectInvalidToken(await readCustomer(token), 'token_expired');
  });

  it('refuses a token without the route’s scope with 403 insufficient_scope, naming it', async () => {
    const c = await newClient(['tmf621.read', 'tmf629.read']);
    const res = await readCustomer(await newToken(c, 'tmf621.read'));
    expect([res.statusCode, res.json().code]).toEqual([403, 'scope_insufficient']);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="kam", error="insufficient_scope", scope="tmf629.read"');
  });

  it('a scope withdrawn from the client, its tokens revoked or the client deactivated: its tokens stop at once', async () => {
    const c = await newClient(['tmf629.read', 'tmf621.read']);
    const token = await newToken(c);
    expect((await readCustomer(token)).statusCode).toBe(200);
    const version = () => admin.request({ method: 'GET', url: `/api/system/clients/${c.id}` }).then((r) => r.json().version as number);
    const narrowed = await admin.request({ method: 'PATCH', url: `/api/system/clients/${c.id}`, payload: { version: await version(), scopes: ['tmf621.read'] } });
    expect(narrowed.statusCode, narrowed.body).toBe(200);
    expect((await readCustomer(token)).statusCode).toBe(403);
    const stale = await admin.request({ method: 'PATCH', url: `/api/system/clients/${c.id}`, payload: { version: 1, scopes: ['tmf629.read'] } });
    expect(stale.statusCode).toBe(409);
    await admin.request({ method: 'PATCH', url: `/api/system/clients/${c.id}`, payload: { version: await version(), scopes: ['tmf629.read'] } });
    const second = await newToken(c);
    expect((await readCustomer(second)).statusCode).toBe(200);
    const revoked = await admin.request({ method: 'POST', url: `/api/system/clients/${c.id}/tokens/revoke` });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().activeTokens).toBe(0);
    expectInvalidToken(await readCustomer(second), 'token_invalid');
    const third = await newToken(c);
    expect((await readCustomer(third)).statusCode).toBe(200);
    const off = await admin.request({ method: 'PATCH', url: `/api/system/clients/${c.id}`, payload: { version: await version(), active: false } });
    expect(off.json().active).toBe(false);
    expectInvalidToken(await readCustomer(third), 'token_invalid');
    expect((await sys.app.inject(form({ grant_type: 'client_credentials' }, basic(c)))).json().error).toBe('invalid_client');
  });

  it('holds a client to its calls a minute: 429 with Retry-After beyond', async () => {
    const c = await newClient(['tmf629.read'], 'GD-GZ', { rateLimitPerMinute: 2 });
    const token = await newToken(c);
    expect((await readCustomer(token)).statusCode).toBe(200);
    expect((await readCustomer(token)).statusCode).toBe(200);
    const res = await readCustomer(token);
    expect([res.statusCode, res.json().code]).toEqual([429, 'client_rate_limited']);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('records every call of a client, served or refused, in its call log with counts by status', async () => {
    const c = await newClient(['tmf629.read', 'tmf621.read']);
    const token = await newToken(c);
    await readCustomer(token);
    await readCustomer(token, szCustomer);
    await readCustomer(await newToken(c, 'tmf621.read'));
    await vi.waitFor(async () => {
      const counts = await admin.request({ method: 'GET', url: `/api/system/clients/${c.id}/call-counts` });
      expect(counts.json()).toMatchObject({ total: 3, byStatus: [{ status: 200, count: 1 }, { status: 403, count: 1 }, { status: 404, count: 1 }] });
    });
    const log = await admin.request({ method: 'GET', url: `/api/system/clients/${c.id}/calls?limit=2` });
    expect(log.headers['x-total-count']).toBe('3');
    expect(log.json()).toHaveLength(2);
    expect(log.json()[0]).toMatchObject({ method: 'GET', route: '/tmf-api/test/customer/:id' });
    const only404 = await admin.request({ method: 'GET', url: `/api/system/clients/${c.id}/calls?status=404` });
    expect(only404.json().map((x: { status: number }) => x.status)).toEqual([404]);
  });

  it('forgets the calls older than the retention in the nightly job and keeps the newer ones', async () => {
    const c = await newClient(['tmf629.read']);
    const days = sys.config.API_CALL_RETENTION_DAYS;
    await sys.database.rows(sql`
      INSERT INTO api_calls (api_client_id, method, route, status, duration_ms, at)
      SELECT ${c.id}, 'GET', '/tmf-api/test/customer/:id', 200, 3, now() - make_interval(days => d)
      FROM unnest(${`{${[days + 1, days + 400, days - 1, 0].join(',')}}`}::int[]) d`);
    const { removed } = await pruneCallLog({ database: sys.database, config: sys.config });
    expect(removed).toBeGreaterThanOrEqual(2);
    const [left] = await sys.database.rows<{ ages: number[] }>(
      sql`SELECT array_agg(extract(day from now() - at)::int ORDER BY at) AS ages FROM api_calls WHERE api_client_id = ${c.id}`,
    );
    expect(left!.ages).toEqual([days - 1, 0]);
  });
});

describe('rotation and revocation of secrets', () => {
  it('a rotation overlaps: old and new secrets both open tokens until the old one’s expiry, then only the new', async () => {
    const c = await newClient(['tmf629.read']);
    const rotated = await admin.request({ method: 'POST', url: `/api/system/clients/${c.id}/secrets`, payload: { retireOthersInHours: 24 } });
    expect(rotated.statusCode, rotated.body).toBe(201);
    expect(rotated.headers['cache-control']).toBe('no-store');
    const fresh = { clientId: c.clientId, secret: rotated.json().secret as string };
    secrets.push(fresh.secret);
    expect(rotated.json().client.secrets.map((s: { status: string }) => s.status)).toEqual(['active', 'expiring']);
    expect((await sys.app.inject(form({ grant_type: 'client_credentials' }, basic(c)))).statusCode).toBe(200);
    expect((await sys.app.inject(form({ grant_type: 'client_credentials' }, basic(fresh)))).statusCode).toBe(200);
    // a day later
    await sys.database.db.execute(sql`UPDATE api_client_secrets SET expires_at = now() - interval '1 second' WHERE api_client_id = ${c.id} AND expires_at IS NOT NULL`);
    expect((await sys.app.inject(form({ grant_type: 'client_credentials' }, basic(c)))).json().error).toBe('invalid_client');
    expect((await sys.app.inject(form({ grant_type: 'client_credentials' }, basic(fresh)))).statusCode).toBe(200);
  });

  it('a rotation with no overlap and a revoked secret stop the old secret at once; revoking twice is 409', async () => {
    const c = await newClient(['tmf629.read']);
    const rotated = await admin.request({ method: 'POST', url: `/api/system/clients/${c.id}/secrets`, payload: { retireOthersInHours: 0 } });
    const fresh = { clientId: c.clientId, secret: rotated.json().secret as string };
    secrets.push(fresh.secret);
    expect((await sys.app.inject(form({ grant_type: 'client_credentials' }, basic(c)))).statusCode).toBe(401);
    const newest = (rotated.json().client.secrets as { id: number }[])[0]!.id;
    const revoked = await admin.request({ method: 'POST', url: `/api/system/clients/${c.id}/secrets/${newest}/revoke` });
    expect([revoked.statusCode, revoked.json().status]).toEqual([200, 'revoked']);
    expect((await sys.app.inject(form({ grant_type: 'client_credentials' }, basic(fresh)))).statusCode).toBe(401);
    expect((await admin.request({ method: 'POST', url: `/api/system/clients/${c.id}/secrets/${newest}/revoke` })).statusCode).toBe(409);
  });
});

describe('the administration', () => {
  it('lists clients with their scopes and unit, refuses a unit outside the administrator’s subtree and a partner scope without a partner', async () => {
    const gz = await sys.login('gz_head');
    const list = await admin.request({ method: 'GET', url: '/api/system/clients?limit=100' });
    expect(list.statusCode).toBe(200);
    expect(Number(list.headers['x-total-count'])).toBeGreaterThan(3);
    expect((await gz.request({ method: 'GET', url: '/api/system/clients' })).statusCode).toBe(403);
    const noPartner = await admin.request({ method: 'POST', url: '/api/system/clients', payload: { name: '无伙伴', scopes: ['partner'] } });
    expect([noPartner.statusCode, noPartner.json().errors[0].field]).toEqual([400, 'body.scopes']);
    const unknownScope = await admin.request({ method: 'POST', url: '/api/system/clients', payload: { name: '未知范围', scopes: ['root'] } });
    expect(unknownScope.statusCode).toBe(400);
    const scopes = await admin.request({ method: 'GET', url: '/api/system/client-scopes' });
    expect(scopes.json()).toContainEqual(expect.objectContaining({ scope: 'tmf629.write', permissions: ['customers.read', 'customers.read_unit', 'customers.edit', 'customers.assign'] }));
  });
});

describe('the partner API with a partner’s OAuth client', () => {
  it('a client linked to a partner with the scope partner calls as the partner; without the scope 403; the partner’s key still works', async () => {
    const partner = await testPartner(admin, 'OAUTH-AIR');
    const c = await newClient(['partner'], 'GD', { partnerId: partner.id });
    const token = await newToken(c);
    const profile = await sys.app.inject({ method: 'GET', url: '/api/partner/v1/profile', headers: bearer(token) });
    expect(profile.statusCode, profile.body).toBe(200);
    expect(profile.json()).toMatchObject({ code: 'OAUTH-AIR', keyId: c.clientId });
    expect((await sys.app.inject({ method: 'GET', url: '/api/partner/v1/profile', headers: { authorization: partner.authorization } })).statusCode).toBe(200);
    const other = await clientAuthorization(sys.app, admin, ['tmf629.read']);
    const refused = await sys.app.inject({ method: 'GET', url: '/api/partner/v1/profile', headers: { authorization: other } });
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'scope_insufficient']);
    expectInvalidToken(await sys.app.inject({ method: 'GET', url: '/api/partner/v1/profile', headers: bearer('B'.repeat(43)) }), 'token_invalid');
    await vi.waitFor(async () => {
      const log = await admin.request({ method: 'GET', url: `/api/system/clients/${c.id}/calls` });
      expect(log.json()).toContainEqual(expect.objectContaining({ route: '/api/partner/v1/profile', status: 200 }));
    });
  });
});

describe('secrets stay secret', () => {
  it('no client secret or access token reaches the logs or the audit trail', async () => {
    expect(secrets.length).toBeGreaterThan(10);
    const [trail] = await sys.database.rows<{ text: string }>(sql`SELECT string_agg(a::text, '|') AS text FROM audit_log a`);
    const logs = logged.join('\n');
    for (const s of secrets) {
      expect(logs.includes(s), 'in the logs').toBe(false);
      expect(trail!.text.includes(s), 'in the audit trail').toBe(false);
    }
    const [hashes] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM api_tokens WHERE length(token_hash) = 64`);
    expect(Number(hashes!.n)).toBeGreaterThan(5);
  });
});
