/** SQL of rule versions and run records. */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.js';
import { ruleRuns, ruleSets, users } from '../../db/schema/index.js';
import type { Family } from './params.js';

export interface RuleSetRow {
  id: number;
  family: string;
  version: number;
  effectiveFrom: string;
  params: unknown;
  note: string | null;
  createdBy: string | null;
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

export interface RunRow {
  id: number;
  month: string;
  status: string;
  trigger: string;
  versions: Record<string, number>;
  counts: Record<string, unknown>;
  error: string | null;
  durationMs: number;
  actor: string | null;
  startedAt: Date;
  rolledBackAt: Date | null;
}

export function listRuns(db: Executor, offset: number, limit: number): Promise<RunRow[]> {
  return db
    .select({
      id: ruleRuns.id,
      month: ruleRuns.month,
      status: ruleRuns.status,
      trigger: ruleRuns.trigger,
      versions: sql<Record<string, number>>`${ruleRuns.versions}`,
      counts: sql<Record<string, unknown>>`${ruleRuns.counts}`,
      error: ruleRuns.error,
      durationMs: ruleRuns.durationMs,
      actor: users.username,
      startedAt: ruleRuns.startedAt,
      rolledBackAt: ruleRuns.rolledBackAt,
    })
    .from(ruleRuns)
    .leftJoin(users, eq(users.id, ruleRuns.actorId))
    .orderBy(desc(ruleRuns.startedAt), desc(ruleRuns.id))
    .offset(offset)
    .limit(limit);
}

export async function countRuns(db: Executor): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(ruleRuns);
  return row?.n ?? 0;
}

/** The latest completed run (the month whose results are in force), or the latest before a month. */
export async function latestCompletedRun(db: Executor, beforeMonthDate?: string) {
  const [row] = await db
    .select({ id: ruleRuns.id, month: ruleRuns.month, versions: ruleRuns.versions })
    .from(ruleRuns)
    .where(
      beforeMonthDate
        ? and(eq(ruleRuns.status, 'completed'), sql`${ruleRuns.month} < ${beforeMonthDate}::date`)
        : eq(ruleRuns.status, 'completed'),
    )
    .orderBy(desc(ruleRuns.month))
    .limit(1);
  return row ?? null;
}

export async function getRun(db: Executor, id: number) {
  const [row] = await db.select().from(ruleRuns).where(eq(ruleRuns.id, id));
  return row ?? null;
}

export function insertRun(db: Executor, row: typeof ruleRuns.$inferInsert) {
  return db.insert(ruleRuns).values(row).returning({ id: ruleRuns.id });
}

export function updateRun(db: Executor, id: number, set: Partial<typeof ruleRuns.$inferInsert>) {
  return db.update(ruleRuns).set(set).where(eq(ruleRuns.id, id));
}

export async function factsExist(database: Database, monthDate: string, executor?: Executor): Promise<boolean> {
  const rows = await database.rows(sql`SELECT 1 FROM monthly_facts WHERE month = ${monthDate}::date LIMIT 1`, executor);
  return rows.length > 0;
}

/** A customer's stored ratings, newest first, with the versions of the run that produced each. */
export function selectRatings(database: Database, customerId: number, limit: number) {
  return database.rows<import('./explain.js').RatingInputs & { month: string; runId: number; versions: Record<string, number> }>(
    sql`SELECT to_char(r.month, 'YYYY-MM') AS month, r.run_id AS "runId", rr.versions, r.kind, r.level,
               r.computed_level AS "computedLevel", r.below_months AS "belowMonths", r.unrated_reason AS "unratedReason",
               r.avg_paid::text AS "avgPaid", r.avg_revenue::text AS "avgRevenue", r.paid::text AS paid, r.arrears::text AS arrears,
               r.tenure_months AS "tenureMonths", r.real_name AS "realName", r.arrears_months AS "arrearsMonths",
               r.members, r.strategic, r.credit_score AS "creditScore", r.credit_grade AS "creditGrade",
               r.overdraft_limit::text AS "overdraftLimit", r.suspend_grace_days AS "suspendGraceDays",
               r.points_earned AS "pointsEarned", r.points_promo AS "pointsPromo", r.points_expired AS "pointsExpired"
        FROM customer_ratings r JOIN rule_runs rr ON rr.id = r.run_id
        WHERE r.customer_id = ${customerId}
        ORDER BY r.month DESC LIMIT ${limit}`,
  );
}

export async function pointsBalance(database: Database, customerId: number): Promise<number> {
  const rows = await database.rows<{ balance: number }>(sql`SELECT balance FROM points_accounts WHERE customer_id = ${customerId}`);
  return rows[0]?.balance ?? 0;
}
