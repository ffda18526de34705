/**
 * 工作计划与工作日志 (DOMAIN.md §7 工作管理). An account manager (work.own) plans a week (from a Monday) or a month
 * (from the 1st) — one plan a period — whose items are tied to customers of their portfolio, submits it, and a
 * head who reviews the manager's unit (work.review) approves it or returns it with a comment (flow.ts). The daily
 * log records a visit, call, proposal or collection with its outcome and next step; a visit or call is recorded in
 * the customer's profile too (customers' recordVisitIn, in the log's transaction), with the profile fields it
 * learned (field history: source manager_visit). A log entry may keep a plan item (it becomes done); the daily job
 * marks the items still planned once their period has ended as missed.
 *
 * Who sees what: a manager their own plans and logs; a head (work.review) those of the managers of their unit's
 * subtree. A plan or log outside answers 404, exactly as one that does not exist.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { audit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/principal.js';
import { inSubtree } from '../../../platform/auth/scope.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError, forbidden, invalid, notFound, outOfScope, versionConflict } from '../../../platform/errors.js';
import type { Page } from '../../../platform/http/list.js';
import { messageRef, type MessageCode } from '../../../platform/i18n/messages.js';
import { addDays, todayAt } from '../../../platform/months.js';
import { notifyNearestHolders, notifyUsers } from '../../../platform/notify/notify.js';
import { recordVisitIn } from '../../customers/service.js';
import { allowedMoves, itemsEditable, nextStatuses } from './flow.js';
import * as q from './queries.js';
import type {
  CreatePlanInput,
  ItemInput,
  ItemPatch,
  LogInput,
  LogQuery,
  OpenItem,
  Plan,
  PlanDetail,
  PlanItem,
  PlanQuery,
  PlanStatus,
  ReviewInput,
  WorkComment,
  WorkLog,
  WorkLogDetail,
} from './schemas.js';


const owns = (actor: Actor) => actor.permissions.has('work.own') && actor.userId !== null;
const reviews = (actor: Actor) => actor.permissions.has('work.review');

/** Plans and logs are read by managers (their own) and heads (their unit's): nobody else. */
function checkReader(actor: Actor) {
  if (!owns(actor) && !reviews(actor)) throw forbidden();
}

/**
 * The records of managers the actor sees, as a condition on `managerColumn` and `mo` (the manager's unit):
 * their own, and with work.review every manager's of their unit's subtree. One helper for plans and logs.
 */
export function visibleWorkSql(actor: Actor, managerColumn: SQL): SQL {
  const arms: SQL[] = [];
  if (owns(actor)) arms.push(sql`${managerColumn} = ${actor.userId}`);
  if (reviews(actor)) arms.push(inSubtree(sql`mo.path`, actor.unitPath));
  return arms.length ? sql`(${sql.join(arms, sql` OR `)})` : sql`false`;
}
const visiblePlansSql = (actor: Actor) => visibleWorkSql(actor, sql`p.manager_id`);
const visibleLogsSql = (actor: Actor) => visibleWorkSql(actor, sql`l.manager_id`);

/** May the actor decide on the plan of a manager of `unitPath`: a reviewer of that unit, never of their own plan. */
const reviewsPlan = (actor: Actor, plan: { managerId: number; unitPath: string }) => reviews(actor) && plan.managerId !== actor.userId && plan.unitPath.startsWith(actor.unitPath);

const statusRef = (s: PlanStatus) => messageRef(`work_plan_status_${s}` as MessageCode);

// ---- periods

const lastOfMonth = (first: string) => {
  const d = new Date(Date.parse(first));
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
};

/** The last day of the period starting `startsOn`, or the reason it cannot start there (a week on a Monday, a month on the 1st). */
export function periodEnd(period: 'week' | 'month', startsOn: string): string | null {
  if (period === 'week') return new Date(Date.parse(startsOn)).getUTCDay() === 1 ? addDays(startsOn, 6) : null;
  return startsOn.endsWith('-01') ? lastOfMonth(startsOn) : null;
}

// ---- plans

/** A plan the actor sees (404 outside, as for none: one who reads no plans sees none), locked for a change when `lock`. */
async function planFor(deps: Deps, actor: Actor, id: number, executor: Executor = deps.database.db, lock = false) {
  const row = await q.findPlan(deps.database, executor, id, visiblePlansSql(actor), lock);
  if (!row) throw notFound('work_plan');
  if (!row.visible) throw outOfScope('work_plan');
  return row;
}

/** The actor's own plan, open for changes to its items (403 for a plan of another; 409 once submitted or approved). */
async function editablePlan(deps: Deps, actor: Actor, id: number, tx: Executor) {
  const plan = await planFor(deps, actor, id, tx, true);
  if (plan.managerId !== actor.userId) throw forbidden('work_plan_not_owner');
  if (!itemsEditable(plan.status)) throw new AppError(409, 'work_plan_locked', { status: statusRef(plan.status) });
  return plan;
}

export async function listPlans(deps: Deps, actor: Actor, query: PlanQuery): Promise<Page<Plan>> {
  checkReader(actor);
  const conds: SQL[] = [visiblePlansSql(actor)];
  if (query.view === 'mine') conds.push(sql`p.manager_id = ${actor.userId ?? 0}`);
  if (query.view === 'unit') conds.push(reviews(actor) ? inSubtree(sql`mo.path`, actor.unitPath) : sql`false`);
  if (query.managerId) conds.push(sql`p.manager_id = ${query.managerId}`);
  if (query.customerId) conds.push(sql`EXISTS (SELECT 1 FROM work_plan_items fi WHERE fi.plan_id = p.id AND fi.customer_id = ${query.customerId})`);
  if (query.status) conds.push(sql`p.status = ${query.status}`);
  if (query.period) conds.push(sql`p.period = ${query.period}`);
  if (query.from) conds.push(sql`p.ends_on >= ${query.from}::date`);
  if (query.to) conds.push(sql`p.starts_on <= ${query.to}::date`);
  const where = sql.join(conds, sql` AND `);
  const [items, total] = await Promise.all([q.listPlans(deps.database, where, query.offset, query.limit), q.countPlans(deps.database, where)]);
  return { items, total };
}

export async function getPlanDetail(deps: Deps, actor: Actor, id: number): Promise<PlanDetail> {
  const scope = await planFor(deps, actor, id);
  const [plan, items, comments] = await Promise.all([q.getPlan(deps.database, id), q.listItems(deps.database, id), q.listComments(deps.database, { planId: id })]);
  const owner = scope.managerId === actor.userId;
  return {
    ...plan!,
    items,
    comments,
    allowedMoves: allowedMoves(scope.status, { owner, reviewer: reviewsPlan(actor, scope) }),
    editable: owner && itemsEditable(scope.status),
  };
}

/** 制定计划: the actor's plan of a week or a month; 409 when they already have one of that period. */
export async function createPlan(deps: Deps, actor: Actor, input: CreatePlanInput): Promise<PlanDetail> {
  if (!owns(actor)) throw forbidden();
  const endsOn = periodEnd(input.period, input.startsOn);
  if (!endsOn) throw invalid('body.startsOn', input.period === 'week' ? 'work_plan_week_start' : 'work_plan_month_start');
  const id = await deps.database.db.transaction(async (tx) => {
    const row = { managerId: actor.userId!, period: input.period, startsOn: input.startsOn, endsOn, title: input.title || null };
    const id = await q.insertPlan(tx, row);
    if (id === null) throw new AppError(409, 'work_plan_exists', { from: input.startsOn, to: endsOn });
    await audit(tx, actor, { action: 'create', entity: 'work_plan', entityId: id, unitPath: actor.unitPath, after: row });
    return id;
  });
  return getPlanDetail(deps, actor, id);
}

async function checkItem(deps: Deps, tx: Executor, plan: { managerId: number; startsOn: string; endsOn: string }, customerId: number | undefined, plannedOn: string | undefined) {
  if (customerId !== undefined && !(await q.inPortfolio(deps.database, tx, customerId, plan.managerId))) throw invalid('body.customerId', 'work_customer_not_in_portfolio');
  if (plannedOn !== undefined && (plannedOn < plan.startsOn || plannedOn > plan.endsOn)) throw invalid('body.plannedOn', 'work_item_outside_period', { from: plan.startsOn, to: plan.endsOn });
}

/** An item of the actor's draft (or returned) plan: a customer of their portfolio on a day of the period. */
export async function addItem(deps: Deps, actor: Actor, planId: number, input: ItemInput): Promise<PlanItem> {
  const id = await deps.database.db.transaction(async (tx) => {
    const plan = await editablePlan(deps, actor, planId, tx);
    await checkItem(deps, tx, plan, input.customerId, input.plannedOn);
    const row = { planId, customerId: input.customerId, kind: input.kind, plannedOn: input.plannedOn, goal: input.goal || null };
    const id = await q.insertItem(tx, row);
    await q.touchPlan(tx, planId);
    await audit(tx, actor, { action: 'create', entity: 'work_plan_item', entityId: id, unitPath: plan.unitPath, after: row });
    return id;
  });
  return (await q.getItem(deps.database, id))!;
}

/** The item and its plan, locked, for a change by the plan's manager while the plan is open. */
async function editableItem(deps: Deps, actor: Actor, itemId: number, tx: Executor) {
  const item = await q.findItem(deps.database, tx, itemId);
  if (!item) throw notFound('work_plan_item');
  const plan = await editablePlan(deps, actor, item.planId, tx).catch((e: unknown) => {
    throw e instanceof AppError && e.status === 404 ? outOfScope('work_plan_item') : e;
  });
  return { item: (await q.findItem(deps.database, tx, itemId, true))!, plan };
}

export async function patchItem(deps: Deps, actor: Actor, itemId: number, patch: ItemPatch): Promise<PlanItem> {
  await deps.database.db.transaction(async (tx) => {
    const { item, plan } = await editableItem(deps, actor, itemId, tx);
    if (item.version !== patch.version) throw versionConflict();
    await checkItem(deps, tx, plan, patch.customerId, patch.plannedOn);
    const before = await q.getItem(deps.database, itemId, tx);
    const set = {
      ...(patch.customerId !== undefined && { customerId: patch.customerId }),
      ...(patch.kind !== undefined && { kind: patch.kind }),
      ...(patch.plannedOn !== undefined && { plannedOn: patch.plannedOn }),
      ...(patch.goal !== undefined && { goal: patch.goal || null }),
    };
    if (!(await q.updateItem(tx, itemId, patch.version, set))) throw versionConflict();
    await q.touchPlan(tx, plan.id);
    const was = { customerId: before!.customerId, kind: before!.kind, plannedOn: before!.plannedOn, goal: before!.goal };
    await audit(tx, actor, { action: 'update', entity: 'work_plan_item', entityId: itemId, unitPath: plan.unitPath, before: was, after: { ...was, ...set } });
  });
  return (await q.getItem(deps.database, itemId))!;
}

/** Removes an item; at the version read when `version` is given (the console always gives it). */
export async function deleteItem(deps: Deps, actor: Actor, itemId: number, version: number | undefined): Promise<void> {
  await deps.database.db.transaction(async (tx) => {
    const { item, plan } = await editableItem(deps, actor, itemId, tx);
    if (version !== undefined && item.version !== version) throw versionConflict();
    // an item a log entry kept stays: the log names it
    if (item.status === 'done') throw new AppError(409, 'work_plan_item_kept');
    if (!(await q.deleteItem(tx, itemId, item.version))) throw versionConflict();
    await q.touchPlan(tx, plan.id);
    await audit(tx, actor, { action: 'delete', entity: 'work_plan_item', entityId: itemId, unitPath: plan.unitPath, before: { planId: plan.id, customerId: item.customerId } });
  });
}

function checkMove(from: PlanStatus, to: PlanStatus, allowed: PlanStatus[]) {
  if (allowed.includes(to)) return;
  const possible = nextStatuses(from);
  if (possible.includes(to)) throw forbidden(to === 'submitted' ? 'work_plan_not_owner' : 'work_plan_not_reviewer');
  throw new AppError(409, 'work_plan_illegal_move', {
    from: statusRef(from),
    to: statusRef(to),
    allowed: possible.length ? possible.map(statusRef) : messageRef('work_plan_no_moves'),
  });
}

/** 提交: the manager's plan goes to the nearest head who reviews their unit, who is told. */
export async function submitPlan(deps: Deps, actor: Actor, id: number, input: { version: number }): Promise<PlanDetail> {
  await deps.database.db.transaction(async (tx) => {
    const plan = await planFor(deps, actor, id, tx, true);
    checkMove(plan.status, 'submitted', allowedMoves(plan.status, { owner: plan.managerId === actor.userId, reviewer: reviewsPlan(actor, plan) }));
    if (plan.version !== input.version) throw versionConflict();
    const items = await q.listItems(deps.database, id, tx);
    if (!items.length) throw new AppError(409, 'work_plan_empty');
    if (!(await q.updatePlan(tx, id, input.version, { status: 'submitted', submittedAt: new Date() }))) throw versionConflict();
    await audit(tx, actor, { action: 'update', entity: 'work_plan', entityId: id, unitPath: plan.unitPath, before: { status: plan.status }, after: { status: 'submitted' } });
    const [manager] = await deps.database.rows<{ name: string }>(sql`SELECT display_name AS name FROM users WHERE id = ${plan.managerId}`, tx);
    const submitted = { code: 'notify_work_plan_submitted', params: { manager: manager?.name ?? '', from: plan.startsOn, to: plan.endsOn }, link: `/managers/plans/${id}`, entity: 'work_plan', entityId: id } as const;
    await notifyNearestHolders(tx, plan.unitPath, 'work.review', submitted, plan.managerId);
  });
  return getPlanDetail(deps, actor, id);
}

/** 审阅: a head approves the submitted plan or returns it (with what to change); the decision is kept as a comment and the manager is told. */
export async function reviewPlan(deps: Deps, actor: Actor, id: number, input: ReviewInput): Promise<PlanDetail> {
  const comment = input.comment?.trim() || null;
  if (input.decision === 'returned' && !comment) throw invalid('body.comment', 'work_plan_return_reason_required');
  await deps.database.db.transaction(async (tx) => {
    const plan = await planFor(deps, actor, id, tx, true);
    checkMove(plan.status, input.decision, allowedMoves(plan.status, { owner: plan.managerId === actor.userId, reviewer: reviewsPlan(actor, plan) }));
    if (plan.version !== input.version) throw versionConflict();
    if (!(await q.updatePlan(tx, id, input.version, { status: input.decision, reviewedBy: actor.userId, reviewedAt: new Date() }))) throw versionConflict();
    await q.insertComment(tx, { planId: id, authorId: actor.userId!, decision: input.decision, body: comment ?? '' });
    await audit(tx, actor, { action: 'update', entity: 'work_plan', entityId: id, unitPath: plan.unitPath, before: { status: plan.status }, after: { status: input.decision, comment } });
    await notifyUsers(tx, [
      {
        userId: plan.managerId,
        code: input.decision === 'approved' ? 'notify_work_plan_approved' : 'notify_work_plan_returned',
        params: { from: plan.startsOn, to: plan.endsOn, comment: comment ?? '' },
        link: `/managers/plans/${id}`,
        entity: 'work_plan',
        entityId: id,
      },
    ]);
  });
  return getPlanDetail(deps, actor, id);
}

/** 审阅意见: a comment on a plan by anyone who sees it; the plan's manager is told of another's. */
export async function commentOnPlan(deps: Deps, actor: Actor, id: number, body: string): Promise<WorkComment> {
  const commentId = await deps.database.db.transaction(async (tx) => {
    const plan = await planFor(deps, actor, id, tx);
    if (actor.userId === null) throw forbidden();
    const commentId = await q.insertComment(tx, { planId: id, authorId: actor.userId, body });
    await audit(tx, actor, { action: 'create', entity: 'work_comment', entityId: commentId, unitPath: plan.unitPath, after: { planId: id, body } });
    if (plan.managerId !== actor.userId) {
      await notifyUsers(tx, [{ userId: plan.managerId, code: 'notify_work_comment_plan', params: { from: plan.startsOn, to: plan.endsOn }, link: `/managers/plans/${id}`, entity: 'work_plan', entityId: id }]);
    }
    return commentId;
  });
  return (await q.listComments(deps.database, { planId: id })).find((c) => c.id === commentId)!;
}

// ---- logs

async function logFor(deps: Deps, actor: Actor, id: number, executor: Executor = deps.database.db) {
  const row = await q.findLog(deps.database, executor, id, visibleLogsSql(actor));
  if (!row) throw notFound('work_log');
  if (!row.visible) throw outOfScope('work_log');
  return row;
}

export async function listLogs(deps: Deps, actor: Actor, query: LogQuery): Promise<Page<WorkLog>> {
  checkReader(actor);
  const conds: SQL[] = [visibleLogsSql(actor)];
  if (query.view === 'mine') conds.push(sql`l.manager_id = ${actor.userId ?? 0}`);
  if (query.view === 'unit') conds.push(reviews(actor) ? inSubtree(sql`mo.path`, actor.unitPath) : sql`false`);
  if (query.managerId) conds.push(sql`l.manager_id = ${query.managerId}`);
  if (query.customerId) conds.push(sql`l.customer_id = ${query.customerId}`);
  if (query.kind) conds.push(sql`l.kind = ${query.kind}`);
  if (query.from) conds.push(sql`l.logged_on >= ${query.from}::date`);
  if (query.to) conds.push(sql`l.logged_on <= ${query.to}::date`);
  const where = sql.join(conds, sql` AND `);
  const [items, total] = await Promise.all([q.listLogs(deps.database, where, query.offset, query.limit), q.countLogs(deps.database, where)]);
  return { items, total };
}

export async function getLogDetail(deps: Deps, actor: Actor, id: number): Promise<WorkLogDetail> {
  await logFor(deps, actor, id);
  const [log, comments] = await Promise.all([q.getLog(deps.database, id), q.listComments(deps.database, { logId: id })]);
  return { ...log!, comments };
}

/** The kinds of work a customer's profile records as a visit, with the channel it records. */
const VISIT_CHANNELS = { visit: 'visit', call: 'phone' } as const;

/**
 * 工作日志: a visit, call, proposal or collection of a customer of the actor's portfolio, in one transaction with
 * what it brings about — a visit or call recorded in the customer's profile with the fields it updated (source
 * manager_visit), and the plan item it keeps marked done.
 */
export async function createLog(deps: Deps, actor: Actor, input: LogInput): Promise<WorkLogDetail> {
  if (!owns(actor)) throw forbidden();
  const today = todayAt();
  const loggedOn = input.loggedOn ?? today;
  if (loggedOn > today) throw invalid('body.loggedOn', 'work_log_in_future');
  if (input.nextStepOn && input.nextStepOn < loggedOn) throw invalid('body.nextStepOn', 'work_log_next_step_before');
  const updates = input.updates && Object.values(input.updates).some((v) => v !== undefined) ? input.updates : undefined;
  const channel = input.kind === 'visit' || input.kind === 'call' ? VISIT_CHANNELS[input.kind] : null;
  if (updates && !channel) throw invalid('body.updates', 'work_log_updates_visit_only');
  const id = await deps.database.db.transaction(async (tx) => {
    if (!(await q.inPortfolio(deps.database, tx, input.customerId, actor.userId!))) throw invalid('body.customerId', 'work_customer_not_in_portfolio');
    const visitId = channel
      ? await recordVisitIn(deps, tx, actor, input.customerId, { visitedOn: loggedOn, channel, summary: input.outcome, version: input.customerVersion, updates }, 'body.customerVersion')
      : null;
    const item = input.planItemId ? await q.lockItemForLog(deps.database, tx, input.planItemId) : null;
    if (input.planItemId) {
      if (!item || item.managerId !== actor.userId) throw invalid('body.planItemId', 'work_log_item_unknown');
      if (item.customerId !== input.customerId) throw invalid('body.planItemId', 'work_log_item_other_customer');
      if (item.status === 'done') throw new AppError(409, 'work_plan_item_kept');
      if (loggedOn < item.startsOn || loggedOn > item.endsOn) throw invalid('body.planItemId', 'work_log_item_outside_period', { from: item.startsOn, to: item.endsOn });
    }
    const row = {
      managerId: actor.userId!,
      customerId: input.customerId,
      loggedOn,
      kind: input.kind,
      outcome: input.outcome,
      result: input.result,
      nextStep: input.nextStep || null,
      nextStepOn: input.nextStepOn ?? null,
      planItemId: item?.id ?? null,
      visitId,
    };
    const id = await q.insertLog(tx, row);
    if (item && !(await q.updateItem(tx, item.id, item.version, { status: 'done', logId: id }))) throw versionConflict();
    await audit(tx, actor, { action: 'create', entity: 'work_log', entityId: id, unitPath: actor.unitPath, after: { ...row, updatedFields: Object.keys(updates ?? {}) } });
    return id;
  });
  return getLogDetail(deps, actor, id);
}

export async function commentOnLog(deps: Deps, actor: Actor, id: number, body: string): Promise<WorkComment> {
  const commentId = await deps.database.db.transaction(async (tx) => {
    const log = await logFor(deps, actor, id, tx);
    if (actor.userId === null) throw forbidden();
    const commentId = await q.insertComment(tx, { logId: id, authorId: actor.userId, body });
    await audit(tx, actor, { action: 'create', entity: 'work_comment', entityId: commentId, unitPath: log.unitPath, after: { logId: id, body } });
    if (log.managerId !== actor.userId) {
      await notifyUsers(tx, [{ userId: log.managerId, code: 'notify_work_comment_log', params: {}, link: `/managers/logs?log=${id}`, entity: 'work_log', entityId: id }]);
    }
    return commentId;
  });
  return (await q.listComments(deps.database, { logId: id })).find((c) => c.id === commentId)!;
}

/** The items of a customer of the actor's portfolio a log entry may keep (not done yet), latest first. */
export async function openItemsOf(deps: Deps, actor: Actor, customerId: number): Promise<OpenItem[]> {
  if (!owns(actor)) throw forbidden();
  return q.openItems(deps.database, actor.userId!, customerId);
}

// ---- the daily job

/** 计划未完成: items still planned once their plan's period has ended (before `today`, 广东) become missed; set-based. */
export async function markMissedItems(deps: Deps, today = todayAt()): Promise<number> {
  return q.markMissed(deps.database, deps.database.db, today);
}
