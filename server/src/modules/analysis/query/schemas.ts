/** 综合查询 at the edge. The tree is checked by tree.ts (checkTree), which names the path of each bad condition. */
import { z } from 'zod';
import { AGGREGATES, MEASURES, OPERATORS } from './tree.js';

/**
 * The condition tree: a group `{ match: 'all' | 'any', conditions: [...] }` whose conditions are groups (nested at
 * most 3 levels) or conditions — on a profile field `{ field, op, value }` or on a measure over a period
 * `{ measure, aggregate, period: { lastMonths } | { from, to }, op, value }`. Checked in full by the service, which
 * answers 400 query_tree_invalid naming each bad condition by its path (body.tree.conditions[1].conditions[0].value).
 */
export const treeInput = z
  .record(z.string(), z.unknown())
  .describe('The condition tree: { match: "all"|"any", conditions: [ { field, op, value } | { measure, aggregate, period, op, value } | group ] }, see GET /api/analysis/query/fields');

export const runQueryBody = z.strictObject({
  tree: treeInput,
  offset: z.number().int().min(0).max(1_000_000).default(0),
  limit: z.number().int().min(1).max(200).default(20),
});

const period = z.union([z.object({ lastMonths: z.number().int() }), z.object({ from: z.string(), to: z.string() })]);

/** A customer as the query's results and a target group's members list it. */
export const customerRowSchema = z.object({
  id: z.number().int(),
  customerNo: z.string(),
  name: z.string(),
  kind: z.string(),
  unitName: z.string(),
  unitNameEn: z.string().nullable(),
  managerName: z.string().nullable(),
  level: z.string().nullable(),
});

export const queryResultSchema = z
  .object({
    total: z.number().int(),
    latestMonth: z.string().describe('The latest month with facts (YYYY-MM): "last N months" end there'),
    measures: z.array(z.object({ key: z.string(), measure: z.enum(Object.keys(MEASURES) as [keyof typeof MEASURES]), aggregate: z.enum(AGGREGATES), period })),
    items: z.array(
      customerRowSchema.extend({
        measures: z.record(z.string(), z.number().nullable()).describe('The value of each measure condition, by its key (m0, m1, … in tree order)'),
      }),
    ),
  })
  .meta({ id: 'AnalysisQueryResult' });
export type QueryResult = z.infer<typeof queryResultSchema>;

export const fieldsSchema = z
  .object({
    fields: z.array(z.object({ field: z.string(), type: z.string(), operators: z.array(z.enum(OPERATORS)), values: z.array(z.string()).optional() })),
    measures: z.array(z.object({ measure: z.string(), source: z.enum(['totals', 'facts']) })),
    aggregates: z.array(z.enum(AGGREGATES)),
    measureOperators: z.array(z.enum(OPERATORS)),
    latestMonth: z.string().nullable(),
  })
  .meta({ id: 'AnalysisQueryFields' });

const name = z.string().trim().min(1).max(100);
export const savedQueryBody = z.strictObject({ name, tree: treeInput, shared: z.boolean().optional().describe('Visible to the users of your unit subtree with analysis.query') });
export type SavedQueryInput = z.infer<typeof savedQueryBody>;
export const savedQueryPatch = z.strictObject({ version: z.number().int().positive(), name: name.optional(), tree: treeInput.optional(), shared: z.boolean().optional() });
export type SavedQueryPatch = z.infer<typeof savedQueryPatch>;
export const versionQuery = z.object({ version: z.coerce.number().int().positive().max(2_147_483_647).optional().describe('The version read (required): a change since answers 409') });

export const savedQuerySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    tree: z.record(z.string(), z.unknown()),
    shared: z.boolean(),
    ownerId: z.number().int(),
    ownerName: z.string(),
    unitId: z.number().int(),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    mine: z.boolean().describe('Yours: you may change or delete it'),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'AnalysisSavedQuery' });
export type SavedQuery = z.infer<typeof savedQuerySchema>;
