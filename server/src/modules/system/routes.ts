import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { VERSION } from '../../platform/version.js';
import { monitorRoutes } from './monitor/routes.js';
import { backupRoutes } from './backup/routes.js';
import { versionRoutes } from './version/routes.js';

const tags = ['系统 System'];

export const systemRoutes: FastifyPluginAsyncZod<Deps & { metrics: Registry }> = async (app, deps) => {
  app.get('/api/health', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: 'Liveness and version',
      response: { 200: z.object({ status: z.literal('ok'), version: z.string(), database: z.enum(['pglite', 'postgres']) }) },
    },
    handler: async () => ({ status: 'ok' as const, version: VERSION, database: deps.database.kind }),
  });
  app.get('/api/metrics', {
    config: { access: 'system.monitor' },
    schema: { tags, summary: 'Prometheus metrics (session with system.monitor, or Bearer METRICS_TOKEN)', response: { 200: z.string(), ...problemResponses } },
    handler: async (_req, reply) => reply.type(deps.metrics.contentType).send(await deps.metrics.metrics()),
  });
  app.get('/api/openapi.json', {
    config: { access: 'public' },
    schema: { hide: true },
    handler: async () => app.swagger(),
  });
  await app.register(monitorRoutes, deps);
  await app.register(backupRoutes, deps);
  await app.register(versionRoutes, deps);
};
