import type { JobDef } from '../../platform/jobs/scheduler.js';

/** The scheduled jobs of the service functions (SLA clocks, appointment reminders), started by main.ts. */
export const serviceJobs: JobDef[] = [];
