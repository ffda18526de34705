/** 综合查询: the SQL of queries and saved queries. */
import { sql, type SQL } from 'drizzle-orm';
import type { AnalyticsReads, Database, Executor } from '../../../db/client.js';
import type { Compiled } from './compile.js';

/** The latest month with facts ('YYYY-MM'), read from the facts' key (month first): an index probe. */
export async function latestFactMonth(reads: AnalyticsReads): Promise<string | null> {
  const [row] = await reads.rows<{ m: string | null }>(sql`SELECT to_char(max(month), 'YYYY-MM') AS m FROM monthly_facts`);
  return row?.m ?? null;
}

/** The customers a compiled tree selects within a scope, as a source `FROM …` with `c` the customers. */
export const matchedFrom = (c: Pick<Compiled, 'where' | 'standings'>, scope: SQL): SQL =>
  sql`customers c${c.standings ? sql` LEFT JOIN customer_standings st ON st.customer_id = c.id` : sql``}
      WHERE c.merged_into IS NULL AND ${scope} AND ${c.where}`;

export const countMatched = (from: SQL): SQL => sql`SELECT count(*)::int AS total FROM ${from}`;

export interface ResultRow {
  id: number;
  customerNo: string;
  name: string;
  kind: string;
  unitName: string;
  unitNameEn: string | null;
  managerName: string | null;
  level: string | null;
  [measure: `m${number}`]: string | null;
}

/** A page of the matched customers in customer-number order, with the measures the tree named (evaluated for the page's rows only). */
export function pageMatched(c: Compiled, scope: SQL, offset: number, limit: number): SQL {
  const measures = c.measures.map((m) => sql`, ${m.expr} AS ${sql.identifier(m.key)}`);
  return sql`
    SELECT c.id, c.customer_no AS "customerNo", c.name, c.kind, u.name AS "unitName", u.name_en AS "unitNameEn",
           mu.display_name AS "managerName", s.level${sql.join(measures, sql``)}
    FROM (SELECT c.id FROM ${matchedFrom(c, scope)} ORDER BY c.customer_no LIMIT ${limit} OFFSET ${offset}) ids
    JOIN customers c ON c.id = ids.id
    JOIN org_units u ON u.id = c.unit_id
    LEFT JOIN users mu ON mu.id = c.manager_id
    LEFT JOIN customer_standings s ON s.customer_id = c.id
    ORDER BY c.customer_no`;
}

// ---- saved queries ------------------------------------------------------------------------------------------------

export interface SavedRow {
  id: number;
  name: string;
  tree: unknown;
  shared: boolean;
  ownerId: number;
  ownerName: string;
  unitId: number;
  unitName: string;
  unitNameEn: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Saved queries the reader sees: their own, and those shared from a unit whose subtree holds the reader's unit. */
export const visibleQuery = (userId: number, unitPath: string): SQL =>
  sql`(q.owner_id = ${userId} OR (q.shared AND starts_with(${unitPath}::text, ou.path)))`;

export function listSaved(db: Database, visible: SQL, id?: number, executor?: Executor): Promise<SavedRow[]> {
  return db.rows<SavedRow>(
    sql`SELECT q.id, q.name, q.tree, q.shared, q.owner_id AS "ownerId", us.display_name AS "ownerName", q.unit_id AS "unitId",
               ou.name AS "unitName", ou.name_en AS "unitNameEn", q.version, q.created_at AS "createdAt", q.updated_at AS "updatedAt"
        FROM analysis_saved_queries q JOIN org_units ou ON ou.id = q.unit_id JOIN users us ON us.id = q.owner_id
        WHERE ${visible}${id === undefined ? sql`` : sql` AND q.id = ${id}`}
        ORDER BY q.updated_at DESC, q.id DESC LIMIT 500`,
    executor,
  );
}

export async function insertSaved(tx: Executor, db: Database, row: { name: string; tree: unknown; shared: boolean; ownerId: number; unitId: number }): Promise<number> {
  const [r] = await db.rows<{ id: number }>(
    sql`INSERT INTO analysis_saved_queries (name, tree, shared, owner_id, unit_id)
        VALUES (${row.name}, ${JSON.stringify(row.tree)}::jsonb, ${row.shared}, ${row.ownerId}, ${row.unitId}) RETURNING id`,
    tx,
  );
  return Number(r!.id);
}

export const userUnit = async (db: Database, userId: number, executor?: Executor) =>
  (await db.rows<{ unitId: number }>(sql`SELECT unit_id AS "unitId" FROM users WHERE id = ${userId}`, executor))[0]?.unitId;
