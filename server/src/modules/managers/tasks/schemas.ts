/** 任务管理 (下达 → 过程控制 → 执行评价) at the edge: what a head sets, what a manager reports, what the head evaluates. */
import { z } from 'zod';
import { pageQuery } from '../../../platform/http/list.js';
import { customerFilter } from '../../customers/service.js';

export const TASK_STATUSES = ['open', 'closed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const ASSIGNMENT_STATUSES = ['assigned', 'in_progress', 'submitted', 'evaluated', 'cancelled'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];
/** An assignment still to be done by its manager (not submitted, evaluated or cancelled): it can be overdue. */
export const PENDING_STATUSES: readonly AssignmentStatus[] = ['assigned', 'in_progress'];
export const TARGET_KINDS = ['manager', 'team', 'filter', 'segment'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

const text = (max: number) => z.string().trim().min(1).max(max);
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/** Whom a task reaches: one manager, a team (the account managers of a unit's subtree), or the managers holding the customers of a filter or a saved segment. */
export const targetInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('manager'), managerId: id.describe('An account manager of your unit subtree') }),
  z.strictObject({ kind: z.literal('team'), unitId: id.describe('A unit of your subtree: every account manager of it and its sub-units') }),
  z.strictObject({ kind: z.literal('filter'), filter: customerFilter.strict().describe('A filter of the customers list: every manager holding a matching customer you see') }),
  z.strictObject({ kind: z.literal('segment'), segmentId: id.describe('One of your saved customer filters (GET /api/customers/saved-filters)') }),
]);
export type TargetInput = z.infer<typeof targetInput>;

export const createTaskBody = z.strictObject({
  title: text(200),
  description: z.string().trim().max(5000).nullish(),
  expectedOutcome: z.string().trim().max(2000).nullish().describe('预期成果: what the head expects to see when the task is done'),
  dueOn: day.describe('The day it is due (today or later, Asia/Shanghai)'),
  target: targetInput,
});
export type CreateTaskInput = z.infer<typeof createTaskBody>;

export const previewBody = z.strictObject({ target: targetInput });

export const cancelTaskBody = z.strictObject({ version: z.number().int().positive(), reason: z.string().trim().max(1000).nullish() });
export type CancelTaskInput = z.infer<typeof cancelTaskBody>;

export const versionBody = z.strictObject({ version: z.number().int().positive() });
export const reportBody = z.strictObject({
  version: z.number().int().positive(),
  progress: z.number().int().min(0).max(100).describe('Percent done'),
  body: text(5000),
});
export type ReportInput = z.infer<typeof reportBody>;
export const submitBody = z.strictObject({ version: z.number().int().positive(), body: z.string().trim().max(5000).nullish().describe('What was achieved') });
export type SubmitInput = z.infer<typeof submitBody>;
export const evaluateBody = z.strictObject({ version: z.number().int().positive(), score: z.number().int().min(0).max(100), comment: text(2000) });
export type EvaluateInput = z.infer<typeof evaluateBody>;
export const replyBody = z.strictObject({ body: text(5000) });

export const taskListQuery = pageQuery.extend({
  view: z.enum(['mine', 'unit']).default('mine').describe('mine: the tasks I issued; unit: every task issued within my unit subtree'),
  status: z.enum(TASK_STATUSES).optional(),
  overdue: z.enum(['true']).optional().describe('Only tasks with an assignment past its due day not submitted'),
  q: z.string().trim().max(100).optional().describe('A part of the title'),
});
export type TaskListQuery = z.infer<typeof taskListQuery>;

export const myTasksQuery = pageQuery.extend({
  open: z.enum(['true', 'false']).optional().describe('true: assigned, in progress or submitted; false: evaluated or cancelled'),
  status: z.enum(ASSIGNMENT_STATUSES).optional(),
});
export type MyTasksQuery = z.infer<typeof myTasksQuery>;

export const targetSchema = z
  .object({
    kind: z.enum(TARGET_KINDS),
    managerId: z.number().int().optional(),
    unitId: z.number().int().optional(),
    segmentId: z.number().int().optional(),
    filter: z.record(z.string(), z.unknown()).optional(),
    label: z.string().describe('Whom it was set for, as the head chose it: a name, a unit, a segment'),
    count: z.number().int().describe('How many managers it reached'),
  })
  .meta({ id: 'TaskTarget' });
export type TaskTarget = z.infer<typeof targetSchema>;

const statusCounts = z.object({ assigned: z.number().int(), in_progress: z.number().int(), submitted: z.number().int(), evaluated: z.number().int(), cancelled: z.number().int() });

export const taskSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    description: z.string().nullable(),
    expectedOutcome: z.string().nullable(),
    dueOn: z.string(),
    unitId: z.number().int(),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    issuedBy: z.number().int(),
    issuedByName: z.string(),
    target: targetSchema,
    status: z.enum(TASK_STATUSES),
    counts: statusCounts.describe('Assignments by status (of those the reader sees)'),
    total: z.number().int(),
    overdue: z.number().int().describe('Assignments past the due day, not submitted'),
    escalated: z.number().int(),
    averageProgress: z.number().int(),
    averageScore: z.number().nullable(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'ManagerTask' });
export type Task = z.infer<typeof taskSchema>;

export const assignmentSchema = z
  .object({
    id: z.number().int(),
    taskId: z.number().int(),
    managerId: z.number().int(),
    managerName: z.string(),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    status: z.enum(ASSIGNMENT_STATUSES),
    progress: z.number().int(),
    submittedAt: z.date().nullable(),
    score: z.number().int().nullable(),
    evaluation: z.string().nullable(),
    evaluatedByName: z.string().nullable(),
    evaluatedAt: z.date().nullable(),
    escalatedToName: z.string().nullable(),
    escalatedAt: z.date().nullable(),
    overdue: z.boolean().describe('Past the due day and not submitted'),
    lastReportAt: z.date().nullable(),
    version: z.number().int(),
    updatedAt: z.date(),
  })
  .meta({ id: 'ManagerTaskAssignment' });
export type Assignment = z.infer<typeof assignmentSchema>;

/** A manager's assignment with the task it belongs to (我的任务). */
export const myAssignmentSchema = assignmentSchema
  .extend({
    title: z.string(),
    description: z.string().nullable(),
    expectedOutcome: z.string().nullable(),
    dueOn: z.string(),
    issuedByName: z.string(),
    taskStatus: z.enum(TASK_STATUSES),
  })
  .meta({ id: 'MyManagerTask' });
export type MyAssignment = z.infer<typeof myAssignmentSchema>;

export const reportSchema = z
  .object({
    id: z.number().int(),
    assignmentId: z.number().int(),
    authorId: z.number().int(),
    authorName: z.string(),
    byHead: z.boolean().describe('A reply of a head, not the manager’s own report'),
    progress: z.number().int().nullable(),
    body: z.string(),
    createdAt: z.date(),
  })
  .meta({ id: 'ManagerTaskReport' });
export type Report = z.infer<typeof reportSchema>;

export const taskDetailSchema = taskSchema
  .extend({
    assignments: z.array(assignmentSchema.extend({ allowedMoves: z.array(z.enum(ASSIGNMENT_STATUSES)).describe('The statuses the reader may move it to now') })),
    reports: z.array(reportSchema).describe('Progress reports and replies, oldest first'),
    canManage: z.boolean().describe('The reader follows the task as a head: may reply, evaluate and cancel'),
  })
  .meta({ id: 'ManagerTaskDetail' });
export type TaskDetail = z.infer<typeof taskDetailSchema>;

export const previewSchema = z
  .object({
    count: z.number().int(),
    managers: z.array(z.object({ id: z.number().int(), displayName: z.string(), unitName: z.string() })).describe('The first 50, by name'),
  })
  .meta({ id: 'ManagerTaskPreview' });
export type Preview = z.infer<typeof previewSchema>;

export const assigneeSchema = z
  .object({ id: z.number().int(), displayName: z.string(), unitId: z.number().int(), unitName: z.string(), unitNameEn: z.string().nullable() })
  .meta({ id: 'ManagerTaskAssignee' });
