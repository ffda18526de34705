/** SQL of rule versions. */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.js';
import { ruleSets, users } from '../../db/schema/index.js';
import type { Family } from './params.js';

export interface RuleSetRow {
  id: number;
  family: string;
  version: number;
  effectiveFrom: string;
  params: unknown;
  note: string | null;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: Date;
}

const ruleSetColumns = {
  id: ruleSets.id,
  family: ruleSets.family,
  version: ruleSets.version,
  effectiveFrom: ruleSets.effectiveFrom,
  params: ruleSets.params,
  note: ruleSets.note,
  createdBy: users.username,
  createdByName: users.displayName,
  createdAt: ruleSets.createdAt,
};

export function listVersions(db: Executor, family: Family): Promise<RuleSetRow[]> {
  return db
    .select(ruleSetColumns)
    .from(ruleSets)
    .leftJoin(users, eq(users.id, ruleSets.createdBy))
    .where(eq(ruleSets.family, family))
    .orderBy(desc(ruleSets.version));
}

export async function latestVersion(db: Executor, family: Family): Promise<number> {
  const [row] = await db
    .select({ v: sql<number>`coalesce(max(${ruleSets.version}), 0)::int` })
    .from(ruleSets)
    .where(eq(ruleSets.family, family));
  return row?.v ?? 0;
}

/** The version of each family in effect for a month: the highest one effective on or before it. */
export function versionsInEffect(database: Database, monthDate: string, executor?: Executor) {
  return database.rows<{ family: Family; version: number; params: unknown }>(
    sql`SELECT DISTINCT ON (family) family, version, params FROM rule_sets
        WHERE effective_from <= ${monthDate}::date ORDER BY family, version DESC`,
    executor,
  );
}

type NewVersionRow = { family: Family; version: number; effectiveFrom: string; params: unknown; note: string | null; createdBy: number | null };

export function insertVersion(db: Executor, row: NewVersionRow | NewVersionRow[]) {
  return db
    .insert(ruleSets)
    .values(Array.isArray(row) ? row : [row])
    .returning({ id: ruleSets.id, version: ruleSets.version });
}

/** The families that have at least one version. */
export async function familiesWithVersions(db: Executor): Promise<Set<string>> {
  const rows = await db.selectDistinct({ family: ruleSets.family }).from(ruleSets);
  return new Set(rows.map((r) => r.family));
}

export function getVersion(db: Executor, family: Family, version: number) {
  return db
    .select({ params: ruleSets.params })
    .from(ruleSets)
    .where(and(eq(ruleSets.family, family), eq(ruleSets.version, version)));
}
