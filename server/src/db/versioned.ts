import { and, eq, sql } from 'drizzle-orm';
import type { PgColumn, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Executor } from './client.js';

/** A table whose rows people edit: an id, and a version and updated_at for optimistic locking. */
type Versioned = PgTable & { id: PgColumn; version: PgColumn; updatedAt: PgColumn };

/**
 * Updates one row only if it is still at the version the caller read, bumping the version; false
 * when someone else changed it first (the caller answers 409).
 */
export async function updateAtVersion<T extends Versioned>(
  db: Executor,
  table: T,
  id: number,
  version: number,
  set: PgUpdateSetSource<T>,
): Promise<boolean> {
  const bumped = { ...set, version: sql`${table.version} + 1`, updatedAt: sql`now()` } as PgUpdateSetSource<T>;
  const rows = await db
    .update(table)
    .set(bumped)
    .where(and(eq(table.id, id), eq(table.version, version)))
    .returning({ id: table.id });
  return rows.length > 0;
}
