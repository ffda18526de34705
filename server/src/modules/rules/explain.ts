/**
 * 评级说明: turns a stored rating (its inputs) and the rule versions that produced it into sentences
 * a manager can read to a customer ("五星金：近 12 个月月均实缴 ¥612.40 ≥ ¥500 …; star rules v3").
 */
import { translate, type Locale, type MessageCode } from '../../platform/i18n/messages.js';
import type { CreditParams, Level, RuleParams } from './params.js';

/** A row of customer_ratings as the explanations need it. */
export interface RatingInputs {
  kind: string;
  level: Level;
  computedLevel: Level;
  belowMonths: number;
  unratedReason: string | null;
  avgPaid: string;
  avgRevenue: string;
  paid: string;
  arrears: string;
  tenureMonths: number;
  realName: boolean;
  arrearsMonths: number;
  members: number;
  strategic: boolean;
  creditScore: number;
  creditGrade: string;
  overdraftLimit: string;
  suspendGraceDays: number;
  pointsEarned: number;
  pointsPromo: number;
  pointsExpired: number;
}

export const levelName = (level: Level, locale: Locale) => translate(`level_${level}` as MessageCode, locale);

const yuan = (n: number | string) => Number(n).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function explainStar(r: RatingInputs, p: RuleParams['star'], version: number, locale: Locale): string {
  const common = { version, window: p.windowMonths, tenure: r.tenureMonths };
  if (r.computedLevel === 'unrated') {
    if (r.unratedReason === 'real_name') return translate('explain_unrated_real_name', locale, common);
    if (r.unratedReason === 'blacklist') {
      return translate('explain_unrated_blacklist', locale, { ...common, n: r.arrearsMonths, limit: p.blacklistArrearsMonths });
    }
    const min = Math.max(p.minTenureMonths, p.grades[0]!.minTenureMonths);
    return translate('explain_unrated_tenure', locale, { ...common, min });
  }
  const i = p.grades.findIndex((g) => g.level === r.computedLevel);
  const grade = p.grades[i]!;
  const next = p.grades[i + 1];
  return translate('explain_star', locale, {
    ...common,
    level: levelName(r.computedLevel, locale),
    avg: yuan(r.avgPaid),
    min: yuan(grade.minAvgBill),
    minTenure: grade.minTenureMonths,
    realName: translate(r.realName ? 'explain_real_name_yes' : 'explain_real_name_no', locale),
    arrearsMonths: r.arrearsMonths,
    blacklist: p.blacklistArrearsMonths,
    next: next
      ? translate('explain_star_next', locale, { level: levelName(next.level as Level, locale), min: yuan(next.minAvgBill), minTenure: next.minTenureMonths })
      : '',
  });
}

function explainGroup(r: RatingInputs, p: RuleParams['group_class'], version: number, locale: Locale): string {
  const cls = p.classes.find((c) => c.level === r.computedLevel) ?? p.classes[0]!;
  return translate('explain_group', locale, {
    level: levelName(r.computedLevel, locale),
    window: p.windowMonths,
    revenue: yuan(r.avgRevenue),
    minRevenue: yuan(cls.minMonthlyRevenue),
    members: r.members,
    minMembers: cls.minMembers,
    strategic: r.strategic ? translate('explain_group_strategic', locale) : '',
    version,
  });
}

/** The parts of the credit score, as classifySql adds them up. */
export function creditParts(r: RatingInputs, p: CreditParams) {
  const w = p.weights;
  return {
    tenure: w.tenure * Math.min(1, r.tenureMonths / p.fullTenureMonths),
    bill: w.bill * Math.min(1, Number(r.avgPaid) / p.fullBill),
    payment: w.payment * Math.max(0, 1 - r.arrearsMonths * p.arrearsMonthPenalty),
    realName: r.realName ? w.realName : 0,
    arrears: Number(r.arrears) > 0 ? 0 : w.arrears,
  };
}

export function explainRating(r: RatingInputs, params: RuleParams, versions: Record<string, number>, locale: Locale) {
  let level = r.kind === 'group'
    ? explainGroup(r, params.group_class, versions.group_class ?? 0, locale)
    : explainStar(r, params.star, versions.star ?? 0, locale);
  if (r.level !== r.computedLevel) {
    const grace = r.kind === 'group' ? params.group_class.downgradeGraceMonths : params.star.downgradeGraceMonths;
    level += `。${translate('explain_held', locale, {
      computed: levelName(r.computedLevel, locale),
      level: levelName(r.level, locale),
      below: r.belowMonths,
      grace,
    })}`;
  }
  const parts = creditParts(r, params.credit);
  const w = params.credit.weights;
  const one = (n: number) => (Math.round(n * 10) / 10).toString();
  const credit = translate('explain_credit', locale, {
    score: r.creditScore,
    grade: r.creditGrade,
    tenureScore: one(parts.tenure),
    tenureWeight: w.tenure,
    billScore: one(parts.bill),
    billWeight: w.bill,
    paymentScore: one(parts.payment),
    paymentWeight: w.payment,
    realNameScore: one(parts.realName),
    realNameWeight: w.realName,
    arrearsScore: one(parts.arrears),
    arrearsWeight: w.arrears,
    limit: yuan(r.overdraftLimit),
    graceDays: r.suspendGraceDays,
    version: versions.credit ?? 0,
  });
  const points = translate('explain_points', locale, {
    total: r.pointsEarned + r.pointsPromo - r.pointsExpired,
    paid: yuan(r.paid),
    multiplier: params.points.multipliers[r.level],
    level: levelName(r.level, locale),
    earned: r.pointsEarned,
    promo: r.pointsPromo,
    expired: r.pointsExpired,
    version: versions.points ?? 0,
  });
  return { level, credit, points };
}
