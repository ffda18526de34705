/** SQL of the plans and logs: work_plans, work_plan_items, work_logs and work_comments. */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { workComments, workLogs, workPlanItems, workPlans } from '../../../db/schema/index.js';
import { updateAtVersion } from '../../../db/versioned.js';
import type { ItemStatus, OpenItem, Plan, PlanItem, PlanPeriod, PlanStatus, WorkComment, WorkLog } from './schemas.js';

// raw SQL rows carry timestamps as text on both drivers, and bigints as text on node-postgres
const at = (v: string | Date) => new Date(v);
const atOrNull = (v: string | Date | null) => (v === null ? null : new Date(v));
const idOrNull = (v: number | string | null) => (v === null ? null : Number(v));

// ---- plans

const PLAN = sql`
  p.id, p.manager_id AS "managerId", mu.display_name AS "managerName", mo.name AS "unitName", mo.name_en AS "unitNameEn",
  p.period, p.starts_on::text AS "startsOn", p.ends_on::text AS "endsOn", p.title, p.status,
  p.submitted_at AS "submittedAt", p.reviewed_by AS "reviewedBy", ru.display_name AS "reviewerName", p.reviewed_at AS "reviewedAt",
  coalesce(ic.n, 0) AS "itemCount", coalesce(ic.done, 0) AS "doneCount", coalesce(ic.missed, 0) AS "missedCount",
  p.version, p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;
/** A plan with its manager (mu) and the manager's unit (mo): the scope conditions read mo.path. */
const PLAN_FROM = sql`FROM work_plans p JOIN users mu ON mu.id = p.manager_id JOIN org_units mo ON mo.id = mu.unit_id`;
const PLAN_COUNTS = sql`
  LEFT JOIN users ru ON ru.id = p.reviewed_by
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS n, (count(*) FILTER (WHERE i.status = 'done'))::int AS done, (count(*) FILTER (WHERE i.status = 'missed'))::int AS missed
    FROM work_plan_items i WHERE i.plan_id = p.id) ic ON true`;

type PlanRaw = Omit<Plan, 'submittedAt' | 'reviewedAt' | 'createdAt' | 'updatedAt'> & { submittedAt: string | Date | null; reviewedAt: string | Date | null; createdAt: string | Date; updatedAt: string | Date };
const toPlan = (r: PlanRaw): Plan => ({
  ...r,
  id: Number(r.id),
  managerId: Number(r.managerId),
  reviewedBy: idOrNull(r.reviewedBy),
  itemCount: Number(r.itemCount),
  doneCount: Number(r.doneCount),
  missedCount: Number(r.missedCount),
  submittedAt: atOrNull(r.submittedAt),
  reviewedAt: atOrNull(r.reviewedAt),
  createdAt: at(r.createdAt),
  updatedAt: at(r.updatedAt),
});

export async function listPlans(database: Database, where: SQL, offset: number, limit: number): Promise<Plan[]> {
  const rows = await database.rows<PlanRaw>(sql`SELECT ${PLAN} ${PLAN_FROM} ${PLAN_COUNTS} WHERE ${where} ORDER BY p.starts_on DESC, p.period, mu.display_name, p.id OFFSET ${offset} LIMIT ${limit}`);
  return rows.map(toPlan);
}

export async function countPlans(database: Database, where: SQL): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n ${PLAN_FROM} WHERE ${where}`);
  return Number(row?.n ?? 0);
}

export async function getPlan(database: Database, id: number, executor?: Executor): Promise<Plan | null> {
  const [row] = await database.rows<PlanRaw>(sql`SELECT ${PLAN} ${PLAN_FROM} ${PLAN_COUNTS} WHERE p.id = ${id}`, executor);
  return row ? toPlan(row) : null;
}

export interface PlanScopeRow {
  id: number;
  managerId: number;
  status: PlanStatus;
  period: PlanPeriod;
  startsOn: string;
  endsOn: string;
  version: number;
  unitPath: string;
  managerUnitId: number;
  visible: boolean;
}

/** A plan with the manager's unit path and whether the reader sees it (`visible`); locked for a change when `lock`. */
export async function findPlan(database: Database, executor: Executor, id: number, visible: SQL, lock = false): Promise<PlanScopeRow | null> {
  const [row] = await database.rows<PlanScopeRow>(
    sql`SELECT p.id, p.manager_id AS "managerId", p.status, p.period, p.starts_on::text AS "startsOn", p.ends_on::text AS "endsOn", p.version,
          mo.path AS "unitPath", mo.id AS "managerUnitId", (${visible}) AS visible
        ${PLAN_FROM} WHERE p.id = ${id} ${lock ? sql`FOR UPDATE OF p` : sql``}`,
    executor,
  );
  return row ? { ...row, id: Number(row.id), managerId: Number(row.managerId), managerUnitId: Number(row.managerUnitId), version: Number(row.version) } : null;
}

/** Inserts a plan; null when the manager already has one of that period (the unique index answers). */
export async function insertPlan(tx: Executor, row: typeof workPlans.$inferInsert): Promise<number | null> {
  const [created] = await tx.insert(workPlans).values(row).onConflictDoNothing().returning({ id: workPlans.id });
  return created ? created.id : null;
}

export const updatePlan = (tx: Executor, id: number, version: number, set: Partial<typeof workPlans.$inferInsert>) => updateAtVersion(tx, workPlans, id, version, set);

/** Bumps a plan's version: its items changed (a reader of the plan at the old version is stale). */
export const touchPlan = (tx: Executor, id: number) => tx.execute(sql`UPDATE work_plans SET version = version + 1, updated_at = now() WHERE id = ${id}`);

// ---- items

const ITEM = sql`
  i.id, i.plan_id AS "planId", i.customer_id AS "customerId", c.name AS "customerName", c.customer_no AS "customerNo",
  i.kind, i.planned_on::text AS "plannedOn", i.goal, i.status, i.log_id AS "logId", i.version`;
type ItemRaw = PlanItem;
const toItem = (r: ItemRaw): PlanItem => ({ ...r, id: Number(r.id), planId: Number(r.planId), customerId: Number(r.customerId), logId: idOrNull(r.logId), version: Number(r.version) });

export async function listItems(database: Database, planId: number, executor?: Executor): Promise<PlanItem[]> {
  const rows = await database.rows<ItemRaw>(sql`SELECT ${ITEM} FROM work_plan_items i JOIN customers c ON c.id = i.customer_id WHERE i.plan_id = ${planId} ORDER BY i.planned_on, i.id`, executor);
  return rows.map(toItem);
}

export async function getItem(database: Database, id: number, executor?: Executor): Promise<PlanItem | null> {
  const [row] = await database.rows<ItemRaw>(sql`SELECT ${ITEM} FROM work_plan_items i JOIN customers c ON c.id = i.customer_id WHERE i.id = ${id}`, executor);
  return row ? toItem(row) : null;
}

export interface ItemScopeRow {
  id: number;
  planId: number;
  customerId: number;
  status: ItemStatus;
  version: number;
}

/** An item's plan id and status, locked for a change. */
export async function findItem(database: Database, executor: Executor, id: number, lock = false): Promise<ItemScopeRow | null> {
  const [row] = await database.rows<ItemScopeRow>(
    sql`SELECT i.id, i.plan_id AS "planId", i.customer_id AS "customerId", i.status, i.version FROM work_plan_items i WHERE i.id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`,
    executor,
  );
  return row ? { ...row, id: Number(row.id), planId: Number(row.planId), customerId: Number(row.customerId), version: Number(row.version) } : null;
}

export async function insertItem(tx: Executor, row: typeof workPlanItems.$inferInsert): Promise<number> {
  const [created] = await tx.insert(workPlanItems).values(row).returning({ id: workPlanItems.id });
  return created!.id;
}

export const updateItem = (tx: Executor, id: number, version: number, set: Partial<typeof workPlanItems.$inferInsert>) => updateAtVersion(tx, workPlanItems, id, version, set);

export async function deleteItem(tx: Executor, id: number, version: number): Promise<boolean> {
  const rows = await tx.delete(workPlanItems).where(sql`${workPlanItems.id} = ${id} AND ${workPlanItems.version} = ${version}`).returning({ id: workPlanItems.id });
  return rows.length > 0;
}

/** Is the customer in the manager's portfolio (held by them, not merged away)? */
export async function inPortfolio(database: Database, executor: Executor, customerId: number, managerId: number): Promise<boolean> {
  const [row] = await database.rows(sql`SELECT 1 FROM customers c WHERE c.id = ${customerId} AND c.manager_id = ${managerId} AND c.merged_into IS NULL`, executor);
  return !!row;
}

/** The items of a customer not yet kept, of the manager's plans whose period has not ended before `day` (the log form offers them). */
export async function openItems(database: Database, managerId: number, customerId: number): Promise<OpenItem[]> {
  const rows = await database.rows<ItemRaw & { planStartsOn: string; planEndsOn: string; period: PlanPeriod }>(sql`
    SELECT ${ITEM}, p.starts_on::text AS "planStartsOn", p.ends_on::text AS "planEndsOn", p.period
    FROM work_plan_items i JOIN work_plans p ON p.id = i.plan_id JOIN customers c ON c.id = i.customer_id
    WHERE p.manager_id = ${managerId} AND i.customer_id = ${customerId} AND i.status <> 'done'
    ORDER BY i.planned_on DESC, i.id LIMIT 50`);
  return rows.map((r) => ({ ...toItem(r), planStartsOn: r.planStartsOn, planEndsOn: r.planEndsOn, period: r.period }));
}

/** The item a log entry keeps, with its plan's manager and period, locked. */
export async function lockItemForLog(database: Database, tx: Executor, id: number) {
  const [row] = await database.rows<{ id: number; planId: number; customerId: number; status: ItemStatus; version: number; managerId: number; startsOn: string; endsOn: string }>(
    sql`SELECT i.id, i.plan_id AS "planId", i.customer_id AS "customerId", i.status, i.version, p.manager_id AS "managerId", p.starts_on::text AS "startsOn", p.ends_on::text AS "endsOn"
        FROM work_plan_items i JOIN work_plans p ON p.id = i.plan_id WHERE i.id = ${id} FOR UPDATE OF i`,
    tx,
  );
  return row ? { ...row, id: Number(row.id), planId: Number(row.planId), customerId: Number(row.customerId), managerId: Number(row.managerId), version: Number(row.version) } : null;
}

/**
 * 计划未完成: the items still planned whose plan's period ended before `today` become missed, in one statement
 * (a log entry keeping an item makes it done, so an item still planned was kept by none). Returns how many.
 */
export async function markMissed(database: Database, executor: Executor, today: string): Promise<number> {
  const [row] = await database.rows<{ n: number }>(
    sql`WITH missed AS (
          UPDATE work_plan_items i SET status = 'missed', version = i.version + 1, updated_at = now()
          FROM work_plans p
          WHERE p.id = i.plan_id AND i.status = 'planned' AND i.planned_on < ${today}::date AND p.ends_on < ${today}::date
          RETURNING 1)
        SELECT count(*)::int AS n FROM missed`,
    executor,
  );
  return Number(row?.n ?? 0);
}

// ---- logs

const LOG = sql`
  l.id, l.manager_id AS "managerId", mu.display_name AS "managerName", l.customer_id AS "customerId", c.name AS "customerName", c.customer_no AS "customerNo",
  l.logged_on::text AS "loggedOn", l.kind, l.outcome, l.result, l.next_step AS "nextStep", l.next_step_on::text AS "nextStepOn",
  l.plan_item_id AS "planItemId", pi.plan_id AS "planId", l.visit_id AS "visitId",
  (SELECT count(*)::int FROM work_comments wc WHERE wc.log_id = l.id) AS "commentCount",
  l.version, l.created_at AS "createdAt"`;
/** A log entry with its manager (mu), the manager's unit (mo) and its customer (c). */
const LOG_FROM = sql`FROM work_logs l JOIN users mu ON mu.id = l.manager_id JOIN org_units mo ON mo.id = mu.unit_id JOIN customers c ON c.id = l.customer_id`;

type LogRaw = Omit<WorkLog, 'createdAt'> & { createdAt: string | Date };
const toLog = (r: LogRaw): WorkLog => ({
  ...r,
  id: Number(r.id),
  managerId: Number(r.managerId),
  customerId: Number(r.customerId),
  planItemId: idOrNull(r.planItemId),
  planId: idOrNull(r.planId),
  visitId: idOrNull(r.visitId),
  commentCount: Number(r.commentCount),
  version: Number(r.version),
  createdAt: at(r.createdAt),
});

export async function listLogs(database: Database, where: SQL, offset: number, limit: number): Promise<WorkLog[]> {
  const rows = await database.rows<LogRaw>(sql`SELECT ${LOG} ${LOG_FROM} LEFT JOIN work_plan_items pi ON pi.id = l.plan_item_id WHERE ${where} ORDER BY l.logged_on DESC, l.id DESC OFFSET ${offset} LIMIT ${limit}`);
  return rows.map(toLog);
}

export async function countLogs(database: Database, where: SQL): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n ${LOG_FROM} WHERE ${where}`);
  return Number(row?.n ?? 0);
}

export async function getLog(database: Database, id: number, executor?: Executor): Promise<WorkLog | null> {
  const [row] = await database.rows<LogRaw>(sql`SELECT ${LOG} ${LOG_FROM} LEFT JOIN work_plan_items pi ON pi.id = l.plan_item_id WHERE l.id = ${id}`, executor);
  return row ? toLog(row) : null;
}

/** A log entry's manager unit path and whether the reader sees it. */
export async function findLog(database: Database, executor: Executor, id: number, visible: SQL): Promise<{ id: number; managerId: number; unitPath: string; visible: boolean } | null> {
  const [row] = await database.rows<{ id: number; managerId: number; unitPath: string; visible: boolean }>(
    sql`SELECT l.id, l.manager_id AS "managerId", mo.path AS "unitPath", (${visible}) AS visible ${LOG_FROM} WHERE l.id = ${id}`,
    executor,
  );
  return row ? { ...row, id: Number(row.id), managerId: Number(row.managerId) } : null;
}

export async function insertLog(tx: Executor, row: typeof workLogs.$inferInsert): Promise<number> {
  const [created] = await tx.insert(workLogs).values(row).returning({ id: workLogs.id });
  return created!.id;
}

// ---- comments

export async function insertComment(tx: Executor, row: typeof workComments.$inferInsert): Promise<number> {
  const [created] = await tx.insert(workComments).values(row).returning({ id: workComments.id });
  return created!.id;
}

export async function listComments(database: Database, on: { planId?: number; logId?: number }, executor?: Executor): Promise<WorkComment[]> {
  const where = on.planId !== undefined ? sql`wc.plan_id = ${on.planId}` : sql`wc.log_id = ${on.logId ?? 0}`;
  const rows = await database.rows<Omit<WorkComment, 'createdAt'> & { createdAt: string | Date }>(
    sql`SELECT wc.id, wc.author_id AS "authorId", u.display_name AS "authorName", wc.decision, wc.body, wc.created_at AS "createdAt"
        FROM work_comments wc JOIN users u ON u.id = wc.author_id WHERE ${where} ORDER BY wc.created_at, wc.id`,
    executor,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), authorId: Number(r.authorId), createdAt: at(r.createdAt) }));
}

