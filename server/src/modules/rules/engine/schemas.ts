import { z } from 'zod';
import { LEVELS, PARAMS_SCHEMAS } from '../params.js';
import { monthSchema } from '../schemas.js';

export const previewBody = z.strictObject({
  month: monthSchema,
  drafts: z
    .strictObject({
      star: PARAMS_SCHEMAS.star.optional(),
      group_class: PARAMS_SCHEMAS.group_class.optional(),
      credit: PARAMS_SCHEMAS.credit.optional(),
      points: PARAMS_SCHEMAS.points.optional(),
      potential: PARAMS_SCHEMAS.potential.optional(),
      benefits: PARAMS_SCHEMAS.benefits.optional(),
    })
    .optional()
    .describe('Unsaved parameters to try instead of the versions in effect'),
});

const counts = z.object({
  customers: z.number().int(),
  levels: z.record(z.string(), z.number().int()),
  creditGrades: z.record(z.string(), z.number().int()),
  pointsEarned: z.number().int(),
  pointsExpired: z.number().int(),
});

export const previewSchema = z
  .object({
    month: z.string(),
    versions: z.record(z.string(), z.number().int()),
    drafted: z.array(z.string()),
    comparedWith: z.string().nullable().describe('The month whose stored results are the "before"'),
    before: counts.nullable(),
    after: counts,
    matrix: z.array(z.object({ from: z.string().nullable(), to: z.string(), n: z.number().int() })),
    sample: z.array(
      z.object({ customerId: z.number().int(), customerNo: z.string(), name: z.string(), from: z.string().nullable(), to: z.string(), avgPaid: z.string() }),
    ),
    computeMs: z.number().int(),
  })
  .meta({ id: 'RulePreview' });

export const runBody = z.strictObject({ month: monthSchema });

export const runSchema = z
  .object({
    id: z.number().int(),
    month: z.string(),
    status: z.string(),
    trigger: z.string().optional(),
    versions: z.record(z.string(), z.number().int()).optional(),
    counts: z.record(z.string(), z.unknown()).optional(),
    error: z.string().nullable().optional(),
    durationMs: z.number().int().optional(),
    actor: z.string().nullable().optional().describe('User name'),
    actorName: z.string().nullable().optional().describe('Display name'),
    startedAt: z.date().optional(),
    rolledBackAt: z.date().nullable().optional(),
  })
  .meta({ id: 'RuleRun' });

export const factsMonthSchema = z
  .object({ month: z.string().describe('YYYY-MM'), rated: z.boolean().describe('A completed run rated the month') })
  .meta({ id: 'FactsMonth' });

const explanations = z.object({ level: z.string(), credit: z.string(), points: z.string() });
export const ratingSchema = z.object({
  month: z.string(),
  runId: z.number().int(),
  level: z.enum(LEVELS),
  levelName: z.string(),
  computedLevel: z.enum(LEVELS),
  belowMonths: z.number().int(),
  creditScore: z.number().int(),
  creditGrade: z.string(),
  overdraftLimit: z.string(),
  suspendGraceDays: z.number().int(),
  avgPaid: z.string(),
  paid: z.string(),
  pointsEarned: z.number().int(),
  pointsPromo: z.number().int(),
  pointsExpired: z.number().int(),
  versions: z.record(z.string(), z.number().int()),
  explanations,
});

export const customerRulesSchema = z
  .object({
    current: ratingSchema.nullable().describe('The results of the latest completed run, if the customer was rated in it'),
    pointsBalance: z.number().int(),
    history: z.array(ratingSchema),
  })
  .meta({ id: 'CustomerRules' });
