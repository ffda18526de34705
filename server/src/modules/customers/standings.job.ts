/** Every two minutes, the customers' standings follow the rules runs, the points and the latest facts (migration 0022). */
import type { JobDef } from '../../platform/jobs/scheduler.js';
import { refreshStandings } from './list.service.js';

export const customerStandingsJob: JobDef = {
  name: 'customers.standings',
  pattern: '*/2 * * * *',
  run: async (deps) => ({ written: await refreshStandings(deps) }),
};
