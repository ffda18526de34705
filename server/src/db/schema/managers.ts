import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, numeric, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { editable, id, ref, ts } from './columns.js';

/**
 * 大客户经理管理 (DOMAIN.md §7). A manager is a user holding a portfolio (customers.manager_id); the profile adds
 * what the organisation knows of them. Portfolio size and value are never stored here: they are read from the
 * customers and their monthly totals when asked.
 */
export const managerProfiles = pgTable('manager_profiles', {
  userId: ref('user_id').primaryKey(),
  grade: text('grade').notNull().default('junior'), // junior | intermediate | senior | expert (初级 / 中级 / 高级 / 资深)
  startedOn: date('started_on'), // 从事大客户经理工作的起始日: tenure counts from here
  skills: text('skills').array().notNull().default(sql`'{}'::text[]`), // ict | finance | government | manufacturing | education | health | retail | logistics
  maxPortfolio: integer('max_portfolio'), // how many customers the head wants them to hold at most (bulk moves warn beyond it)
  note: text('note'),
  ...editable(),
});

/** 资格证书: a manager's certifications, each with its expiry (reminders warn before it). */
export const managerCertifications = pgTable(
  'manager_certifications',
  {
    id: id(),
    userId: ref('user_id').notNull(),
    name: text('name').notNull(),
    issuer: text('issuer'),
    certificateNo: text('certificate_no'),
    issuedOn: date('issued_on'),
    expiresOn: date('expires_on'),
    ...editable(),
  },
  (t) => [index('manager_certifications_user_idx').on(t.userId), index('manager_certifications_expiry_idx').on(t.expiresOn)],
);

/** 工作计划: a manager's weekly or monthly plan; submitted to the head, who approves it or sends it back. */
export const workPlans = pgTable(
  'work_plans',
  {
    id: id(),
    managerId: ref('manager_id').notNull(),
    period: text('period').notNull(), // week | month
    startsOn: date('starts_on').notNull(), // a Monday, or the first of a month
    endsOn: date('ends_on').notNull(),
    title: text('title'),
    status: text('status').notNull().default('draft'), // draft | submitted | approved | returned
    submittedAt: ts('submitted_at'),
    reviewedBy: ref('reviewed_by'),
    reviewedAt: ts('reviewed_at'),
    ...editable(),
  },
  (t) => [uniqueIndex('work_plans_manager_period_uq').on(t.managerId, t.period, t.startsOn), index('work_plans_status_idx').on(t.status, t.startsOn)],
);

/** An item of a plan, tied to one customer: a visit, a call, a proposal or a collection, kept (done) or missed. */
export const workPlanItems = pgTable(
  'work_plan_items',
  {
    id: id(),
    planId: ref('plan_id').notNull(),
    customerId: ref('customer_id').notNull(),
    kind: text('kind').notNull(), // visit | call | proposal | collection
    plannedOn: date('planned_on').notNull(),
    goal: text('goal'),
    status: text('status').notNull().default('planned'), // planned | done | missed
    logId: ref('log_id'), // the log entry that kept it
    ...editable(),
  },
  (t) => [index('work_plan_items_plan_idx').on(t.planId), index('work_plan_items_customer_idx').on(t.customerId), index('work_plan_items_open_idx').on(t.plannedOn).where(sql`${t.status} = 'planned'`)],
);

/**
 * 工作日志: a visit or a call of the day with its outcome and next step. A visit or call is also recorded in
 * the customers area (`visits`, through its service), which updates the profile fields it learned with the
 * source `manager_visit`; `visit_id` links the two.
 */
export const workLogs = pgTable(
  'work_logs',
  {
    id: id(),
    managerId: ref('manager_id').notNull(),
    customerId: ref('customer_id').notNull(),
    loggedOn: date('logged_on').notNull(),
    kind: text('kind').notNull(), // visit | call | proposal | collection
    outcome: text('outcome').notNull(),
    result: text('result').notNull().default('neutral'), // positive | neutral | negative
    nextStep: text('next_step'),
    nextStepOn: date('next_step_on'),
    planItemId: ref('plan_item_id'),
    visitId: ref('visit_id'),
    ...editable(),
  },
  (t) => [index('work_logs_manager_idx').on(t.managerId, t.loggedOn), index('work_logs_customer_idx').on(t.customerId, t.loggedOn)],
);

/** A head's comment on a plan or a log entry (审阅意见), with the decision taken on a plan. */
export const workComments = pgTable(
  'work_comments',
  {
    id: id(),
    planId: ref('plan_id'),
    logId: ref('log_id'),
    authorId: ref('author_id').notNull(),
    decision: text('decision'), // approved | returned (plans only), null for a plain comment
    body: text('body').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('work_comments_plan_idx').on(t.planId), index('work_comments_log_idx').on(t.logId)],
);

/**
 * 提醒设置: which reminder types apply in a unit and how many days ahead. A unit without its own row for a type
 * follows its nearest ancestor's, and the code's defaults above the root.
 */
export const reminderSettings = pgTable(
  'reminder_settings',
  {
    unitId: ref('unit_id').notNull(),
    type: text('type').notNull(), // birthday | contract_expiry | appointment | sla_warning | arrears | level_change | churn_warning | certification_expiry
    enabled: boolean('enabled').notNull().default(true),
    leadDays: integer('lead_days').array().notNull(), // e.g. {90,30,7} for contract expiries
    ...editable(),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.type] })],
);

/**
 * 日常事务提醒: one row per manager and item, generated by the daily job. `item_key` names the item and its
 * occasion (`contract_expiry:<contract>:<expiry>:<lead>`), and is unique per manager: a second run of the day,
 * a restart or another instance never produces it twice.
 */
export const reminders = pgTable(
  'reminders',
  {
    id: id(),
    managerId: ref('manager_id').notNull(),
    type: text('type').notNull(),
    itemKey: text('item_key').notNull(),
    customerId: ref('customer_id'),
    entity: text('entity'), // key_person | contract | appointment | service_request | customer | certification
    entityId: ref('entity_id'),
    dueOn: date('due_on').notNull(), // the day the reminded thing happens (birthday, expiry, appointment …)
    leadDays: integer('lead_days'),
    params: jsonb('params').notNull().default({}), // names and figures the message shows
    generatedOn: date('generated_on').notNull(),
    status: text('status').notNull().default('open'), // open | dismissed | snoozed
    snoozedUntil: date('snoozed_until'),
    ...editable(),
  },
  (t) => [uniqueIndex('reminders_manager_item_uq').on(t.managerId, t.itemKey), index('reminders_manager_open_idx').on(t.managerId, t.dueOn).where(sql`${t.status} <> 'dismissed'`), index('reminders_generated_idx').on(t.generatedOn)],
);

/**
 * 任务 (下达 → 过程控制 → 执行评价): set by a head for one manager, a team (a unit's managers) or every manager
 * holding customers of a filter or a saved segment; `target` keeps what was chosen, the assignments whom it reached.
 */
export const managerTasks = pgTable(
  'manager_tasks',
  {
    id: id(),
    title: text('title').notNull(),
    description: text('description'),
    expectedOutcome: text('expected_outcome'),
    dueOn: date('due_on').notNull(),
    unitId: ref('unit_id').notNull(), // the issuing head's unit: the task is theirs to follow
    issuedBy: ref('issued_by').notNull(),
    target: jsonb('target').notNull(), // { kind: 'manager' | 'team' | 'filter' | 'segment', … }
    status: text('status').notNull().default('open'), // open | closed | cancelled
    ...editable(),
  },
  (t) => [index('manager_tasks_unit_idx').on(t.unitId, t.dueOn)],
);

/** A task as one manager holds it: progress, submission, the head's evaluation, escalation when overdue. */
export const managerTaskAssignments = pgTable(
  'manager_task_assignments',
  {
    id: id(),
    taskId: ref('task_id').notNull(),
    managerId: ref('manager_id').notNull(),
    status: text('status').notNull().default('assigned'), // assigned | in_progress | submitted | evaluated | cancelled
    progress: integer('progress').notNull().default(0), // percent
    submittedAt: ts('submitted_at'),
    score: integer('score'), // 0–100, the head's evaluation
    evaluation: text('evaluation'),
    evaluatedBy: ref('evaluated_by'),
    evaluatedAt: ts('evaluated_at'),
    escalatedTo: ref('escalated_to'),
    escalatedAt: ts('escalated_at'),
    ...editable(),
  },
  (t) => [uniqueIndex('manager_task_assignments_uq').on(t.taskId, t.managerId), index('manager_task_assignments_manager_idx').on(t.managerId, t.status)],
);

/** 过程控制: a manager's progress report on an assignment (and a head's reply to it). */
export const managerTaskReports = pgTable(
  'manager_task_reports',
  {
    id: id(),
    assignmentId: ref('assignment_id').notNull(),
    authorId: ref('author_id').notNull(),
    progress: integer('progress'),
    body: text('body').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('manager_task_reports_assignment_idx').on(t.assignmentId, t.createdAt)],
);

/** 考核方案: the weight and target of each indicator in a unit (the nearest ancestor's apply where a unit has none). */
export const scorecardWeights = pgTable(
  'scorecard_weights',
  {
    unitId: ref('unit_id').notNull(),
    indicator: text('indicator').notNull(), // a code of managers/scorecards/indicators.ts
    weight: numeric('weight', { precision: 5, scale: 2 }).notNull(), // percent of the total score
    target: numeric('target', { precision: 16, scale: 4 }).notNull(),
    ...editable(),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.indicator] })],
);

/**
 * 业绩考核: a manager's monthly scorecard. Computed for all managers by a set-based run; once closed it keeps its
 * figures when late data arrives and is recomputed only on request (`revision` counts the recomputations, the
 * lines keep the figures before the last one).
 */
export const scorecards = pgTable(
  'scorecards',
  {
    id: id(),
    month: date('month').notNull(),
    managerId: ref('manager_id').notNull(),
    unitId: ref('unit_id').notNull(), // the manager's unit in that month: rankings are per unit
    status: text('status').notNull().default('open'), // open | closed
    totalScore: numeric('total_score', { precision: 7, scale: 2 }).notNull().default('0'),
    unitRank: integer('unit_rank'),
    revision: integer('revision').notNull().default(1),
    computedAt: ts('computed_at').notNull().defaultNow(),
    closedAt: ts('closed_at'),
    closedBy: ref('closed_by'),
    ...editable(),
  },
  (t) => [uniqueIndex('scorecards_month_manager_uq').on(t.month, t.managerId), index('scorecards_unit_month_idx').on(t.unitId, t.month)],
);

/** One indicator of a scorecard: the figure, its target and weight as they were, and the score it earned. */
export const scorecardLines = pgTable(
  'scorecard_lines',
  {
    scorecardId: ref('scorecard_id').notNull(),
    indicator: text('indicator').notNull(),
    value: numeric('value', { precision: 16, scale: 4 }), // null: the manager had no data for the indicator (achievement 0)
    target: numeric('target', { precision: 16, scale: 4 }).notNull(),
    weight: numeric('weight', { precision: 5, scale: 2 }).notNull(),
    score: numeric('score', { precision: 7, scale: 2 }).notNull(),
    previousValue: numeric('previous_value', { precision: 16, scale: 4 }), // before the last recomputation of a closed scorecard
    previousScore: numeric('previous_score', { precision: 7, scale: 2 }),
  },
  (t) => [primaryKey({ columns: [t.scorecardId, t.indicator] })],
);
