/** 工作计划与工作日志 (DOMAIN.md §7): plans, their items, the daily log and the heads' comments, at the edge. */
import { z } from 'zod';
import { pageQuery } from '../../../platform/http/list.js';

export const PLAN_PERIODS = ['week', 'month'] as const;
export type PlanPeriod = (typeof PLAN_PERIODS)[number];
export const PLAN_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const WORK_KINDS = ['visit', 'call', 'proposal', 'collection'] as const;
export type WorkKind = (typeof WORK_KINDS)[number];
export const ITEM_STATUSES = ['planned', 'done', 'missed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
export const LOG_RESULTS = ['positive', 'neutral', 'negative'] as const;
export const DECISIONS = ['approved', 'returned'] as const;

const version = z.number().int().positive();
const date = z.iso.date().describe('A calendar day in Asia/Shanghai, YYYY-MM-DD');
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const queryId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullish();

export const itemSchema = z
  .object({
    id: z.number().int(),
    planId: z.number().int(),
    customerId: z.number().int(),
    customerName: z.string(),
    customerNo: z.string(),
    kind: z.enum(WORK_KINDS),
    plannedOn: z.string(),
    goal: z.string().nullable(),
    status: z.enum(ITEM_STATUSES).describe('planned, done (a log entry kept it: logId) or missed (the period ended without one)'),
    logId: z.number().int().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'WorkPlanItem' });
export type PlanItem = z.infer<typeof itemSchema>;

export const commentSchema = z
  .object({
    id: z.number().int(),
    authorId: z.number().int(),
    authorName: z.string(),
    decision: z.enum(DECISIONS).nullable().describe('The review decision the comment came with (plans only); null for a plain comment'),
    body: z.string(),
    createdAt: z.date(),
  })
  .meta({ id: 'WorkComment' });
export type WorkComment = z.infer<typeof commentSchema>;

export const planSchema = z
  .object({
    id: z.number().int(),
    managerId: z.number().int(),
    managerName: z.string(),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    period: z.enum(PLAN_PERIODS),
    startsOn: z.string(),
    endsOn: z.string(),
    title: z.string().nullable(),
    status: z.enum(PLAN_STATUSES),
    submittedAt: z.date().nullable(),
    reviewedBy: z.number().int().nullable(),
    reviewerName: z.string().nullable(),
    reviewedAt: z.date().nullable(),
    itemCount: z.number().int(),
    doneCount: z.number().int(),
    missedCount: z.number().int(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'WorkPlan' });
export type Plan = z.infer<typeof planSchema>;

export const planDetailSchema = planSchema
  .extend({
    items: z.array(itemSchema),
    comments: z.array(commentSchema),
    allowedMoves: z.array(z.enum(PLAN_STATUSES)).describe('The statuses the reader may move the plan to now'),
    editable: z.boolean().describe('Whether the reader may change the items now (their own plan, draft or returned)'),
  })
  .meta({ id: 'WorkPlanDetail' });
export type PlanDetail = z.infer<typeof planDetailSchema>;

export const planQuery = pageQuery.extend({
  view: z.enum(['mine', 'unit']).optional().describe("mine: the reader's own plans; unit: those of the unit's managers (work.review). Default: everything the reader sees"),
  managerId: queryId.optional(),
  customerId: queryId.optional().describe('Plans with an item of this customer'),
  status: z.enum(PLAN_STATUSES).optional(),
  period: z.enum(PLAN_PERIODS).optional(),
  from: date.optional().describe('Plans whose period ends on or after this day'),
  to: date.optional().describe('Plans whose period starts on or before this day'),
});
export type PlanQuery = z.infer<typeof planQuery>;

export const createPlanBody = z.strictObject({
  period: z.enum(PLAN_PERIODS),
  startsOn: date.describe('A Monday for a week, the first of a month for a month'),
  title: optionalText(100),
});
export type CreatePlanInput = z.infer<typeof createPlanBody>;

export const itemBody = z.strictObject({
  customerId: id.describe('A customer of the manager’s portfolio'),
  kind: z.enum(WORK_KINDS),
  plannedOn: date.describe('A day of the plan’s period'),
  goal: optionalText(500),
});
export type ItemInput = z.infer<typeof itemBody>;

export const itemPatch = z.strictObject({
  version,
  customerId: id.optional(),
  kind: z.enum(WORK_KINDS).optional(),
  plannedOn: date.optional(),
  goal: optionalText(500),
});
export type ItemPatch = z.infer<typeof itemPatch>;

export const versionQuery = z.strictObject({ version: z.coerce.number().int().positive().max(2_147_483_647).optional().describe('The version read: a change since answers 409') });

export const submitBody = z.strictObject({ version });
export const reviewBody = z.strictObject({
  version,
  decision: z.enum(DECISIONS),
  comment: optionalText(2000).describe('Required when returning the plan: what to change'),
});
export type ReviewInput = z.infer<typeof reviewBody>;

export const commentBody = z.strictObject({ body: text(2000) });

/** The profile fields a log entry may update (field history keeps them with the source manager_visit). */
export const fieldUpdates = z.strictObject({
  contactPhone: z
    .string()
    .trim()
    .regex(/^[0-9+\- ]{5,20}$/, 'digits, +, - and spaces')
    .nullish(),
  address: optionalText(300),
  employees: z.number().int().min(0).max(10_000_000).nullish(),
  itNeeds: optionalText(2000),
  preferences: optionalText(2000),
  jobTitle: optionalText(100),
  contactChannel: z.enum(['phone', 'sms', 'wechat', 'email', 'visit']).nullish(),
});

export const logBody = z.strictObject({
  customerId: id.describe('A customer of your portfolio'),
  loggedOn: date.optional().describe('The day of the visit or call; today by default, never in the future'),
  kind: z.enum(WORK_KINDS),
  outcome: text(2000).describe('What happened'),
  result: z.enum(LOG_RESULTS).default('neutral'),
  nextStep: optionalText(500),
  nextStepOn: date.nullish().describe('When the next step is due; not before the day logged'),
  planItemId: id.nullish().describe('The plan item of the same customer this entry keeps (it becomes done)'),
  customerVersion: version.optional().describe('The customer’s version as read: required with updates'),
  updates: fieldUpdates.optional().describe('Profile fields learned (a visit or a call only)'),
});
export type LogInput = z.infer<typeof logBody>;

export const logSchema = z
  .object({
    id: z.number().int(),
    managerId: z.number().int(),
    managerName: z.string(),
    customerId: z.number().int(),
    customerName: z.string(),
    customerNo: z.string(),
    loggedOn: z.string(),
    kind: z.enum(WORK_KINDS),
    outcome: z.string(),
    result: z.enum(LOG_RESULTS),
    nextStep: z.string().nullable(),
    nextStepOn: z.string().nullable(),
    planItemId: z.number().int().nullable(),
    planId: z.number().int().nullable(),
    visitId: z.number().int().nullable().describe('The visit recorded in the customer’s profile (a visit or a call)'),
    commentCount: z.number().int(),
    version: z.number().int(),
    createdAt: z.date(),
  })
  .meta({ id: 'WorkLog' });
export type WorkLog = z.infer<typeof logSchema>;

export const logDetailSchema = logSchema.extend({ comments: z.array(commentSchema) }).meta({ id: 'WorkLogDetail' });
export type WorkLogDetail = z.infer<typeof logDetailSchema>;

export const logQuery = pageQuery.extend({
  view: z.enum(['mine', 'unit']).optional(),
  managerId: queryId.optional(),
  customerId: queryId.optional(),
  kind: z.enum(WORK_KINDS).optional(),
  from: date.optional(),
  to: date.optional(),
});
export type LogQuery = z.infer<typeof logQuery>;

/** The open plan items of a customer the log form offers (GET /api/work-plan-items?customerId=). */
export const openItemsQuery = z.strictObject({ customerId: queryId });
export const openItemSchema = itemSchema.extend({ planStartsOn: z.string(), planEndsOn: z.string(), period: z.enum(PLAN_PERIODS) }).meta({ id: 'WorkPlanOpenItem' });
export type OpenItem = z.infer<typeof openItemSchema>;
