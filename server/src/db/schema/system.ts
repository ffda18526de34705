import { sql } from 'drizzle-orm';
import { boolean, check, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * This installation's identity: one row, a random id written by the migration that creates the table (so at the
 * first migrate, and once when an older database is upgraded). Backups carry it, so that an archive of another
 * installation is recognised (modules/system/backup).
 */
export const systemInstallation = pgTable(
  'system_installation',
  {
    /** Always true: at most one row. */
    singleton: boolean('singleton').primaryKey().default(true),
    id: text('id').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [check('system_installation_singleton', sql`${t.singleton}`)],
);
