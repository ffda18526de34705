/** 日常事务提醒: every morning at 06:10 (Asia/Shanghai), the day's reminders of every manager and their digest. */
import type { JobDef } from '../../../platform/jobs/scheduler.js';
import { runDailyReminders } from './service.js';

export const dailyRemindersJob: JobDef = {
  name: 'managers.reminders',
  pattern: '10 6 * * *',
  run: async (deps) => ({ ...(await runDailyReminders(deps)) }),
};
