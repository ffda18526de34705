/**
 * A machine client with a token, for the tests that call routes of access 'machine' (the TM Forum APIs, the BOSS
 * batch endpoint) or the partner API as a client: registered by an administrator, its token got as a client would.
 */
import type { FastifyInstance } from 'fastify';
import type { Session } from '../../../db/testing.js';

export interface TestClient {
  id: number;
  clientId: string;
  secret: string;
}

/** Registers a client acting for the unit of `unitCode` (the administrator's own when left out) with `scopes`. */
export async function testClient(admin: Session, scopes: string[], unitCode?: string, fields: Record<string, unknown> = {}): Promise<TestClient> {
  let unitId: number | undefined;
  if (unitCode) {
    const units = (await admin.request({ method: 'GET', url: `/api/org/units?q=${encodeURIComponent(unitCode)}` })).json() as { id: number; code: string }[];
    unitId = units.find((u) => u.code === unitCode)?.id;
    if (!unitId) throw new Error(`no unit ${unitCode}`);
  }
  const created = await admin.request({
    method: 'POST',
    url: '/api/system/clients',
    payload: { name: `测试客户端 ${scopes.join(' ')}`, scopes, rateLimitPerMinute: 1_000_000, ...(unitId && { unitId }), ...fields },
  });
  if (created.statusCode !== 201) throw new Error(`client not created: ${created.statusCode} ${created.body}`);
  const { client, secret } = created.json() as { client: { id: number; clientId: string }; secret: string };
  return { id: client.id, clientId: client.clientId, secret };
}

/** A token of the client (all its scopes, or those named), by HTTP Basic as most OAuth libraries send it. */
export async function tokenOf(app: FastifyInstance, client: Pick<TestClient, 'clientId' | 'secret'>, scope?: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/oauth/token',
    headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'client_credentials', ...(scope && { scope }) }).toString(),
  });
  if (res.statusCode !== 200) throw new Error(`no token: ${res.statusCode} ${res.body}`);
  return (res.json() as { access_token: string }).access_token;
}

/** The `Authorization` header of a new token of a new client: one call for a test that only needs to get in. */
export async function clientAuthorization(app: FastifyInstance, admin: Session, scopes: string[], unitCode?: string): Promise<string> {
  return `Bearer ${await tokenOf(app, await testClient(admin, scopes, unitCode))}`;
}
