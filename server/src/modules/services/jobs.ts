import type { JobDef } from '../../platform/jobs/scheduler.js';
import { slaClockJob } from './sla/job.js';
import { appointmentRemindersJob } from './appointments/reminders.js';
import { requestCountsJob } from './requests/counts.job.js';

/** The scheduled jobs of the service functions (SLA clocks, appointment reminders, the requests' kept counts), started by main.ts. */
export const serviceJobs: JobDef[] = [slaClockJob, appointmentRemindersJob, requestCountsJob];
