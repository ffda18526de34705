import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../platform/deps.js';
import { profileRoutes } from './profiles/routes.js';
import { planRoutes } from './plans/routes.js';
import { reminderRoutes } from './reminders/routes.js';
import { taskRoutes } from './tasks/routes.js';
import { scorecardRoutes } from './scorecards/routes.js';
import { workbenchRoutes } from './workbench/routes.js';

/** 大客户经理管理 (DOMAIN.md §7): each sub-area registers its own routes. */
export const managerRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  for (const area of [profileRoutes, planRoutes, reminderRoutes, taskRoutes, scorecardRoutes, workbenchRoutes] as FastifyPluginAsyncZod<Deps>[]) await app.register(area, deps);
};
