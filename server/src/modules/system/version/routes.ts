import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../../platform/deps.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { versionSchema } from './schemas.js';
import { versionReport } from './service.js';

const tags = ['系统 System'];

/** 版本管理: what runs (version, commit, build time) on which schema, for the About page. */
export const versionRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/system/version', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Version, commit, build time and the migrations applied', response: { 200: versionSchema, ...problemResponses } },
    handler: async () => versionReport(deps.database),
  });
};
