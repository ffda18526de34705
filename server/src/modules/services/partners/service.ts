/**
 * 跨行业合作伙伴的管理 (partners.manage): partners registered with the benefits they may confirm, kept by a unit
 * (its administrators and those above see them); their API keys issued (the secret answered once, only its
 * hash kept), rotated (a new key while the old keeps working until it expires) and revoked. Every change is
 * audited; a change forgets the cached keys of this process at once.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { audit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/principal.js';
import { inScope } from '../../../platform/auth/scope.js';
import { pgErrorCode, PG_UNIQUE_VIOLATION } from '../../../platform/db-errors.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError, duplicate, invalid, notFound, outOfScope, versionConflict } from '../../../platform/errors.js';
import type { Page } from '../../../platform/http/list.js';
import { benefitCodes } from '../../rules/benefits/service.js';
import { forgetKeys } from './api.js';
import * as q from './queries.js';
import type { Activity, CreatePartner, Credential, IssueInput, Partner, PartnerDetail, PartnerQuery, PatchPartner } from './schemas.js';
import { newCredential } from './secrets.js';

const PARTNER = 'partner';
const CREDENTIAL = 'partner_credential';
const DAY_MS = 86_400_000;

const scopeOf = (actor: Actor): SQL => q.partnersInScope(actor.unitPath);

export async function listPartners(deps: Deps, actor: Actor, query: PartnerQuery): Promise<Page<Partner>> {
  const where = sql`${scopeOf(actor)} AND ${q.partnerFilter(query)}`;
  const [items, total] = await Promise.all([q.listPartners(deps.database, where, query.offset, query.limit), q.countPartners(deps.database, where)]);
  return { items, total };
}

/** A partner in the actor's scope: 404 outside it, exactly as when there is none. */
async function visiblePartner(deps: Deps, actor: Actor, id: number, executor?: Executor): Promise<Partner> {
  const row = await q.getPartner(deps.database, id, scopeOf(actor), executor);
  if (!row) throw notFound(PARTNER);
  if (!row.visible) throw outOfScope(PARTNER);
  const { visible: _visible, ...partner } = row;
  return partner;
}

export async function getPartner(deps: Deps, actor: Actor, id: number): Promise<PartnerDetail> {
  const partner = await visiblePartner(deps, actor, id);
  return { ...partner, credentials: await q.credentialsOf(deps.database, id) };
}

/** The partner locked for a change by the actor: 404 outside the scope, as when there is none. */
async function lockForChange(deps: Deps, tx: Executor, actor: Actor, id: number) {
  const row = await q.lockPartner(deps.database, tx, id, scopeOf(actor));
  if (!row) throw notFound(PARTNER);
  if (!row.visible) throw outOfScope(PARTNER);
  return row;
}

/** The benefits a partner may confirm name benefits of the rules in effect, each once. */
async function checkBenefits(deps: Deps, codes: string[]) {
  const known = new Set((await benefitCodes(deps)).map((b) => b.code));
  const seen = new Set<string>();
  codes.forEach((code, i) => {
    if (!known.has(code)) throw invalid(`body.benefits.${i}`, 'partner_benefit_unknown', { code });
    if (seen.has(code)) throw invalid(`body.benefits.${i}`, 'partner_benefit_duplicate', { code });
    seen.add(code);
  });
}

/** The unit that keeps a new partner: the one named, in the actor's subtree, or the actor's own. */
async function keepingUnit(deps: Deps, actor: Actor, unitId: number | undefined) {
  if (unitId === undefined) return { id: (await q.unitByPath(deps.database, actor.unitPath))!, path: actor.unitPath };
  const unit = await q.unitById(deps.database, unitId);
  if (!unit || !inScope(actor, unit.path)) throw invalid('body.unitId', 'partner_unit_invalid');
  return unit;
}

const duplicateCode = (err: unknown): never => {
  if (pgErrorCode(err) === PG_UNIQUE_VIOLATION) throw duplicate('body.code');
  throw err;
};

const record = (p: Pick<Partner, 'code' | 'name' | 'nameEn' | 'industry' | 'unitId' | 'active' | 'benefits' | 'verifyByMemberNo' | 'rateLimitPerMinute' | 'note'>) => ({
  code: p.code,
  name: p.name,
  nameEn: p.nameEn,
  industry: p.industry,
  unitId: p.unitId,
  active: p.active,
  benefits: p.benefits,
  verifyByMemberNo: p.verifyByMemberNo,
  rateLimitPerMinute: p.rateLimitPerMinute,
  note: p.note,
});

/** 登记合作伙伴: codes are unique (409 naming body.code); audited. */
export async function createPartner(deps: Deps, actor: Actor, input: CreatePartner): Promise<PartnerDetail> {
  await checkBenefits(deps, input.benefits);
  const unit = await keepingUnit(deps, actor, input.unitId);
  const fields = { ...input, code: input.code.toUpperCase(), unitId: unit.id, nameEn: input.nameEn || null, note: input.note || null };
  const id = await deps.database.db
    .transaction(async (tx) => {
      const id = await q.insertPartner(tx, fields);
      await audit(tx, actor, { action: 'create', entity: PARTNER, entityId: id, unitPath: unit.path, after: record({ ...fields, active: true }) });
      return id;
    })
    .catch(duplicateCode);
  return getPartner(deps, actor, id);
}

/** Renames, suspends (active: false), changes the benefits or the limits of a partner at the version read; audited. */
export async function patchPartner(deps: Deps, actor: Actor, id: number, input: PatchPartner): Promise<PartnerDetail> {
  const { version, ...fields } = input;
  if (fields.benefits) await checkBenefits(deps, fields.benefits);
  const { database } = deps;
  await database.db.transaction(async (tx) => {
    const row = await lockForChange(deps, tx, actor, id);
    if (row.version !== version) throw versionConflict();
    const before = await visiblePartner(deps, actor, id, tx);
    const set = { ...fields, ...(fields.nameEn !== undefined && { nameEn: fields.nameEn || null }), ...(fields.note !== undefined && { note: fields.note || null }) };
    if (!(await q.updatePartner(tx, id, version, set))) throw versionConflict();
    const after = await visiblePartner(deps, actor, id, tx);
    await audit(tx, actor, { action: 'update', entity: PARTNER, entityId: id, unitPath: row.unitPath, before: record(before), after: record(after) });
  });
  forgetKeys();
  return getPartner(deps, actor, id);
}

/**
 * 签发密钥: a new key for the partner; the secret is in this answer only. With retireOthersInDays, a rotation:
 * the partner's other keys expire then (0: at once), so that it can switch over without an outage.
 */
export async function issueCredential(deps: Deps, actor: Actor, id: number, input: IssueInput, now = new Date()) {
  const fresh = newCredential();
  const { database } = deps;
  const credentialId = await database.db.transaction(async (tx) => {
    const partner = await lockForChange(deps, tx, actor, id);
    const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * DAY_MS) : null;
    const credentialId = await q.insertCredential(tx, { partnerId: id, keyId: fresh.keyId, secretHash: fresh.secretHash, label: input.label || null, createdBy: actor.userId, expiresAt });
    const retireAt = input.retireOthersInDays == null ? null : new Date(now.getTime() + input.retireOthersInDays * DAY_MS);
    const retired = retireAt ? await q.retireOthers(database, tx, id, credentialId, retireAt) : [];
    await audit(tx, actor, {
      action: 'create',
      entity: CREDENTIAL,
      entityId: credentialId,
      unitPath: partner.unitPath,
      after: { partnerId: id, partner: partner.code, keyId: fresh.keyId, label: input.label || null, expiresAt, ...(retireAt && { retiredKeys: retired, retiredAt: retireAt }) },
    });
    return credentialId;
  });
  forgetKeys();
  const credential = (await q.credentialById(database, id, credentialId))!;
  return { credential, secret: fresh.secret, token: fresh.token };
}

/** 吊销密钥: the key stops working at once (other instances within seconds); 409 when revoked already; audited. */
export async function revokeCredential(deps: Deps, actor: Actor, id: number, credentialId: number): Promise<Credential> {
  const { database } = deps;
  await database.db.transaction(async (tx) => {
    const partner = await lockForChange(deps, tx, actor, id);
    const before = await q.credentialById(database, id, credentialId, tx);
    if (!before) throw notFound(CREDENTIAL);
    if (!(await q.revokeCredential(database, tx, id, credentialId, actor.userId))) throw new AppError(409, 'partner_credential_revoked');
    await audit(tx, actor, {
      action: 'update',
      entity: CREDENTIAL,
      entityId: credentialId,
      unitPath: partner.unitPath,
      before: { keyId: before.keyId, status: before.status },
      after: { keyId: before.keyId, status: 'revoked' },
    });
  });
  forgetKeys();
  return (await q.credentialById(database, id, credentialId))!;
}

/** The partner's confirmations, latest first. */
export async function partnerActivity(deps: Deps, actor: Actor, id: number, page: { offset: number; limit: number }): Promise<Page<Activity>> {
  await visiblePartner(deps, actor, id);
  const [items, total] = await Promise.all([q.activity(deps.database, id, page.offset, page.limit), q.countActivity(deps.database, id)]);
  return { items, total };
}

/** The benefits of the rules in effect, to choose those a partner may confirm. */
export const benefitOptions = (deps: Deps) => benefitCodes(deps);
