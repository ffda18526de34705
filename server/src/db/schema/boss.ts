import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { id, ts } from './columns.js';
import { importJobs } from './integration.js';

/**
 * BOSS 接口收件箱: one row per file the inbox job took from BOSS_INBOX_DIR, with its SHA-256. A content that was
 * imported once is never imported again (the partial unique index): the same file dropped again is moved to
 * done/ as a duplicate. Rows are never edited by a person.
 */
export const bossInboxFiles = pgTable(
  'boss_inbox_files',
  {
    id: id(),
    fileName: text('file_name').notNull(),
    sha256: text('sha256').notNull(),
    fileSize: bigint('file_size', { mode: 'number' }).notNull(),
    kind: text('kind'), // customers | subscriptions | facts; null for a name of no convention
    // imported | rejected (bad rows, nothing imported) | failed (the file as a whole) | duplicate | unknown_name
    status: text('status').notNull(),
    importJobId: bigint('import_job_id', { mode: 'number' }).references(() => importJobs.id),
    duplicateOf: bigint('duplicate_of', { mode: 'number' }),
    /** Where the file went, relative to the inbox: done/<name> or failed/<name>. */
    movedTo: text('moved_to'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('boss_inbox_files_imported_uq').on(t.sha256).where(sql`${t.status} = 'imported'`),
    index('boss_inbox_files_sha_idx').on(t.sha256),
  ],
);

/**
 * BOSS 账单批次: one inbound batch of billing records (POST /api/integration/billing-batches/{batchId}). The
 * batch id binds its content (SHA-256 of the body): a replay answers `answer` again, other content under an
 * accepted id is refused. A rejected batch binds nothing (nothing was written): it may be sent again corrected.
 */
export const bossBillingBatches = pgTable(
  'boss_billing_batches',
  {
    batchId: text('batch_id').primaryKey(),
    sha256: text('sha256').notNull(),
    status: text('status').notNull(), // processing | accepted | rejected
    importJobId: bigint('import_job_id', { mode: 'number' }).references(() => importJobs.id),
    lines: integer('lines').notNull().default(0),
    bytes: bigint('bytes', { mode: 'number' }).notNull().default(0),
    /** The HTTP status and body of the first answer, given again to a replay. */
    httpStatus: integer('http_status'),
    answer: jsonb('answer'),
    clientId: text('client_id'),
    actorUsername: text('actor_username'),
    unitPath: text('unit_path').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
  },
  (t) => [index('boss_billing_batches_created_idx').on(t.createdAt)],
);
