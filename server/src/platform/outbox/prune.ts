/**
 * The outbox keeps an event until every subscription of its API has it (its position is at or below every cursor, or
 * it was set aside as a dead letter, which keeps it for a replay), and for EVENT_RETENTION_DAYS after it was
 * written; then the nightly job removes it. An event not placed yet (delivery.ts) is kept.
 */
import { sql } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import type { JobDef } from '../jobs/scheduler.js';
import { API_BASE } from './renderers.js';
import type { TmfApi } from './types.js';

export async function pruneOutbox(deps: Deps): Promise<{ removed: number }> {
  const { database, config } = deps;
  let removed = 0;
  for (const api of Object.keys(API_BASE) as TmfApi[]) {
    const [floor] = await database.rows<{ cursor: number | null }>(sql`SELECT min(cursor) AS cursor FROM event_subscriptions WHERE api = ${api}`);
    const upTo = floor?.cursor ?? Number.MAX_SAFE_INTEGER;
    const gone = await database.rows<{ n: number }>(sql`
      WITH gone AS (
        DELETE FROM event_outbox e WHERE e.api = ${api} AND e.position <= ${upTo} AND e.created_at < now() - make_interval(days => ${config.EVENT_RETENTION_DAYS})
          AND NOT EXISTS (SELECT 1 FROM event_dead_letters d WHERE d.event_id = e.id)
        RETURNING 1)
      SELECT count(*)::int AS n FROM gone`);
    removed += Number(gone[0]?.n ?? 0);
  }
  return { removed };
}

export const outboxPruneJob: JobDef = { name: 'events.prune', pattern: '40 3 * * *', run: pruneOutbox };
