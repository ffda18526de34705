import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import type { JobDef } from '../../../platform/jobs/scheduler.js';

/**
 * 工单计数: the writes of requests append their changes to the kept counts (migration 0038), so that requests
 * raised at once in one city do not queue on one row; this folds each key's rows back into one.
 */
export async function foldRequestCounts(database: Database): Promise<number> {
  const [row] = await database.rows<{ folded: number }>(sql`SELECT fold_service_request_counts() AS folded`);
  return Number(row?.folded ?? 0);
}

/** Every minute, once across the instances: a minute's requests add at most a few rows per unit before they are folded. */
export const requestCountsJob: JobDef = { name: 'services.request-counts', pattern: '* * * * *', run: async (deps) => ({ folded: await foldRequestCounts(deps.database) }) };
