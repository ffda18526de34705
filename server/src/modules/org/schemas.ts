import { z } from 'zod';
import { pageQuery } from '../../platform/http/list.js';
import { optionalReadableName, readableName } from '../../platform/http/text.js';

/** 组织层级: the order in which unit kinds nest. */
export const UNIT_KINDS = ['hq', 'province', 'city', 'county', 'outlet'] as const;
export const unitKind = z.enum(UNIT_KINDS);
export type UnitKind = z.infer<typeof unitKind>;

const name = readableName(100);
const nameEn = optionalReadableName(100);

export const orgUnitSchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    kind: unitKind,
    parentId: z.number().int().nullable(),
    path: z.string(),
    active: z.boolean(),
    userCount: z.number().int(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'OrgUnit' });
export type OrgUnit = z.infer<typeof orgUnitSchema>;

export const createUnitBody = z.strictObject({
  code: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
  name,
  nameEn,
  kind: unitKind,
  parentId: z.number().int().positive(),
});
export type CreateUnit = z.infer<typeof createUnitBody>;

export const patchUnitBody = z.strictObject({
  version: z.number().int().positive(),
  name: name.optional(),
  nameEn,
  parentId: z.number().int().positive().optional(),
  active: z.boolean().optional(),
});
export type PatchUnit = z.infer<typeof patchUnitBody>;

export const listUnitsQuery = pageQuery.extend({
  limit: z.coerce.number().int().min(1).max(5000).default(5000),
  q: z.string().trim().max(100).optional(),
  active: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /**
   * Whose units: `own` (default) the reader's data scope; `customers` the units whose key accounts the reader
   * reads, wider for a service agent, who serves the whole area of their outlet (customers.read_area).
   */
  scope: z.enum(['own', 'customers']).default('own'),
});
export type ListUnitsQuery = z.infer<typeof listUnitsQuery>;
