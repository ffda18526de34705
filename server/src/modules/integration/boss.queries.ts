/**
 * SQL of the BOSS interfaces (inbox.ts, billing-batches.ts, extract.ts): the files the inbox took, the inbound
 * billing batches, and the keyset read of the monthly extract. The rows themselves go through the imports.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { bossBillingBatches, bossInboxFiles } from '../../db/schema/index.js';

// ---- inbox -------------------------------------------------------------------------------------------------

export type InboxFileRow = typeof bossInboxFiles.$inferSelect;

/** The file whose content (SHA-256) was imported already, if any. */
export const importedWithSha = (db: Executor, sha256: string) =>
  db.select().from(bossInboxFiles).where(and(eq(bossInboxFiles.sha256, sha256), eq(bossInboxFiles.status, 'imported'))).then((r) => r[0]);

export async function recordInboxFile(db: Executor, values: typeof bossInboxFiles.$inferInsert): Promise<InboxFileRow> {
  const [row] = await db.insert(bossInboxFiles).values(values).returning();
  return row!;
}

export const setMovedTo = (db: Executor, id: number, movedTo: string) =>
  db.update(bossInboxFiles).set({ movedTo }).where(eq(bossInboxFiles.id, id));

export const recentInboxFiles = (db: Executor, limit: number) =>
  db.select().from(bossInboxFiles).orderBy(desc(bossInboxFiles.id)).limit(limit);

// ---- billing batches ---------------------------------------------------------------------------------------

export type BatchRow = typeof bossBillingBatches.$inferSelect;

export const findBatch = (db: Executor, batchId: string) =>
  db.select().from(bossBillingBatches).where(eq(bossBillingBatches.batchId, batchId)).then((r) => r[0]);

/**
 * Claims a batch id for this request: a new row, or a row that binds nothing taken over — rejected, or the row
 * left processing (received at `stale`) by a request whose import ended without recording it. Null when
 * another request holds it (a concurrent claim waits for the first and then finds it processing) or it is accepted.
 */
export async function claimBatch(db: Executor, row: typeof bossBillingBatches.$inferInsert, stale: Date | null): Promise<BatchRow | null> {
  const t = bossBillingBatches;
  const takeOver = stale
    ? sql`${t.status} = 'rejected' OR (${t.status} = 'processing' AND date_trunc('milliseconds', ${t.createdAt}) = ${stale.toISOString()}::timestamptz)`
    : sql`${t.status} = 'rejected'`;
  const [claimed] = await db
    .insert(t)
    .values({ ...row, status: 'processing' })
    .onConflictDoUpdate({
      target: t.batchId,
      set: { sha256: row.sha256, status: 'processing', importJobId: null, lines: row.lines, bytes: row.bytes, httpStatus: null, answer: null,
        clientId: row.clientId, actorUsername: row.actorUsername, unitPath: row.unitPath, createdAt: sql`now()`, finishedAt: null },
      setWhere: takeOver,
    })
    .returning();
  return claimed ?? null;
}

export const finishBatch = (db: Executor, batchId: string, set: Partial<typeof bossBillingBatches.$inferInsert>) =>
  db.update(bossBillingBatches).set({ ...set, finishedAt: new Date() }).where(eq(bossBillingBatches.batchId, batchId));

// ---- the monthly extract -----------------------------------------------------------------------------------

/** The latest completed rules run of a month (YYYY-MM-01), if any. */
export const completedRun = (month: string) => sql`
  SELECT id FROM rule_runs WHERE month = ${month}::date AND status = 'completed' ORDER BY id DESC LIMIT 1`;

/**
 * One page of the extract after customer id `after`, in id order (a keyset read: each page is one index range
 * of customers, however far into the million it is): every key account not merged away, with its rating of
 * the month (null when it has none) and its points account.
 */
export const extractPage = (month: string, after: number, limit: number) => sql`
  SELECT c.id, c.customer_no, c.kind, u.code AS unit_code, c.archive,
         r.level, r.prev_level, r.credit_score, r.credit_grade, r.overdraft_limit::text AS overdraft_limit,
         r.points_earned, r.points_promo, r.points_expired,
         p.balance AS points_balance
  FROM customers c
  JOIN org_units u ON u.id = c.unit_id
  LEFT JOIN customer_ratings r ON r.customer_id = c.id AND r.month = ${month}::date
  LEFT JOIN points_accounts p ON p.customer_id = c.id
  WHERE c.id > ${after} AND c.merged_into IS NULL
  ORDER BY c.id
  LIMIT ${limit}`;
