/**
 * The parameters of each rule family (服务规则), their defaults (DOMAIN.md §4, the first versions) and
 * the checks a new version must pass beyond its shape: thresholds in order, weights adding up to 100,
 * no gaps between grades. Thresholds are plain numbers (yuan, months, points): they are settings, not
 * amounts of money moved, so they stay numbers for the editors (see docs/decisions.md).
 */
import { z } from 'zod';
import { readableName } from '../../platform/http/text.js';
import { messageRef, type MessageCode, type MessageRef } from '../../platform/i18n/messages.js';

/** 准星 (unrated) and 1★ … 五星钻, lowest first: the order is the rank. */
export const STAR_LEVELS = ['unrated', '1', '2', '3', '4', '5s', '5g', '5d'] as const;
/** Group classes, lowest first. */
export const GROUP_CLASSES = ['C', 'B', 'A'] as const;
export const LEVELS = [...STAR_LEVELS, ...GROUP_CLASSES] as const;
export type Level = (typeof LEVELS)[number];
export const RATED_STARS = STAR_LEVELS.filter((l) => l !== 'unrated');

export const FAMILIES = ['star', 'group_class', 'credit', 'points', 'potential', 'benefits'] as const;
export type Family = (typeof FAMILIES)[number];

const amount = z.number().min(0).max(1e9).multipleOf(0.01);
const months = z.number().int().min(0).max(240);
const count = z.number().int().min(0).max(1e7);

const starParams = z.strictObject({
  windowMonths: z.number().int().min(1).max(24), // the average bill counts over this many months
  minTenureMonths: months, // 准星 below this tenure
  requireRealName: z.boolean(),
  blacklistArrearsMonths: z.number().int().min(1).max(24), // months ending in arrears within the window
  downgradeGraceMonths: months,
  grades: z
    .array(z.strictObject({ level: z.enum(RATED_STARS as [string, ...string[]]), minAvgBill: amount, minTenureMonths: months }))
    .length(RATED_STARS.length),
});

const groupClassParams = z.strictObject({
  windowMonths: z.number().int().min(1).max(24),
  downgradeGraceMonths: months,
  strategicClass: z.enum(GROUP_CLASSES),
  classes: z
    .array(z.strictObject({ level: z.enum(GROUP_CLASSES), minMonthlyRevenue: amount, minMembers: count }))
    .length(GROUP_CLASSES.length),
});

const creditParams = z.strictObject({
  weights: z.strictObject({ tenure: count, bill: count, payment: count, realName: count, arrears: count }),
  fullTenureMonths: z.number().int().min(1).max(600),
  fullBill: z.number().min(1).max(1e7),
  arrearsMonthPenalty: z.number().min(0).max(1), // share of the payment weight lost per month in arrears
  noSuspendFromLevel: z.enum(RATED_STARS as [string, ...string[]]), // 4★ and above …
  noSuspendDays: z.number().int().min(0).max(90), // … are not suspended within this many days
  grades: z
    .array(
      z.strictObject({
        grade: readableName(8),
        minScore: z.number().int().min(0).max(100),
        overdraftLimit: amount,
        overdraftDays: z.number().int().min(0).max(365),
        suspendGraceDays: z.number().int().min(0).max(90),
      }),
    )
    .min(2)
    .max(10),
});

const pointsParams = z.strictObject({
  multipliers: z.strictObject(Object.fromEntries(LEVELS.map((l) => [l, z.number().min(0).max(100).multipleOf(0.01)])) as Record<Level, z.ZodNumber>),
  birthdayBonus: count, // promotional points in the birthday month
  expiryMonths: months, // 0: points never expire
  yuanPer100Points: z.number().min(0.01).max(1000),
});

const potentialParams = z.strictObject({
  lookbackMonths: z.number().int().min(1).max(12),
  minAvgPaid: amount, // recent spend
  minGrowthPct: z.number().min(0).max(10000), // growth of the recent months over the months before
  minGrowthBase: amount, // … counted only from this much spend on
  minEmployees: count,
  minMembers: count,
});

const benefitAllowances = z.partialRecord(z.enum(LEVELS), z.number().int().min(0).max(100000));
const benefitsParams = z.strictObject({
  benefits: z
    .array(
      z.strictObject({
        code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/),
        name: readableName(60),
        nameEn: readableName(80),
        unit: z.enum(['times_per_year', 'flag', 'percent']),
        allowances: benefitAllowances,
      }),
    )
    .max(50),
  cityApprovalMaxAmount: amount, // custom discounts up to this (yuan per month) need a city head; above, the province
});

export const PARAMS_SCHEMAS = {
  star: starParams,
  group_class: groupClassParams,
  credit: creditParams,
  points: pointsParams,
  potential: potentialParams,
  benefits: benefitsParams,
} as const;

export type StarParams = z.infer<typeof starParams>;
export type GroupClassParams = z.infer<typeof groupClassParams>;
export type CreditParams = z.infer<typeof creditParams>;
export type PointsParams = z.infer<typeof pointsParams>;
export type PotentialParams = z.infer<typeof potentialParams>;
export type BenefitsParams = z.infer<typeof benefitsParams>;
export interface RuleParams {
  star: StarParams;
  group_class: GroupClassParams;
  credit: CreditParams;
  points: PointsParams;
  potential: PotentialParams;
  benefits: BenefitsParams;
}

/** The first versions: DOMAIN.md §4's defaults. */
export const DEFAULT_PARAMS: RuleParams = {
  star: {
    windowMonths: 12,
    minTenureMonths: 6,
    requireRealName: true,
    blacklistArrearsMonths: 3,
    downgradeGraceMonths: 3,
    grades: [
      { level: '1', minAvgBill: 0, minTenureMonths: 6 },
      { level: '2', minAvgBill: 100, minTenureMonths: 6 },
      { level: '3', minAvgBill: 200, minTenureMonths: 12 },
      { level: '4', minAvgBill: 300, minTenureMonths: 12 },
      { level: '5s', minAvgBill: 400, minTenureMonths: 24 },
      { level: '5g', minAvgBill: 500, minTenureMonths: 24 },
      { level: '5d', minAvgBill: 1000, minTenureMonths: 36 },
    ],
  },
  group_class: {
    windowMonths: 3,
    downgradeGraceMonths: 3,
    strategicClass: 'A',
    classes: [
      { level: 'C', minMonthlyRevenue: 0, minMembers: 0 },
      { level: 'B', minMonthlyRevenue: 3000, minMembers: 50 },
      { level: 'A', minMonthlyRevenue: 8000, minMembers: 100 },
    ],
  },
  credit: {
    weights: { tenure: 20, bill: 30, payment: 30, realName: 10, arrears: 10 },
    fullTenureMonths: 60,
    fullBill: 500,
    arrearsMonthPenalty: 0.25,
    noSuspendFromLevel: '4',
    noSuspendDays: 7,
    grades: [
      { grade: 'AAA', minScore: 90, overdraftLimit: 1000, overdraftDays: 30, suspendGraceDays: 7 },
      { grade: 'AA', minScore: 75, overdraftLimit: 500, overdraftDays: 30, suspendGraceDays: 3 },
      { grade: 'A', minScore: 60, overdraftLimit: 200, overdraftDays: 15, suspendGraceDays: 1 },
      { grade: 'B', minScore: 40, overdraftLimit: 50, overdraftDays: 7, suspendGraceDays: 0 },
      { grade: 'C', minScore: 0, overdraftLimit: 0, overdraftDays: 0, suspendGraceDays: 0 },
    ],
  },
  points: {
    multipliers: { unrated: 0, '1': 1, '2': 1.5, '3': 2, '4': 2.5, '5s': 3, '5g': 5, '5d': 5, C: 1, B: 1, A: 1 },
    birthdayBonus: 200,
    expiryMonths: 36,
    yuanPer100Points: 1,
  },
  potential: { lookbackMonths: 3, minAvgPaid: 300, minGrowthPct: 30, minGrowthBase: 100, minEmployees: 500, minMembers: 50 },
  benefits: {
    benefits: [
      { code: 'priority_service', name: '优先服务', nameEn: 'Priority service', unit: 'flag', allowances: { '4': 1, '5s': 1, '5g': 1, '5d': 1, C: 1, B: 1, A: 1 } },
      { code: 'vip_lounge', name: '机场/高铁贵宾厅', nameEn: 'Airport / rail VIP lounge', unit: 'times_per_year', allowances: { '5s': 4, '5g': 8, '5d': 12, B: 6, A: 12 } },
      { code: 'free_sim', name: '免费补换卡', nameEn: 'Free SIM replacement', unit: 'times_per_year', allowances: { '3': 1, '4': 2, '5s': 3, '5g': 3, '5d': 5, C: 2, B: 5, A: 10 } },
      { code: 'bill_discount', name: '话费折扣', nameEn: 'Bill discount', unit: 'percent', allowances: { '5g': 5, '5d': 10, B: 3, A: 8 } },
    ],
    cityApprovalMaxAmount: 500,
  },
};

/** One semantic problem with a version's parameters: the field path and a catalogue code. */
export interface ParamIssue {
  field: string;
  code: MessageCode;
  params: Record<string, unknown>;
}

const issue = (field: string, code: MessageCode, params: Record<string, unknown> = {}): ParamIssue => ({ field, code, params });
/** A level code as its name in the reader's language (五星钻, Class A group). */
const named = (level: string): MessageRef => messageRef(`level_${level}` as MessageCode);

/** Each threshold list must rise with the level, without gaps: the lowest grade starts at 0. */
function checkAscending<T>(rows: T[], path: string, keys: (keyof T & string)[], levelOf: (r: T) => string): ParamIssue[] {
  const out: ParamIssue[] = [];
  rows.forEach((row, i) => {
    if (i === 0) {
      for (const k of keys) if (row[k] !== 0) out.push(issue(`${path}.0.${k}`, 'rules_lowest_starts_at_zero', { level: named(levelOf(row)) }));
      return;
    }
    const prev = rows[i - 1]!;
    for (const k of keys) {
      if ((row[k] as number) < (prev[k] as number)) {
        out.push(issue(`${path}.${i}.${k}`, 'rules_threshold_order', { level: named(levelOf(row)), lower: named(levelOf(prev)) }));
      }
    }
  });
  return out;
}

function levelOrderIssues(levels: string[], expected: readonly string[], path: string): ParamIssue[] {
  return levels.flatMap((l, i) => (l === expected[i] ? [] : [issue(`${path}.${i}.level`, 'rules_level_order', { expected: named(expected[i]!) })]));
}

export function semanticIssues<F extends Family>(family: F, params: RuleParams[F]): ParamIssue[] {
  const p = params as RuleParams[Family];
  switch (family) {
    case 'star': {
      const s = p as StarParams;
      const grades = levelOrderIssues(s.grades.map((g) => g.level), RATED_STARS, 'grades');
      if (grades.length) return grades;
      const ordered = checkAscending(s.grades, 'grades', ['minAvgBill'], (g) => g.level);
      const tenure = s.grades.flatMap((g, i) =>
        i > 0 && g.minTenureMonths < s.grades[i - 1]!.minTenureMonths
          ? [issue(`grades.${i}.minTenureMonths`, 'rules_threshold_order', { level: named(g.level), lower: named(s.grades[i - 1]!.level) })]
          : [],
      );
      return [...ordered, ...tenure];
    }
    case 'group_class': {
      const g = p as GroupClassParams;
      const order = levelOrderIssues(g.classes.map((c) => c.level), GROUP_CLASSES, 'classes');
      return order.length ? order : checkAscending(g.classes, 'classes', ['minMonthlyRevenue', 'minMembers'], (c) => c.level);
    }
    case 'credit': {
      const c = p as CreditParams;
      const out: ParamIssue[] = [];
      const sum = Object.values(c.weights).reduce((a, b) => a + b, 0);
      if (sum !== 100) out.push(issue('weights', 'rules_weights_sum', { sum }));
      const seen = new Set<string>();
      c.grades.forEach((g, i) => {
        if (seen.has(g.grade)) out.push(issue(`grades.${i}.grade`, 'rules_grade_duplicate', { grade: g.grade }));
        seen.add(g.grade);
        if (i > 0 && g.minScore >= c.grades[i - 1]!.minScore) {
          out.push(issue(`grades.${i}.minScore`, 'rules_score_order', { grade: g.grade, higher: c.grades[i - 1]!.grade }));
        }
      });
      const last = c.grades.length - 1;
      if (c.grades[last]!.minScore !== 0) out.push(issue(`grades.${last}.minScore`, 'rules_lowest_starts_at_zero', { level: c.grades[last]!.grade }));
      return out;
    }
    case 'benefits': {
      const b = p as BenefitsParams;
      const seen = new Set<string>();
      return b.benefits.flatMap((x, i) => {
        const dup = seen.has(x.code);
        seen.add(x.code);
        const pct = x.unit === 'percent' ? Object.entries(x.allowances).filter(([, v]) => (v ?? 0) > 100) : [];
        return [
          ...(dup ? [issue(`benefits.${i}.code`, 'rules_benefit_duplicate', { code: x.code })] : []),
          ...pct.map(([level]) => issue(`benefits.${i}.allowances.${level}`, 'rules_percent_range', {})),
        ];
      });
    }
    default:
      return [];
  }
}

/** The rank of a level within its kind (individual stars or group classes): higher is better. */
export function levelRank(level: string): number {
  const star = (STAR_LEVELS as readonly string[]).indexOf(level);
  return star >= 0 ? star : (GROUP_CLASSES as readonly string[]).indexOf(level);
}
