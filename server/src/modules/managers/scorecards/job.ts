import { ALL_PERMISSIONS } from '../../../platform/auth/permissions.js';
import { systemActor } from '../../../platform/auth/principal.js';
import type { JobDef } from '../../../platform/jobs/scheduler.js';
import { monthAt, previousMonth } from '../../../platform/months.js';
import { run } from './service.js';

/** 月度考核: on the 3rd of each month at 03:00 (广东), the previous month's scorecards of every manager (open ones only; closed ones never change). */
export const scorecardsJob: JobDef = {
  name: 'managers.scorecards',
  pattern: '0 3 3 * *',
  run: async (deps) => ({ ...(await run(deps, systemActor(new Set(ALL_PERMISSIONS)), previousMonth(monthAt(new Date())))) }),
};
