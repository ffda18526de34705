/** SQL of planned outages (割接/停机通知), the key accounts they affect and the notices sent to them. */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { plannedOutages } from '../../../db/schema/index.js';
import { updateAtVersion } from '../../../db/versioned.js';
import { inSubtree, unitIdsInSubtree } from '../../../platform/auth/scope.js';
import { likeEscape } from '../../../platform/db-errors.js';
import type { AffectedCustomer, OutageStatus } from './schemas.js';

/** An outage row as read, before the reader's allowed actions are added. */
export interface OutageRow {
  id: number;
  title: string;
  description: string | null;
  kind: 'cutover' | 'maintenance' | 'upgrade';
  areaUnitId: number;
  areaUnitName: string;
  areaUnitNameEn: string | null;
  areaPath: string;
  startsAt: Date;
  endsAt: Date;
  status: OutageStatus;
  needsApproval: boolean;
  affectedCount: number | null;
  createdBy: number | null;
  createdByName: string | null;
  submittedBy: number | null;
  submittedByName: string | null;
  submittedAt: Date | null;
  approvedByName: string | null;
  approvedAt: Date | null;
  decisionNote: string | null;
  notifiedAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  completedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = sql`
  o.id, o.title, o.description, o.kind, o.area_unit_id AS "areaUnitId", au.name AS "areaUnitName", au.name_en AS "areaUnitNameEn", au.path AS "areaPath",
  o.starts_at AS "startsAt", o.ends_at AS "endsAt", o.status, o.needs_approval AS "needsApproval", o.affected_count AS "affectedCount",
  o.created_by AS "createdBy", cb.display_name AS "createdByName", o.submitted_by AS "submittedBy", sb.display_name AS "submittedByName", o.submitted_at AS "submittedAt",
  ab.display_name AS "approvedByName", o.approved_at AS "approvedAt", o.decision_note AS "decisionNote",
  o.notified_at AS "notifiedAt", o.cancelled_at AS "cancelledAt", o.cancel_reason AS "cancelReason", o.completed_at AS "completedAt",
  o.version, o.created_at AS "createdAt", o.updated_at AS "updatedAt"`;

const FROM = sql`
  FROM planned_outages o
  JOIN org_units au ON au.id = o.area_unit_id
  LEFT JOIN users cb ON cb.id = o.created_by
  LEFT JOIN users sb ON sb.id = o.submitted_by
  LEFT JOIN users ab ON ab.id = o.approved_by`;

type Raw = Record<string, unknown>;
const DATES = ['startsAt', 'endsAt', 'submittedAt', 'approvedAt', 'notifiedAt', 'cancelledAt', 'completedAt', 'createdAt', 'updatedAt'] as const;
const IDS = ['createdBy', 'submittedBy'] as const;

// raw SQL rows carry timestamps as text and bigints as strings on the drivers
function toRow(r: Raw): OutageRow {
  const out = { ...r } as Raw;
  for (const k of DATES) out[k] = r[k] === null ? null : new Date(r[k] as string);
  for (const k of IDS) out[k] = r[k] === null ? null : Number(r[k]);
  out.id = Number(r.id);
  out.areaUnitId = Number(r.areaUnitId);
  out.affectedCount = r.affectedCount === null ? null : Number(r.affectedCount);
  return out as unknown as OutageRow;
}

/** Outages whose area is the unit at `unitPath` or below it (on `au`, the area unit). */
export const areaIn = (unitPath: string): SQL => inSubtree(sql`au.path`, unitPath);

/** Outages affecting at least one customer that `customers` (a condition on `c`) keeps. */
export const affecting = (customers: SQL): SQL =>
  sql`EXISTS (SELECT 1 FROM outage_customers oc JOIN customers c ON c.id = oc.customer_id WHERE oc.outage_id = o.id AND ${customers})`;

export interface OutageFilter {
  status?: OutageStatus;
  kind?: string;
  q?: string;
  upcoming?: 'true' | 'false';
}

export function outageFilter(f: OutageFilter): SQL {
  const conds: SQL[] = [sql`true`];
  if (f.status) conds.push(sql`o.status = ${f.status}`);
  if (f.kind) conds.push(sql`o.kind = ${f.kind}`);
  if (f.q) conds.push(sql`o.title ILIKE ${`%${likeEscape(f.q)}%`}`);
  if (f.upcoming === 'true') conds.push(sql`o.ends_at > now()`);
  if (f.upcoming === 'false') conds.push(sql`o.ends_at <= now()`);
  return sql.join(conds, sql` AND `);
}

export async function listOutages(database: Database, where: SQL, offset: number, limit: number): Promise<OutageRow[]> {
  const rows = await database.rows<Raw>(sql`SELECT ${COLUMNS} ${FROM} WHERE ${where} ORDER BY o.starts_at DESC, o.id DESC OFFSET ${offset} LIMIT ${limit}`);
  return rows.map(toRow);
}

export async function countOutages(database: Database, where: SQL): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n ${FROM} WHERE ${where}`);
  return Number(row?.n ?? 0);
}

export async function getOutage(database: Database, id: number, visible: SQL, executor?: Executor): Promise<OutageRow | null> {
  const [row] = await database.rows<Raw>(sql`SELECT ${COLUMNS} ${FROM} WHERE o.id = ${id} AND ${visible}`, executor);
  return row ? toRow(row) : null;
}

export async function outageExists(database: Database, id: number, executor?: Executor): Promise<boolean> {
  const [row] = await database.rows(sql`SELECT 1 FROM planned_outages WHERE id = ${id}`, executor);
  return !!row;
}

/** The outage locked for a change, with whether `manageable` (a condition on o and au) holds for it; null when there is none. */
export async function lockOutage(database: Database, tx: Executor, id: number, manageable: SQL): Promise<(OutageRow & { manageable: boolean }) | null> {
  const [row] = await database.rows<Raw>(sql`SELECT ${COLUMNS}, (${manageable}) AS manageable ${FROM} WHERE o.id = ${id} FOR NO KEY UPDATE OF o`, tx);
  return row ? { ...toRow(row), manageable: row.manageable === true } : null;
}

/** How many of the outage's customers were told, and how many SMS it queued. */
export async function sendCounts(database: Database, id: number) {
  const [row] = await database.rows<{ notified: number; sms: number }>(sql`
    SELECT (SELECT count(*)::int FROM outage_customers WHERE outage_id = ${id} AND notified_at IS NOT NULL) AS notified,
           (SELECT count(*)::int FROM outbound_messages WHERE entity = 'planned_outage' AND entity_id = ${id}) AS sms`);
  return { notifiedCount: Number(row?.notified ?? 0), smsCount: Number(row?.sms ?? 0) };
}

export async function insertOutage(tx: Executor, row: typeof plannedOutages.$inferInsert): Promise<number> {
  const [created] = await tx.insert(plannedOutages).values(row).returning({ id: plannedOutages.id });
  return created!.id;
}

/** The columns an action or an edit sets. */
export type OutageChange = Partial<typeof plannedOutages.$inferInsert>;

export const updateOutage = (tx: Executor, id: number, version: number, set: OutageChange) =>
  updateAtVersion(tx, plannedOutages, id, version, set);

/** An active unit's path, if it exists. */
export async function unitPathOf(database: Database, id: number, executor?: Executor): Promise<string | null> {
  const [row] = await database.rows<{ path: string }>(sql`SELECT path FROM org_units WHERE id = ${id} AND active`, executor);
  return row?.path ?? null;
}

// ---- the affected key accounts ----

/**
 * The key accounts in the outage's area: the in-network customers (not merged away) of the area unit's subtree.
 * Subscriptions carry no cell or exchange yet, so a customer's unit stands for where its lines are.
 */
const inArea = (areaPath: string) => sql`
  SELECT c.id FROM customers c
  WHERE c.unit_id IN (${unitIdsInSubtree(areaPath)}) AND c.archive = 'in_network' AND c.merged_into IS NULL`;

/** Computes the affected customers afresh (nobody is told yet), in one statement; returns how many. */
export async function replaceAffected(database: Database, tx: Executor, id: number, areaPath: string): Promise<number> {
  await tx.execute(sql`DELETE FROM outage_customers WHERE outage_id = ${id}`);
  const [row] = await database.rows<{ n: number }>(
    sql`WITH added AS (INSERT INTO outage_customers (outage_id, customer_id) SELECT ${id}, a.id FROM (${inArea(areaPath)}) a RETURNING 1) SELECT count(*)::int AS n FROM added`,
    tx,
  );
  return Number(row?.n ?? 0);
}

/** Adds the customers who joined the area since the set was computed (those told stay); returns the new total. */
export async function addNewlyAffected(database: Database, tx: Executor, id: number, areaPath: string): Promise<number> {
  await tx.execute(sql`INSERT INTO outage_customers (outage_id, customer_id) SELECT ${id}, a.id FROM (${inArea(areaPath)}) a ON CONFLICT DO NOTHING`);
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM outage_customers WHERE outage_id = ${id}`, tx);
  return Number(row?.n ?? 0);
}

export async function clearAffected(tx: Executor, id: number): Promise<void> {
  await tx.execute(sql`DELETE FROM outage_customers WHERE outage_id = ${id}`);
}

/** One page of the affected customers that `visible` (a condition on `c`) keeps, by customer number; with their contact phone in full (the caller masks it). */
export async function listAffected(database: Database, id: number, visible: SQL, offset: number, limit: number): Promise<AffectedCustomer[]> {
  const rows = await database.rows<Raw>(sql`
    SELECT c.id AS "customerId", c.customer_no AS "customerNo", c.name, c.kind, st.level, u.name AS "unitName", u.name_en AS "unitNameEn",
           m.display_name AS "managerName", c.contact_phone AS "contactPhone", oc.notified_at AS "notifiedAt"
    FROM outage_customers oc
    JOIN customers c ON c.id = oc.customer_id
    JOIN org_units u ON u.id = c.unit_id
    LEFT JOIN customer_standings st ON st.customer_id = c.id
    LEFT JOIN users m ON m.id = c.manager_id
    WHERE oc.outage_id = ${id} AND ${visible}
    ORDER BY c.customer_no OFFSET ${offset} LIMIT ${limit}`);
  return rows.map((r) => ({ ...(r as unknown as AffectedCustomer), customerId: Number(r.customerId), notifiedAt: r.notifiedAt === null ? null : new Date(r.notifiedAt as string) }));
}

export async function countAffected(database: Database, id: number, visible: SQL): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM outage_customers oc JOIN customers c ON c.id = oc.customer_id WHERE oc.outage_id = ${id} AND ${visible}`);
  return Number(row?.n ?? 0);
}

/** The outages affecting a customer (its 360° view), latest window first, with when the customer was told. */
export async function customerOutages(database: Database, customerId: number, offset: number, limit: number) {
  const rows = await database.rows<Raw>(sql`
    SELECT ${COLUMNS}, oc.notified_at AS "customerNotifiedAt" ${FROM} JOIN outage_customers oc ON oc.outage_id = o.id
    WHERE oc.customer_id = ${customerId} ORDER BY o.starts_at DESC, o.id DESC OFFSET ${offset} LIMIT ${limit}`);
  return rows.map((r) => ({ ...toRow(r), customerNotifiedAt: r.customerNotifiedAt === null ? null : new Date(r.customerNotifiedAt as string) }));
}

export async function countCustomerOutages(database: Database, customerId: number): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM outage_customers WHERE customer_id = ${customerId}`);
  return Number(row?.n ?? 0);
}

// ---- notices to the customers ----

/** The next batch of an outage's customers, after `afterId`, told (`told`) or not yet, with their contact phones. */
export async function customersToTell(database: Database, tx: Executor, id: number, told: boolean, afterId: number, limit: number) {
  const rows = await database.rows<{ customerId: number; phone: string | null }>(
    sql`SELECT oc.customer_id AS "customerId", c.contact_phone AS phone
        FROM outage_customers oc JOIN customers c ON c.id = oc.customer_id
        WHERE oc.outage_id = ${id} AND ${told ? sql`oc.notified_at IS NOT NULL` : sql`oc.notified_at IS NULL`} AND oc.customer_id > ${afterId}
        ORDER BY oc.customer_id LIMIT ${limit}`,
    tx,
  );
  return rows.map((r) => ({ customerId: Number(r.customerId), phone: r.phone }));
}

/** Marks a batch of the outage's customers told, at the transaction's time. */
export async function markTold(tx: Executor, id: number, customerIds: number[]): Promise<void> {
  if (!customerIds.length) return;
  await tx.execute(sql`UPDATE outage_customers SET notified_at = now() WHERE outage_id = ${id} AND customer_id = ANY(${`{${customerIds.join(',')}}`}::bigint[])`);
}

/** The account managers of the customers told in this transaction (or, `all`, of every customer told), with how many each. */
export async function managersOfTold(database: Database, tx: Executor, id: number, all: boolean) {
  const rows = await database.rows<{ managerId: number; n: number }>(
    sql`SELECT c.manager_id AS "managerId", count(*)::int AS n
        FROM outage_customers oc JOIN customers c ON c.id = oc.customer_id JOIN users m ON m.id = c.manager_id AND m.active
        WHERE oc.outage_id = ${id} AND ${all ? sql`oc.notified_at IS NOT NULL` : sql`oc.notified_at = now()`}
        GROUP BY c.manager_id ORDER BY c.manager_id`,
    tx,
  );
  return rows.map((r) => ({ managerId: Number(r.managerId), n: Number(r.n) }));
}

/**
 * The heads who may approve an outage of the area at `areaPath`: the active holders of notices.approve in the
 * nearest unit at or above the area that has one other than `except` (who created or submitted it).
 */
export async function approversOf(database: Database, tx: Executor, areaPath: string, except: (number | null)[]) {
  const others = `{${except.filter((u) => u !== null).join(',')}}`;
  const rows = await database.rows<{ id: number }>(
    sql`WITH h AS (
          SELECT u.id, hu.path FROM users u JOIN org_units hu ON hu.id = u.unit_id
          WHERE u.active AND u.id <> ALL(${others}::bigint[]) AND starts_with(${areaPath}::text, hu.path)
            AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND 'notices.approve' = ANY(r.permissions)))
        SELECT DISTINCT id FROM h WHERE length(path) = (SELECT max(length(path)) FROM h) ORDER BY id`,
    tx,
  );
  return rows.map((r) => Number(r.id));
}
