import { z } from 'zod';
import { FAMILIES, PARAMS_SCHEMAS, type Family } from './params.js';
import { MONTH_PATTERN } from '../../platform/months.js';

export const monthSchema = z.string().regex(MONTH_PATTERN, 'YYYY-MM').describe('A billing month, YYYY-MM');
export const familySchema = z.enum(FAMILIES);
export const familyParam = z.strictObject({ family: familySchema });

const versionBodyOf = <F extends Family>(family: F) =>
  z.strictObject({
    family: z.literal(family),
    effectiveFrom: monthSchema.describe('The first month this version applies to'),
    params: PARAMS_SCHEMAS[family],
    note: z.string().trim().max(500).nullish(),
    baseVersion: z.number().int().min(0).describe('The latest version the editor started from (a newer one gives 409)'),
  });

export const newVersionBody = z.discriminatedUnion('family', [
  versionBodyOf('star'),
  versionBodyOf('group_class'),
  versionBodyOf('credit'),
  versionBodyOf('points'),
  versionBodyOf('potential'),
  versionBodyOf('benefits'),
]);

export const ruleVersionSchema = z
  .object({
    id: z.number().int(),
    family: z.string(),
    version: z.number().int(),
    effectiveFrom: z.string(),
    params: z.unknown(),
    note: z.string().nullable(),
    createdBy: z.string().nullable().describe('User name of the author; null: the system (the first versions, DOMAIN.md §4)'),
    createdByName: z.string().nullable().describe('Display name of the author'),
    createdAt: z.date(),
  })
  .meta({ id: 'RuleVersion' });
