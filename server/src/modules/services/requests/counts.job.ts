import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import type { JobDef } from '../../../platform/jobs/scheduler.js';

/**
 * 工单计数: the writes of requests append their changes to the kept counts (migration 0038), so that requests
 * raised at once in one city do not queue on one row; this folds each key's rows back into one.
 */
export async function foldRequestCounts(database: Database): Promise<number> {
  const [row] = await database.rows<{ folded: number }>(sql`SELECT fold_service_request_counts() AS folded`);
  const folded = Number(row?.folded ?? 0);
  // every fold leaves its rows dead: vacuumed at once, the totals read the index alone (a city's total took 4.7 ms
  // over 107,000 dead rows that autovacuum, busy with the large tables after a bulk load, had not reached; 1.7 ms after)
  if (folded >= VACUUM_AFTER_ROWS) await database.rows(sql`VACUUM service_request_counts`);
  return folded;
}

/** Folds of fewer rows leave their dead rows to autovacuum. */
const VACUUM_AFTER_ROWS = 1_000;

/** Every minute, once across the instances: a minute's requests add at most a few rows per unit before they are folded. */
export const requestCountsJob: JobDef = { name: 'services.request-counts', pattern: '* * * * *', run: async (deps) => ({ folded: await foldRequestCounts(deps.database) }) };
