/** SQL of points accounts, the ledger and the redemption catalogue (积分). */
import { and, asc, count, desc, eq, gte, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { pointsAccounts, pointsCatalogue, pointsLedger, users } from '../../../db/schema/index.js';
import { updateAtVersion } from '../../../db/versioned.js';

export type AccountRow = typeof pointsAccounts.$inferSelect;

export async function getAccount(db: Executor, customerId: number): Promise<AccountRow | null> {
  const [row] = await db.select().from(pointsAccounts).where(eq(pointsAccounts.customerId, customerId));
  return row ?? null;
}

/** The accounts of several customers in one statement (those who never earned anything have none). */
export const getAccounts = (db: Executor, customerIds: readonly number[]): Promise<AccountRow[]> =>
  db.select().from(pointsAccounts).where(inArray(pointsAccounts.customerId, [...customerIds]));

/**
 * Takes `n` points if the balance covers them, in one statement: the row lock orders concurrent
 * redemptions and each sees the balance the one before it left. Null when it does not cover them.
 */
export async function debitForRedemption(db: Executor, customerId: number, n: number): Promise<AccountRow | null> {
  const [row] = await db
    .update(pointsAccounts)
    .set({ balance: sql`${pointsAccounts.balance} - ${n}`, redeemed: sql`${pointsAccounts.redeemed} + ${n}`, updatedAt: sql`now()` })
    .where(and(eq(pointsAccounts.customerId, customerId), gte(pointsAccounts.balance, n)))
    .returning();
  return row ?? null;
}

/** A signed adjustment; a debit only while the balance covers it (null otherwise). */
export async function applyAdjustment(db: Executor, customerId: number, n: number): Promise<AccountRow | null> {
  if (n > 0) {
    const [row] = await db
      .insert(pointsAccounts)
      .values({ customerId, balance: n, adjusted: n })
      .onConflictDoUpdate({
        target: pointsAccounts.customerId,
        set: { balance: sql`${pointsAccounts.balance} + ${n}`, adjusted: sql`${pointsAccounts.adjusted} + ${n}`, updatedAt: sql`now()` },
      })
      .returning();
    return row ?? null;
  }
  const [row] = await db
    .update(pointsAccounts)
    .set({ balance: sql`${pointsAccounts.balance} + ${n}`, adjusted: sql`${pointsAccounts.adjusted} + ${n}`, updatedAt: sql`now()` })
    .where(and(eq(pointsAccounts.customerId, customerId), gte(pointsAccounts.balance, -n)))
    .returning();
  return row ?? null;
}

/** Credits earned (promotional) points, opening the account if needed. */
export async function creditEarned(db: Executor, customerId: number, n: number): Promise<AccountRow> {
  const [row] = await db
    .insert(pointsAccounts)
    .values({ customerId, balance: n, earned: n })
    .onConflictDoUpdate({
      target: pointsAccounts.customerId,
      set: { balance: sql`${pointsAccounts.balance} + ${n}`, earned: sql`${pointsAccounts.earned} + ${n}`, updatedAt: sql`now()` },
    })
    .returning();
  return row!;
}

export async function insertEntry(db: Executor, row: typeof pointsLedger.$inferInsert): Promise<number> {
  const [created] = await db.insert(pointsLedger).values(row).returning({ id: pointsLedger.id });
  return created!.id;
}

const entryColumns = {
  id: pointsLedger.id,
  kind: pointsLedger.kind,
  points: pointsLedger.points,
  month: sql<string | null>`to_char(${pointsLedger.month}, 'YYYY-MM')`,
  runId: pointsLedger.runId,
  catalogueItemId: pointsLedger.catalogueItemId,
  itemName: pointsCatalogue.name,
  itemNameEn: pointsCatalogue.nameEn,
  quantity: pointsLedger.quantity,
  reason: pointsLedger.reason,
  actor: users.username,
  actorName: users.displayName,
  at: pointsLedger.at,
};

function entries(db: Executor, where: SQL) {
  return db
    .select(entryColumns)
    .from(pointsLedger)
    .leftJoin(users, eq(users.id, pointsLedger.actorId))
    .leftJoin(pointsCatalogue, eq(pointsCatalogue.id, pointsLedger.catalogueItemId))
    .where(where);
}

export async function getEntry(db: Executor, id: number) {
  const [row] = await entries(db, eq(pointsLedger.id, id));
  return row!;
}

const ledgerWhere = (customerId: number, kind?: string) =>
  kind ? and(eq(pointsLedger.customerId, customerId), eq(pointsLedger.kind, kind))! : eq(pointsLedger.customerId, customerId);

/** A customer's entries, newest first. */
export function listEntries(db: Executor, customerId: number, kind: string | undefined, offset: number, limit: number) {
  return entries(db, ledgerWhere(customerId, kind)).orderBy(desc(pointsLedger.at), desc(pointsLedger.id)).offset(offset).limit(limit);
}

export async function countEntries(db: Executor, customerId: number, kind?: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(pointsLedger).where(ledgerWhere(customerId, kind));
  return Number(row?.n ?? 0);
}

/** The sum of a customer's ledger, which always equals the account's balance. */
export async function ledgerSum(db: Executor, customerId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${pointsLedger.points}), 0)::int` })
    .from(pointsLedger)
    .where(eq(pointsLedger.customerId, customerId));
  return Number(row?.n ?? 0);
}

// ---- the redemption catalogue ----

export type CatalogueRow = typeof pointsCatalogue.$inferSelect;

export async function countCatalogue(db: Executor, active?: boolean): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(pointsCatalogue)
    .where(active === undefined ? undefined : eq(pointsCatalogue.active, active ? 'yes' : 'no'));
  return Number(row?.n ?? 0);
}

export function listCatalogue(db: Executor, active: boolean | undefined, offset: number, limit: number) {
  return db
    .select()
    .from(pointsCatalogue)
    .where(active === undefined ? undefined : eq(pointsCatalogue.active, active ? 'yes' : 'no'))
    .orderBy(asc(pointsCatalogue.points), asc(pointsCatalogue.id))
    .offset(offset)
    .limit(limit);
}

export async function getItem(db: Executor, id: number): Promise<CatalogueRow | null> {
  const [row] = await db.select().from(pointsCatalogue).where(eq(pointsCatalogue.id, id));
  return row ?? null;
}

export async function insertItems(db: Executor, rows: (typeof pointsCatalogue.$inferInsert)[]): Promise<number[]> {
  const created = await db.insert(pointsCatalogue).values(rows).returning({ id: pointsCatalogue.id });
  return created.map((r) => r.id);
}

export const updateItem = (db: Executor, id: number, version: number, set: Partial<typeof pointsCatalogue.$inferInsert>) =>
  updateAtVersion(db, pointsCatalogue, id, version, set);
