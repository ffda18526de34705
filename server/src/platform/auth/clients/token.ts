/**
 * The token endpoint's domain (RFC 6749 §4.4, client credentials): a client authenticates with its id and one of
 * its usable secrets and gets an opaque bearer token for some or all of its scopes, living OAUTH_TOKEN_TTL_SECONDS.
 * Only the token's hash is kept. Failed authentications are throttled per (client id, address) and audited; a
 * token issued is audited too (once an hour or so per client: the calls themselves go to the call log).
 */
import { audit } from '../../audit/audit.js';
import type { Deps } from '../../deps.js';
import type { MessageCode } from '../../i18n/messages.js';
import { hashSecret, newSecret, secretMatches } from '../credentials.js';
import type { LoginThrottle } from '../login-throttle.js';
import type { Permission } from '../permissions.js';
import type { Actor } from '../principal.js';
import { isScope } from '../scopes.js';
import * as q from './queries.js';

const CLIENT = 'api_client';

export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope';

/** A refusal of the token endpoint: the RFC's `error`, with our catalogue code beside it. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: OAuthErrorCode | null,
    readonly code: MessageCode,
    readonly params: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

const invalidRequest = () => new OAuthError(400, 'invalid_request', 'oauth_invalid_request');
const invalidClient = () => new OAuthError(401, 'invalid_client', 'oauth_invalid_client');

/** A client acts under its own name (`client:<client_id>`) for its unit, with the permissions of its scopes. */
export const clientActor = (clientId: string, unitPath: string, permissions: ReadonlySet<Permission>, requestId: string | null, ip: string | null): Actor => ({
  userId: null,
  username: `client:${clientId}`,
  unitPath,
  areaPath: unitPath,
  permissions,
  requestId,
  ip,
});

export interface TokenRequest {
  grantType: string | undefined;
  /** The credentials as sent, by HTTP Basic or in the body. */
  credentials: { clientId: string; clientSecret: string } | null;
  scope: string | undefined;
  ip: string;
  requestId: string;
}

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/** The client id and secret of an `Authorization: Basic` header (each form-urlencoded, RFC 6749 §2.3.1); null without one. */
export function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidRequest();
  try {
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)) };
  } catch {
    throw invalidRequest();
  }
}

/** The scopes asked for: a subset of the client's, or all of them when none is named. */
function grantedScopes(asked: string | undefined, held: string[]): string[] {
  const names = (asked ?? '').split(' ').filter(Boolean);
  if (!names.length) {
    if (!held.length) throw new OAuthError(400, 'invalid_scope', 'oauth_invalid_scope', { scope: '' });
    return held;
  }
  const refused = names.find((s) => !isScope(s) || !held.includes(s));
  if (refused !== undefined) throw new OAuthError(400, 'invalid_scope', 'oauth_invalid_scope', { scope: refused.slice(0, 40) });
  return [...new Set(names)];
}

/** Issues a token to the client the credentials open; refuses with the RFC's errors. */
export async function issueToken(deps: Deps, throttle: LoginThrottle, req: TokenRequest, now = new Date()): Promise<IssuedToken> {
  if (!req.grantType) throw invalidRequest();
  if (req.grantType !== 'client_credentials') throw new OAuthError(400, 'unsupported_grant_type', 'oauth_unsupported_grant_type');
  if (!req.credentials) throw invalidClient();
  const { clientId, clientSecret } = req.credentials;
  if (throttle.isThrottled(clientId, req.ip, now.getTime())) throw new OAuthError(429, null, 'oauth_too_many_failures');
  const client = await q.clientForToken(deps.database, clientId);
  // every secret is compared, so that the time taken tells nothing of which one matched
  const matched = client?.secretHashes.map((h) => secretMatches(clientSecret, h)).some(Boolean) ?? false;
  if (!client || !matched || !client.active) {
    throttle.recordFailure(clientId, req.ip, now.getTime());
    const reason = !client ? 'unknown_client' : !matched ? 'wrong_secret' : 'inactive';
    await audit(deps.database.db, clientActor(clientId, client?.unitPath ?? '', new Set(), req.requestId, req.ip), {
      action: 'login_failed',
      entity: CLIENT,
      entityId: client?.id ?? null,
      unitPath: client?.unitPath ?? null,
      after: { clientId, reason },
    });
    throw invalidClient();
  }
  const scopes = grantedScopes(req.scope, client.scopes);
  const token = newSecret();
  const ttl = deps.config.OAUTH_TOKEN_TTL_SECONDS;
  const expiresAt = new Date(now.getTime() + ttl * 1000);
  await deps.database.db.transaction(async (tx) => {
    const tokenId = await q.insertToken(tx, { tokenHash: hashSecret(token), apiClientId: client.id, scopes, expiresAt });
    await audit(tx, clientActor(clientId, client.unitPath, new Set(), req.requestId, req.ip), {
      action: 'login',
      entity: CLIENT,
      entityId: client.id,
      unitPath: client.unitPath,
      after: { clientId, tokenId, scopes, expiresAt },
    });
  });
  return { access_token: token, token_type: 'Bearer', expires_in: ttl, scope: scopes.join(' ') };
}
