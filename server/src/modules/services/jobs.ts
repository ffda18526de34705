import type { JobDef } from '../../platform/jobs/scheduler.js';
import { slaClockJob } from './sla/job.js';
import { appointmentRemindersJob } from './appointments/reminders.js';

/** The scheduled jobs of the service functions (SLA clocks, appointment reminders), started by main.ts. */
export const serviceJobs: JobDef[] = [slaClockJob, appointmentRemindersJob];
