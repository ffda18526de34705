import type { JobDef } from '../../platform/jobs/scheduler.js';

/** The scheduled jobs of account-manager management (daily reminders, overdue tasks, monthly scorecards), started by main.ts. */
export const managerJobs: JobDef[] = [];
