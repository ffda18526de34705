import type { JobDef } from '../../platform/jobs/scheduler.js';
import { taskOverdueJob } from './tasks/overdue.js';
import { missedPlanItemsJob } from './plans/job.js';
import { dailyRemindersJob } from './reminders/job.js';
import { scorecardsJob } from './scorecards/job.js';

/** The scheduled jobs of account-manager management (daily reminders, overdue tasks, monthly scorecards), started by main.ts. */
export const managerJobs: JobDef[] = [missedPlanItemsJob, dailyRemindersJob, taskOverdueJob, scorecardsJob];
