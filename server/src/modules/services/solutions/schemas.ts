/** 集团/个人解决方案: the catalogue of products and bundles, proposals for customers and the pipeline, at the edge. */
import { z } from 'zod';
import { pageQuery } from '../../../platform/http/list.js';
import { optionalReadableName, readableName } from '../../../platform/http/text.js';

export const PRODUCT_KINDS = ['product', 'bundle'] as const;
export const CATEGORIES = ['connectivity', 'cloud', 'ict', 'voice', 'messaging', 'iot', 'video', 'personal'] as const;
export const SOLUTION_KINDS = ['group', 'personal'] as const;
export type SolutionKind = (typeof SOLUTION_KINDS)[number];
export const STATUSES = ['draft', 'proposed', 'negotiating', 'signed', 'lost'] as const;
export type SolutionStatus = (typeof STATUSES)[number];

/** The moves of the status flow: forward one step, or to lost while still open; signed and lost are final. */
export const MOVES: Record<SolutionStatus, readonly SolutionStatus[]> = {
  draft: ['proposed', 'lost'],
  proposed: ['negotiating', 'lost'],
  negotiating: ['signed', 'lost'],
  signed: [],
  lost: [],
};
export const isOpen = (status: SolutionStatus) => MOVES[status].length > 0;

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const queryId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/**
 * Yuan a month per unit, a decimal string; at most 999 999.99, so that 50 items of 10 000 units each still
 * fit the numeric(14,2) of a solution's total.
 */
const fee = z
  .string()
  .regex(/^\d{1,6}(\.\d{1,2})?$/, 'yuan with up to two decimals, below one million')
  .describe('Yuan a month, a decimal string');
const quantity = z.number().int().min(1).max(10_000);

// ---- the catalogue (解决方案目录) ----

export const bundleItemSchema = z.object({
  productId: z.number().int(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  quantity: z.number().int(),
  monthlyFee: z.string().describe('The product’s standard fee a month, per unit'),
});

export const productSchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    kind: z.enum(PRODUCT_KINDS),
    category: z.enum(CATEGORIES),
    monthlyFee: z.string().describe('Standard fee a month in yuan'),
    description: z.string().nullable(),
    active: z.boolean(),
    items: z.array(bundleItemSchema).describe('The products of a bundle with their quantities; empty for a product'),
    version: z.number().int(),
    updatedAt: z.date(),
  })
  .meta({ id: 'SolutionProduct' });
export type Product = z.infer<typeof productSchema>;

export const productQuery = pageQuery.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  q: z.string().trim().max(60).optional().describe('Part of the code or of either name'),
  kind: z.enum(PRODUCT_KINDS).optional(),
  category: z.enum(CATEGORIES).optional(),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('Only offered (true) or withdrawn (false) products'),
});
export type ProductQuery = z.infer<typeof productQuery>;

const bundleItemsBody = z
  .array(z.strictObject({ productId: id, quantity }))
  .max(30)
  .describe('A bundle’s products (not bundles) with their quantities');

export const createProductBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$/, 'letters, digits, _ and -, 2 to 40 characters'),
  name: readableName(60),
  nameEn: optionalReadableName(100),
  kind: z.enum(PRODUCT_KINDS),
  category: z.enum(CATEGORIES),
  monthlyFee: fee,
  description: optionalReadableName(1000),
  active: z.boolean().default(true),
  items: bundleItemsBody.optional(),
});
export type CreateProduct = z.infer<typeof createProductBody>;

export const patchProductBody = z.strictObject({
  version: z.number().int().positive(),
  name: readableName(60).optional(),
  nameEn: optionalReadableName(100),
  category: z.enum(CATEGORIES).optional(),
  monthlyFee: fee.optional(),
  description: optionalReadableName(1000),
  active: z.boolean().optional().describe('false withdraws the product from new proposals (never deleted: proposals refer to it)'),
  items: bundleItemsBody.optional().describe('Replaces a bundle’s products'),
});
export type PatchProduct = z.infer<typeof patchProductBody>;
export type BundleItemInput = z.infer<typeof bundleItemsBody>[number];

// ---- solutions (方案) ----

export const solutionItemSchema = z.object({
  id: z.number().int(),
  productId: z.number().int(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  productKind: z.enum(PRODUCT_KINDS),
  category: z.enum(CATEGORIES),
  quantity: z.number().int(),
  monthlyFee: z.string().describe('The agreed fee a month per unit'),
  listFee: z.string().describe('The catalogue’s standard fee a month per unit'),
  amount: z.string().describe('quantity × monthlyFee'),
});

export const solutionSchema = z
  .object({
    id: z.number().int(),
    customerId: z.number().int(),
    customerNo: z.string(),
    customerName: z.string(),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    kind: z.enum(SOLUTION_KINDS),
    title: z.string(),
    status: z.enum(STATUSES),
    nextStatuses: z.array(z.enum(STATUSES)).describe('The moves the status flow allows from here'),
    expectedMonthlyRevenue: z.string().describe('Sum of quantity × agreed fee over the items, yuan a month'),
    lostReason: z.string().nullable(),
    ownerId: z.number().int().nullable(),
    owner: z.string().nullable().describe('User name of the owner'),
    ownerName: z.string().nullable().describe('Display name of the owner'),
    note: z.string().nullable(),
    proposedAt: z.date().nullable(),
    signedAt: z.date().nullable(),
    closedAt: z.date().nullable(),
    items: z.array(solutionItemSchema),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Solution' });
export type Solution = z.infer<typeof solutionSchema>;

const itemsBody = z
  .array(
    z.strictObject({
      productId: id,
      quantity,
      monthlyFee: fee.nullish().describe('The agreed fee a month per unit; the catalogue’s when left out'),
    }),
  )
  .max(50);
export type SolutionItemInput = z.infer<typeof itemsBody>[number];

export const createSolutionBody = z.strictObject({
  kind: z.enum(SOLUTION_KINDS).optional().describe('group for a group customer, personal for an individual; by the customer’s kind when left out'),
  title: readableName(100),
  ownerId: id.nullish().describe('An active user of your unit or below; yourself when left out'),
  note: optionalReadableName(1000),
  items: itemsBody.default([]),
});
export type CreateSolution = z.infer<typeof createSolutionBody>;

export const patchSolutionBody = z.strictObject({
  version: z.number().int().positive(),
  title: readableName(100).optional(),
  ownerId: id.optional(),
  note: optionalReadableName(1000),
  items: itemsBody.optional().describe('Replaces the items (only before the solution is signed or lost)'),
});
export type PatchSolution = z.infer<typeof patchSolutionBody>;

export const statusBody = z.strictObject({
  version: z.number().int().positive(),
  status: z.enum(STATUSES),
  reason: optionalReadableName(500).describe('Why the solution was lost: required to mark it lost'),
});
export type StatusInput = z.infer<typeof statusBody>;

const filters = {
  kind: z.enum(SOLUTION_KINDS).optional(),
  ownerId: queryId.optional(),
  unitId: queryId.optional().describe('Customers of this unit and its sub-units'),
};

export const solutionQuery = pageQuery.extend({
  ...filters,
  status: z.enum(STATUSES).optional(),
  customerId: queryId.optional(),
  q: z.string().trim().max(60).optional().describe('Part of the title, the customer’s name or number'),
});
export type SolutionQuery = z.infer<typeof solutionQuery>;

export const customerSolutionsQuery = pageQuery.extend({ status: z.enum(STATUSES).optional() });
export type CustomerSolutionsQuery = z.infer<typeof customerSolutionsQuery>;

export const PIPELINE_BY = ['unit', 'owner'] as const;
export const pipelineQuery = z.object({
  ...filters,
  by: z.enum(PIPELINE_BY).default('unit').describe('Rows per sub-unit of the unit asked for (or of yours), or per owner'),
});
export type PipelineQuery = z.infer<typeof pipelineQuery>;

const figure = z.object({ status: z.enum(STATUSES), count: z.number().int(), revenue: z.string().describe('Expected monthly revenue, yuan') });
export type Figure = z.infer<typeof figure>;

export const pipelineSchema = z
  .object({
    unitId: z.number().int().describe('The unit whose sub-units the rows are (by unit)'),
    statuses: z.array(figure).describe('Every status in flow order, with its count and expected monthly revenue'),
    rows: z.array(
      z.object({
        id: z.number().int().nullable().describe('The sub-unit or owner; null: solutions without an owner'),
        name: z.string().nullable(),
        nameEn: z.string().nullable(),
        statuses: z.array(figure),
      }),
    ),
  })
  .meta({ id: 'SolutionPipeline' });
export type Pipeline = z.infer<typeof pipelineSchema>;
