import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../platform/deps.js';
import { appointmentRoutes } from './appointments/routes.js';
import { requestRoutes } from './requests/routes.js';
import { slaRoutes } from './sla/routes.js';
import { solutionRoutes } from './solutions/routes.js';
import { noticeRoutes } from './notices/routes.js';
import { partnerRoutes } from './partners/routes.js';

/** 大客户服务功能 (DOMAIN.md §5): each sub-area registers its own routes. */
export const serviceRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  for (const area of [requestRoutes, appointmentRoutes, slaRoutes, solutionRoutes, noticeRoutes, partnerRoutes] as FastifyPluginAsyncZod<Deps>[]) await app.register(area, deps);
};
