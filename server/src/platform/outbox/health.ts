/** 事件通知 at a glance, for the monitoring console and its alerts: what is owed to the listeners and since when. */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';

export interface OutboxHealth {
  /** Events still owed to at least one active subscription. */
  pending: number;
  /** When the oldest of them was written (null: none owed). */
  oldestPendingAt: Date | null;
  /** Events given up on and not yet replayed. */
  deadLetters: number;
  /** Active subscriptions. */
  subscriptions: number;
}

export async function outboxHealth(database: Database): Promise<OutboxHealth> {
  const [row] = await database.rows<{ pending: number; oldest: Date | string | null; dead: number; subs: number }>(sql`
    WITH owed AS (SELECT api, min(cursor) AS after FROM event_subscriptions WHERE active GROUP BY api)
    SELECT
      (SELECT count(*)::int FROM event_outbox e JOIN owed ON owed.api = e.api AND (e.position > owed.after OR e.position IS NULL)) AS pending,
      (SELECT min(e.created_at) FROM event_outbox e JOIN owed ON owed.api = e.api AND (e.position > owed.after OR e.position IS NULL)) AS oldest,
      (SELECT count(*)::int FROM event_dead_letters) AS dead,
      (SELECT count(*)::int FROM event_subscriptions WHERE active) AS subs`);
  return {
    pending: Number(row?.pending ?? 0),
    oldestPendingAt: row?.oldest ? new Date(row.oldest) : null,
    deadLetters: Number(row?.dead ?? 0),
    subscriptions: Number(row?.subs ?? 0),
  };
}
