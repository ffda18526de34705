import { z } from 'zod';
import { DIMENSIONS, INDICATOR_GROUPS, INDICATOR_SOURCES, INDICATOR_UNITS } from './catalogue.js';
import { DERIVED_OPS } from './derived.js';
import { MAX_DIMENSIONS, MAX_INDICATORS } from './engine.js';

const localized = z.object({ 'zh-CN': z.string(), 'en-US': z.string() });
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
const dimension = z.enum(DIMENSIONS);
const code = z.string().regex(/^[a-z][a-z0-9_]{1,62}$/, 'snake_case');
const filters = z.partialRecord(dimension, z.array(z.string().min(1).max(100)).min(1).max(200));

export const indicatorSchema = z.object({
  code: z.string(),
  group: z.enum(INDICATOR_GROUPS),
  name: localized,
  definition: localized,
  formula: localized,
  unit: z.enum(INDICATOR_UNITS),
  dimensions: z.array(dimension),
  source: z.enum(INDICATOR_SOURCES),
  reads: z.enum(['rollup', 'raw']),
  direction: z.enum(['higher', 'lower', 'neutral']),
  derived: z.boolean(),
  /** derived indicators only: the stored record */
  id: z.number().int().nullable(),
  version: z.number().int().nullable(),
  definedAs: z
    .object({ op: z.enum(DERIVED_OPS), left: z.string(), right: z.string().optional(), scale: z.number().optional(), filter: filters.optional() })
    .nullable(),
}).meta({ id: 'AnalysisIndicator' });
export type IndicatorOut = z.infer<typeof indicatorSchema>;

export const codeParam = z.object({ code });

const formulaInput = z.object({
  op: z.enum(DERIVED_OPS),
  left: code,
  right: code.optional(),
  scale: z.number().positive().max(1_000_000).optional(),
  filter: filters.optional(),
});
const derivedFields = {
  group: z.enum(INDICATOR_GROUPS),
  nameZh: z.string().trim().min(1).max(60),
  nameEn: z.string().trim().min(1).max(100),
  definitionZh: z.string().trim().min(1).max(1000),
  definitionEn: z.string().trim().min(1).max(1000),
  unit: z.enum(INDICATOR_UNITS),
  direction: z.enum(['higher', 'lower', 'neutral']),
  formula: formulaInput,
};
export const createDerivedBody = z.object({ code, ...derivedFields });
export const updateDerivedBody = z.object({ version: z.number().int().positive(), ...derivedFields });
export const deleteDerivedQuery = z.object({ version: z.coerce.number().int().positive() });
export type CreateDerived = z.infer<typeof createDerivedBody>;
export type UpdateDerived = z.infer<typeof updateDerivedBody>;

export const exportQuery = z.object({ format: z.enum(['xlsx', 'md']).default('xlsx') });

export const evaluateBody = z.object({
  indicators: z.array(z.string().min(1).max(64)).min(1).max(MAX_INDICATORS),
  dimensions: z.array(dimension).max(MAX_DIMENSIONS).default([]),
  from: month,
  to: month,
  filters: filters.optional(),
});
const keyMap = z.partialRecord(dimension, z.string().nullable());
export const evaluateSchema = z.object({
  rows: z.array(
    z.object({
      keys: keyMap,
      labels: keyMap.describe('Names of units (Chinese) and managers; other dimensions are codes named by the catalogues'),
      labelsEn: keyMap.describe('English names of units where they have one (city, county); absent for the rest'),
      values: z.record(z.string(), z.number().nullable()),
    }),
  ),
  totals: z.record(z.string(), z.number().nullable()),
}).meta({ id: 'AnalysisIndicatorResult' });

export const drillQuery = z.object({
  indicator: z.string().min(1).max(64),
  from: month,
  to: month,
  city: z.string().max(20).optional(),
  county: z.string().max(20).optional(),
  level: z.string().max(20).optional(),
  industry: z.string().max(20).optional(),
  brand: z.string().max(20).optional(),
  manager: z.string().max(20).optional(),
  month: month.optional(),
  archive: z.string().max(20).optional(),
  kind: z.string().max(20).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const drillSchema = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      customerNo: z.string(),
      name: z.string(),
      kind: z.string(),
      unitId: z.number(),
      unitName: z.string(),
      unitNameEn: z.string().nullable(),
      managerId: z.number().nullable(),
      managerName: z.string().nullable(),
      level: z.string().nullable(),
    }),
  ),
  total: z.number(),
}).meta({ id: 'AnalysisDrill' });

export const monthParam = z.object({ month });
export const refreshSchema = z.object({ month: z.string(), rows: z.number(), durationMs: z.number() });
