import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import { churnScoringJob } from './modules/analysis/churn/job.js';
import { rollupRefreshJob } from './modules/analysis/indicators/service.js';
import { customerStandingsJob } from './modules/customers/standings.job.js';
import { integrationJobs } from './modules/integration/jobs.js';
import { managerJobs } from './modules/managers/jobs.js';
import { monthlyRulesJob } from './modules/rules/engine/job.js';
import { serviceJobs } from './modules/services/jobs.js';
import { backupJob } from './modules/system/backup/service.js';
import { alertsJob } from './modules/system/monitor/alerts.js';
import { auditCheckpointJob } from './platform/audit/checkpoints.js';
import { callLogPruneJob } from './platform/auth/clients/service.js';
import type { JobDef } from './platform/jobs/scheduler.js';
import { outboundDrainJob } from './platform/notify/drain.js';
import { outboxPruneJob } from './platform/outbox/prune.js';

/**
 * The scheduled jobs of the modules (and the platform parts that need a logger or settings), which a server
 * hands to `startScheduler`; the platform's own are in platform/jobs/scheduler.ts. One list, so that the
 * test of several instances (platform/jobs/instances.test.ts) runs every job a server runs.
 */
export const scheduledJobs = (config: Config, log: FastifyBaseLogger): JobDef[] => [
  monthlyRulesJob,
  churnScoringJob,
  rollupRefreshJob,
  auditCheckpointJob(log),
  customerStandingsJob,
  outboundDrainJob,
  outboxPruneJob,
  callLogPruneJob,
  ...serviceJobs,
  ...managerJobs,
  ...integrationJobs,
  alertsJob,
  backupJob(config),
];
