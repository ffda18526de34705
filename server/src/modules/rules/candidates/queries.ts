/** SQL of potential key accounts (潜在大客户): the scoped candidate list and the decision. */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { potentialCandidates } from '../../../db/schema/index.js';
import { updateAtVersion } from '../../../db/versioned.js';
import type { Candidate } from './schemas.js';

const COLUMNS = sql`
  pc.id, pc.customer_id AS "customerId", c.customer_no AS "customerNo", c.name AS "customerName", c.kind, c.archive,
  u.name AS "unitName", u.name_en AS "unitNameEn", m.display_name AS "managerName", to_char(pc.month, 'YYYY-MM') AS month, pc.reasons, pc.status,
  dc.username AS "decidedBy", dc.display_name AS "decidedByName", pc.decided_at AS "decidedAt", pc.decision_note AS "decisionNote",
  pc.confirmed_level AS "confirmedLevel", pc.version`;
const FROM = sql`
  FROM potential_candidates pc
  JOIN customers c ON c.id = pc.customer_id
  JOIN org_units u ON u.id = c.unit_id
  LEFT JOIN users m ON m.id = c.manager_id
  LEFT JOIN users dc ON dc.id = pc.decided_by`;

type Raw = Omit<Candidate, 'decidedAt'> & { decidedAt: string | Date | null };
// raw SQL rows carry timestamps as text on both drivers
const toCandidate = (r: Raw): Candidate => ({ ...r, id: Number(r.id), customerId: Number(r.customerId), decidedAt: r.decidedAt ? new Date(r.decidedAt) : null });

/** Newest run first; within a month, the biggest recent spend first. */
export async function listCandidates(database: Database, where: SQL, offset: number, limit: number): Promise<Candidate[]> {
  const rows = await database.rows<Raw>(
    sql`SELECT ${COLUMNS} ${FROM} WHERE ${where}
        ORDER BY pc.month DESC, (pc.reasons->>'avgPaid')::numeric DESC NULLS LAST, pc.id OFFSET ${offset} LIMIT ${limit}`,
  );
  return rows.map(toCandidate);
}

export async function countCandidates(database: Database, where: SQL): Promise<number> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n ${FROM} WHERE ${where}`);
  return Number(row?.n ?? 0);
}

export async function getCandidate(database: Database, id: number, executor?: Executor): Promise<Candidate | null> {
  const [row] = await database.rows<Raw>(sql`SELECT ${COLUMNS} ${FROM} WHERE pc.id = ${id}`, executor);
  return row ? toCandidate(row) : null;
}

/** The candidate locked for its decision, with its customer's kind and whether the actor may see it. */
export async function lockForDecision(database: Database, tx: Executor, id: number, visible: SQL) {
  const [row] = await database.rows<{ customerId: number; status: string; version: number; kind: 'group' | 'individual'; unitPath: string; visible: boolean }>(
    sql`SELECT pc.customer_id AS "customerId", pc.status, pc.version, c.kind, u.path AS "unitPath", (${visible}) AS visible
        FROM potential_candidates pc JOIN customers c ON c.id = pc.customer_id JOIN org_units u ON u.id = c.unit_id
        WHERE pc.id = ${id} FOR UPDATE OF pc`,
    tx,
  );
  return row ? { ...row, customerId: Number(row.customerId) } : null;
}

export const updateCandidate = (db: Executor, id: number, version: number, set: Partial<typeof potentialCandidates.$inferInsert>) =>
  updateAtVersion(db, potentialCandidates, id, version, set);
