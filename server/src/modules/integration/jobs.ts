import type { JobDef } from '../../platform/jobs/scheduler.js';
import { monthlyExtractJob } from './extract.js';
import { runInbox } from './inbox.js';

/** BOSS 收件箱: every minute, the complete files of BOSS_INBOX_DIR imported and moved out (inbox.ts). */
export const inboxJob: JobDef = { name: 'integration.inbox', pattern: '* * * * *', run: (deps) => runInbox(deps) };

/** The scheduled jobs of the BOSS interfaces (the inbox, the monthly extract), started by main.ts. */
export const integrationJobs: JobDef[] = [inboxJob, monthlyExtractJob];
