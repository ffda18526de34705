/** ReadSnapshot on PostgreSQL (db/snapshot.ts); imported only with the driver. */
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { types } from './prepared.js';
import type { ReadSnapshot } from './snapshot.js';

/** PostgreSQL: a REPEATABLE READ, READ ONLY transaction on a pool connection of its own, cursors declared in it. */
export async function openSnapshot(pool: pg.Pool): Promise<ReadSnapshot> {
  const client = await pool.connect();
  const dialect = new PgDialect();
  const run = async <T>(query: SQL | string) => {
    const { sql: text, params } = typeof query === 'string' ? { sql: query, params: [] } : dialect.sqlToQuery(query);
    return (await client.query<T & pg.QueryResultRow>({ text, values: params as unknown[], types })).rows;
  };
  let cursors = 0;
  let closed = false;
  try {
    await run('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
  } catch (err) {
    client.release(err as Error);
    throw err;
  }
  return {
    rows: run,
    async *batches<T>(query: SQL, batch: number) {
      const name = `kam_cursor_${++cursors}`;
      const { sql: text, params } = dialect.sqlToQuery(query);
      await client.query({ text: `DECLARE ${name} NO SCROLL CURSOR FOR ${text}`, values: params as unknown[] });
      for (;;) {
        const rows = await run<T>(`FETCH ${Math.trunc(batch)} FROM ${name}`);
        if (rows.length) yield rows;
        if (rows.length < batch) break;
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
