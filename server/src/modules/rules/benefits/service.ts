/**
 * 权益: what a customer's level entitles them to this year, the eligibility check that service and
 * partner features call before a use, and recorded uses. Allowances come from the benefits rules in
 * effect this month; uses count per calendar year in Asia/Shanghai. Uses of one customer are
 * serialised by the customer's row lock, taken when the customer is loaded for a change
 * (loadWritableCustomer), so that concurrent uses never exceed the allowance.
 */
import type { Executor } from '../../../db/client.js';
import { audit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/principal.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/errors.js';
import type { Locale } from '../../../platform/i18n/messages.js';
import { loadVisibleCustomer, loadWritableCustomer } from '../../customers/service.js';
import * as q from './queries.js';
import type { BenefitStatus, Eligibility, UseInput } from './schemas.js';
import { levelName } from '../explain.js';
import { DEFAULT_PARAMS, PARAMS_SCHEMAS, type BenefitsParams, type Level } from '../params.js';
import { currentMonthDate, yearAt } from '../../../platform/months.js';
import { rulesInEffect } from '../service.js';

type Benefit = BenefitsParams['benefits'][number];

/** One benefit for a level and this year's uses: the allowance, what is left, and whether it may be used now. */
export function statusOf(b: Benefit, level: string | null, used: number): BenefitStatus {
  const allowance = level ? (b.allowances[level as Level] ?? 0) : 0;
  const counted = b.unit === 'times_per_year';
  const remaining = counted ? Math.max(0, allowance - used) : null;
  const reason = !level
    ? 'benefit_no_level'
    : allowance <= 0
      ? 'benefit_not_eligible'
      : remaining !== null && remaining <= 0
        ? 'benefit_exhausted'
        : 'ok';
  return { code: b.code, name: b.name, nameEn: b.nameEn, unit: b.unit, allowance, used, remaining, eligible: reason === 'ok', reason };
}

/** The rules, level and uses of this year; in a transaction one query after another (a connection runs one at a time). */
async function context(deps: Deps, customerId: number, now: Date, tx?: Executor) {
  const year = yearAt(now);
  const reads = [
    () => rulesInEffect(deps, currentMonthDate(now), tx),
    () => q.currentLevel(deps.database, customerId, tx),
    () => q.usedInYear(deps.database, customerId, year, tx),
  ] as const;
  const [rules, level, used] = tx
    ? [await reads[0](), await reads[1](), await reads[2]()]
    : await Promise.all([reads[0](), reads[1](), reads[2]()]);
  return { year, benefits: rules.params.benefits.benefits, version: rules.versions.benefits, level: level.level, month: level.month, used };
}

function benefitOf(benefits: Benefit[], code: string): Benefit {
  const b = benefits.find((x) => x.code === code);
  if (!b) throw new AppError(404, 'benefit_unknown', { code });
  return b;
}

const levelFields = (customerId: number, level: string | null, year: number, locale: Locale) => ({
  customerId,
  level: level as Level | null,
  levelName: level ? levelName(level as Level, locale) : null,
  year,
});

/** Every benefit of the rules in effect, for the customer's current level. */
export async function customerBenefits(deps: Deps, actor: Actor, customerId: number, locale: Locale, now = new Date()) {
  await loadVisibleCustomer(deps, actor, customerId);
  const c = await context(deps, customerId, now);
  return {
    ...levelFields(customerId, c.level, c.year, locale),
    ratedMonth: c.month,
    rulesVersion: c.version,
    benefits: c.benefits.map((b) => statusOf(b, c.level, c.used.get(b.code) ?? 0)),
  };
}

/** 资格校验: may this customer use this benefit now, and how much is left this year. */
export async function eligibility(deps: Deps, actor: Actor, customerId: number, code: string, locale: Locale, now = new Date()): Promise<Eligibility> {
  await loadVisibleCustomer(deps, actor, customerId);
  const c = await context(deps, customerId, now);
  const b = benefitOf(c.benefits, code);
  return { ...levelFields(customerId, c.level, c.year, locale), ...statusOf(b, c.level, c.used.get(code) ?? 0) };
}

/** 权益使用: records a use within the allowance (409 benefit_no_level / benefit_not_eligible / benefit_exhausted); a counter service ('serve'); audited. */
export async function useBenefit(deps: Deps, actor: Actor, customerId: number, code: string, input: UseInput, locale: Locale, now = new Date()) {
  return deps.database.db.transaction((tx) => recordBenefitUse(deps, tx, actor, customerId, code, input, locale, now));
}

/**
 * useBenefit inside the caller's transaction, so that what caused the use commits with it (a partner's
 * confirmation, 跨行业服务: the partner's actor has the whole organisation in its scope, its verification of the
 * customer standing in for a user's data scope).
 */
export async function recordBenefitUse(deps: Deps, tx: Executor, actor: Actor, customerId: number, code: string, input: UseInput, locale: Locale, now = new Date()) {
  const customer = await loadWritableCustomer(deps, actor, customerId, tx, 'serve');
  const c = await context(deps, customerId, now, tx);
  const b = benefitOf(c.benefits, code);
  const before = statusOf(b, c.level, c.used.get(code) ?? 0);
  if (before.reason === 'benefit_no_level') throw new AppError(409, 'benefit_no_level');
  if (before.reason === 'benefit_not_eligible') throw new AppError(409, 'benefit_not_eligible', { level: c.level });
  if (before.remaining !== null && input.quantity > before.remaining) throw new AppError(409, 'benefit_exhausted', { remaining: before.remaining });
  const usage = await q.insertUsage(tx, { customerId, benefit: code, year: c.year, quantity: input.quantity, note: input.note ?? null, actorId: actor.userId });
  await audit(tx, actor, {
    action: 'create',
    entity: 'benefit_usage',
    entityId: usage.id,
    unitPath: customer.unitPath,
    after: { customerId, benefit: code, year: c.year, quantity: input.quantity, note: input.note ?? null, level: c.level },
  });
  const after = statusOf(b, c.level, before.used + input.quantity);
  return {
    usage: { id: usage.id, quantity: usage.quantity, note: usage.note, at: usage.at },
    eligibility: { ...levelFields(customerId, c.level, c.year, locale), ...after },
  };
}

/** The benefits of a rules version (version 0: none written, the defaults apply). */
const benefitsOfVersion = (version: number, params: unknown): Benefit[] =>
  version === 0 ? DEFAULT_PARAMS.benefits.benefits : PARAMS_SCHEMAS.benefits.parse(params).benefits;

/**
 * 权益 as a partner sees them (跨行业服务): the level in force, named in both languages, and this year's standing of
 * the benefits `codes` (those the rules no longer name are left out). One statement, without a data scope: the
 * partner's verification of the customer stands in for it.
 */
export async function benefitStanding(deps: Deps, customerId: number, codes: readonly string[], now = new Date(), executor?: Executor) {
  const year = yearAt(now);
  const row = await q.standing(deps.database, customerId, year, currentMonthDate(now), executor);
  const benefits = benefitsOfVersion(row.rulesVersion, row.params);
  const level = row.level as Level | null;
  return {
    level,
    levelName: level ? levelName(level, 'zh-CN') : null,
    levelNameEn: level ? levelName(level, 'en-US') : null,
    year,
    benefits: codes.flatMap((code) => {
      const b = benefits.find((x) => x.code === code);
      return b ? [statusOf(b, level, row.used[code] ?? 0)] : [];
    }),
  };
}

/** The levels a standing names, for the schemas of the modules that answer one. */
export { LEVELS } from '../params.js';

/** The benefit codes of the rules in effect now, for a partner's list of benefits it may confirm. */
export async function benefitCodes(deps: Deps, now = new Date()): Promise<{ code: string; name: string; nameEn: string; unit: Benefit['unit'] }[]> {
  const rules = await rulesInEffect(deps, currentMonthDate(now));
  return rules.params.benefits.benefits.map(({ code, name, nameEn, unit }) => ({ code, name, nameEn, unit }));
}
