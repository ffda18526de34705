import type { SQL } from 'drizzle-orm';
import pg from 'pg';
import { statementText } from './statement-text.js';
import { statementNames } from './statements.js';

/**
 * Types that Drizzle's node-postgres driver hands over as text (timestamps, dates, intervals and their
 * arrays): prepared reads return the same values as `Database.rows`.
 */
const AS_TEXT = new Set<number>([1184, 1114, 1082, 1186, 1231, 1115, 1185, 1187, 1182]);
export const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    AS_TEXT.has(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format as 'text'),
};

/**
 * The sessions of the hot reads' pool. No parallel workers: a page read is done in a few milliseconds, and a
 * generic plan that guessed thousands of rows (a list of units it cannot see into) went parallel, whose workers
 * took 90 ms to start on every read.
 */
export const HOT_READ_SETTINGS = '-c plan_cache_mode=force_generic_plan -c max_parallel_workers_per_gather=0';

/**
 * `Database.hotRows` on PostgreSQL: its own pool, whose sessions always use generic plans
 * (plan_cache_mode), and a stable name per statement text. A generic plan is made once per connection
 * and statement; PostgreSQL's own choice would keep planning the search box afresh each time, since its
 * estimate for a bound pattern is a guess above any real fragment's. The hot statements are written for
 * generic plans: every condition keeps its index with bound values (see `startsWith`). Other statements
 * stay on the main pool with plans made for their values.
 */
export function preparedReads(url: string, connections: number) {
  const pool = new pg.Pool({ connectionString: url, max: connections, options: HOT_READ_SETTINGS });
  pool.on('error', () => undefined);
  // at most 100 shapes named (db/statements.ts)
  const nameOf = statementNames(100);
  const read = async <T>(query: SQL): Promise<T[]> => {
    const { sql: text, params } = statementText(query);
    const name = nameOf(text);
    const res = await pool.query<T & pg.QueryResultRow>({ name, text, values: params as unknown[], types });
    return res.rows;
  };
  return { read, close: () => pool.end() };
}
