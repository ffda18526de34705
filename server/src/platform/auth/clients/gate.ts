/**
 * The bearer-token gate of routes of access 'machine' (platform/http/access.ts hands it requests that carry
 * `Authorization: Bearer …`). A token is looked up by its hash and the row remembered for TOKEN_CACHE_MS: a
 * revocation (of the token, of the client's tokens, a deactivation or a change of scopes) takes effect at once on
 * the instance that made it and within TOKEN_CACHE_MS on the others. Unknown, revoked, deactivated → 401
 * token_invalid; expired → 401 token_expired (both `WWW-Authenticate: Bearer error="invalid_token"`); a scope
 * missing → 403 scope_insufficient (`error="insufficient_scope"`); beyond the client's calls a minute → 429 with
 * Retry-After (counted per server instance: N instances allow up to N times the limit). Every call of a client,
 * refused or served, is written to the call log after its answer: one INSERT, off the audit chain.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.js';
import { recordRefusal } from '../../audit/refusals.js';
import { clientIp, type ApiCaller, type MachineAccess } from '../../http/access.js';
import { sendProblem } from '../../http/problem.js';
import { hashSecret, SECRET_PATTERN, ShortCache } from '../credentials.js';
import { permissionsOfScopes } from '../scopes.js';
import * as q from './queries.js';
import { onClientChange } from './service.js';
import { clientActor } from './token.js';

/** Token rows are looked up at most this often per process (docs/machine-clients.md: revocation within seconds). */
export const TOKEN_CACHE_MS = 5_000;
const tokens = new ShortCache<q.TokenRow | null>(TOKEN_CACHE_MS);
const MINUTE_MS = 60_000;
const REALM = 'kam';

export type TokenCheck = { token: q.TokenRow } | { refused: 'token_invalid' | 'token_expired' };

/** The token of an `Authorization: Bearer <token>` header, if it is a live one of an active client. */
export async function authenticateToken(deps: Deps, header: string | undefined, now = new Date()): Promise<TokenCheck> {
  const raw = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (!SECRET_PATTERN.test(raw)) return { refused: 'token_invalid' };
  const hash = hashSecret(raw);
  const row = await tokens.get(hash, () => q.tokenByHash(deps.database, hash));
  if (!row || row.revoked || !row.clientActive) return { refused: 'token_invalid' };
  if (row.expiresAt <= now) return { refused: 'token_expired' };
  return { token: row };
}

/** The requests served to a client, for the call log and the rate limit. */
const admitted = new WeakMap<FastifyRequest, q.TokenRow>();

/** Sets `req.caller` to the token's client, acting for its unit with its scopes' permissions; its call goes to the call log. */
export function admitClient(req: FastifyRequest, token: q.TokenRow): ApiCaller {
  admitted.set(req, token);
  const actor = clientActor(token.clientId, token.unitPath, permissionsOfScopes(token.scopes), String(req.id), clientIp(req));
  req.caller = { kind: 'client', actor, clientId: token.clientId, pii: token.scopes.includes('pii') };
  return req.caller;
}

/** `WWW-Authenticate` of a refused bearer token (RFC 6750 §3). */
const challenge = (error: 'invalid_token' | 'insufficient_scope', extra = '') => `Bearer realm="${REALM}", error="${error}"${extra}`;

/** Answers a request whose bearer token was refused: 401 with its challenge, audited as a refused access. */
export async function refuseToken(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, refused: 'token_invalid' | 'token_expired') {
  await recordRefusal(app.refusalAudit, req, refused);
  reply.header('www-authenticate', challenge('invalid_token'));
  return sendProblem(req, reply, 401, refused);
}

/** Audits a refusal of an admitted client under its own name. */
const refuseClient = (app: FastifyInstance, req: FastifyRequest, reason: string, params: Record<string, string> = {}) =>
  app.refusalAudit
    .record(req.caller!.actor, { reason, method: req.method, route: req.routeOptions.url ?? req.url, params: { ...(req.params as Record<string, string>), ...params } })
    .catch((err: unknown) => req.log.error({ err }, 'refused access not audited'));

/** Answers an admitted client whose token lacks the scope: 403 with its challenge, audited. */
export async function refuseScope(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, scope: string) {
  await refuseClient(app, req, 'scope_insufficient', { scope });
  reply.header('www-authenticate', challenge('insufficient_scope', `, scope="${scope}"`));
  return sendProblem(req, reply, 403, 'scope_insufficient', { scope });
}

/** Installs the gate of routes of access 'machine', the per-client rate limit and the call log. */
export function installMachineClients(app: FastifyInstance, deps: Deps) {
  onClientChange(() => tokens.clear());
  const tokenOf = (req: FastifyRequest) => admitted.get(req)!;
  const limiter = app.createRateLimit({ keyGenerator: (req) => `client:${tokenOf(req).apiClientId}`, max: (req) => tokenOf(req).rateLimitPerMinute, timeWindow: MINUTE_MS });

  app.machineGate.check = async (req: FastifyRequest, reply: FastifyReply, need: MachineAccess) => {
    const check = await authenticateToken(deps, req.headers.authorization);
    if ('refused' in check) return refuseToken(app, req, reply, check.refused);
    const { token } = check;
    admitClient(req, token);
    if (!token.scopes.includes(need.scope)) return refuseScope(app, req, reply, need.scope);
    const limit = await limiter(req);
    if (limit.isAllowed) return;
    reply.header('x-ratelimit-limit', limit.max).header('x-ratelimit-remaining', limit.remaining);
    if (!limit.isExceeded) return;
    reply.header('retry-after', limit.ttlInSeconds);
    await refuseClient(app, req, 'client_rate_limited');
    return sendProblem(req, reply, 429, 'client_rate_limited', { max: limit.max });
  };

  // the call log: after the answer, never in its way; the inserts still running are awaited at close
  const pending = new Set<Promise<void>>();
  app.addHook('onResponse', (req, reply, done) => {
    const token = admitted.get(req);
    if (token) {
      const row = { apiClientId: token.apiClientId, method: req.method, route: req.routeOptions.url ?? req.url.split('?')[0]!, status: reply.statusCode, durationMs: Math.round(reply.elapsedTime) };
      const insert: Promise<void> = q
        .insertCall(deps.database.db, row)
        .catch((err: unknown) => req.log.error({ err }, 'API call not logged'))
        .finally(() => pending.delete(insert));
      pending.add(insert);
    }
    done();
  });
  app.addHook('onClose', async () => {
    await Promise.all(pending);
  });
}
