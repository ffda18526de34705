/** 综合统计 at the edge: the pivot asked for (indicators × ≤3 dimensions over a period, compared) and its answer. */
import { z } from 'zod';
import { MONTH_PATTERN, monthsBetween } from '../../../platform/months.js';
import { DIMENSIONS } from '../indicators/catalogue.js';

/** The longest period a pivot or dashboard takes (the engine reads every month of it, and twice that with comparisons). */
export const MAX_MONTHS = 36;

export const COMPARES = ['none', 'previous', 'year', 'both'] as const;
export type Compare = (typeof COMPARES)[number];

const month = z.string().regex(MONTH_PATTERN, 'YYYY-MM');
const code = z.string().trim().min(1).max(64).regex(/^[a-z][a-z0-9_]*$/, 'snake_case indicator code');

/** A filter: keep only these keys of a dimension (ids as text for city/county/manager). */
export const filtersSchema = z.partialRecord(z.enum(DIMENSIONS), z.array(z.string().trim().min(1).max(64)).min(1).max(200));

export const statisticsBody = z
  .strictObject({
    indicators: z.array(code).min(1).max(6).describe('Catalogue codes (GET /api/analysis/indicators), 1 to 6'),
    dimensions: z.array(z.enum(DIMENSIONS)).max(3).default([]).describe('Up to three dimensions; the rows are the combinations present'),
    from: month.describe('First month of the period (YYYY-MM)'),
    to: month.describe('Last month of the period (YYYY-MM), inclusive'),
    compare: z
      .enum(COMPARES)
      .default('both')
      .describe('previous: 环比 (the period just before, of the same length; with the month dimension, each month against the month before); year: 同比 (the same months a year before); both'),
    filters: filtersSchema.optional(),
  })
  .superRefine((b, ctx) => {
    if (new Set(b.dimensions).size !== b.dimensions.length) ctx.addIssue({ code: 'custom', path: ['dimensions'], message: 'each dimension once', params: { code: 'statistics_dimension_repeated' } });
    if (new Set(b.indicators).size !== b.indicators.length) ctx.addIssue({ code: 'custom', path: ['indicators'], message: 'each indicator once', params: { code: 'statistics_indicator_repeated' } });
    if (b.from > b.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to is before from', params: { code: 'statistics_period_reversed' } });
    else if (monthsBetween(b.from, b.to) >= MAX_MONTHS) ctx.addIssue({ code: 'custom', path: ['to'], message: 'period too long', params: { code: 'statistics_period_too_long' } });
  });
export type StatisticsInput = z.infer<typeof statisticsBody>;

export const exportQuery = z.strictObject({ format: z.enum(['xlsx', 'csv']).default('xlsx') });

const values = z.record(z.string(), z.number().nullable());
const keys = z.record(z.string(), z.string().nullable());

/** One figure set: the values of the period, the comparison periods' values and the changes (absolute, percent). */
export const figuresSchema = z.object({
  values,
  previous: values.optional().describe('环比: the values of the previous period'),
  previousChange: values.optional(),
  previousPct: values.optional().describe('Percent change against the previous period (null when that was 0 or missing)'),
  yearAgo: values.optional().describe('同比: the values of the same period a year before'),
  yearChange: values.optional(),
  yearPct: values.optional(),
});
export type Figures = z.infer<typeof figuresSchema>;

export const statisticsRowSchema = figuresSchema.extend({
  keys: keys.describe('The dimension keys (codes; ids as text for city/county/manager)'),
  labels: keys.describe('Names of units (Chinese) and managers'),
  labelsEn: keys.describe('English names of units where they have one (city, county)'),
});
export type StatisticsRow = z.infer<typeof statisticsRowSchema>;

export const statisticsSchema = z
  .object({
    indicators: z.array(z.object({ code: z.string(), name: z.string(), unit: z.string(), direction: z.string() })),
    dimensions: z.array(z.string()),
    from: z.string(),
    to: z.string(),
    compare: z.enum(COMPARES),
    previousPeriod: z.object({ from: z.string(), to: z.string() }).nullable().describe('The months 环比 compares with (per month: each month’s previous month)'),
    yearPeriod: z.object({ from: z.string(), to: z.string() }).nullable(),
    rows: z.array(statisticsRowSchema),
    subtotals: z.array(statisticsRowSchema).describe('Per value of the first dimension (with two or more dimensions), computed, not summed: ratios stay ratios'),
    total: figuresSchema,
  })
  .meta({ id: 'AnalysisStatistics' });
export type Statistics = z.infer<typeof statisticsSchema>;
