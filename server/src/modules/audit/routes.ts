import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { actorOf } from '../../platform/http/access.js';
import { sendPage } from '../../platform/http/list.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { auditEntrySchema, chainReportSchema, listAuditQuery } from './schemas.js';
import * as service from './service.js';

const tags = ['日志管理 Audit'];

export const auditRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/audit', {
    config: { access: 'audit.read' },
    schema: { tags, summary: 'Browse and filter the audit trail (newest first)', querystring: listAuditQuery, response: { 200: z.array(auditEntrySchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listAudit(deps, actorOf(req), req.query), req.query.fields),
  });
  app.get('/api/audit/verify', {
    config: { access: 'audit.read' },
    schema: { tags, summary: 'Recompute the hash chain and report the first break', response: { 200: chainReportSchema, ...problemResponses } },
    handler: () => service.verifyChain(deps),
  });
};
