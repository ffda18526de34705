/** SQL of the machine clients (接口客户端): clients, their secrets, the tokens issued and the call log. */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { apiCalls, apiClients, apiClientSecrets, apiTokens } from '../../../db/schema/index.js';
import { updateAtVersion } from '../../../db/versioned.js';
import { likeEscape } from '../../db-errors.js';
import { inSubtree } from '../scope.js';
import { CALL_LOG_DAYS, type Call, type CallCounts, type Client, type ClientQuery, type Secret } from './schemas.js';

type Stamp = string | Date;
const when = (v: Stamp | null) => (v === null ? null : new Date(v));

// ---- clients ----

const CLIENT_COLUMNS = sql`
  c.id, c.client_id AS "clientId", c.name, c.description, c.unit_id AS "unitId", u.name AS "unitName", u.name_en AS "unitNameEn",
  c.scopes, c.partner_id AS "partnerId", p.name AS "partnerName", c.rate_limit_per_minute AS "rateLimitPerMinute", c.active,
  (SELECT count(*)::int FROM api_client_secrets s
   WHERE s.api_client_id = c.id AND s.revoked_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > now())) AS "activeSecrets",
  (SELECT count(*)::int FROM api_tokens t WHERE t.api_client_id = c.id AND t.revoked_at IS NULL AND t.expires_at > now()) AS "activeTokens",
  (SELECT max(k.at) FROM api_calls k WHERE k.api_client_id = c.id) AS "lastCallAt",
  c.version, c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;
const CLIENT_FROM = sql`FROM api_clients c JOIN org_units u ON u.id = c.unit_id LEFT JOIN partners p ON p.id = c.partner_id`;

type ClientRaw = Omit<Client, 'createdAt' | 'updatedAt' | 'lastCallAt'> & { createdAt: Stamp; updatedAt: Stamp; lastCallAt: Stamp | null; unitPath?: string };
// raw SQL rows carry bigints and timestamps as text on the pg driver
const toClient = ({ unitPath: _unitPath, ...r }: ClientRaw): Client => ({
  ...r,
  id: Number(r.id),
  unitId: Number(r.unitId),
  partnerId: r.partnerId === null ? null : Number(r.partnerId),
  lastCallAt: when(r.lastCallAt),
  createdAt: new Date(r.createdAt),
  updatedAt: new Date(r.updatedAt),
});

/** The clients acting for units in the subtree of `unitPath`. */
export const clientsInScope = (unitPath: string): SQL => inSubtree(sql`u.path`, unitPath);

export function clientFilter(query: Pick<ClientQuery, 'q' | 'active'>): SQL {
  const conds: SQL[] = [];
  if (query.q) conds.push(sql`(c.client_id ILIKE ${`%${likeEscape(query.q)}%`} OR c.name ILIKE ${`%${likeEscape(query.q)}%`})`);
  if (query.active !== undefined) conds.push(sql`c.active = ${query.active}`);
  return conds.length ? sql.join(conds, sql` AND `) : sql`true`;
}

export async function listClients(database: Database, where: SQL, offset: number, limit: number): Promise<Client[]> {
  const rows = await database.rows<ClientRaw>(sql`SELECT ${CLIENT_COLUMNS} ${CLIENT_FROM} WHERE ${where} ORDER BY c.active DESC, c.name, c.id OFFSET ${offset} LIMIT ${limit}`);
  return rows.map(toClient);
}

export async function countClients(database: Database, where: SQL): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n ${CLIENT_FROM} WHERE ${where}`);
  return Number(row?.n ?? 0);
}

/** One client, with whether it lies in the scope `scope` (null: no such client). */
export async function getClient(database: Database, id: number, scope: SQL, executor?: Executor): Promise<(Client & { visible: boolean }) | null> {
  const [row] = await database.rows<ClientRaw & { visible: boolean }>(sql`SELECT ${CLIENT_COLUMNS}, (${scope}) AS visible ${CLIENT_FROM} WHERE c.id = ${id}`, executor);
  return row ? { ...toClient(row), visible: row.visible } : null;
}

/** The client locked for a change, with its unit's path and whether it lies in the scope. */
export async function lockClient(database: Database, tx: Executor, id: number, scope: SQL) {
  const [row] = await database.rows<{ version: number; clientId: string; unitPath: string; visible: boolean }>(
    sql`SELECT c.version, c.client_id AS "clientId", u.path AS "unitPath", (${scope}) AS visible ${CLIENT_FROM} WHERE c.id = ${id} FOR UPDATE OF c`,
    tx,
  );
  return row ?? null;
}

export async function insertClient(db: Executor, row: typeof apiClients.$inferInsert): Promise<number> {
  const [created] = await db.insert(apiClients).values(row).returning({ id: apiClients.id });
  return created!.id;
}

export const updateClient = (db: Executor, id: number, version: number, set: Partial<typeof apiClients.$inferInsert>) => updateAtVersion(db, apiClients, id, version, set);

/** A unit by id, with its path (null when there is none). */
export async function unitById(database: Database, id: number) {
  const [row] = await database.rows<{ id: number; path: string }>(sql`SELECT id, path FROM org_units WHERE id = ${id}`);
  return row ? { id: Number(row.id), path: row.path } : null;
}

export async function unitByPath(database: Database, path: string) {
  const [row] = await database.rows<{ id: number }>(sql`SELECT id FROM org_units WHERE path = ${path}`);
  return row ? Number(row.id) : null;
}

/** Is there a partner of this id kept by a unit in the subtree of `unitPath`? */
export async function partnerInScope(database: Database, partnerId: number, unitPath: string): Promise<boolean> {
  const rows = await database.rows(sql`SELECT 1 FROM partners p JOIN org_units u ON u.id = p.unit_id WHERE p.id = ${partnerId} AND ${inSubtree(sql`u.path`, unitPath)}`);
  return rows.length > 0;
}

// ---- secrets ----

type SecretRaw = Omit<Secret, 'createdAt' | 'expiresAt' | 'revokedAt'> & { createdAt: Stamp; expiresAt: Stamp | null; revokedAt: Stamp | null };
const toSecret = (r: SecretRaw): Secret => ({ ...r, id: Number(r.id), createdAt: new Date(r.createdAt), expiresAt: when(r.expiresAt), revokedAt: when(r.revokedAt) });

const SECRET_COLUMNS = sql`
  s.id, s.hint,
  CASE WHEN s.revoked_at IS NOT NULL THEN 'revoked' WHEN s.expires_at <= now() THEN 'expired' WHEN s.expires_at IS NOT NULL THEN 'expiring' ELSE 'active' END AS status,
  s.created_at AS "createdAt", cu.display_name AS "createdBy", s.expires_at AS "expiresAt", s.revoked_at AS "revokedAt"`;

export async function secretsOf(database: Database, clientId: number, executor?: Executor): Promise<Secret[]> {
  const rows = await database.rows<SecretRaw>(
    sql`SELECT ${SECRET_COLUMNS} FROM api_client_secrets s LEFT JOIN users cu ON cu.id = s.created_by
        WHERE s.api_client_id = ${clientId} ORDER BY s.revoked_at IS NOT NULL, s.id DESC LIMIT 50`,
    executor,
  );
  return rows.map(toSecret);
}

export async function secretById(database: Database, clientId: number, id: number, executor?: Executor): Promise<Secret | null> {
  const [row] = await database.rows<SecretRaw>(
    sql`SELECT ${SECRET_COLUMNS} FROM api_client_secrets s LEFT JOIN users cu ON cu.id = s.created_by WHERE s.api_client_id = ${clientId} AND s.id = ${id}`,
    executor,
  );
  return row ? toSecret(row) : null;
}

export async function insertSecret(db: Executor, row: typeof apiClientSecrets.$inferInsert): Promise<number> {
  const [created] = await db.insert(apiClientSecrets).values(row).returning({ id: apiClientSecrets.id });
  return created!.id;
}

/** Rotation: the client's other usable secrets expire at `at` (or keep an earlier expiry); their ids. */
export async function retireOthers(database: Database, tx: Executor, clientId: number, keep: number, at: Date): Promise<number[]> {
  const rows = await database.rows<{ id: number }>(
    sql`UPDATE api_client_secrets SET expires_at = ${at}
        WHERE api_client_id = ${clientId} AND id <> ${keep} AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ${at})
        RETURNING id`,
    tx,
  );
  return rows.map((r) => Number(r.id));
}

export async function revokeSecret(database: Database, tx: Executor, clientId: number, id: number, by: number | null): Promise<boolean> {
  const rows = await database.rows(
    sql`UPDATE api_client_secrets SET revoked_at = now(), revoked_by = ${by} WHERE api_client_id = ${clientId} AND id = ${id} AND revoked_at IS NULL RETURNING id`,
    tx,
  );
  return rows.length > 0;
}

// ---- the token endpoint ----

export interface ClientForToken {
  id: number;
  clientId: string;
  active: boolean;
  scopes: string[];
  unitPath: string;
  /** The hashes of the secrets usable now. */
  secretHashes: string[];
}

export async function clientForToken(database: Database, clientId: string): Promise<ClientForToken | null> {
  const [row] = await database.rows<ClientForToken>(sql`
    SELECT c.id, c.client_id AS "clientId", c.active, c.scopes, u.path AS "unitPath",
           coalesce((SELECT array_agg(s.secret_hash) FROM api_client_secrets s
                     WHERE s.api_client_id = c.id AND s.revoked_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > now())), '{}') AS "secretHashes"
    FROM api_clients c JOIN org_units u ON u.id = c.unit_id WHERE c.client_id = ${clientId}`);
  return row ? { ...row, id: Number(row.id) } : null;
}

export async function insertToken(db: Executor, row: typeof apiTokens.$inferInsert): Promise<number> {
  const [created] = await db.insert(apiTokens).values(row).returning({ id: apiTokens.id });
  return created!.id;
}

/** What the gate needs of a token: its client, the client's unit and limits, and whether it is still good. */
export interface TokenRow {
  tokenId: number;
  apiClientId: number;
  clientId: string;
  /** The scopes granted with the token that the client still holds (an administrator may have withdrawn some since). */
  scopes: string[];
  expiresAt: Date;
  revoked: boolean;
  clientActive: boolean;
  unitPath: string;
  partnerId: number | null;
  rateLimitPerMinute: number;
}

export async function tokenByHash(database: Database, hash: string): Promise<TokenRow | null> {
  const [row] = await database.rows<Omit<TokenRow, 'expiresAt'> & { expiresAt: Stamp }>(sql`
    SELECT t.id AS "tokenId", t.api_client_id AS "apiClientId", c.client_id AS "clientId",
           ARRAY(SELECT unnest(t.scopes) INTERSECT SELECT unnest(c.scopes)) AS scopes, t.expires_at AS "expiresAt",
           t.revoked_at IS NOT NULL AS revoked, c.active AS "clientActive", u.path AS "unitPath", c.partner_id AS "partnerId",
           c.rate_limit_per_minute AS "rateLimitPerMinute"
    FROM api_tokens t JOIN api_clients c ON c.id = t.api_client_id JOIN org_units u ON u.id = c.unit_id
    WHERE t.token_hash = ${hash}`);
  if (!row) return null;
  return { ...row, tokenId: Number(row.tokenId), apiClientId: Number(row.apiClientId), partnerId: row.partnerId === null ? null : Number(row.partnerId), expiresAt: new Date(row.expiresAt) };
}

/** Revokes the client's tokens still alive; how many. */
export async function revokeTokens(database: Database, tx: Executor, clientId: number): Promise<number> {
  const rows = await database.rows(sql`UPDATE api_tokens SET revoked_at = now() WHERE api_client_id = ${clientId} AND revoked_at IS NULL AND expires_at > now() RETURNING id`, tx);
  return rows.length;
}

// ---- the call log ----

/** Removes up to `batch` calls older than `days` (oldest first); how many. Small batches: no long lock, no bloat spike. */
export async function deleteOldCalls(database: Database, days: number, batch: number): Promise<number> {
  const [gone] = await database.rows<{ n: number }>(sql`
    WITH gone AS (
      DELETE FROM api_calls WHERE id IN (SELECT id FROM api_calls WHERE at < now() - make_interval(days => ${days}) ORDER BY id LIMIT ${batch})
      RETURNING 1)
    SELECT count(*)::int AS n FROM gone`);
  return Number(gone?.n ?? 0);
}

export async function insertCall(db: Executor, row: typeof apiCalls.$inferInsert): Promise<void> {
  await db.insert(apiCalls).values(row);
}

const recentCalls = (clientId: number, status?: number) =>
  sql`k.api_client_id = ${clientId} AND k.at > now() - make_interval(days => ${CALL_LOG_DAYS})${status === undefined ? sql`` : sql` AND k.status = ${status}`}`;

export async function calls(database: Database, clientId: number, status: number | undefined, offset: number, limit: number): Promise<Call[]> {
  const rows = await database.rows<Omit<Call, 'at'> & { at: Stamp }>(sql`
    SELECT k.id, k.method, k.route, k.status, k.duration_ms AS "durationMs", k.at FROM api_calls k
    WHERE ${recentCalls(clientId, status)} ORDER BY k.at DESC, k.id DESC OFFSET ${offset} LIMIT ${limit}`);
  return rows.map((r) => ({ ...r, id: Number(r.id), status: Number(r.status), at: new Date(r.at) }));
}

export async function callCounts(database: Database, clientId: number): Promise<CallCounts> {
  const rows = await database.rows<{ status: number; count: number }>(
    sql`SELECT k.status, count(*)::int AS count FROM api_calls k WHERE ${recentCalls(clientId)} GROUP BY k.status ORDER BY k.status`,
  );
  const byStatus = rows.map((r) => ({ status: Number(r.status), count: Number(r.count) }));
  return { days: CALL_LOG_DAYS, total: byStatus.reduce((n, r) => n + r.count, 0), byStatus };
}
