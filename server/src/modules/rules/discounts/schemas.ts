/** 优惠申请: custom discounts and their approval by the right head, at the edge. */
import { z } from 'zod';
import { pageQuery } from '../../../platform/http/list.js';

export const APPROVER_LEVELS = ['city', 'province'] as const;
export type ApproverLevel = (typeof APPROVER_LEVELS)[number];
export const DISCOUNT_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;

export const discountBody = z.strictObject({
  amount: z
    .string()
    .regex(/^\d{1,10}(\.\d{1,2})?$/, 'an amount in yuan with up to two decimals')
    .refine((v) => /[1-9]/.test(v), 'more than zero')
    .describe('Yuan per month, a decimal string'),
  months: z.number().int().min(1).max(36),
  reason: z.string().trim().min(2).max(500),
});
export type DiscountInput = z.infer<typeof discountBody>;

export const discountSchema = z
  .object({
    id: z.number().int(),
    customerId: z.number().int(),
    customerNo: z.string(),
    customerName: z.string(),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    amount: z.string().describe('Yuan per month'),
    months: z.number().int(),
    reason: z.string(),
    approverLevel: z.enum(APPROVER_LEVELS).describe('Who decides: a city head up to the threshold of the benefits rules, the province above'),
    status: z.enum(DISCOUNT_STATUSES),
    requestedBy: z.string().nullable().describe('User name of the requester'),
    requestedByName: z.string().nullable().describe('Display name of the requester'),
    decidedBy: z.string().nullable().describe('User name of the decider'),
    decidedByName: z.string().nullable().describe('Display name of the decider'),
    decidedAt: z.date().nullable(),
    decisionNote: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'DiscountRequest' });
export type Discount = z.infer<typeof discountSchema>;

export const inboxQuery = pageQuery.extend({
  status: z.enum(DISCOUNT_STATUSES).default('pending'),
});
export type InboxQuery = z.infer<typeof inboxQuery>;

export const customerDiscountsQuery = pageQuery.extend({
  status: z.enum(DISCOUNT_STATUSES).optional(),
});

export const decisionBody = z.strictObject({
  version: z.number().int().positive(),
  decision: z.enum(['approve', 'reject']),
  note: z.string().trim().max(500).nullish().describe('Required to reject'),
});
export type DecisionInput = z.infer<typeof decisionBody>;

export const withdrawalBody = z.strictObject({ version: z.number().int().positive() });
