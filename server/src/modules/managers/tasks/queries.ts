/** 任务管理: the SQL of tasks, their assignments and reports (set-based where a task reaches many managers). */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { managerTaskAssignments, managerTaskReports, managerTasks } from '../../../db/schema/index.js';
import { updateAtVersion } from '../../../db/versioned.js';
import { inSubtree } from '../../../platform/auth/scope.js';
import type { Assignment, AssignmentStatus, MyAssignment, Report, Task, TaskStatus, TaskTarget } from './schemas.js';

type Raw = Record<string, unknown>;
const toDate = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
const toNum = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Who reads, as the conditions need it: the reader's unit subtree and which of the two hats they wear. */
export interface Reader {
  userId: number;
  unitPath: string;
  /** Holds tasks.assign: follows the tasks issued within the subtree, and sees the assignments of its managers. */
  head: boolean;
  /** Holds work.own: sees their own assignments. */
  own: boolean;
}

const never = sql`false`;

/** The task `t` (its unit `tu`) is the reader's to follow as a head: issued within their subtree. */
export const managesTask = (r: Reader): SQL => (r.head ? inSubtree(sql`tu.path`, r.unitPath) : never);

/** The assignment `a` of the task `t` (unit `tu`) is one the reader sees: their own, or (a head) of a task they follow or of a manager of their subtree. */
export function visibleAssignment(r: Reader): SQL {
  const arms: SQL[] = [];
  if (r.own) arms.push(sql`a.manager_id = ${r.userId}`);
  if (r.head) {
    arms.push(managesTask(r));
    arms.push(sql`EXISTS (SELECT 1 FROM users vu JOIN org_units vo ON vo.id = vu.unit_id WHERE vu.id = a.manager_id AND ${inSubtree(sql`vo.path`, r.unitPath)})`);
  }
  return arms.length ? sql`(${sql.join(arms, sql` OR `)})` : never;
}

/** The task `t` (unit `tu`) is visible: followed as a head, or holding an assignment the reader sees. */
export function visibleTask(r: Reader): SQL {
  return sql`(${managesTask(r)} OR EXISTS (SELECT 1 FROM manager_task_assignments a WHERE a.task_id = t.id AND ${visibleAssignment(r)}))`;
}

// ---- targets -------------------------------------------------------------------------------------------------------

/**
 * The account managers a head may set tasks for: active users of the head's subtree holding work.own, but for the
 * head themselves; `more` narrows them (a condition on `u` and its unit `ou`). Selects `id`.
 */
export function eligibleManagers(headPath: string, headId: number, more: SQL = sql`true`): SQL {
  return sql`
    SELECT u.id FROM users u JOIN org_units ou ON ou.id = u.unit_id
    WHERE u.active AND u.id <> ${headId} AND ${inSubtree(sql`ou.path`, headPath)}
      AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles ro ON ro.id = ur.role_id WHERE ur.user_id = u.id AND 'work.own' = ANY(ro.permissions))
      AND ${more}`;
}

/** The managers holding a customer of `customers` (an SQL source with `c`, from the customers area). */
export const holdingCustomers = (customers: SQL): SQL => sql`u.id IN (SELECT c.manager_id FROM ${customers})`;

/** How many managers a target selection (`id`s) reaches, and the first of them by name: one statement, the selection read once. */
export async function previewTargets(database: Database, targets: SQL, limit = 50) {
  const rows = await database.rows<{ id: number; displayName: string; unitName: string; total: number }>(sql`
    SELECT u.id, u.display_name AS "displayName", ou.name AS "unitName", count(*) OVER ()::int AS total
    FROM users u JOIN org_units ou ON ou.id = u.unit_id WHERE u.id IN (${targets}) ORDER BY u.display_name, u.id LIMIT ${limit}`);
  return { count: Number(rows[0]?.total ?? 0), managers: rows.map((m) => ({ id: Number(m.id), displayName: m.displayName, unitName: m.unitName })) };
}

export async function insertTask(tx: Executor, row: typeof managerTasks.$inferInsert): Promise<number> {
  const [created] = await tx.insert(managerTasks).values(row).returning({ id: managerTasks.id });
  return created!.id;
}

/** 下达: one assignment per manager the target selects, in one statement; the managers reached. */
export async function insertAssignments(database: Database, tx: Executor, taskId: number, targets: SQL): Promise<number[]> {
  const rows = await database.rows<{ managerId: number }>(
    sql`INSERT INTO manager_task_assignments (task_id, manager_id) SELECT DISTINCT ${taskId}::bigint, m.id FROM (${targets}) m RETURNING manager_id AS "managerId"`,
    tx,
  );
  return rows.map((r) => Number(r.managerId));
}

export async function setTarget(tx: Executor, taskId: number, target: TaskTarget): Promise<void> {
  await tx.execute(sql`UPDATE manager_tasks SET target = ${JSON.stringify(target)}::jsonb WHERE id = ${taskId}`);
}

/** A unit's name and path, if it is active. */
export async function unitById(database: Database, id: number, executor?: Executor) {
  const [row] = await database.rows<{ id: number; path: string; name: string }>(sql`SELECT id, path, name FROM org_units WHERE id = ${id} AND active`, executor);
  return row ? { ...row, id: Number(row.id) } : null;
}

export async function userName(database: Database, id: number, executor?: Executor): Promise<string | null> {
  const [row] = await database.rows<{ name: string }>(sql`SELECT display_name AS name FROM users WHERE id = ${id}`, executor);
  return row?.name ?? null;
}

/** The account managers of the head's subtree (whom a task may be set for), by unit and name. */
export async function assignees(database: Database, headPath: string, headId: number) {
  const rows = await database.rows<{ id: number; displayName: string; unitId: number; unitName: string; unitNameEn: string | null }>(sql`
    SELECT u.id, u.display_name AS "displayName", ou.id AS "unitId", ou.name AS "unitName", ou.name_en AS "unitNameEn"
    FROM users u JOIN org_units ou ON ou.id = u.unit_id WHERE u.id IN (${eligibleManagers(headPath, headId)})
    ORDER BY ou.path, u.display_name, u.id LIMIT 2000`);
  return rows.map((r) => ({ ...r, id: Number(r.id), unitId: Number(r.unitId) }));
}

// ---- reading -------------------------------------------------------------------------------------------------------

const TASK_COLUMNS = sql`
  t.id, t.title, t.description, t.expected_outcome AS "expectedOutcome", to_char(t.due_on, 'YYYY-MM-DD') AS "dueOn",
  t.unit_id AS "unitId", tu.name AS "unitName", tu.name_en AS "unitNameEn", t.issued_by AS "issuedBy", ib.display_name AS "issuedByName",
  t.target, t.status, t.version, t.created_at AS "createdAt", t.updated_at AS "updatedAt"`;

const TASK_FROM = sql`FROM manager_tasks t JOIN org_units tu ON tu.id = t.unit_id JOIN users ib ON ib.id = t.issued_by`;

/** The counts of a task's assignments that the reader sees (a lateral `k`). */
function countsOf(r: Reader, today: string): SQL {
  return sql`LEFT JOIN LATERAL (
    SELECT count(*)::int AS total,
      count(*) FILTER (WHERE a.status = 'assigned')::int AS assigned,
      count(*) FILTER (WHERE a.status = 'in_progress')::int AS in_progress,
      count(*) FILTER (WHERE a.status = 'submitted')::int AS submitted,
      count(*) FILTER (WHERE a.status = 'evaluated')::int AS evaluated,
      count(*) FILTER (WHERE a.status = 'cancelled')::int AS cancelled,
      count(*) FILTER (WHERE a.status IN ('assigned', 'in_progress') AND t.due_on < ${today}::date)::int AS overdue,
      count(*) FILTER (WHERE a.escalated_at IS NOT NULL)::int AS escalated,
      coalesce(round(avg(a.progress) FILTER (WHERE a.status <> 'cancelled')), 0)::int AS progress,
      round(avg(a.score), 1)::float8 AS score
    FROM manager_task_assignments a WHERE a.task_id = t.id AND ${visibleAssignment(r)}) k ON true`;
}

const COUNT_COLUMNS = sql`k.total, k.assigned, k.in_progress, k.submitted, k.evaluated, k.cancelled, k.overdue, k.escalated, k.progress, k.score`;

function toTask(r: Raw): Task {
  return {
    id: Number(r.id),
    title: r.title as string,
    description: (r.description as string | null) ?? null,
    expectedOutcome: (r.expectedOutcome as string | null) ?? null,
    dueOn: r.dueOn as string,
    unitId: Number(r.unitId),
    unitName: r.unitName as string,
    unitNameEn: (r.unitNameEn as string | null) ?? null,
    issuedBy: Number(r.issuedBy),
    issuedByName: r.issuedByName as string,
    target: (typeof r.target === 'string' ? JSON.parse(r.target) : r.target) as TaskTarget,
    status: r.status as TaskStatus,
    counts: {
      assigned: Number(r.assigned ?? 0),
      in_progress: Number(r.in_progress ?? 0),
      submitted: Number(r.submitted ?? 0),
      evaluated: Number(r.evaluated ?? 0),
      cancelled: Number(r.cancelled ?? 0),
    },
    total: Number(r.total ?? 0),
    overdue: Number(r.overdue ?? 0),
    escalated: Number(r.escalated ?? 0),
    averageProgress: Number(r.progress ?? 0),
    averageScore: toNum(r.score),
    version: Number(r.version),
    createdAt: new Date(r.createdAt as string),
    updatedAt: new Date(r.updatedAt as string),
  };
}

export async function getTask(database: Database, id: number, reader: Reader, today: string, executor?: Executor): Promise<Task | null> {
  const [row] = await database.rows<Raw>(sql`SELECT ${TASK_COLUMNS}, ${COUNT_COLUMNS} ${TASK_FROM} ${countsOf(reader, today)} WHERE t.id = ${id} AND ${visibleTask(reader)}`, executor);
  return row ? toTask(row) : null;
}

export async function taskExists(database: Database, id: number, executor?: Executor): Promise<boolean> {
  const [row] = await database.rows(sql`SELECT 1 FROM manager_tasks WHERE id = ${id}`, executor);
  return !!row;
}

/** Whether the reader follows the task as a head (issued within their subtree). */
export async function managesTaskId(database: Database, id: number, reader: Reader, executor?: Executor): Promise<boolean> {
  if (!reader.head) return false;
  const [row] = await database.rows(sql`SELECT 1 ${TASK_FROM} WHERE t.id = ${id} AND ${managesTask(reader)}`, executor);
  return !!row;
}

export async function listTasks(database: Database, reader: Reader, where: SQL, today: string, offset: number, limit: number): Promise<{ items: Task[]; total: number }> {
  const [rows, counted] = await Promise.all([
    database.rows<Raw>(sql`
      SELECT ${TASK_COLUMNS}, ${COUNT_COLUMNS} ${TASK_FROM} ${countsOf(reader, today)}
      WHERE ${where} ORDER BY (t.status <> 'open'), t.due_on DESC, t.id DESC OFFSET ${offset} LIMIT ${limit}`),
    database.rows<{ n: number }>(sql`SELECT count(*)::int AS n ${TASK_FROM} WHERE ${where}`),
  ]);
  return { items: rows.map(toTask), total: Number(counted[0]?.n ?? 0) };
}

const ASSIGNMENT_COLUMNS = (today: string) => sql`
  a.id, a.task_id AS "taskId", a.manager_id AS "managerId", mu.display_name AS "managerName", mou.name AS "unitName", mou.name_en AS "unitNameEn",
  a.status, a.progress, a.submitted_at AS "submittedAt", a.score, a.evaluation, eb.display_name AS "evaluatedByName", a.evaluated_at AS "evaluatedAt",
  et.display_name AS "escalatedToName", a.escalated_at AS "escalatedAt",
  (a.status IN ('assigned', 'in_progress') AND t.due_on < ${today}::date) AS overdue,
  (SELECT max(rp.created_at) FROM manager_task_reports rp WHERE rp.assignment_id = a.id) AS "lastReportAt",
  a.version, a.updated_at AS "updatedAt"`;

const ASSIGNMENT_FROM = sql`
  FROM manager_task_assignments a JOIN manager_tasks t ON t.id = a.task_id JOIN org_units tu ON tu.id = t.unit_id
  JOIN users mu ON mu.id = a.manager_id JOIN org_units mou ON mou.id = mu.unit_id
  LEFT JOIN users eb ON eb.id = a.evaluated_by LEFT JOIN users et ON et.id = a.escalated_to`;

function toAssignment(r: Raw): Assignment {
  return {
    id: Number(r.id),
    taskId: Number(r.taskId),
    managerId: Number(r.managerId),
    managerName: r.managerName as string,
    unitName: r.unitName as string,
    unitNameEn: (r.unitNameEn as string | null) ?? null,
    status: r.status as AssignmentStatus,
    progress: Number(r.progress),
    submittedAt: toDate(r.submittedAt),
    score: toNum(r.score),
    evaluation: (r.evaluation as string | null) ?? null,
    evaluatedByName: (r.evaluatedByName as string | null) ?? null,
    evaluatedAt: toDate(r.evaluatedAt),
    escalatedToName: (r.escalatedToName as string | null) ?? null,
    escalatedAt: toDate(r.escalatedAt),
    overdue: r.overdue === true || r.overdue === 't',
    lastReportAt: toDate(r.lastReportAt),
    version: Number(r.version),
    updatedAt: new Date(r.updatedAt as string),
  };
}

/** The assignments of a task the reader sees, by unit and name. */
export async function listAssignments(database: Database, taskId: number, reader: Reader, today: string, executor?: Executor): Promise<Assignment[]> {
  const rows = await database.rows<Raw>(
    sql`SELECT ${ASSIGNMENT_COLUMNS(today)} ${ASSIGNMENT_FROM} WHERE a.task_id = ${taskId} AND ${visibleAssignment(reader)} ORDER BY mou.path, mu.display_name, a.id`,
    executor,
  );
  return rows.map(toAssignment);
}

/** 我的任务: a manager's assignments with their tasks; the open ones first, the nearest due first. */
export async function listMine(database: Database, managerId: number, where: SQL, today: string, offset: number, limit: number): Promise<{ items: MyAssignment[]; total: number }> {
  const [rows, counted] = await Promise.all([
    database.rows<Raw>(sql`
      SELECT ${ASSIGNMENT_COLUMNS(today)}, t.title, t.description, t.expected_outcome AS "expectedOutcome", to_char(t.due_on, 'YYYY-MM-DD') AS "dueOn",
             ib.display_name AS "issuedByName", t.status AS "taskStatus"
      ${ASSIGNMENT_FROM} JOIN users ib ON ib.id = t.issued_by
      WHERE a.manager_id = ${managerId} AND ${where}
      ORDER BY (a.status IN ('evaluated', 'cancelled')), CASE WHEN a.status IN ('evaluated', 'cancelled') THEN NULL ELSE t.due_on END, t.due_on DESC, a.id DESC
      OFFSET ${offset} LIMIT ${limit}`),
    database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM manager_task_assignments a JOIN manager_tasks t ON t.id = a.task_id WHERE a.manager_id = ${managerId} AND ${where}`),
  ]);
  const items = rows.map((r) => ({
    ...toAssignment(r),
    title: r.title as string,
    description: (r.description as string | null) ?? null,
    expectedOutcome: (r.expectedOutcome as string | null) ?? null,
    dueOn: r.dueOn as string,
    issuedByName: r.issuedByName as string,
    taskStatus: r.taskStatus as TaskStatus,
  }));
  return { items, total: Number(counted[0]?.n ?? 0) };
}

/** The reports of a task's assignments the reader sees, oldest first. */
export async function listReports(database: Database, taskId: number, reader: Reader, executor?: Executor): Promise<Report[]> {
  const rows = await database.rows<Raw>(
    sql`
    SELECT rp.id, rp.assignment_id AS "assignmentId", rp.author_id AS "authorId", au.display_name AS "authorName", (rp.author_id <> a.manager_id) AS "byHead",
           rp.progress, rp.body, rp.created_at AS "createdAt"
    FROM manager_task_reports rp JOIN manager_task_assignments a ON a.id = rp.assignment_id JOIN manager_tasks t ON t.id = a.task_id
    JOIN org_units tu ON tu.id = t.unit_id JOIN users au ON au.id = rp.author_id
    WHERE a.task_id = ${taskId} AND ${visibleAssignment(reader)} ORDER BY rp.created_at, rp.id`,
    executor,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    assignmentId: Number(r.assignmentId),
    authorId: Number(r.authorId),
    authorName: r.authorName as string,
    byHead: r.byHead === true || r.byHead === 't',
    progress: toNum(r.progress),
    body: r.body as string,
    createdAt: new Date(r.createdAt as string),
  }));
}

// ---- changing ------------------------------------------------------------------------------------------------------

/** An assignment locked for a change, with what the change checks and tells. */
export interface LockedAssignment {
  id: number;
  taskId: number;
  managerId: number;
  status: AssignmentStatus;
  progress: number;
  version: number;
  taskTitle: string;
  taskStatus: TaskStatus;
  issuedBy: number;
  taskUnitPath: string;
  dueOn: string;
  manages: boolean;
}

export async function lockAssignment(database: Database, tx: Executor, id: number, reader: Reader): Promise<LockedAssignment | null> {
  const [row] = await database.rows<Raw>(
    sql`SELECT a.id, a.task_id AS "taskId", a.manager_id AS "managerId", a.status, a.progress, a.version, t.title AS "taskTitle", t.status AS "taskStatus",
               t.issued_by AS "issuedBy", tu.path AS "taskUnitPath", to_char(t.due_on, 'YYYY-MM-DD') AS "dueOn", ${managesTask(reader)} AS manages
        FROM manager_task_assignments a JOIN manager_tasks t ON t.id = a.task_id JOIN org_units tu ON tu.id = t.unit_id
        WHERE a.id = ${id} AND ${visibleAssignment(reader)} FOR NO KEY UPDATE OF a`,
    tx,
  );
  if (!row) return null;
  return {
    ...(row as unknown as LockedAssignment),
    id: Number(row.id),
    taskId: Number(row.taskId),
    managerId: Number(row.managerId),
    progress: Number(row.progress),
    version: Number(row.version),
    issuedBy: Number(row.issuedBy),
    manages: row.manages === true || row.manages === 't',
  };
}

export async function assignmentExists(database: Database, id: number, executor?: Executor): Promise<boolean> {
  const [row] = await database.rows(sql`SELECT 1 FROM manager_task_assignments WHERE id = ${id}`, executor);
  return !!row;
}

export const updateAssignment = (tx: Executor, id: number, version: number, set: Partial<typeof managerTaskAssignments.$inferInsert>) =>
  updateAtVersion(tx, managerTaskAssignments, id, version, set);

export async function insertReport(tx: Executor, row: typeof managerTaskReports.$inferInsert): Promise<number> {
  const [created] = await tx.insert(managerTaskReports).values(row).returning({ id: managerTaskReports.id });
  return created!.id;
}

export interface LockedTask {
  id: number;
  title: string;
  status: TaskStatus;
  version: number;
  unitPath: string;
  issuedBy: number;
}

export async function lockTask(database: Database, tx: Executor, id: number, reader: Reader): Promise<(LockedTask & { manages: boolean }) | null> {
  const [row] = await database.rows<Raw>(
    sql`SELECT t.id, t.title, t.status, t.version, tu.path AS "unitPath", t.issued_by AS "issuedBy", ${managesTask(reader)} AS manages
        FROM manager_tasks t JOIN org_units tu ON tu.id = t.unit_id WHERE t.id = ${id} AND ${visibleTask(reader)} FOR NO KEY UPDATE OF t`,
    tx,
  );
  if (!row) return null;
  return { ...(row as unknown as LockedTask), id: Number(row.id), version: Number(row.version), issuedBy: Number(row.issuedBy), manages: row.manages === true || row.manages === 't' };
}

export const updateTask = (tx: Executor, id: number, version: number, set: Partial<typeof managerTasks.$inferInsert>) => updateAtVersion(tx, managerTasks, id, version, set);

/** Cancels a task's open assignments in one statement; the managers whose assignment it cancelled. */
export async function cancelOpenAssignments(database: Database, tx: Executor, taskId: number): Promise<number[]> {
  const rows = await database.rows<{ managerId: number }>(
    sql`UPDATE manager_task_assignments SET status = 'cancelled', version = version + 1, updated_at = now()
        WHERE task_id = ${taskId} AND status NOT IN ('evaluated', 'cancelled') RETURNING manager_id AS "managerId"`,
    tx,
  );
  return rows.map((r) => Number(r.managerId));
}

/** Closes an open task when none of its assignments is open any more; true when it closed it. */
export async function closeIfDone(database: Database, tx: Executor, taskId: number): Promise<boolean> {
  const rows = await database.rows(
    sql`UPDATE manager_tasks t SET status = 'closed', version = version + 1, updated_at = now()
        WHERE t.id = ${taskId} AND t.status = 'open'
          AND NOT EXISTS (SELECT 1 FROM manager_task_assignments a WHERE a.task_id = t.id AND a.status NOT IN ('evaluated', 'cancelled'))
        RETURNING t.id`,
    tx,
  );
  return rows.length > 0;
}

// ---- 逾期上报: the overdue escalation ------------------------------------------------------------------------------

export interface Escalated {
  assignmentId: number;
  taskId: number;
  managerId: number;
  escalatedTo: number;
  title: string;
  dueOn: string;
  unitName: string;
  issuedByName: string;
  managerName: string;
  headName: string;
}

/**
 * Escalates, in one statement, up to `limit` assignments past their task's due day, not submitted, evaluated or
 * cancelled and not escalated yet, each to the next head: the nearest holder of tasks.assign above the issuing
 * unit (its parent unit upwards; the first of them by id when the unit has several), or the issuer when none is
 * above. Returns what was escalated.
 */
export async function escalateOverdue(database: Database, tx: Executor, today: string, limit: number, nextHeadOf: (parentPath: SQL) => SQL): Promise<Escalated[]> {
  const rows = await database.rows<Raw>(
    sql`
    WITH due AS (
      SELECT a.id, t.id AS task_id, t.unit_id, t.issued_by FROM manager_task_assignments a JOIN manager_tasks t ON t.id = a.task_id
      WHERE a.status IN ('assigned', 'in_progress') AND a.escalated_at IS NULL AND t.status = 'open' AND t.due_on < ${today}::date
      ORDER BY a.id LIMIT ${limit} FOR UPDATE OF a SKIP LOCKED
    ), heads AS (
      SELECT d.unit_id, d.issued_by, coalesce((SELECT min(h.id) FROM (${nextHeadOf(sql`regexp_replace(u.path, '[0-9]+/$', '')`)}) h), d.issued_by) AS head_id
      FROM (SELECT DISTINCT unit_id, issued_by FROM due) d JOIN org_units u ON u.id = d.unit_id
    ), done AS (
      UPDATE manager_task_assignments a SET escalated_to = h.head_id, escalated_at = now(), version = a.version + 1, updated_at = now()
      FROM due d JOIN heads h ON h.unit_id = d.unit_id AND h.issued_by = d.issued_by
      WHERE a.id = d.id
      RETURNING a.id, a.task_id, a.manager_id, a.escalated_to
    )
    SELECT done.id AS "assignmentId", done.task_id AS "taskId", done.manager_id AS "managerId", done.escalated_to AS "escalatedTo",
           t.title, to_char(t.due_on, 'YYYY-MM-DD') AS "dueOn", tu.name AS "unitName", ib.display_name AS "issuedByName",
           mu.display_name AS "managerName", hu.display_name AS "headName"
    FROM done JOIN manager_tasks t ON t.id = done.task_id JOIN org_units tu ON tu.id = t.unit_id JOIN users ib ON ib.id = t.issued_by
    JOIN users mu ON mu.id = done.manager_id JOIN users hu ON hu.id = done.escalated_to
    ORDER BY done.task_id, done.id`,
    tx,
  );
  return rows.map((r) => ({
    ...(r as unknown as Escalated),
    assignmentId: Number(r.assignmentId),
    taskId: Number(r.taskId),
    managerId: Number(r.managerId),
    escalatedTo: Number(r.escalatedTo),
  }));
}
