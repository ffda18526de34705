/**
 * Reads that see the database as it was at one moment (a read-only snapshot), for exports: a count and the
 * rows it counted agree, and rows that move or arrive while an export runs are neither skipped nor read
 * twice. A cursor hands the rows over in batches: memory holds one batch, however long the result.
 */
import type { SQL } from 'drizzle-orm';

export interface ReadSnapshot {
  rows<T>(query: SQL): Promise<T[]>;
  /** The rows of `query`, `batch` at a time. */
  batches<T>(query: SQL, batch: number): AsyncGenerator<T[]>;
  /** Ends the snapshot and gives its connection back (also after an error). */
  close(): Promise<void>;
}

/**
 * PGlite: its single connection serves every request in turn and cannot wait for other work inside a
 * transaction, so a result is read by one statement (its own snapshot) and handed over whole: the embedded
 * database is for demonstrations and development, not for exports of a million rows.
 */
export function singleStatementSnapshot(rows: <T>(query: SQL) => Promise<T[]>): ReadSnapshot {
  return {
    rows,
    async *batches<T>(query: SQL) {
      const all = await rows<T>(query);
      if (all.length) yield all;
    },
    close: async () => undefined,
  };
}
