import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';

export interface AppliedRow {
  hash: string;
  /** drizzle's `created_at`: the migration's `when` in the journal (milliseconds), not the time it was applied. */
  createdAt: number;
}

/** The migrations drizzle recorded in this database, oldest first; none in a database never migrated. */
export async function appliedMigrationRows(database: Database): Promise<AppliedRow[]> {
  const [table] = await database.rows<{ exists: boolean }>(sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS exists`);
  if (!table?.exists) return [];
  const rows = await database.rows<{ hash: string; created_at: string | number }>(
    sql`SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY created_at, id`,
  );
  return rows.map((r) => ({ hash: r.hash, createdAt: Number(r.created_at) }));
}

/** This installation's id (migration 0035); null before it. */
export async function installationRow(database: Database): Promise<{ id: string; createdAt: Date } | null> {
  const [table] = await database.rows<{ exists: boolean }>(sql`SELECT to_regclass('public.system_installation') IS NOT NULL AS exists`);
  if (!table?.exists) return null;
  const [row] = await database.rows<{ id: string; created_at: Date | string }>(sql`SELECT id, created_at FROM system_installation`);
  return row ? { id: row.id, createdAt: new Date(row.created_at) } : null;
}
