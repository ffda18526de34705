/**
 * 任务管理 (DOMAIN.md §7, 下达 → 过程控制 → 执行评价). A head (tasks.assign) sets a task for one manager, a team
 * (the account managers of a unit of their subtree) or every manager holding customers of a customers-list filter
 * or a saved segment; the assignments are made in one statement and each manager is told. The manager starts it,
 * reports progress and submits it; the head replies, evaluates each submitted assignment with a score and a
 * comment, or cancels the task. The task closes when every assignment is evaluated or cancelled. Overdue
 * assignments escalate to the next head (overdue.ts).
 *
 * Who sees what: a manager their own assignments (another's task answers 404); a head the tasks issued within
 * their subtree, whole, and the assignments of their subtree's managers in tasks set from above.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { audit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/principal.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError, forbidden, invalid, notFound, outOfScope, versionConflict } from '../../../platform/errors.js';
import type { Page } from '../../../platform/http/list.js';
import { messageRef, type MessageCode } from '../../../platform/i18n/messages.js';
import { todayAt } from '../../../platform/months.js';
import { notifyUsers, type InAppMessage } from '../../../platform/notify/notify.js';
import { customerFilter, customersMatchingSql, listSavedFilters } from '../../customers/service.js';
import { allowedMoves, isReportable, nextStatuses } from './flow.js';
import * as q from './queries.js';
import type {
  AssignmentStatus,
  CancelTaskInput,
  CreateTaskInput,
  EvaluateInput,
  MyAssignment,
  MyTasksQuery,
  Preview,
  ReportInput,
  SubmitInput,
  TargetInput,
  Task,
  TaskDetail,
  TaskListQuery,
  TaskTarget,
} from './schemas.js';

const TASK = 'manager_task';
const ASSIGNMENT = 'manager_task_assignment';
const linkOf = (taskId: number) => `/managers/tasks/${taskId}`;
const statusRef = (s: AssignmentStatus) => messageRef(`task_assignment_status_${s}` as MessageCode);

/** The reader's hats: a head (tasks.assign) and/or a manager (work.own); with neither, no task is visible (404, as for none). */
function readerOf(actor: Actor): q.Reader {
  return { userId: actor.userId ?? 0, unitPath: actor.unitPath, head: actor.permissions.has('tasks.assign'), own: actor.permissions.has('work.own') && actor.userId !== null };
}

// ---- 下达: targets and the task ------------------------------------------------------------------------------------

interface ResolvedTarget {
  /** Selects the `id`s of the managers it reaches. */
  targets: SQL;
  stored: Omit<TaskTarget, 'count'>;
}

/** What a target reaches, checked against the head's subtree: a field error on the part that is not theirs to choose. */
async function resolveTarget(deps: Deps, actor: Actor, target: TargetInput, executor?: Executor): Promise<ResolvedTarget> {
  const { database } = deps;
  const headId = actor.userId ?? 0;
  switch (target.kind) {
    case 'manager': {
      const targets = q.eligibleManagers(actor.unitPath, headId, sql`u.id = ${target.managerId}`);
      const [found] = await database.rows(targets, executor);
      if (!found) throw invalid('body.target.managerId', 'task_manager_not_eligible');
      return { targets, stored: { kind: 'manager', managerId: target.managerId, label: (await q.userName(database, target.managerId, executor)) ?? '' } };
    }
    case 'team': {
      const unit = await q.unitById(database, target.unitId, executor);
      if (!unit || !unit.path.startsWith(actor.unitPath)) throw invalid('body.target.unitId', 'task_unit_not_eligible');
      return { targets: q.eligibleManagers(actor.unitPath, headId, sql`ou.path LIKE ${`${unit.path.replace(/[\\%_]/g, '\\$&')}%`}`), stored: { kind: 'team', unitId: unit.id, label: unit.name } };
    }
    case 'filter': {
      const customers = await customersMatchingSql(deps, actor, target.filter);
      return { targets: q.eligibleManagers(actor.unitPath, headId, q.holdingCustomers(customers)), stored: { kind: 'filter', filter: target.filter, label: '' } };
    }
    case 'segment': {
      const segment = actor.userId === null ? undefined : (await listSavedFilters(deps, actor)).find((s) => Number(s.id) === target.segmentId);
      const filter = segment && customerFilter.safeParse(segment.filter);
      if (!segment || !filter?.success) throw invalid('body.target.segmentId', 'task_segment_not_found');
      const customers = await customersMatchingSql(deps, actor, filter.data);
      return { targets: q.eligibleManagers(actor.unitPath, headId, q.holdingCustomers(customers)), stored: { kind: 'segment', segmentId: target.segmentId, filter: filter.data, label: segment.name } };
    }
  }
}

/** 预览: the managers a target would reach (a dry run of 下达). */
export async function previewTarget(deps: Deps, actor: Actor, target: TargetInput): Promise<Preview> {
  const { targets } = await resolveTarget(deps, actor, target);
  return q.previewTargets(deps.database, targets);
}

/** The account managers a head may set a task for (their subtree's), for the manager picker. */
export const assignees = (deps: Deps, actor: Actor) => q.assignees(deps.database, actor.unitPath, actor.userId ?? 0);

/** 下达: the task and one assignment per manager its target reaches (in one statement); each manager is told. */
export async function createTask(deps: Deps, actor: Actor, input: CreateTaskInput): Promise<TaskDetail> {
  const { database } = deps;
  const today = todayAt();
  if (input.dueOn < today || Number.isNaN(Date.parse(input.dueOn))) throw invalid('body.dueOn', 'task_due_in_past', { today });
  if (actor.userId === null) throw forbidden();
  const unitId = await unitIdOf(deps, actor);
  // resolved before the transaction: the customers area reads outside it (PGlite has one connection)
  const { targets, stored } = await resolveTarget(deps, actor, input.target);
  const id = await database.db.transaction(async (tx) => {
    const title = input.title;
    const taskId = await q.insertTask(tx, {
      title,
      description: input.description || null,
      expectedOutcome: input.expectedOutcome || null,
      dueOn: input.dueOn,
      unitId,
      issuedBy: actor.userId!,
      target: { ...stored, count: 0 },
    });
    const reached = await q.insertAssignments(database, tx, taskId, targets);
    if (!reached.length) throw invalid('body.target', 'task_target_empty');
    const target = { ...stored, count: reached.length };
    await q.setTarget(tx, taskId, target);
    await audit(tx, actor, { action: 'create', entity: TASK, entityId: taskId, unitPath: actor.unitPath, after: { title, dueOn: input.dueOn, target } });
    const issuer = (await q.userName(database, actor.userId!, tx)) ?? '';
    await notifyUsers(
      tx,
      reached.map((managerId) => ({ userId: managerId, code: 'notify_task_assigned', params: { issuer, title, dueOn: input.dueOn }, link: linkOf(taskId), entity: TASK, entityId: taskId })),
    );
    return taskId;
  });
  return getTaskDetail(deps, actor, id);
}

/** The unit of the actor (the issuing unit of their tasks). */
async function unitIdOf(deps: Deps, actor: Actor): Promise<number> {
  const [row] = await deps.database.rows<{ unitId: number }>(sql`SELECT unit_id AS "unitId" FROM users WHERE id = ${actor.userId}`);
  if (!row) throw forbidden();
  return Number(row.unitId);
}

// ---- reading -------------------------------------------------------------------------------------------------------

/** 我下达的任务 / 本单位的任务 (a head's list), with the assignments' counts by status. */
export async function listTasks(deps: Deps, actor: Actor, query: TaskListQuery): Promise<Page<Task>> {
  const reader = readerOf(actor);
  const today = todayAt();
  const conds: SQL[] = [q.visibleTask(reader)];
  if (query.view === 'mine') conds.push(sql`t.issued_by = ${reader.userId}`);
  if (query.status) conds.push(sql`t.status = ${query.status}`);
  if (query.q) conds.push(sql`t.title ILIKE ${`%${query.q.replace(/[\\%_]/g, '\\$&')}%`}`);
  if (query.overdue) conds.push(sql`t.status = 'open' AND t.due_on < ${today}::date AND EXISTS (SELECT 1 FROM manager_task_assignments a WHERE a.task_id = t.id AND a.status IN ('assigned', 'in_progress') AND ${q.visibleAssignment(reader)})`);
  return q.listTasks(deps.database, reader, sql.join(conds, sql` AND `), today, query.offset, query.limit);
}

/** 我的任务: the manager's own assignments, the open ones first by due day. */
export async function listMine(deps: Deps, actor: Actor, query: MyTasksQuery): Promise<Page<MyAssignment>> {
  const conds: SQL[] = [sql`true`];
  if (query.open === 'true') conds.push(sql`a.status NOT IN ('evaluated', 'cancelled')`);
  if (query.open === 'false') conds.push(sql`a.status IN ('evaluated', 'cancelled')`);
  if (query.status) conds.push(sql`a.status = ${query.status}`);
  return q.listMine(deps.database, actor.userId ?? 0, sql.join(conds, sql` AND `), todayAt(), query.offset, query.limit);
}

/** One task as the reader sees it: its assignments (all of them for a head who follows it; a manager their own), the reports, the moves open. */
export async function getTaskDetail(deps: Deps, actor: Actor, id: number): Promise<TaskDetail> {
  const reader = readerOf(actor);
  const { database } = deps;
  const today = todayAt();
  const task = await q.getTask(database, id, reader, today);
  if (!task) throw (await q.taskExists(database, id)) ? outOfScope(TASK) : notFound(TASK);
  const [assignments, reports, manages] = await Promise.all([q.listAssignments(database, id, reader, today), q.listReports(database, id, reader), q.managesTaskId(database, id, reader)]);
  return {
    ...task,
    canManage: manages,
    assignments: assignments.map((a) => ({ ...a, allowedMoves: allowedMoves(a.status, { own: reader.own && a.managerId === reader.userId, head: manages }) })),
    reports,
  };
}

// ---- 过程控制 and 执行评价: the moves of an assignment ---------------------------------------------------------------

/** An assignment locked for a change by a reader who sees it (404 outside, exactly as for none). */
async function lockVisible(deps: Deps, tx: Executor, reader: q.Reader, id: number): Promise<q.LockedAssignment> {
  const row = await q.lockAssignment(deps.database, tx, id, reader);
  if (row) return row;
  throw (await q.assignmentExists(deps.database, id, tx)) ? outOfScope(ASSIGNMENT) : notFound(ASSIGNMENT);
}

/** The move `to` checked for this reader: 403 when it is the other party's to make, 409 naming the moves open to them when it is not open now. */
function checkMove(reader: q.Reader, row: q.LockedAssignment, to: AssignmentStatus) {
  const hats = { own: reader.own && row.managerId === reader.userId, head: row.manages };
  const allowed = allowedMoves(row.status, hats);
  if (allowed.includes(to)) return;
  if (nextStatuses(row.status).includes(to)) throw forbidden('task_not_yours');
  throw new AppError(409, 'task_illegal_move', {
    from: statusRef(row.status),
    to: statusRef(to),
    allowed: allowed.length ? allowed.map(statusRef) : messageRef('task_no_moves'),
  });
}

type AssignmentChange = (tx: Executor, row: q.LockedAssignment, reader: q.Reader) => Promise<{ before: Record<string, unknown>; after: Record<string, unknown>; notify: InAppMessage[] }>;

/** One change of an assignment in a transaction: locked, changed, audited, the other party told; answers the task as the reader sees it. */
async function changeAssignment(deps: Deps, actor: Actor, id: number, change: AssignmentChange): Promise<TaskDetail> {
  const reader = readerOf(actor);
  const taskId = await deps.database.db.transaction(async (tx) => {
    const row = await lockVisible(deps, tx, reader, id);
    const { before, after, notify } = await change(tx, row, reader);
    await audit(tx, actor, { action: 'update', entity: ASSIGNMENT, entityId: id, unitPath: row.taskUnitPath, before, after });
    await notifyUsers(tx, notify.map((m) => ({ link: linkOf(row.taskId), entity: TASK, entityId: row.taskId, ...m })));
    return row.taskId;
  });
  return getTaskDetail(deps, actor, taskId);
}

const atVersion = async (tx: Executor, row: q.LockedAssignment, version: number, set: Parameters<typeof q.updateAssignment>[3]) => {
  if (row.version !== version || !(await q.updateAssignment(tx, row.id, version, set))) throw versionConflict();
};

async function nameOf(deps: Deps, tx: Executor, userId: number) {
  return (await q.userName(deps.database, userId, tx)) ?? '';
}

/** 开始: the manager starts work on the assignment; the issuer is told. */
export const startAssignment = (deps: Deps, actor: Actor, id: number, input: { version: number }) =>
  changeAssignment(deps, actor, id, async (tx, row, reader) => {
    checkMove(reader, row, 'in_progress');
    await atVersion(tx, row, input.version, { status: 'in_progress' });
    const manager = await nameOf(deps, tx, row.managerId);
    return { before: { status: row.status }, after: { status: 'in_progress' }, notify: [{ userId: row.issuedBy, code: 'notify_task_started', params: { manager, title: row.taskTitle } }] };
  });

/** 进展报告: the manager's progress (percent and what was done); an assigned task starts with its first report; the issuer is told. */
export const reportProgress = (deps: Deps, actor: Actor, id: number, input: ReportInput) =>
  changeAssignment(deps, actor, id, async (tx, row, reader) => {
    if (!(reader.own && row.managerId === reader.userId)) throw forbidden('task_not_yours');
    if (!isReportable(row.status)) throw new AppError(409, 'task_not_reportable', { status: statusRef(row.status) });
    const status: AssignmentStatus = 'in_progress';
    await atVersion(tx, row, input.version, { status, progress: input.progress });
    await q.insertReport(tx, { assignmentId: row.id, authorId: reader.userId, progress: input.progress, body: input.body });
    const manager = await nameOf(deps, tx, row.managerId);
    return {
      before: { status: row.status, progress: row.progress },
      after: { status, progress: input.progress },
      notify: [{ userId: row.issuedBy, code: 'notify_task_progress', params: { manager, title: row.taskTitle, progress: input.progress } }],
    };
  });

/** 提交: the manager hands the assignment in (progress 100, with what was achieved); the issuer is told to evaluate it. */
export const submitAssignment = (deps: Deps, actor: Actor, id: number, input: SubmitInput) =>
  changeAssignment(deps, actor, id, async (tx, row, reader) => {
    checkMove(reader, row, 'submitted');
    await atVersion(tx, row, input.version, { status: 'submitted', progress: 100, submittedAt: new Date() });
    if (input.body) await q.insertReport(tx, { assignmentId: row.id, authorId: reader.userId, progress: 100, body: input.body });
    const manager = await nameOf(deps, tx, row.managerId);
    return {
      before: { status: row.status, progress: row.progress },
      after: { status: 'submitted', progress: 100 },
      notify: [{ userId: row.issuedBy, code: 'notify_task_submitted', params: { manager, title: row.taskTitle } }],
    };
  });

/** 执行评价: the head scores a submitted assignment (0–100) with a comment; the manager is told; the task closes when none is open. */
export const evaluateAssignment = (deps: Deps, actor: Actor, id: number, input: EvaluateInput) =>
  changeAssignment(deps, actor, id, async (tx, row, reader) => {
    checkMove(reader, row, 'evaluated');
    await atVersion(tx, row, input.version, { status: 'evaluated', score: input.score, evaluation: input.comment, evaluatedBy: reader.userId, evaluatedAt: new Date() });
    const closed = await q.closeIfDone(deps.database, tx, row.taskId);
    const head = await nameOf(deps, tx, reader.userId);
    return {
      before: { status: row.status },
      after: { status: 'evaluated', score: input.score, evaluation: input.comment, taskClosed: closed },
      notify: [{ userId: row.managerId, code: 'notify_task_evaluated', params: { head, title: row.taskTitle, score: input.score } }],
    };
  });

/** 回复: a head's reply on an assignment's timeline (a report without progress); the manager is told. */
export const replyToAssignment = (deps: Deps, actor: Actor, id: number, input: { body: string }) =>
  changeAssignment(deps, actor, id, async (tx, row, reader) => {
    if (!row.manages) throw forbidden('task_not_yours');
    const reportId = await q.insertReport(tx, { assignmentId: row.id, authorId: reader.userId, progress: null, body: input.body });
    const head = await nameOf(deps, tx, reader.userId);
    return { before: {}, after: { reply: reportId }, notify: [{ userId: row.managerId, code: 'notify_task_reply', params: { head, title: row.taskTitle } }] };
  });

/** 取消: the head calls the task off; its open assignments are cancelled and their managers told. */
export async function cancelTask(deps: Deps, actor: Actor, id: number, input: CancelTaskInput): Promise<TaskDetail> {
  const reader = readerOf(actor);
  const { database } = deps;
  await database.db.transaction(async (tx) => {
    const task = await q.lockTask(database, tx, id, reader);
    if (!task) throw (await q.taskExists(database, id, tx)) ? outOfScope(TASK) : notFound(TASK);
    if (!task.manages) throw forbidden('task_not_yours');
    if (task.status !== 'open') throw new AppError(409, 'task_not_open', { status: messageRef(`task_status_${task.status}` as MessageCode) });
    if (task.version !== input.version || !(await q.updateTask(tx, id, input.version, { status: 'cancelled' }))) throw versionConflict();
    const cancelled = await q.cancelOpenAssignments(database, tx, id);
    await audit(tx, actor, { action: 'update', entity: TASK, entityId: id, unitPath: task.unitPath, before: { status: task.status }, after: { status: 'cancelled', reason: input.reason ?? null, assignmentsCancelled: cancelled.length } });
    const head = (await q.userName(database, reader.userId, tx)) ?? '';
    await notifyUsers(
      tx,
      cancelled.map((managerId) => ({ userId: managerId, code: 'notify_task_cancelled', params: { head, title: task.title, reason: input.reason || '—' }, link: linkOf(id), entity: TASK, entityId: id })),
    );
  });
  return getTaskDetail(deps, actor, id);
}
