/**
 * The partner API's domain (跨行业服务, DOMAIN.md §5): a partner, known by its key, verifies a key account —
 * by a one-time code sent to the customer's phone, or by the membership number when it is allowed to — and
 * confirms the consumption of a benefit against the yearly allowance, once per partner transaction id. A
 * partner learns the level and the allowance left, and the masked name at most: never an ID number, a full
 * name or a phone number. Every try of a code, every verification and confirmation is audited.
 */
import { audit } from '../../../platform/audit/audit.js';
import { authenticateToken } from '../../../platform/auth/clients/gate.js';
import type { TokenRow } from '../../../platform/auth/clients/queries.js';
import { ShortCache } from '../../../platform/auth/credentials.js';
import type { Actor } from '../../../platform/auth/principal.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError, forbidden, notFound } from '../../../platform/errors.js';
import { queueOutbound } from '../../../platform/notify/notify.js';
import { loadCustomerByNoForService, loadCustomerByPhoneForService } from '../../customers/service.js';
import { benefitStanding, recordBenefitUse } from '../../rules/benefits/service.js';
import * as q from './queries.js';
import {
  CONFIRM_WINDOW_MINUTES,
  OTP_BURST,
  OTP_BURST_MINUTES,
  OTP_MAX_TRIES,
  OTP_TTL_MINUTES,
  type ConfirmationAnswer,
  type ConfirmationInput,
  type Industry,
  type StartInput,
  type VerificationStarted,
  type Verified,
} from './schemas.js';
import { codeHash, newCode, parseBearer, secretMatches } from './secrets.js';

const VERIFICATION = 'partner_verification';
const CONFIRMATION = 'partner_confirmation';
const MINUTE_MS = 60_000;

/** The partner calling, as its key names it. */
export interface PartnerCaller {
  partnerId: number;
  code: string;
  name: string;
  nameEn: string | null;
  industry: Industry;
  benefits: string[];
  verifyByMemberNo: boolean;
  rateLimitPerMinute: number;
  /** The key's id, or null for a partner's OAuth client. */
  credentialId: number | null;
  /** The key id, or the client id of a partner's OAuth client. */
  keyId: string;
  keyExpiresAt: Date | null;
}

/**
 * A partner acts for the customer it verified, wherever that customer belongs: its actor has the whole
 * organisation in scope for the customer's row lock and benefit use, and no user.
 */
export const partnerActor = (caller: PartnerCaller, requestId: string | null, ip: string | null): Actor => ({
  userId: null,
  username: `partner:${caller.code}`,
  unitPath: '/',
  areaPath: '/',
  permissions: new Set(['customers.read_unit']),
  requestId,
  ip,
});

// ---- the key ----

/** Keys are looked up at most every few seconds per process; a revocation here forgets them at once (other instances within KEY_CACHE_MS). */
const KEY_CACHE_MS = 5_000;
const keyCache = new ShortCache<q.KeyRow | null>(KEY_CACHE_MS);
const partnerCache = new ShortCache<q.PartnerRow | null>(KEY_CACHE_MS);

/** Forgets the cached keys, after a change to a partner or its keys. */
export const forgetKeys = () => {
  keyCache.clear();
  partnerCache.clear();
};

const keyRow = (deps: Deps, keyId: string): Promise<q.KeyRow | null> => keyCache.get(keyId, () => q.keyById(deps.database, keyId));

export type KeyCheck = { caller: PartnerCaller } | { refused: 'partner_unauthenticated' | 'partner_inactive' };

/** The partner an `Authorization: Bearer <keyId>.<secret>` header names: unknown, revoked, expired or wrong keys alike are refused. */
export async function authenticateKey(deps: Deps, header: string | undefined, now = new Date()): Promise<KeyCheck> {
  const bearer = parseBearer(header);
  if (!bearer) return { refused: 'partner_unauthenticated' };
  const row = await keyRow(deps, bearer.keyId);
  if (!row || row.revoked || (row.expiresAt && row.expiresAt <= now) || !secretMatches(bearer.secret, row.secretHash)) return { refused: 'partner_unauthenticated' };
  if (!row.active) return { refused: 'partner_inactive' };
  return { caller: callerOf(row, { credentialId: row.credentialId, keyId: row.keyId, keyExpiresAt: row.expiresAt }) };
}

const callerOf = (row: q.PartnerRow, key: Pick<PartnerCaller, 'credentialId' | 'keyId' | 'keyExpiresAt'>): PartnerCaller => ({
  partnerId: row.partnerId,
  code: row.code,
  name: row.name,
  nameEn: row.nameEn,
  industry: row.industry as Industry,
  benefits: row.benefits,
  verifyByMemberNo: row.verifyByMemberNo,
  rateLimitPerMinute: row.rateLimitPerMinute,
  ...key,
});

/** Is the header a partner's key (`<keyId>.<secret>`) rather than an OAuth access token? */
export const isPartnerKey = (header: string | undefined) => parseBearer(header) !== null;

export type ClientCheck = { caller: PartnerCaller; token: TokenRow } | { refused: 'token_invalid' | 'token_expired' } | { refused: 'scope_insufficient' | 'partner_inactive'; token: TokenRow };

/**
 * A partner's OAuth client (platform/auth/clients, docs/partner-api.md): a live token of a client linked to the
 * partner and holding the scope `partner` calls as that partner; its key id is the client id.
 */
export async function authenticateClient(deps: Deps, header: string | undefined, now = new Date()): Promise<ClientCheck> {
  const check = await authenticateToken(deps, header, now);
  if ('refused' in check) return check;
  const { token } = check;
  const partnerId = token.scopes.includes('partner') ? token.partnerId : null;
  if (partnerId === null) return { refused: 'scope_insufficient', token };
  const row = await partnerCache.get(String(partnerId), () => q.partnerRowById(deps.database, partnerId));
  if (!row) return { refused: 'token_invalid' };
  if (!row.active) return { refused: 'partner_inactive', token };
  return { caller: callerOf(row, { credentialId: null, keyId: token.clientId, keyExpiresAt: token.expiresAt }), token };
}

// ---- verification (身份认证) ----

/** All a partner sees of a name: its first character (张**, 广**). */
const maskedName = (name: string) => `${[...name.trim()][0] ?? ''}**`;

const codeMessage = (caller: PartnerCaller, code: string) =>
  `【大客户服务】验证码 ${code}，${OTP_TTL_MINUTES} 分钟内有效。${caller.name}正在核验您的大客户身份以提供贵宾服务；如非本人操作，请勿将验证码告诉他人。`;

/** A customer the lookup found, or null: an unknown number, a merged customer — the partner is answered alike. */
async function found<T>(lookup: () => Promise<T>): Promise<T | null> {
  try {
    return await lookup();
  } catch (err) {
    if (err instanceof AppError && (err.status === 404 || err.status === 409)) return null;
    throw err;
  }
}

/**
 * Starts a verification. By phone: a code goes by SMS to the customer whose number it is; for a number that
 * names nobody the answer is the same and nothing is sent (numbers cannot be probed). By membership number
 * (partners allowed to): verified at once.
 */
export async function startVerification(deps: Deps, caller: PartnerCaller, actor: Actor, input: StartInput, now = new Date()): Promise<VerificationStarted | Verified> {
  return input.memberNo !== undefined ? byMemberNo(deps, caller, actor, input.memberNo, now) : byPhone(deps, caller, actor, input.phone!, now);
}

async function byPhone(deps: Deps, caller: PartnerCaller, actor: Actor, phone: string, now: Date): Promise<VerificationStarted> {
  const expiresAt = new Date(now.getTime() + OTP_TTL_MINUTES * MINUTE_MS);
  const { database } = deps;
  const id = await database.db.transaction(async (tx) => {
    const customer = await found(() => loadCustomerByPhoneForService(deps, actor, phone, tx));
    if (customer && (await q.recentCodes(database, tx, caller.partnerId, customer.id, OTP_BURST_MINUTES)) >= OTP_BURST) {
      throw new AppError(429, 'partner_otp_too_frequent', { max: OTP_BURST, minutes: OTP_BURST_MINUTES });
    }
    const id = await q.insertVerification(tx, {
      partnerId: caller.partnerId,
      customerId: customer?.id ?? null,
      method: 'otp',
      customerLabel: customer ? maskedName(customer.name) : null,
      expiresAt,
    });
    if (customer) {
      const code = newCode();
      await q.setCodeHash(database, tx, id, codeHash(deps.pii, id, code));
      await queueOutbound(tx, deps.pii, { channel: 'sms', recipient: phone, body: codeMessage(caller, code), dedupeKey: `partner-otp:${id}`, entity: VERIFICATION, entityId: id });
    }
    await audit(tx, actor, {
      action: 'create',
      entity: VERIFICATION,
      entityId: id,
      unitPath: customer?.unitPath ?? null,
      after: { partner: caller.code, method: 'otp', phone, customerId: customer?.id ?? null, codeSent: customer !== null },
    });
    return id;
  });
  return { verificationId: id, method: 'otp', status: 'code_sent', expiresAt };
}

async function byMemberNo(deps: Deps, caller: PartnerCaller, actor: Actor, memberNo: string, now: Date): Promise<Verified> {
  if (!caller.verifyByMemberNo) throw forbidden('partner_member_no_not_allowed');
  const verified = await deps.database.db.transaction(async (tx) => {
    const customer = await found(() => loadCustomerByNoForService(deps, actor, memberNo, tx));
    const label = customer ? maskedName(customer.name) : null;
    const id = await q.insertVerification(tx, {
      partnerId: caller.partnerId,
      customerId: customer?.id ?? null,
      method: 'member_no',
      customerLabel: label,
      expiresAt: now,
      verifiedAt: customer ? now : null,
    });
    await audit(tx, actor, {
      action: 'create',
      entity: VERIFICATION,
      entityId: id,
      unitPath: customer?.unitPath ?? null,
      after: { partner: caller.code, method: 'member_no', memberNo, customerId: customer?.id ?? null, outcome: customer ? 'verified' : 'unknown' },
    });
    return customer ? { id, customerId: customer.id, label } : null;
  });
  // the refusal is audited with the verification above; a partner allowed to verify by number learns whether one exists
  if (!verified) throw new AppError(404, 'partner_member_unknown');
  return verifiedAnswer(deps, caller, verified.id, verified.customerId, verified.label, now);
}

/** The answer of a verified customer: level and allowances left of the partner's benefits. */
async function verifiedAnswer(deps: Deps, caller: PartnerCaller, verificationId: number, customerId: number, label: string | null, verifiedAt: Date): Promise<Verified> {
  const standing = await benefitStanding(deps, customerId, caller.benefits);
  return {
    verificationId,
    status: 'verified',
    validUntil: new Date(verifiedAt.getTime() + CONFIRM_WINDOW_MINUTES * MINUTE_MS),
    level: standing.level,
    levelName: standing.levelName,
    levelNameEn: standing.levelNameEn,
    customer: label,
    year: standing.year,
    benefits: standing.benefits.map(({ code, name, nameEn, unit, allowance, used, remaining, eligible }) => ({ code, name, nameEn, unit, allowance, used, remaining, eligible })),
  };
}

/**
 * One try of the code of a verification. Decided and counted under the row's lock, audited, and committed
 * before a refusal is answered: a wrong code 422 with the tries left, expired, used up or verified before 409.
 */
export async function confirmCode(deps: Deps, caller: PartnerCaller, actor: Actor, id: number, code: string): Promise<Verified> {
  const hash = codeHash(deps.pii, id, code);
  const { database } = deps;
  const tried = await database.db.transaction(async (tx) => {
    const row = await q.tryCode(tx, id, caller.partnerId, hash, OTP_MAX_TRIES);
    if (row) await audit(tx, actor, { action: 'update', entity: VERIFICATION, entityId: id, after: { partner: caller.code, outcome: row.outcome, attempts: row.attempts } });
    return row;
  });
  if (!tried) throw notFound(VERIFICATION);
  switch (tried.outcome) {
    case 'verified':
      return verifiedAnswer(deps, caller, id, tried.customerId!, tried.customerLabel, tried.verifiedAt!);
    case 'wrong':
      throw new AppError(422, 'partner_code_wrong', { left: Math.max(0, OTP_MAX_TRIES - tried.attempts) });
    case 'expired':
      throw new AppError(409, 'partner_code_expired', { minutes: OTP_TTL_MINUTES });
    case 'locked':
      throw new AppError(409, 'partner_code_locked', { max: OTP_MAX_TRIES });
    case 'used':
      throw new AppError(409, 'partner_verification_used');
  }
}

// ---- confirmation (消费确认) ----

/** The benefit's refusals of the rules as the partner API words them: the allowance left, 422. */
function allowanceRefusal(err: unknown): AppError | null {
  if (!(err instanceof AppError)) return null;
  if (err.code === 'benefit_exhausted') return new AppError(422, 'partner_allowance_exceeded', { remaining: Number(err.params.remaining ?? 0) });
  if (err.code === 'benefit_not_eligible' || err.code === 'benefit_no_level' || err.code === 'benefit_unknown') return new AppError(422, 'partner_allowance_exceeded', { remaining: 0 });
  return null;
}

/** A replay: the first answer, when the repeat asks for the same; 409 when the id was used for something else. */
function replayOf(first: { verificationId: number; benefit: string; quantity: number; answer: unknown }, input: ConfirmationInput) {
  if (first.verificationId !== input.verificationId || first.benefit !== input.benefit || first.quantity !== input.quantity) {
    throw new AppError(409, 'partner_txn_reused', { txn: input.partnerTxnId });
  }
  return { answer: first.answer as ConfirmationAnswer, replayed: true };
}

/**
 * 消费确认: records the use of a benefit by a customer the partner verified (within CONFIRM_WINDOW_MINUTES), once
 * per partner transaction id. The id is claimed first, in the same transaction as the use: a concurrent repeat
 * waits for it and answers the first answer, and a use refused rolls the claim back with it.
 */
export async function confirmUse(deps: Deps, caller: PartnerCaller, actor: Actor, input: ConfirmationInput, now = new Date()): Promise<{ answer: ConfirmationAnswer; replayed: boolean }> {
  if (!caller.benefits.includes(input.benefit)) throw forbidden('partner_benefit_not_allowed', { benefit: input.benefit });
  const { database } = deps;
  const first = await q.confirmationByTxn(database, caller.partnerId, input.partnerTxnId);
  if (first?.answer) return replayOf(first, input);
  try {
    const answer = await database.db.transaction(async (tx) => {
      const v = await q.verificationForUse(database, tx, input.verificationId, caller.partnerId);
      if (!v) throw notFound(VERIFICATION);
      if (!v.customerId || !v.verifiedAt || now.getTime() - v.verifiedAt.getTime() > CONFIRM_WINDOW_MINUTES * MINUTE_MS) {
        throw new AppError(409, 'partner_verification_unusable', { minutes: CONFIRM_WINDOW_MINUTES });
      }
      const claimed = await q.claimTxn(tx, { partnerId: caller.partnerId, partnerTxnId: input.partnerTxnId, verificationId: input.verificationId, customerId: v.customerId, benefit: input.benefit, quantity: input.quantity });
      if (claimed === null) return null;
      const use = await recordBenefitUse(deps, tx, actor, v.customerId, input.benefit, { quantity: input.quantity, note: `${caller.name} · ${input.partnerTxnId}` }, 'zh-CN', now).catch((err: unknown) => {
        throw allowanceRefusal(err) ?? err;
      });
      // the level and what is left after this use, in both languages, as the verification answered them
      const standing = await benefitStanding(deps, v.customerId, [input.benefit], now, tx);
      const left = standing.benefits[0];
      const answer: ConfirmationAnswer = {
        confirmationId: claimed,
        partnerTxnId: input.partnerTxnId,
        verificationId: input.verificationId,
        benefit: input.benefit,
        quantity: input.quantity,
        level: standing.level,
        levelName: standing.levelName,
        levelNameEn: standing.levelNameEn,
        year: standing.year,
        allowance: left?.allowance ?? 0,
        remaining: left?.remaining ?? null,
        confirmedAt: now.toISOString(),
      };
      await q.settleConfirmation(database, tx, claimed, use.usage.id, answer);
      await audit(tx, actor, {
        action: 'create',
        entity: CONFIRMATION,
        entityId: claimed,
        after: { partner: caller.code, partnerTxnId: input.partnerTxnId, verificationId: input.verificationId, customerId: v.customerId, benefit: input.benefit, quantity: input.quantity, usageId: use.usage.id, remaining: answer.remaining },
      });
      return answer;
    });
    if (answer) return { answer, replayed: false };
  } catch (err) {
    if (err instanceof AppError && err.status === 422) await auditRefusedUse(deps, actor, caller, input, err);
    throw err;
  }
  // another request of the same transaction id committed first
  const settled = await q.confirmationByTxn(database, caller.partnerId, input.partnerTxnId);
  return replayOf(settled!, input);
}

/** A refused consumption leaves a trace of its own (its transaction rolled back). */
const auditRefusedUse = (deps: Deps, actor: Actor, caller: PartnerCaller, input: ConfirmationInput, err: AppError) =>
  audit(deps.database.db, actor, {
    action: 'refused',
    entity: CONFIRMATION,
    after: { partner: caller.code, partnerTxnId: input.partnerTxnId, verificationId: input.verificationId, benefit: input.benefit, quantity: input.quantity, reason: err.code, ...err.params },
  });
