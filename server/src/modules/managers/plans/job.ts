import type { JobDef } from '../../../platform/jobs/scheduler.js';
import { markMissedItems } from './service.js';

/** Every day just after midnight (广东): the plan items of periods that have ended without a log keeping them become missed. */
export const missedPlanItemsJob: JobDef = { name: 'managers.plan-items-missed', pattern: '5 0 * * *', run: async (deps) => ({ missed: await markMissedItems(deps) }) };
