/** 接口客户端: the token endpoint and the administration of machine clients, at the edge. */
import { z } from 'zod';
import { pageQuery } from '../../http/list.js';
import { optionalReadableName, readableName } from '../../http/text.js';
import { ALL_SCOPES, type Scope } from '../scopes.js';

const dbId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

// ---- the token endpoint (RFC 6749 §4.4) ----

/** Every parameter optional and unknown ones ignored (RFC 6749 §3.2): the handler answers the RFC's errors itself. */
export const tokenBody = z
  .looseObject({
    grant_type: z.string().max(100).optional().describe('client_credentials'),
    client_id: z.string().max(100).optional().describe('With client_secret, when the client does not authenticate by HTTP Basic'),
    client_secret: z.string().max(200).optional(),
    scope: z.string().max(1000).optional().describe('Space-separated scopes, a subset of the client’s; all of them when left out'),
  })
  .meta({ id: 'OAuthTokenRequest' });
export type TokenBody = z.infer<typeof tokenBody>;

export const tokenSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().describe('Seconds the token lives'),
    scope: z.string().describe('The scopes granted, space-separated'),
  })
  .meta({ id: 'OAuthToken' });

/** RFC 6749 §5.2, with the problem details of every other error (code, title, type) beside. */
export const oauthErrorSchema = z
  .object({
    error: z.enum(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope']),
    error_description: z.string(),
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    requestId: z.string().optional(),
  })
  .meta({ id: 'OAuthError' });

// ---- administration (integrations.manage) ----

const scopes = z
  .array(z.enum(ALL_SCOPES as [Scope, ...Scope[]]))
  .max(ALL_SCOPES.length)
  .refine((s) => new Set(s).size === s.length, 'each scope once')
  .describe('Scopes the client may ask for (GET /api/system/client-scopes lists them)');
const rateLimit = z.number().int().min(1).max(1_000_000).describe('Calls a minute the client may make; beyond, 429 with Retry-After');

export const secretSchema = z
  .object({
    id: z.number().int(),
    hint: z.string().describe('The first characters of the secret, to tell secrets apart'),
    status: z.enum(['active', 'expiring', 'expired', 'revoked']).describe('expiring: a rotated secret still valid until expiresAt'),
    createdAt: z.date(),
    createdBy: z.string().nullable(),
    expiresAt: z.date().nullable(),
    revokedAt: z.date().nullable(),
  })
  .meta({ id: 'ApiClientSecret' });
export type Secret = z.infer<typeof secretSchema>;

export const clientSchema = z
  .object({
    id: z.number().int(),
    clientId: z.string().describe('The public client id (client_id)'),
    name: z.string(),
    description: z.string().nullable(),
    unitId: z.number().int().describe('The unit the client acts for: it reads that unit’s data and its subtree’s'),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    scopes: z.array(z.string()),
    partnerId: z.number().int().nullable(),
    partnerName: z.string().nullable(),
    rateLimitPerMinute: z.number().int(),
    active: z.boolean(),
    activeSecrets: z.number().int(),
    activeTokens: z.number().int(),
    lastCallAt: z.date().nullable(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'ApiClient' });
export type Client = z.infer<typeof clientSchema>;

export const clientDetailSchema = clientSchema.extend({ secrets: z.array(secretSchema) }).meta({ id: 'ApiClientDetail' });
export type ClientDetail = z.infer<typeof clientDetailSchema>;

export const clientQuery = pageQuery.extend({
  q: z.string().trim().max(60).optional().describe('Part of the client id or name'),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type ClientQuery = z.infer<typeof clientQuery>;

export const createClientBody = z.strictObject({
  name: readableName(60),
  description: optionalReadableName(500),
  unitId: dbId.optional().describe('The unit the client acts for; yours when left out'),
  scopes,
  partnerId: dbId.nullish().describe('A partner’s client: with the scope partner, it calls the partner API as that partner'),
  rateLimitPerMinute: rateLimit.default(600),
});
export type CreateClient = z.infer<typeof createClientBody>;

export const patchClientBody = z.strictObject({
  version: z.number().int().positive(),
  name: readableName(60).optional(),
  description: optionalReadableName(500),
  unitId: dbId.optional(),
  scopes: scopes.optional(),
  partnerId: dbId.nullish(),
  rateLimitPerMinute: rateLimit.optional(),
  active: z.boolean().optional().describe('false deactivates the client: its tokens stop working and no new one is issued'),
});
export type PatchClient = z.infer<typeof patchClientBody>;

export const rotateBody = z.strictObject({
  retireOthersInHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 90)
    .default(24)
    .describe('The client’s other active secrets expire this many hours from now (0: at once), so that it can switch over'),
});

export const issuedSchema = z
  .object({
    client: clientDetailSchema,
    secret: z.string().describe('Shown this once and never again: only its hash is kept'),
  })
  .meta({ id: 'ApiClientSecretIssued' });

const pathId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const secretParams = z.strictObject({ id: pathId, secretId: pathId });

export const callSchema = z
  .object({ id: z.number().int(), method: z.string(), route: z.string(), status: z.number().int(), durationMs: z.number().int(), at: z.date() })
  .meta({ id: 'ApiCall' });
export type Call = z.infer<typeof callSchema>;

export const callQuery = pageQuery.extend({
  status: z.coerce.number().int().min(100).max(599).optional().describe('Only the calls answered with this status'),
});
export type CallQuery = z.infer<typeof callQuery>;

/** The call log is read over its last CALL_LOG_DAYS days (older rows stay until pruned: docs/machine-clients.md). */
export const CALL_LOG_DAYS = 30;

export const callCountsSchema = z
  .object({ days: z.number().int(), total: z.number().int(), byStatus: z.array(z.object({ status: z.number().int(), count: z.number().int() })) })
  .meta({ id: 'ApiCallCounts' });
export type CallCounts = z.infer<typeof callCountsSchema>;

export const scopeOptionSchema = z
  .object({ scope: z.string(), name: z.string(), nameEn: z.string(), permissions: z.array(z.string()) })
  .meta({ id: 'ApiClientScope' });
