/** 工单 (service requests) at the edge: what an agent raises, the moves of its status flow, its timeline. */
import { z } from 'zod';
import { pageQuery } from '../../../platform/http/list.js';
import { AREA_KINDS, REQUEST_TYPES, type RequestType } from '../sla/schemas.js';

export { AREA_KINDS, REQUEST_TYPES, type RequestType };
export const REQUEST_STATUSES = ['new', 'accepted', 'in_progress', 'waiting_customer', 'resolved', 'closed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
/** The statuses of an open request: its SLA clock runs (it stands still while waiting for the customer). */
export const OPEN_STATUSES: readonly RequestStatus[] = ['new', 'accepted', 'in_progress', 'waiting_customer'];
export const CHANNELS = ['hotline', 'outlet', 'manager', 'web', 'partner'] as const;
export const PRIORITIES = ['normal', 'urgent'] as const;
export const SLA_STATES = ['ok', 'warning', 'breached'] as const;
export const EVENT_KINDS = ['created', 'status', 'assigned', 'note', 'reply', 'attachment', 'sla_warning', 'sla_breach', 'fee_waived', 'survey', 'reopened'] as const;

const text = (max: number) => z.string().trim().min(1).max(max);

export const createRequestBody = z.strictObject({
  customerId: z.number().int().positive().optional().describe('A customer you serve'),
  phone: z
    .string()
    .trim()
    .regex(/^1\d{10}$/, 'an 11-digit mobile number')
    .optional()
    .describe('跨地区服务: the customer’s own mobile number (a subscription or the contact phone), for a key account of another area standing at your counter'),
  type: z.enum(REQUEST_TYPES),
  channel: z.enum(CHANNELS),
  title: text(200),
  description: z.string().trim().max(5000).nullish(),
  priority: z.enum(PRIORITIES).default('normal'),
  areaKind: z.enum(AREA_KINDS).default('town').describe('城镇 town or 农村 rural: the SLA of faults differs'),
}).refine((b) => (b.customerId === undefined) !== (b.phone === undefined), { path: ['customerId'], message: 'give either customerId or phone' });
export type CreateRequestInput = z.infer<typeof createRequestBody>;

export const transitionBody = z.strictObject({
  version: z.number().int().positive(),
  to: z.enum(REQUEST_STATUSES),
  note: z.string().trim().max(2000).nullish().describe('Why: required to reopen; told to the customer when resolving'),
});
export type TransitionInput = z.infer<typeof transitionBody>;

export const assignmentBody = z.strictObject({
  version: z.number().int().positive(),
  ownerId: z.number().int().positive().nullable().describe('The handler; null puts the request back in the unit queue'),
  handlingUnitId: z.number().int().positive().optional().describe('Hand the request to another unit'),
});
export type AssignmentInput = z.infer<typeof assignmentBody>;

export const commentBody = z.strictObject({
  kind: z.enum(['note', 'reply']).describe('note: internal, for staff; reply: what the customer is told'),
  body: text(5000),
});
export type CommentInput = z.infer<typeof commentBody>;

export const breachReasonBody = z.strictObject({ version: z.number().int().positive(), reason: text(500) });

export const requestListQuery = pageQuery.extend({
  view: z.enum(['mine', 'unit', 'all']).default('unit').describe('mine: owned by me; unit: handled or raised in my unit subtree; all: every request I may see'),
  open: z.enum(['true', 'false']).optional().describe('true: open requests only; false: resolved and closed'),
  status: z.enum(REQUEST_STATUSES).optional(),
  type: z.enum(REQUEST_TYPES).optional(),
  slaState: z.enum(SLA_STATES).optional(),
  unitId: z.coerce.number().int().positive().optional().describe('Handled or raised in this unit subtree'),
  customerId: z.coerce.number().int().positive().optional(),
  q: z.string().trim().max(40).optional().describe('A request number (or its end)'),
  sort: z.enum(['created', 'due']).default('created').describe('created: newest first; due: the nearest resolution deadline first'),
});
export type RequestListQuery = z.infer<typeof requestListQuery>;

export const requestSchema = z
  .object({
    id: z.number().int(),
    requestNo: z.string(),
    customerId: z.number().int(),
    customerNo: z.string(),
    customerName: z.string(),
    customerLevel: z.string().nullable(),
    type: z.enum(REQUEST_TYPES),
    status: z.enum(REQUEST_STATUSES),
    channel: z.enum(CHANNELS),
    priority: z.enum(PRIORITIES),
    areaKind: z.enum(AREA_KINDS),
    title: z.string(),
    description: z.string().nullable(),
    raisedUnitId: z.number().int(),
    raisedUnitName: z.string(),
    raisedUnitNameEn: z.string().nullable(),
    handlingUnitId: z.number().int(),
    handlingUnitName: z.string(),
    handlingUnitNameEn: z.string().nullable(),
    crossRegion: z.boolean().describe('Raised in another city than the customer’s (跨地区服务)'),
    ownerId: z.number().int().nullable(),
    ownerName: z.string().nullable(),
    createdByName: z.string().nullable(),
    clock: z.enum(['calendar', 'business']),
    respondDueAt: z.date().nullable(),
    resolveDueAt: z.date().nullable(),
    warnAt: z.date().nullable(),
    respondedAt: z.date().nullable(),
    resolvedAt: z.date().nullable(),
    closedAt: z.date().nullable(),
    pausedAt: z.date().nullable(),
    slaState: z.enum(SLA_STATES),
    breachedAt: z.date().nullable(),
    breachReason: z.string().nullable(),
    feeWaivedMonth: z.string().nullable().describe('The month whose fee was waived for the outage (YYYY-MM)'),
    reopenCount: z.number().int(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'ServiceRequest' });
export type ServiceRequest = z.infer<typeof requestSchema>;

export const eventSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(EVENT_KINDS),
    fromStatus: z.enum(REQUEST_STATUSES).nullable(),
    toStatus: z.enum(REQUEST_STATUSES).nullable(),
    body: z.string().nullable(),
    visibility: z.enum(['internal', 'customer']),
    detail: z.record(z.string(), z.unknown()).nullable(),
    actorName: z.string().nullable(),
    createdAt: z.date(),
  })
  .meta({ id: 'ServiceRequestEvent' });
export type RequestEvent = z.infer<typeof eventSchema>;

export const attachmentSchema = z
  .object({ id: z.number().int(), fileName: z.string(), contentType: z.string(), size: z.number().int(), uploadedByName: z.string().nullable(), createdAt: z.date() })
  .meta({ id: 'ServiceRequestAttachment' });
export type Attachment = z.infer<typeof attachmentSchema>;

export const surveySchema = z
  .object({
    channel: z.enum(['sms', 'in_app']),
    sentAt: z.date(),
    answeredAt: z.date().nullable(),
    score: z.number().int().min(1).max(5).nullable().describe('1 (very dissatisfied) … 5 (very satisfied)'),
    comment: z.string().nullable(),
    complaint: z.boolean().describe('The customer complains about the handling itself'),
  })
  .meta({ id: 'ServiceSurvey' });
export type Survey = z.infer<typeof surveySchema>;

export const surveyAnswerBody = z.strictObject({
  score: z.number().int().min(1).max(5),
  comment: z.string().trim().max(1000).nullish(),
  complaint: z.boolean().default(false),
});
export type SurveyAnswer = z.infer<typeof surveyAnswerBody>;

export const requestDetailSchema = requestSchema
  .extend({
    survey: surveySchema.nullable().describe('The satisfaction survey sent when the request was closed'),
    allowedMoves: z.array(z.enum(REQUEST_STATUSES)).describe('The statuses the reader may move the request to now'),
    events: z.array(eventSchema),
    attachments: z.array(attachmentSchema),
  })
  .meta({ id: 'ServiceRequestDetail' });
export type RequestDetail = z.infer<typeof requestDetailSchema>;

export const attachmentParams = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  attachmentId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

export const boardQuery = z.object({ unitId: z.coerce.number().int().positive().optional().describe('A unit of your subtree; default your own') });

export const boardSchema = z
  .object({
    total: z.number().int().describe('Open requests'),
    byStatus: z.record(z.enum(REQUEST_STATUSES), z.number().int()),
    bySlaState: z.record(z.enum(SLA_STATES), z.number().int()),
    dueSoon: z.number().int().describe('Open requests whose resolution is due within 24 hours (clock running)'),
    satisfaction: z
      .object({ answered: z.number().int(), average: z.string().nullable().describe('Mean score 1–5, two decimals'), low: z.number().int().describe('Scores of 1–2 or complaints about the handling') })
      .describe('Surveys answered in the last 90 days'),
  })
  .meta({ id: 'SlaBoard' });
export type SlaBoard = z.infer<typeof boardSchema>;

export const handlerSchema = z
  .object({ id: z.number().int(), displayName: z.string(), unitName: z.string(), unitNameEn: z.string().nullable() })
  .meta({ id: 'RequestHandler' });
