/** 系统监控: the console's one answer, the thresholds and the alerts, at the edge. */
import { z } from 'zod';
import { pageQuery } from '../../../platform/http/list.js';

/** The conditions an alert is raised for; `subject` tells apart those of one kind (a job, a route). */
export const ALERT_KINDS = ['disk_low', 'outbox_lag', 'dead_letters', 'job_failed', 'replication_lag', 'error_rate', 'latency_p95'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

const routeStatsSchema = z.object({
  method: z.string(),
  route: z.string(),
  count: z.number(),
  errorRate: z.number().describe('Share of 5xx answers, 0–1'),
  p50: z.number().nullable().describe('Seconds, estimated from the histogram buckets'),
  p95: z.number().nullable(),
  meanSeconds: z.number().nullable(),
});

const jobSchema = z.object({
  name: z.string(),
  pattern: z.string().describe('Cron pattern, Asia/Shanghai time'),
  status: z.enum(['running', 'done', 'failed']).nullable().describe('Of the last run; null when it never ran'),
  startedAt: z.date().nullable(),
  durationMs: z.number().nullable().describe('Of the last run; so far when it is running'),
  nextRunAt: z.date().nullable(),
  failures24h: z.number().int(),
});

export const thresholdsSchema = z
  .object({
    diskFreePercent: z.number().min(0).max(100).describe('Alert when less than this share of DATA_DIR’s disk is free'),
    outboxOldestSeconds: z.number().int().min(1).max(86_400).describe('Alert when the oldest undelivered event waits longer'),
    deadLetters: z.number().int().min(0).max(1_000_000).describe('Alert when there are more dead letters'),
    jobFailed: z.boolean().describe('Alert when a job’s last run failed'),
    replicationLagSeconds: z.number().int().min(1).max(86_400),
    errorRatePercent: z.number().min(0).max(100).describe('Alert when more 5xx answers than this share over 5 minutes'),
    p95Seconds: z.number().min(0.001).max(600).describe('Alert when a route’s p95 over 5 minutes is slower'),
  })
  .meta({ id: 'MonitorThresholdValues' });
export type ThresholdValues = z.infer<typeof thresholdsSchema>;

export const thresholdsResponse = thresholdsSchema.extend({ version: z.number().int(), updatedAt: z.date() }).meta({ id: 'MonitorThresholds' });
export type Thresholds = z.infer<typeof thresholdsResponse>;
export const thresholdsBody = thresholdsSchema.extend({ version: z.number().int().min(1) }).strict();

export const alertSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(ALERT_KINDS),
    subject: z.string().describe('The job or route it concerns; empty for the system as a whole'),
    raisedAt: z.date(),
    clearedAt: z.date().nullable(),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'MonitorAlert' });
export type Alert = z.infer<typeof alertSchema>;
export const alertQuery = pageQuery.omit({ fields: true });

export const monitorSchema = z
  .object({
    at: z.date(),
    database: z.object({
      kind: z.enum(['pglite', 'postgres']),
      version: z.string().nullable(),
      sizeBytes: z.number().nullable().describe('PostgreSQL: the database; PGlite: its data folder (null in memory)'),
      connections: z.object({ inUse: z.number().int(), max: z.number().int() }).nullable(),
      replication: z
        .object({
          role: z.enum(['primary', 'replica']),
          replicas: z.array(z.object({ name: z.string(), state: z.string(), lagSeconds: z.number().nullable() })),
          lagSeconds: z.number().nullable().describe('A replica’s replay lag; the largest of the replicas’ on a primary'),
        })
        .nullable(),
    }),
    jobs: z.array(jobSchema),
    outbox: z
      .object({ pending: z.number(), oldestPendingAt: z.date().nullable(), deadLetters: z.number(), subscriptions: z.number() })
      .nullable()
      .describe('Null until the event outbox is installed'),
    imports: z.array(
      z.object({
        id: z.number().int(),
        kind: z.string(),
        fileName: z.string(),
        status: z.string(),
        createdAt: z.date(),
        finishedAt: z.date().nullable(),
        rowsRead: z.number().int(),
        rowsRejected: z.number().int(),
      }),
    ),
    sessions: z.object({
      count: z.number().int(),
      users: z.number().int(),
      byRole: z.array(z.object({ role: z.string(), name: z.string(), nameEn: z.string().nullable(), count: z.number().int() })),
    }),
    http: z.object({
      requests: z.number(),
      errorRate: z.number(),
      byCount: z.array(routeStatsSchema).describe('The busiest routes since this process started'),
      byP95: z.array(routeStatsSchema).describe('The slowest routes by p95 since this process started'),
    }),
    process: z.object({
      uptimeSeconds: z.number(),
      rssBytes: z.number(),
      heapUsedBytes: z.number(),
      eventLoopLagSeconds: z.number().nullable(),
    }),
    disk: z.object({ path: z.string(), freeBytes: z.number(), totalBytes: z.number(), freePercent: z.number() }).nullable(),
    alerts: z.array(alertSchema).describe('The alerts standing now'),
    thresholds: thresholdsResponse,
  })
  .meta({ id: 'MonitorSnapshot' });
export type MonitorSnapshot = z.infer<typeof monitorSchema>;

export const jobParams = z.object({ name: z.string().regex(/^[a-z][a-z0-9_.-]{1,79}$/, 'a job name, e.g. sessions.purge') });
export const runStartedSchema = z.object({ job: z.string(), runId: z.number().int() }).meta({ id: 'JobRunStarted' });
