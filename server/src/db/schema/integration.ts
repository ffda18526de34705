import { bigint, boolean, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';
import { users } from './platform.js';


/**
 * 接口: one import of a BOSS extract (customers, subscriptions or monthly facts). The row is the job's
 * progress while it runs (polled by the UI) and its report afterwards.
 */
export const importJobs = pgTable(
  'import_jobs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(), // customers | subscriptions | facts
    fileName: text('file_name').notNull(),
    fileSize: bigint('file_size', { mode: 'number' }).notNull().default(0),
    format: text('format'), // csv | xlsx
    encoding: text('encoding'), // utf-8 | utf-8-bom | gbk
    dryRun: boolean('dry_run').notNull().default(false),
    setAside: boolean('set_aside').notNull().default(false),
    // queued → running → succeeded | rejected (bad rows, nothing imported) | failed (the file as a whole)
    status: text('status').notNull().default('queued'),
    phase: text('phase'), // reading | checking | loading | done
    bytesRead: bigint('bytes_read', { mode: 'number' }).notNull().default(0),
    rowsRead: integer('rows_read').notNull().default(0),
    rowsRejected: integer('rows_rejected').notNull().default(0),
    inserted: integer('inserted').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    committed: boolean('committed').notNull().default(false),
    /** A whole-file error: { code, message } (missing columns, unreadable file …). */
    error: jsonb('error'),
    actorId: bigint('actor_id', { mode: 'number' }).references(() => users.id),
    actorUsername: text('actor_username'),
    /** The importer's data scope when the job was created: rows outside it are rejected. */
    unitPath: text('unit_path').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
  },
  (t) => [index('import_jobs_created_idx').on(t.createdAt), index('import_jobs_actor_idx').on(t.actorId)],
);

/** The rejected rows of an import, with the reason for each: the downloadable report. */
export const importRejects = pgTable(
  'import_rejects',
  {
    jobId: bigint('job_id', { mode: 'number' })
      .notNull()
      .references(() => importJobs.id, { onDelete: 'cascade' }),
    rowNo: integer('row_no').notNull(),
    key: text('key'),
    column: text('column'),
    reason: text('reason').notNull(),
  },
  (t) => [index('import_rejects_job_idx').on(t.jobId, t.rowNo)],
);
