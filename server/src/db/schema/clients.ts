import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, smallint, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { editable, id, ref, ts } from './columns.js';

/**
 * 接口客户端 (platform/auth/clients): another system of the operator (or a partner's) calling the TM Forum APIs, the
 * BOSS batch endpoint or the partner API with OAuth 2.0 client credentials. It acts for a unit (its data scope, as
 * a user of that unit with `customers.read_unit`) with the permissions its scopes map to.
 */
export const apiClients = pgTable(
  'api_clients',
  {
    id: id(),
    clientId: text('client_id').notNull(), // public, sent with every token request
    name: text('name').notNull(),
    description: text('description'),
    unitId: ref('unit_id').notNull(), // the unit it acts for: its data scope, and who administers it
    scopes: text('scopes').array().notNull().default(sql`'{}'::text[]`),
    partnerId: ref('partner_id'), // a partner's client: may call the partner API as that partner (scope `partner`)
    rateLimitPerMinute: integer('rate_limit_per_minute').notNull().default(600),
    active: boolean('active').notNull().default(true),
    ...editable(),
  },
  (t) => [
    uniqueIndex('api_clients_client_id_uq').on(t.clientId),
    index('api_clients_unit_idx').on(t.unitId),
    check('api_clients_rate_limit', sql`${t.rateLimitPerMinute} BETWEEN 1 AND 1000000`),
  ],
);

/**
 * A client's secrets, kept only as their SHA-256 (256 random bits: a slow hash adds nothing). Several at once so
 * that a rotation overlaps: the new one works at once, the old one until the expiry chosen.
 */
export const apiClientSecrets = pgTable(
  'api_client_secrets',
  {
    id: id(),
    apiClientId: ref('api_client_id').notNull(),
    secretHash: text('secret_hash').notNull(),
    /** The secret's first characters, to tell secrets apart in the console (never enough to guess it). */
    hint: text('hint').notNull(),
    createdBy: ref('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at'),
    revokedAt: ts('revoked_at'),
    revokedBy: ref('revoked_by'),
  },
  (t) => [index('api_client_secrets_client_idx').on(t.apiClientId)],
);

/** Access tokens issued: opaque random bearer tokens, kept only as their SHA-256, with the scopes granted. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    tokenHash: text('token_hash').notNull(),
    apiClientId: ref('api_client_id').notNull(),
    scopes: text('scopes').array().notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash), index('api_tokens_client_idx').on(t.apiClientId, t.expiresAt)],
);

/**
 * 调用日志: every call of a client, one INSERT after the answer (append-only, no audit-chain lock on reads). The
 * route is its pattern (`/tmf-api/…/customer/:id`), never the query string.
 */
export const apiCalls = pgTable(
  'api_calls',
  {
    id: id(),
    apiClientId: ref('api_client_id').notNull(),
    method: text('method').notNull(),
    route: text('route').notNull(),
    status: smallint('status').notNull(),
    durationMs: integer('duration_ms').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('api_calls_client_idx').on(t.apiClientId, t.at)],
);
