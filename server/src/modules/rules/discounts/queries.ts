/** SQL of custom discount requests (优惠申请) and the approvals inbox. */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { discountRequests } from '../../../db/schema/index.js';
import { updateAtVersion } from '../../../db/versioned.js';
import type { Discount } from './schemas.js';

const COLUMNS = sql`
  d.id, d.customer_id AS "customerId", c.customer_no AS "customerNo", c.name AS "customerName", u.name AS "unitName", u.name_en AS "unitNameEn",
  d.amount::text AS amount, d.months, d.reason, d.approver_level AS "approverLevel", d.status,
  rq.username AS "requestedBy", rq.display_name AS "requestedByName", dc.username AS "decidedBy", dc.display_name AS "decidedByName", d.decided_at AS "decidedAt", d.decision_note AS "decisionNote",
  d.version, d.created_at AS "createdAt", d.updated_at AS "updatedAt"`;
const FROM = sql`
  FROM discount_requests d
  JOIN customers c ON c.id = d.customer_id
  JOIN org_units u ON u.id = c.unit_id
  LEFT JOIN users rq ON rq.id = d.requested_by
  LEFT JOIN users dc ON dc.id = d.decided_by`;

type Raw = Omit<Discount, 'decidedAt' | 'createdAt' | 'updatedAt'> & { decidedAt: string | Date | null; createdAt: string | Date; updatedAt: string | Date };

// raw SQL rows carry timestamps as text on both drivers
const toDiscount = (r: Raw): Discount => ({
  ...r,
  id: Number(r.id),
  customerId: Number(r.customerId),
  decidedAt: r.decidedAt ? new Date(r.decidedAt) : null,
  createdAt: new Date(r.createdAt),
  updatedAt: new Date(r.updatedAt),
});

export async function listDiscounts(database: Database, where: SQL, order: 'asc' | 'desc', offset: number, limit: number): Promise<Discount[]> {
  const dir = order === 'asc' ? sql`ASC` : sql`DESC`;
  const rows = await database.rows<Raw>(sql`SELECT ${COLUMNS} ${FROM} WHERE ${where} ORDER BY d.created_at ${dir}, d.id ${dir} OFFSET ${offset} LIMIT ${limit}`);
  return rows.map(toDiscount);
}

export async function countDiscounts(database: Database, where: SQL): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n ${FROM} WHERE ${where}`);
  return Number(row?.n ?? 0);
}

export async function getDiscount(database: Database, id: number, executor?: Executor): Promise<Discount | null> {
  const [row] = await database.rows<Raw>(sql`SELECT ${COLUMNS} ${FROM} WHERE d.id = ${id}`, executor);
  return row ? toDiscount(row) : null;
}

/** The request locked for its decision, with what the decision checks: the customer's scope and the requester. */
export async function lockForDecision(database: Database, tx: Executor, id: number, visible: SQL) {
  const [row] = await database.rows<{ customerId: number; status: string; version: number; approverLevel: string; requestedBy: number | null; unitPath: string; visible: boolean }>(
    sql`SELECT d.customer_id AS "customerId", d.status, d.version, d.approver_level AS "approverLevel", d.requested_by AS "requestedBy", u.path AS "unitPath",
               (${visible}) AS visible
        FROM discount_requests d JOIN customers c ON c.id = d.customer_id JOIN org_units u ON u.id = c.unit_id
        WHERE d.id = ${id} FOR UPDATE OF d`,
    tx,
  );
  return row ? { ...row, customerId: Number(row.customerId), requestedBy: row.requestedBy === null ? null : Number(row.requestedBy) } : null;
}

export async function insertDiscount(db: Executor, row: typeof discountRequests.$inferInsert): Promise<number> {
  const [created] = await db.insert(discountRequests).values(row).returning({ id: discountRequests.id });
  return created!.id;
}

export const updateDiscount = (db: Executor, id: number, version: number, set: Partial<typeof discountRequests.$inferInsert>) =>
  updateAtVersion(db, discountRequests, id, version, set);

/** The kind of the unit at a path (hq, province, city, county, outlet). */
export async function unitKindAt(database: Database, path: string): Promise<string | null> {
  const [row] = await database.rows<{ kind: string }>(sql`SELECT kind FROM org_units WHERE path = ${path}`);
  return row?.kind ?? null;
}
