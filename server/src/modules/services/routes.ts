import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../platform/deps.js';

/** 大客户服务功能 (DOMAIN.md §5): each sub-area registers its own routes. */
export const serviceRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  for (const area of [] as FastifyPluginAsyncZod<Deps>[]) await app.register(area, deps);
};
