/** 权益: per-level yearly allowances, the eligibility check and recorded uses at the edge. */
import { z } from 'zod';
import { LEVELS } from '../params.js';

export const ELIGIBILITY_REASONS = ['ok', 'benefit_no_level', 'benefit_not_eligible', 'benefit_exhausted'] as const;
export type EligibilityReason = (typeof ELIGIBILITY_REASONS)[number];

export const benefitParam = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  code: z.string().min(1).max(60).describe('A benefit code of the benefits rules, e.g. vip_lounge'),
});

const benefitStatus = {
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  unit: z.enum(['times_per_year', 'flag', 'percent']),
  allowance: z.number().int().describe('For the customer’s level: uses per year, 1 for a flag, or the percentage; 0 when the level has none'),
  used: z.number().int().describe('Uses recorded this calendar year (Asia/Shanghai)'),
  remaining: z.number().int().nullable().describe('Uses left this year; null for flags and percentages, which are not counted'),
  eligible: z.boolean(),
  reason: z.enum(ELIGIBILITY_REASONS).describe('ok, or the code of why not'),
};

export const benefitStatusSchema = z.object(benefitStatus).meta({ id: 'BenefitStatus' });
export type BenefitStatus = z.infer<typeof benefitStatusSchema>;

const levelFields = {
  customerId: z.number().int(),
  level: z.enum(LEVELS).nullable().describe('The level of the latest completed run (or a confirmed candidate’s level since it)'),
  levelName: z.string().nullable(),
  year: z.number().int(),
};

export const customerBenefitsSchema = z
  .object({
    ...levelFields,
    ratedMonth: z.string().nullable().describe('The month of the run the level comes from, YYYY-MM'),
    rulesVersion: z.number().int().describe('The version of the benefits rules in effect this month'),
    benefits: z.array(benefitStatusSchema),
  })
  .meta({ id: 'CustomerBenefits' });

export const eligibilitySchema = z.object({ ...levelFields, ...benefitStatus }).meta({ id: 'BenefitEligibility' });
export type Eligibility = z.infer<typeof eligibilitySchema>;

export const useBody = z.strictObject({
  quantity: z.number().int().min(1).max(100).default(1),
  note: z.string().trim().max(200).nullish().describe('Where and what, e.g. 白云机场 T2 贵宾厅'),
});
export type UseInput = z.infer<typeof useBody>;

export const usageSchema = z
  .object({
    usage: z.object({ id: z.number().int(), quantity: z.number().int(), note: z.string().nullable(), at: z.date() }),
    eligibility: eligibilitySchema,
  })
  .meta({ id: 'BenefitUsage' });
