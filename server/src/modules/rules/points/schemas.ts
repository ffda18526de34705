/** 积分: the account, its ledger, redemption, adjustment and the redemption catalogue at the edge. */
import { z } from 'zod';
import { pageQuery } from '../../../platform/http/list.js';
import { readableName } from '../../../platform/http/text.js';

/** Largest single redemption or adjustment: far above any real one, far below the int4 columns. */
export const MAX_POINTS = 10_000_000;

export const pointsAccountSchema = z
  .object({
    customerId: z.number().int(),
    balance: z.number().int(),
    earned: z.number().int().describe('Consumption and promotional points ever credited'),
    redeemed: z.number().int(),
    expired: z.number().int(),
    adjusted: z.number().int().describe('Signed sum of the manual adjustments'),
    valueYuan: z.string().describe('What the balance is worth in yuan at the points rules in effect (decimal string)'),
    yuanPer100Points: z.number(),
    updatedAt: z.date().nullable(),
  })
  .meta({ id: 'PointsAccount' });
export type PointsAccount = z.infer<typeof pointsAccountSchema>;

export const LEDGER_KINDS = ['earn', 'promo', 'redeem', 'expire', 'adjust'] as const;

export const ledgerEntrySchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(LEDGER_KINDS),
    points: z.number().int().describe('Signed: credits positive, redemptions and expiry negative'),
    month: z.string().nullable().describe('The run month of earn / promo / expire entries, YYYY-MM'),
    runId: z.number().int().nullable(),
    catalogueItemId: z.number().int().nullable(),
    itemName: z.string().nullable(),
    itemNameEn: z.string().nullable(),
    quantity: z.number().int().nullable(),
    reason: z.string().nullable(),
    actor: z.string().nullable().describe('User name'),
    actorName: z.string().nullable().describe('Display name'),
    at: z.date(),
  })
  .meta({ id: 'PointsLedgerEntry' });
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export const ledgerQuery = pageQuery.omit({ fields: true }).extend({
  kind: z.enum(LEDGER_KINDS).optional().describe('Only entries of this kind'),
});

export const redeemBody = z.strictObject({
  itemId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).describe('A catalogue item'),
  quantity: z.number().int().min(1).max(100).default(1),
});
export type RedeemInput = z.infer<typeof redeemBody>;

export const adjustBody = z.strictObject({
  points: z
    .number()
    .int()
    .min(-MAX_POINTS)
    .max(MAX_POINTS)
    .refine((n) => n !== 0, 'a non-zero number of points')
    .describe('Signed: positive credits, negative debits (never below a zero balance)'),
  reason: z.string().trim().min(2).max(200).describe('Why (kept in the ledger and the audit trail)'),
});

/** 赠送积分 from a campaign, a partner or an event: always positive, with the occasion as the reason. */
export const promoBody = z.strictObject({
  points: z.number().int().min(1).max(MAX_POINTS),
  reason: z.string().trim().min(2).max(200).describe('The campaign, partner or occasion (kept in the ledger and the audit trail)'),
});
export type AdjustInput = z.infer<typeof adjustBody>;

export const movementSchema = z
  .object({ account: pointsAccountSchema, entry: ledgerEntrySchema })
  .meta({ id: 'PointsMovement' });

export const catalogueItemSchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    points: z.number().int(),
    active: z.boolean(),
    version: z.number().int(),
    updatedAt: z.date(),
  })
  .meta({ id: 'PointsCatalogueItem' });
export type CatalogueItem = z.infer<typeof catalogueItemSchema>;

export const catalogueQuery = pageQuery.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('Only offered (true) or withdrawn (false) items'),
});
export type CatalogueQuery = z.infer<typeof catalogueQuery>;

const itemName = readableName(60);
const itemNameEn = readableName(80).nullish();
const itemPoints = z.number().int().min(1).max(MAX_POINTS / 100).describe('Points per unit');

export const createItemBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{1,39}$/, 'lower-case letters, digits, _ and -, 2 to 40 characters'),
  name: itemName,
  nameEn: itemNameEn,
  points: itemPoints,
});
export type CreateItem = z.infer<typeof createItemBody>;

export const patchItemBody = z.strictObject({
  version: z.number().int().positive(),
  name: itemName.optional(),
  nameEn: itemNameEn,
  points: itemPoints.optional(),
  active: z.boolean().optional().describe('false withdraws the item (items are never deleted: the ledger refers to them)'),
});
export type PatchItem = z.infer<typeof patchItemBody>;
