import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, numeric, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { editable, id, ts } from './columns.js';

/**
 * 系统监控 thresholds: one row (id 1) an administrator edits; the alerts job (modules/system/monitor) compares the
 * console's figures with it every minute. Percentages are of 100; times in seconds.
 */
export const monitorThresholds = pgTable(
  'monitor_thresholds',
  {
    id: integer('id').primaryKey().default(1),
    diskFreePercent: numeric('disk_free_percent', { precision: 5, scale: 2, mode: 'number' }).notNull().default(10),
    outboxOldestSeconds: integer('outbox_oldest_seconds').notNull().default(300),
    deadLetters: integer('dead_letters').notNull().default(0),
    jobFailed: boolean('job_failed').notNull().default(true),
    replicationLagSeconds: integer('replication_lag_seconds').notNull().default(60),
    errorRatePercent: numeric('error_rate_percent', { precision: 5, scale: 2, mode: 'number' }).notNull().default(1),
    p95Seconds: numeric('p95_seconds', { precision: 6, scale: 3, mode: 'number' }).notNull().default(1),
    ...editable(),
  },
  (t) => [check('monitor_thresholds_one_row', sql`${t.id} = 1`)],
);

/**
 * Alerts the job raised: a standing condition is one row until it clears (the partial unique index keeps a second
 * one from being raised while the first stands); `subject` tells apart conditions of one kind (a job's name).
 */
export const monitorAlerts = pgTable(
  'monitor_alerts',
  {
    id: id(),
    kind: text('kind').notNull(),
    subject: text('subject').notNull().default(''),
    raisedAt: ts('raised_at').notNull().defaultNow(),
    clearedAt: ts('cleared_at'),
    detail: jsonb('detail').notNull().default({}),
  },
  (t) => [
    uniqueIndex('monitor_alerts_open_idx').on(t.kind, t.subject).where(sql`${t.clearedAt} IS NULL`),
    index('monitor_alerts_raised_idx').on(t.raisedAt),
  ],
);
