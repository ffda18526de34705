/** SQL of benefits (权益): the customer's current level, this year's uses, the per-customer lock. */
import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.js';
import { namedRows } from '../../../db/statements.js';
import { benefitUsages } from '../../../db/schema/index.js';

/**
 * The level in force: the customer's rating in the latest completed run, or, for a customer confirmed
 * as a key account since that run (not yet rated), the level the manager confirmed.
 */
export async function currentLevel(database: Database, customerId: number, executor?: Executor): Promise<{ level: string | null; month: string | null }> {
  const [row] = await database.rows<{ level: string | null; month: string | null }>(
    sql`WITH run AS (SELECT month, started_at FROM rule_runs WHERE status = 'completed' ORDER BY month DESC LIMIT 1)
        SELECT to_char(run.month, 'YYYY-MM') AS month,
               coalesce((SELECT r.level FROM customer_ratings r WHERE r.month = run.month AND r.customer_id = ${customerId}),
                        (SELECT pc.confirmed_level FROM potential_candidates pc
                         WHERE pc.customer_id = ${customerId} AND pc.status = 'confirmed' AND pc.decided_at >= run.started_at
                         ORDER BY pc.decided_at DESC LIMIT 1)) AS level
        FROM run`,
    executor,
  );
  return { level: row?.level ?? null, month: row?.level ? row.month : null };
}

/** Uses recorded per benefit in a calendar year. */
export async function usedInYear(database: Database, customerId: number, year: number, executor?: Executor): Promise<Map<string, number>> {
  const rows = await database.rows<{ benefit: string; used: number }>(
    sql`SELECT benefit, sum(quantity)::int AS used FROM benefit_usages WHERE customer_id = ${customerId} AND year = ${year} GROUP BY benefit`,
    executor,
  );
  return new Map(rows.map((r) => [r.benefit, Number(r.used)]));
}

export async function insertUsage(db: Executor, row: typeof benefitUsages.$inferInsert) {
  const [created] = await db.insert(benefitUsages).values(row).returning();
  return created!;
}

/**
 * What a partner's answer needs in one statement: the level in force (as currentLevel), this year's uses per
 * benefit, and the benefits rules in effect this month (version 0: none written, the defaults apply).
 */
export async function standing(database: Database, customerId: number, year: number, monthDate: string, executor?: Executor) {
  const query = sql`WITH run AS (SELECT month, started_at FROM rule_runs WHERE status = 'completed' ORDER BY month DESC LIMIT 1),
             rules AS (SELECT version, params FROM rule_sets WHERE family = 'benefits' AND effective_from <= ${monthDate}::date ORDER BY version DESC LIMIT 1)
        SELECT (SELECT coalesce((SELECT r.level FROM customer_ratings r WHERE r.month = run.month AND r.customer_id = ${customerId}),
                                (SELECT pc.confirmed_level FROM potential_candidates pc
                                 WHERE pc.customer_id = ${customerId} AND pc.status = 'confirmed' AND pc.decided_at >= run.started_at
                                 ORDER BY pc.decided_at DESC LIMIT 1)) FROM run) AS level,
               (SELECT json_object_agg(benefit, used) FROM (SELECT benefit, sum(quantity)::int AS used FROM benefit_usages
                                                           WHERE customer_id = ${customerId} AND year = ${year} GROUP BY benefit) u) AS used,
               (SELECT version FROM rules) AS "rulesVersion", (SELECT params FROM rules) AS params`;
  type Row = { level: string | null; used: Record<string, number> | null; rulesVersion: number | null; params: unknown };
  // a partner's every verification reads it: prepared (in the caller's transaction, on its connection)
  const [row] = executor ? await namedRows<Row>(executor, query) : await database.hotRows<Row>(query);
  return { level: row?.level ?? null, used: row?.used ?? {}, rulesVersion: Number(row?.rulesVersion ?? 0), params: row?.params ?? null };
}
