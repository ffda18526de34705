/** 业绩考核: scorecards, their lines and the records behind a figure, the weights and targets of a unit, at the edge. */
import { z } from 'zod';
import { pageQuery } from '../../../platform/http/list.js';
import { MONTH_PATTERN } from '../../../platform/months.js';
import { INDICATOR_CODES, INDICATOR_GROUPS, INDICATOR_UNITS } from './indicators.js';

const month = z.string().regex(MONTH_PATTERN, 'YYYY-MM').describe('A month, YYYY-MM (Asia/Shanghai)');
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const decimal = z.string().describe('A decimal number as text');
const localized = z.object({ 'zh-CN': z.string(), 'en-US': z.string() });

export const indicatorSchema = z
  .object({
    code: z.enum(INDICATOR_CODES),
    group: z.enum(INDICATOR_GROUPS),
    name: localized,
    definition: localized,
    unit: z.enum(INDICATOR_UNITS).describe('yuan 元 · percent % · times 次 · accounts 户 · points 分'),
    direction: z.enum(['higher', 'lower']).describe('Whether a higher or a lower value is better'),
    weight: z.number().describe('Default weight, percent of the total'),
    target: z.number().describe('Default target'),
  })
  .meta({ id: 'ScorecardIndicator' });

export const scorecardSchema = z
  .object({
    id: z.number().int(),
    month,
    managerId: z.number().int(),
    managerName: z.string(),
    unitId: z.number().int(),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    status: z.enum(['open', 'closed']),
    totalScore: z.number(),
    unitRank: z.number().int().nullable().describe('Place among the unit’s scorecards of the month (1 = best; ties share a place)'),
    unitSize: z.number().int().describe('Scorecards of the unit in the month'),
    business: z.number().describe('Score of the business-ability indicators (业务能力)'),
    work: z.number().describe('Score of the work indicators (工作量)'),
    service: z.number().describe('Score of the service-outcome indicators (服务成效)'),
    revision: z.number().int().describe('1, plus one per recomputation of the closed card'),
    computedAt: z.date(),
    closedAt: z.date().nullable(),
    closedByName: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Scorecard' });
export type Scorecard = z.infer<typeof scorecardSchema>;

/** What names an indicator on a line and in the weights: its code and group, names, unit and direction (indicators.ts). */
const indicatorFields = {
  indicator: z.enum(INDICATOR_CODES),
  group: z.enum(INDICATOR_GROUPS),
  name: z.string(),
  nameEn: z.string(),
  unit: z.enum(INDICATOR_UNITS),
  direction: z.enum(['higher', 'lower']),
};

export const lineSchema = z
  .object({
    ...indicatorFields,
    value: decimal.nullable().describe('The figure; null when the manager had no data for it (achievement 0)'),
    target: decimal,
    weight: z.number(),
    score: z.number(),
    achievement: z.number().nullable().describe('value / target (target / value when lower is better), uncapped; null without data'),
    credited: z.number().describe('The achievement the score credits: capped to 0–1.2'),
    previousValue: decimal.nullable().describe('Before the last recomputation of the closed card'),
    previousScore: z.number().nullable(),
  })
  .meta({ id: 'ScorecardLine' });
export type Line = z.infer<typeof lineSchema>;

export const scorecardDetailSchema = scorecardSchema.extend({ lines: z.array(lineSchema) }).meta({ id: 'ScorecardDetail' });
export type ScorecardDetail = z.infer<typeof scorecardDetailSchema>;

export const listQuery = pageQuery.extend({
  month: month.optional().describe('The month; all months when absent'),
  unitId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().describe('Scorecards of this unit and its sub-units'),
  managerId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});
export type ListQuery = z.infer<typeof listQuery>;

export const runBody = z.strictObject({ month });
export const runResultSchema = z
  .object({
    month,
    computed: z.number().int().describe('Open scorecards computed'),
    closed: z.number().int().describe('Closed scorecards of the month left as they were'),
    base: month.describe('The month revenue growth compared with'),
    ms: z.number().int(),
  })
  .meta({ id: 'ScorecardRunResult' });
export type RunResult = z.infer<typeof runResultSchema>;

export const closeBody = z.strictObject({ month, unitId: id });
export const closeResultSchema = z.object({ month, unitId: z.number().int(), closed: z.number().int() }).meta({ id: 'ScorecardCloseResult' });

export const recomputeResultSchema = z
  .object({
    scorecard: scorecardDetailSchema,
    previousTotal: z.number(),
    differences: z.array(
      z.object({
        indicator: z.enum(INDICATOR_CODES),
        previousValue: decimal.nullable(),
        value: decimal.nullable(),
        previousScore: z.number(),
        score: z.number(),
      }),
    ),
  })
  .meta({ id: 'ScorecardRecomputation' });
export type RecomputeResult = z.infer<typeof recomputeResultSchema>;

export const RECORD_ENTITIES = ['customer', 'solution', 'plan_item', 'work_log', 'visit', 'task_assignment', 'service_request', 'survey', 'lifecycle_event'] as const;
export const recordSchema = z
  .object({
    entity: z.enum(RECORD_ENTITIES),
    recordId: z.number().int(),
    customerId: z.number().int().nullable(),
    customerNo: z.string().nullable(),
    customerName: z.string().nullable(),
    on: z.string().nullable().describe('The record’s day: planned, logged, due, raised, effective …'),
    doneOn: z.string().nullable().describe('Submitted, resolved or answered on'),
    kind: z.string().nullable().describe('Plan item or log kind, visit channel, request type, lifecycle reason, customer kind'),
    status: z.string().nullable(),
    title: z.string().nullable(),
    amount: decimal.nullable().describe('Revenue of the month (元), the solution’s expected monthly revenue, or the survey score'),
    baseAmount: decimal.nullable().describe('Revenue of the month growth compares with'),
    counted: z.boolean().describe('Whether the record counts toward the figure’s numerator (done, on time, met …)'),
  })
  .meta({ id: 'ScorecardRecord' });
export type ScoreRecord = z.infer<typeof recordSchema>;
export const recordParams = z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER), indicator: z.enum(INDICATOR_CODES) });

export const weightLineSchema = z.object({
  ...indicatorFields,
  weight: z.number(),
  target: z.number(),
  defaultWeight: z.number(),
  defaultTarget: z.number(),
});
export const weightsSchema = z
  .object({
    unitId: z.number().int(),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    source: z.enum(['own', 'inherited', 'default']).describe('The unit’s own settings, its nearest ancestor’s, or the defaults'),
    sourceUnitId: z.number().int().nullable(),
    sourceUnitName: z.string().nullable(),
    sourceUnitNameEn: z.string().nullable(),
    version: z.number().int().describe('Of the unit’s own settings; 0 when it has none'),
    sum: z.number().describe('Sum of the weights (100)'),
    lines: z.array(weightLineSchema),
  })
  .meta({ id: 'ScorecardWeights' });
export type Weights = z.infer<typeof weightsSchema>;

export const weightsBody = z
  .strictObject({
    version: z.number().int().min(0).describe('The version read; 0 when the unit had no settings of its own'),
    lines: z
      .array(
        z.strictObject({
          indicator: z.enum(INDICATOR_CODES),
          weight: z.number().min(0).max(100).describe("Percent of the total, to two decimals"),
          target: z.number().positive().max(1e11),
        }),
      )
      .min(1)
      .max(INDICATOR_CODES.length),
  });
export type WeightsInput = z.infer<typeof weightsBody>;
export const versionQuery = z.object({ version: z.coerce.number().int().min(1).optional().describe('The version of the unit’s own settings read (required)') });
