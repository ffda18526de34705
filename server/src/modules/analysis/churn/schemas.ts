/** 流失预警 at the edge: the models with their validation figures, the scores with their reasons. */
import { z } from 'zod';
import { pageQuery } from '../../../platform/http/list.js';
import { FEATURES } from './features.js';

export const BANDS = ['high', 'medium', 'low'] as const;
export type Band = (typeof BANDS)[number];

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const figuresSchema = z
  .object({
    auc: z.number().describe('Area under the ROC curve on the validation month (0.5: no better than chance)'),
    topDecilePrecision: z.number().describe('Share of the top-scored tenth of the validation month that did leave'),
    lift: z.number().describe('topDecilePrecision ÷ baseRate'),
    baseRate: z.number().describe('Share of the validation month that left within the horizon'),
    trainRows: z.number().int(),
    trainPositives: z.number().int(),
    validationRows: z.number().int(),
    validationPositives: z.number().int(),
    sampleRate: z.number().describe('Share of the customers sampled for training and validation (1: all)'),
    trainSeconds: z.number(),
  })
  .meta({ id: 'ChurnFigures' });
export type Figures = z.infer<typeof figuresSchema>;

export const modelSchema = z
  .object({
    id: z.number().int(),
    features: z.array(z.enum(FEATURES)),
    coefficients: z.array(z.number()).describe('Per standardised feature, in the order of features: the change of the log-odds per standard deviation'),
    means: z.array(z.number()),
    sds: z.array(z.number()),
    intercept: z.number(),
    trainFrom: z.string().describe('YYYY-MM: first feature month of the training rows'),
    trainTo: z.string(),
    validationMonth: z.string().describe('YYYY-MM: the held-out later month the figures are measured on'),
    horizonMonths: z.number().int().describe('A customer counts as leaving when it leaves within this many months after the feature month'),
    highThreshold: z.number().describe('The score at which the validation month’s top 5 % began (a scored month’s bands are by rank: top 5 % high)'),
    mediumThreshold: z.number().describe('The score at which the validation month’s top 20 % began (top 5–20 %: medium)'),
    figures: figuresSchema,
    createdAt: z.date(),
  })
  .meta({ id: 'ChurnModel' });
export type ChurnModel = z.infer<typeof modelSchema>;

export const reasonSchema = z
  .object({
    feature: z.enum(FEATURES),
    value: z.number().describe('The feature’s value (changes as fractions: −0.42 is down 42 %)'),
    contribution: z.number().describe('coefficient × standardised value: how much it raises the log-odds'),
  })
  .meta({ id: 'ChurnReason' });

export const scoreSchema = z
  .object({
    month: z.string().describe('YYYY-MM'),
    customerId: z.number().int(),
    customerNo: z.string(),
    customerName: z.string(),
    unitId: z.number().int(),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    managerId: z.number().int().nullable(),
    managerName: z.string().nullable(),
    modelId: z.number().int(),
    score: z.number().describe('Probability of leaving within the model’s horizon'),
    band: z.enum(BANDS).describe('high: the top 5 % of the month’s scores; medium: the next 15 %; low: the rest'),
    reasons: z.array(reasonSchema).describe('Up to 3 features raising the score most, largest first'),
  })
  .meta({ id: 'ChurnScore' });
export type ChurnScore = z.infer<typeof scoreSchema>;

export const scoresQuery = pageQuery.extend({
  month: month.optional().describe('By default the latest scored month'),
  band: z.enum(BANDS).optional(),
  unitId: id.optional().describe('Customers of this unit’s subtree (within yours)'),
  managerId: id.optional(),
});
export type ScoresQuery = z.infer<typeof scoresQuery>;

export const trainBody = z.strictObject({
  horizonMonths: z.number().int().min(1).max(3).default(2).describe('Leaving within this many months after the feature month'),
});
export type TrainInput = z.infer<typeof trainBody>;

export const scoreBody = z.strictObject({
  month: month.optional().describe('By default the latest month with facts'),
  modelId: z.number().int().positive().optional().describe('By default the latest model'),
});
export type ScoreInput = z.infer<typeof scoreBody>;

export const scoreRunSchema = z.object({ month: z.string(), modelId: z.number().int(), scored: z.number().int(), high: z.number().int(), medium: z.number().int() }).meta({ id: 'ChurnScoreRun' });

export const customerHistorySchema = z
  .object({ customerId: z.number().int(), items: z.array(scoreSchema.pick({ month: true, modelId: true, score: true, band: true, reasons: true })) })
  .meta({ id: 'ChurnCustomerHistory' });

export const handBody = z.strictObject({
  month: month.optional().describe('By default the latest scored month'),
  unitId: z.number().int().positive().optional().describe('Only customers of this unit’s subtree (within yours)'),
  dueOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').describe('The tasks’ due day'),
  title: z.string().trim().min(1).max(200).optional().describe('By default 流失预警客户挽留 YYYY-MM'),
});
export type HandInput = z.infer<typeof handBody>;
export const handResultSchema = z.object({ tasks: z.array(z.object({ id: z.number().int(), managerId: z.number().int(), customers: z.number().int() })) }).meta({ id: 'ChurnHandResult' });
