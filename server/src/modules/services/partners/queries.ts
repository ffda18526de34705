/** SQL of the partners (跨行业合作伙伴): their administration, credentials, verifications and confirmations. */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { namedRows } from '../../../db/statements.js';
import { partnerConfirmations, partnerCredentials, partners, partnerVerifications } from '../../../db/schema/index.js';
import { updateAtVersion } from '../../../db/versioned.js';
import { inSubtree } from '../../../platform/auth/scope.js';
import { likeEscape } from '../../../platform/db-errors.js';
import type { Activity, Credential, Partner, PartnerQuery } from './schemas.js';

type Stamp = string | Date;
const when = (v: Stamp | null) => (v === null ? null : new Date(v));
const contains = (text: string) => `%${likeEscape(text)}%`;

// ---- partners ----

const PARTNER_COLUMNS = sql`
  p.id, p.code, p.name, p.name_en AS "nameEn", p.industry, p.unit_id AS "unitId", u.name AS "unitName", u.name_en AS "unitNameEn",
  p.active, p.benefits, p.verify_by_member_no AS "verifyByMemberNo", p.rate_limit_per_minute AS "rateLimitPerMinute", p.note,
  (SELECT count(*)::int FROM partner_credentials k
   WHERE k.partner_id = p.id AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())) AS "activeCredentials",
  (SELECT count(*)::int FROM partner_confirmations f WHERE f.partner_id = p.id AND f.created_at > now() - interval '30 days') AS "confirmations30d",
  p.version, p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;
const PARTNER_FROM = sql`FROM partners p JOIN org_units u ON u.id = p.unit_id`;

type PartnerRaw = Omit<Partner, 'createdAt' | 'updatedAt'> & { createdAt: Stamp; updatedAt: Stamp };
// raw SQL rows carry bigints and timestamps as text on the pg driver
const toPartner = (r: PartnerRaw): Partner => ({ ...r, id: Number(r.id), unitId: Number(r.unitId), createdAt: new Date(r.createdAt), updatedAt: new Date(r.updatedAt) });

/** The partners kept by units in the subtree of `unitPath`. */
export const partnersInScope = (unitPath: string): SQL => inSubtree(sql`u.path`, unitPath);

export function partnerFilter(query: Pick<PartnerQuery, 'q' | 'industry' | 'active'>): SQL {
  const conds: SQL[] = [];
  if (query.q) conds.push(sql`(p.code ILIKE ${contains(query.q)} OR p.name ILIKE ${contains(query.q)} OR p.name_en ILIKE ${contains(query.q)})`);
  if (query.industry) conds.push(sql`p.industry = ${query.industry}`);
  if (query.active !== undefined) conds.push(sql`p.active = ${query.active}`);
  return conds.length ? sql.join(conds, sql` AND `) : sql`true`;
}

export async function listPartners(database: Database, where: SQL, offset: number, limit: number): Promise<Partner[]> {
  const rows = await database.rows<PartnerRaw>(sql`SELECT ${PARTNER_COLUMNS} ${PARTNER_FROM} WHERE ${where} ORDER BY p.active DESC, p.code OFFSET ${offset} LIMIT ${limit}`);
  return rows.map(toPartner);
}

export async function countPartners(database: Database, where: SQL): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n ${PARTNER_FROM} WHERE ${where}`);
  return Number(row?.n ?? 0);
}

/** One partner, with whether it lies in the scope `scope` (null: no such partner). */
export async function getPartner(database: Database, id: number, scope: SQL, executor?: Executor): Promise<(Partner & { visible: boolean }) | null> {
  const [row] = await database.rows<PartnerRaw & { visible: boolean }>(sql`SELECT ${PARTNER_COLUMNS}, (${scope}) AS visible ${PARTNER_FROM} WHERE p.id = ${id}`, executor);
  return row ? { ...toPartner(row), visible: row.visible } : null;
}

/** The partner locked for a change, with whether it lies in the scope. */
export async function lockPartner(database: Database, tx: Executor, id: number, scope: SQL) {
  const [row] = await database.rows<{ version: number; code: string; name: string; unitPath: string; visible: boolean }>(
    sql`SELECT p.version, p.code, p.name, u.path AS "unitPath", (${scope}) AS visible ${PARTNER_FROM} WHERE p.id = ${id} FOR UPDATE OF p`,
    tx,
  );
  return row ?? null;
}

export async function insertPartner(db: Executor, row: typeof partners.$inferInsert): Promise<number> {
  const [created] = await db.insert(partners).values(row).returning({ id: partners.id });
  return created!.id;
}

export const updatePartner = (db: Executor, id: number, version: number, set: Partial<typeof partners.$inferInsert>) => updateAtVersion(db, partners, id, version, set);

/** A unit by id, with its path (null when there is none). */
export async function unitById(database: Database, id: number, executor?: Executor) {
  const [row] = await database.rows<{ id: number; path: string }>(sql`SELECT id, path FROM org_units WHERE id = ${id}`, executor);
  return row ? { id: Number(row.id), path: row.path } : null;
}

export async function unitByPath(database: Database, path: string) {
  const [row] = await database.rows<{ id: number }>(sql`SELECT id FROM org_units WHERE path = ${path}`);
  return row ? Number(row.id) : null;
}

// ---- credentials ----

type CredentialRaw = Omit<Credential, 'createdAt' | 'expiresAt' | 'revokedAt'> & { createdAt: Stamp; expiresAt: Stamp | null; revokedAt: Stamp | null };
const toCredential = (r: CredentialRaw): Credential => ({
  ...r,
  id: Number(r.id),
  createdAt: new Date(r.createdAt),
  expiresAt: when(r.expiresAt),
  revokedAt: when(r.revokedAt),
});

const CREDENTIAL_COLUMNS = sql`
  k.id, k.key_id AS "keyId", k.label,
  CASE WHEN k.revoked_at IS NOT NULL THEN 'revoked' WHEN k.expires_at <= now() THEN 'expired' ELSE 'active' END AS status,
  k.created_at AS "createdAt", cu.display_name AS "createdBy", k.expires_at AS "expiresAt", k.revoked_at AS "revokedAt"`;

export async function credentialsOf(database: Database, partnerId: number, executor?: Executor): Promise<Credential[]> {
  const rows = await database.rows<CredentialRaw>(
    sql`SELECT ${CREDENTIAL_COLUMNS} FROM partner_credentials k LEFT JOIN users cu ON cu.id = k.created_by
        WHERE k.partner_id = ${partnerId} ORDER BY k.revoked_at IS NOT NULL, k.id DESC`,
    executor,
  );
  return rows.map(toCredential);
}

export async function credentialById(database: Database, partnerId: number, id: number, executor?: Executor): Promise<Credential | null> {
  const [row] = await database.rows<CredentialRaw>(
    sql`SELECT ${CREDENTIAL_COLUMNS} FROM partner_credentials k LEFT JOIN users cu ON cu.id = k.created_by WHERE k.partner_id = ${partnerId} AND k.id = ${id}`,
    executor,
  );
  return row ? toCredential(row) : null;
}

export async function insertCredential(db: Executor, row: typeof partnerCredentials.$inferInsert): Promise<number> {
  const [created] = await db.insert(partnerCredentials).values(row).returning({ id: partnerCredentials.id });
  return created!.id;
}

/** Rotation: the partner's other usable keys expire at `at` (those expiring sooner keep their own time); their ids. */
export async function retireOthers(database: Database, tx: Executor, partnerId: number, keptId: number, at: Date): Promise<number[]> {
  const rows = await database.rows<{ id: number }>(
    sql`UPDATE partner_credentials SET expires_at = ${at}
        WHERE partner_id = ${partnerId} AND id <> ${keptId} AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ${at}) RETURNING id`,
    tx,
  );
  return rows.map((r) => Number(r.id));
}

/** Revokes a key of the partner; false when it was revoked already. */
export async function revokeCredential(database: Database, tx: Executor, partnerId: number, id: number, by: number | null): Promise<boolean> {
  const rows = await database.rows(
    sql`UPDATE partner_credentials SET revoked_at = now(), revoked_by = ${by} WHERE partner_id = ${partnerId} AND id = ${id} AND revoked_at IS NULL RETURNING id`,
    tx,
  );
  return rows.length > 0;
}

/** What the gate needs of a key and its partner, by the public key id. */
export interface KeyRow {
  credentialId: number;
  keyId: string;
  secretHash: string;
  expiresAt: Date | null;
  revoked: boolean;
  partnerId: number;
  code: string;
  name: string;
  nameEn: string | null;
  industry: string;
  active: boolean;
  benefits: string[];
  verifyByMemberNo: boolean;
  rateLimitPerMinute: number;
}

const CALLER_COLUMNS = sql`
  p.id AS "partnerId", p.code, p.name, p.name_en AS "nameEn", p.industry, p.active, p.benefits,
  p.verify_by_member_no AS "verifyByMemberNo", p.rate_limit_per_minute AS "rateLimitPerMinute"`;

export async function keyById(database: Database, keyId: string): Promise<KeyRow | null> {
  const [row] = await database.rows<Omit<KeyRow, 'expiresAt'> & { expiresAt: Stamp | null }>(sql`
    SELECT k.id AS "credentialId", k.key_id AS "keyId", k.secret_hash AS "secretHash", k.expires_at AS "expiresAt", k.revoked_at IS NOT NULL AS revoked,
           ${CALLER_COLUMNS}
    FROM partner_credentials k JOIN partners p ON p.id = k.partner_id WHERE k.key_id = ${keyId}`);
  return row ? { ...row, credentialId: Number(row.credentialId), partnerId: Number(row.partnerId), expiresAt: when(row.expiresAt) } : null;
}

/** What the gate needs of a partner whose OAuth client calls (platform/auth/clients). */
export type PartnerRow = Omit<KeyRow, 'credentialId' | 'keyId' | 'secretHash' | 'expiresAt' | 'revoked'>;

export async function partnerRowById(database: Database, id: number): Promise<PartnerRow | null> {
  const [row] = await database.rows<PartnerRow>(sql`SELECT ${CALLER_COLUMNS} FROM partners p WHERE p.id = ${id}`);
  return row ? { ...row, partnerId: Number(row.partnerId) } : null;
}

// ---- verifications ----

export async function insertVerification(db: Executor, row: typeof partnerVerifications.$inferInsert): Promise<number> {
  const [created] = await db.insert(partnerVerifications).values(row).returning({ id: partnerVerifications.id });
  return created!.id;
}

export async function setCodeHash(database: Database, tx: Executor, id: number, hash: string) {
  await database.rows(sql`UPDATE partner_verifications SET code_hash = ${hash} WHERE id = ${id}`, tx);
}

/** Codes the partner sent the customer since `minutes` ago. */
export async function recentCodes(database: Database, tx: Executor, partnerId: number, customerId: number, minutes: number): Promise<number> {
  const [row] = await database.rows<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM partner_verifications
        WHERE partner_id = ${partnerId} AND customer_id = ${customerId} AND method = 'otp' AND created_at > now() - make_interval(mins => ${minutes})`,
    tx,
  );
  return Number(row?.n ?? 0);
}

export type CodeOutcome = 'verified' | 'wrong' | 'expired' | 'locked' | 'used';

/**
 * One try of a code, decided and counted in one statement under the row's lock: verified (the first right
 * code in time), wrong (counted), expired, locked (the tries are used up) or used (verified before). A
 * verification without a customer (a number that named nobody) never verifies. Null: no such verification
 * of this partner.
 */
export async function tryCode(tx: Executor, id: number, partnerId: number, hash: string, maxTries: number) {
  const [row] = await namedRows<{ outcome: CodeOutcome; attempts: number; customerId: number | null; customerLabel: string | null; verifiedAt: Stamp | null }>(
    tx,
    sql`WITH old AS (
          SELECT id, CASE WHEN verified_at IS NOT NULL THEN 'used'
                          WHEN expires_at <= now() THEN 'expired'
                          WHEN attempts >= ${maxTries} THEN 'locked'
                          WHEN customer_id IS NOT NULL AND code_hash = ${hash} THEN 'verified'
                          ELSE 'wrong' END AS outcome
          FROM partner_verifications WHERE id = ${id} AND partner_id = ${partnerId} AND method = 'otp' FOR UPDATE)
        UPDATE partner_verifications v
        SET attempts = v.attempts + (old.outcome = 'wrong')::int,
            verified_at = CASE WHEN old.outcome = 'verified' THEN now() ELSE v.verified_at END
        FROM old WHERE v.id = old.id
        RETURNING old.outcome, v.attempts, v.customer_id AS "customerId", v.customer_label AS "customerLabel", v.verified_at AS "verifiedAt"`,
  );
  return row ? { ...row, customerId: row.customerId === null ? null : Number(row.customerId), verifiedAt: when(row.verifiedAt) } : null;
}

/** A verification of the partner, as a confirmation names it (the customer's row lock serialises the uses). */
export async function verificationForUse(database: Database, tx: Executor, id: number, partnerId: number) {
  const [row] = await database.rows<{ customerId: number | null; customerLabel: string | null; verifiedAt: Stamp | null }>(
    sql`SELECT customer_id AS "customerId", customer_label AS "customerLabel", verified_at AS "verifiedAt"
        FROM partner_verifications WHERE id = ${id} AND partner_id = ${partnerId}`,
    tx,
  );
  return row ? { customerId: row.customerId === null ? null : Number(row.customerId), customerLabel: row.customerLabel, verifiedAt: when(row.verifiedAt) } : null;
}

// ---- confirmations ----

/** Claims the partner's transaction id; null when a confirmation holds it already (waiting for one in flight to commit). */
export async function claimTxn(db: Executor, row: typeof partnerConfirmations.$inferInsert): Promise<number | null> {
  const [created] = await db.insert(partnerConfirmations).values(row).onConflictDoNothing().returning({ id: partnerConfirmations.id });
  return created?.id ?? null;
}

export async function confirmationByTxn(database: Database, partnerId: number, txnId: string, executor?: Executor) {
  const [row] = await database.rows<{ id: number; verificationId: number; benefit: string; quantity: number; answer: unknown }>(
    sql`SELECT id, verification_id AS "verificationId", benefit, quantity, answer FROM partner_confirmations WHERE partner_id = ${partnerId} AND partner_txn_id = ${txnId}`,
    executor,
  );
  return row ? { ...row, id: Number(row.id), verificationId: Number(row.verificationId) } : null;
}

export async function settleConfirmation(database: Database, tx: Executor, id: number, usageId: number, answer: unknown) {
  await database.rows(sql`UPDATE partner_confirmations SET usage_id = ${usageId}, answer = ${JSON.stringify(answer)}::jsonb WHERE id = ${id}`, tx);
}

/** The partner's confirmations, latest first. */
export async function activity(database: Database, partnerId: number, offset: number, limit: number): Promise<Activity[]> {
  const rows = await database.rows<Omit<Activity, 'createdAt'> & { createdAt: Stamp }>(sql`
    SELECT f.id, f.partner_txn_id AS "partnerTxnId", f.benefit, f.quantity, v.customer_label AS "customerLabel",
           (f.answer->>'remaining')::int AS remaining, f.created_at AS "createdAt"
    FROM partner_confirmations f JOIN partner_verifications v ON v.id = f.verification_id
    WHERE f.partner_id = ${partnerId} AND f.answer IS NOT NULL
    ORDER BY f.created_at DESC, f.id DESC OFFSET ${offset} LIMIT ${limit}`);
  return rows.map((r) => ({ ...r, id: Number(r.id), createdAt: new Date(r.createdAt) }));
}

export async function countActivity(database: Database, partnerId: number): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM partner_confirmations WHERE partner_id = ${partnerId} AND answer IS NOT NULL`);
  return Number(row?.n ?? 0);
}
