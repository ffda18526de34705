/** 割接/停机通知 (planned-work notices): the outages, their flow and the key accounts they affect, at the edge. */
import { z } from 'zod';
import { pageQuery } from '../../../platform/http/list.js';
import { optionalReadableName, readableName } from '../../../platform/http/text.js';

export const KINDS = ['cutover', 'maintenance', 'upgrade'] as const;
export type OutageKind = (typeof KINDS)[number];
export const STATUSES = ['draft', 'pending_approval', 'approved', 'notified', 'completed', 'cancelled'] as const;
export type OutageStatus = (typeof STATUSES)[number];
export const ACTIONS = ['submit', 'approve', 'reject', 'send', 'complete', 'cancel'] as const;
export type OutageAction = (typeof ACTIONS)[number];

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const instant = z.iso.datetime({ offset: true }).describe('An instant with its offset (2026-12-01T00:00:00+08:00); shown in Asia/Shanghai');
const version = z.number().int().positive();

export const outageSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    description: z.string().nullable(),
    kind: z.enum(KINDS),
    areaUnitId: z.number().int().describe('The unit whose subtree the outage covers'),
    areaUnitName: z.string(),
    areaUnitNameEn: z.string().nullable(),
    startsAt: z.date(),
    endsAt: z.date(),
    status: z.enum(STATUSES),
    needsApproval: z.boolean().describe('Over 24 hours or touching key accounts: a head approves before it is sent (客户服务标准 2011 §2.6)'),
    affectedCount: z.number().int().nullable().describe('Key accounts affected; null until submitted'),
    createdBy: z.number().int().nullable(),
    createdByName: z.string().nullable(),
    submittedByName: z.string().nullable(),
    submittedAt: z.date().nullable(),
    approvedByName: z.string().nullable().describe('The head who approved or, back in draft, rejected it'),
    approvedAt: z.date().nullable(),
    decisionNote: z.string().nullable(),
    notifiedAt: z.date().nullable(),
    cancelledAt: z.date().nullable(),
    cancelReason: z.string().nullable(),
    completedAt: z.date().nullable(),
    allowedActions: z.array(z.enum(ACTIONS)).describe('The actions open to the reader now'),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'PlannedOutage' });
export type Outage = z.infer<typeof outageSchema>;

export const outageDetailSchema = outageSchema
  .extend({
    notifiedCount: z.number().int().describe('Affected key accounts told so far'),
    smsCount: z.number().int().describe('SMS queued for the outage (notices and cancellations)'),
  })
  .meta({ id: 'PlannedOutageDetail' });
export type OutageDetail = z.infer<typeof outageDetailSchema>;

export const customerOutageSchema = outageSchema
  .extend({ customerNotifiedAt: z.date().nullable().describe('When this customer was told') })
  .meta({ id: 'CustomerOutage' });
export type CustomerOutage = z.infer<typeof customerOutageSchema>;

export const affectedCustomerSchema = z
  .object({
    customerId: z.number().int(),
    customerNo: z.string(),
    name: z.string(),
    kind: z.enum(['group', 'individual']),
    level: z.string().nullable(),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    managerName: z.string().nullable(),
    contactPhone: z.string().nullable().describe('Masked'),
    notifiedAt: z.date().nullable(),
  })
  .meta({ id: 'OutageCustomer' });
export type AffectedCustomer = z.infer<typeof affectedCustomerSchema>;

export const createOutageBody = z.strictObject({
  title: readableName(100),
  description: optionalReadableName(2000),
  kind: z.enum(KINDS),
  areaUnitId: id.describe('A unit of your subtree: the outage covers it and its sub-units'),
  startsAt: instant.describe('At least 72 hours from now'),
  endsAt: instant,
});
export type CreateOutage = z.infer<typeof createOutageBody>;

export const patchOutageBody = z.strictObject({
  version,
  title: readableName(100).optional(),
  description: optionalReadableName(2000),
  kind: z.enum(KINDS).optional(),
  areaUnitId: id.optional(),
  startsAt: instant.optional(),
  endsAt: instant.optional(),
});
export type PatchOutage = z.infer<typeof patchOutageBody>;

export const actionBody = z.strictObject({ version, note: optionalReadableName(500).describe('The head’s note (required to reject)') });
export type ActionInput = z.infer<typeof actionBody>;
export const cancelBody = z.strictObject({ version, reason: readableName(500).describe('Why the work is called off') });
export type CancelInput = z.infer<typeof cancelBody>;

export const outageQuery = pageQuery.extend({
  status: z.enum(STATUSES).optional(),
  kind: z.enum(KINDS).optional(),
  q: z.string().trim().max(60).optional().describe('Part of the title'),
  upcoming: z.enum(['true', 'false']).optional().describe('true: windows not over yet; false: over'),
});
export type OutageQuery = z.infer<typeof outageQuery>;

