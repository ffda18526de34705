import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../platform/deps.js';
import { churnRoutes } from './churn/routes.js';
import { statisticsRoutes } from './statistics/routes.js';
import { dashboardRoutes } from './dashboards/routes.js';
import { queryRoutes } from './query/routes.js';
import { segmentRoutes } from './segments/routes.js';
import { indicatorRoutes } from './indicators/routes.js';

/**
 * 大客户服务数据综合分析 and 指标体系 (DOMAIN.md §6, §9): each sub-area (indicators, query, statistics,
 * segments, dashboards, churn) registers its own routes under /api/analysis.
 */
export const analysisRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  for (const area of [churnRoutes, statisticsRoutes, dashboardRoutes, queryRoutes, segmentRoutes, indicatorRoutes] as FastifyPluginAsyncZod<Deps>[]) await app.register(area, deps);
};
