import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from './client.js';
import { statementText } from './statement-text.js';

/**
 * Names for statement texts, at most `max` of them: each connection keeps every statement it has prepared (with
 * its plan) for its lifetime, so a caller building unbounded shapes must not fill the server's memory; beyond
 * the cap, new shapes run unnamed.
 */
export function statementNames(max: number) {
  const names = new Map<string, string>();
  return (text: string): string | undefined => {
    let name = names.get(text);
    if (!name && names.size < max) {
      name = `kam_${createHash('sha1').update(text).digest('base64url').slice(0, 24)}`;
      names.set(text, name);
    }
    return name;
  };
}

const nameOf = statementNames(100);

/**
 * A statement of a hot write path (raising a service request: about a dozen statements in one transaction) run
 * as a named prepared statement on the executor's own connection: parsed once per connection, and planned once
 * PostgreSQL finds its generic plan no costlier than planning each time (its own choice, after five runs; the
 * main pool is not forced to generic plans as the hot reads' pool is). The same rows as `Database.rows`;
 * on PGlite (one connection, in process) the name is ignored. Only for statements of few shapes whose plans do
 * not depend on their values: point reads and inserts (docs/decisions.md, "Hot reads and writes").
 */
export async function namedRows<T = Record<string, unknown>>(executor: Executor, query: SQL): Promise<T[]> {
  const built = statementText(query);
  const result = await executor._.session.prepareQuery(built, undefined, nameOf(built.sql), false).execute();
  return (result as { rows: T[] }).rows;
}

/**
 * For the rest of a transaction that takes the next rows of a queue from its partial index (the audit entries not
 * sealed, the events not placed): index scans, never a bitmap. Every row taken leaves a dead entry in that index
 * until VACUUM; an index scan marks the dead entries and skips them after, a bitmap scan reads their rows from the
 * table again on every round (the audit sealer after 183,000 seals: 600 ms and 22,000 pages a round against
 * 9 ms; docs/performance.md, "The queues' walks").
 */
export async function walkQueuesByIndex(executor: Executor): Promise<void> {
  await executor.execute(sql`SET LOCAL enable_bitmapscan = off`);
}
