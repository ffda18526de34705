/** ReadSnapshot on PostgreSQL (db/snapshot.ts); imported only with the driver. */
import type { SQL } from 'drizzle-orm';
import type pg from 'pg';
import { types } from './prepared.js';
import { statementText } from './statement-text.js';
import type { ReadSnapshot } from './snapshot.js';

/** PostgreSQL: a REPEATABLE READ, READ ONLY transaction on a pool connection of its own, cursors declared in it. */
export async function openSnapshot(pool: pg.Pool): Promise<ReadSnapshot> {
  const client = await pool.connect();
  const run = async <T>(query: SQL | string) => {
    const { sql: text, params } = typeof query === 'string' ? { sql: query, params: [] } : statementText(query);
    return (await client.query<T & pg.QueryResultRow>({ text, values: params as unknown[], types })).rows;
  };
  let cursors = 0;
  let closed = false;
  try {
    await run('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    // its cursors are read to the end (exports): planned for the whole result, not for its first rows
    await run('SET LOCAL cursor_tuple_fraction = 1');
  } catch (err) {
    client.release(err as Error);
    throw err;
  }
  return {
    rows: run,
    async *batches<T>(query: SQL, batch: number) {
      const name = `kam_cursor_${++cursors}`;
      const { sql: text, params } = statementText(query);
      await client.query({ text: `DECLARE ${name} NO SCROLL CURSOR FOR ${text}`, values: params as unknown[] });
      const fetch = () => {
        const rows = run<T>(`FETCH ${Math.trunc(batch)} FROM ${name}`);
        rows.catch(() => undefined); // awaited below; a batch fetched ahead and never asked for fails quietly
        return rows;
      };
      // the next batch is read while the reader works on this one: the database and the writer overlap
      let next = fetch();
      for (;;) {
        const rows = await next;
        const more = rows.length === batch;
        if (more) next = fetch();
        if (rows.length) yield rows;
        if (!more) break;
      }
      await run(`CLOSE ${name}`);
    },
    async close() {
      if (closed) return;
      closed = true;
      // a failed statement leaves the transaction aborted: ROLLBACK ends it either way
      await client.query('ROLLBACK').then(
        () => client.release(),
        (err: Error) => client.release(err),
      );
    },
  };
}
