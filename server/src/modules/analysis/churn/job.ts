/** 流失预警: the monthly scoring, two hours after the monthly rules run (the 3rd–10th at 02:00) so that the month is complete. */
import type { JobDef } from '../../../platform/jobs/scheduler.js';
import { runMonthlyScoring } from './service.js';

export const churnScoringJob: JobDef = {
  name: 'analysis.churn',
  pattern: '0 4 3-10 * *',
  run: (deps) => runMonthlyScoring(deps),
};
