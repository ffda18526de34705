import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { actorOf } from '../../platform/http/access.js';
import { pageQuery, sendPage } from '../../platform/http/list.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { requestLocale } from '../../platform/http/problem.js';
import { idParam } from '../org/schemas.js';
import * as engine from './engine.service.js';
import {
  customerRulesSchema,
  familyParam,
  newVersionBody,
  previewBody,
  previewSchema,
  ruleVersionSchema,
  runBody,
  runSchema,
} from './schemas.js';
import * as service from './service.js';
import { customerRules } from './standing.service.js';

const tags = ['服务规则 Rules'];

export const ruleRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/rules/:family/versions', {
    config: { access: 'rules.read' },
    schema: { tags, summary: 'Every version of a rule family, newest first', params: familyParam, response: { 200: z.array(ruleVersionSchema), ...problemResponses } },
    handler: (req) => service.listVersions(deps, req.params.family),
  });
  app.post('/api/rules/versions', {
    config: { access: 'rules.edit' },
    schema: {
      tags,
      summary: 'Save a new version of a rule family (validated: thresholds in order, weights adding up, no gaps; audited)',
      body: newVersionBody,
      response: { 201: z.object({ id: z.number().int(), family: z.string(), version: z.number().int(), effectiveFrom: z.string() }), ...problemResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createVersion(deps, actorOf(req), req.body)),
  });
  app.post('/api/rules/preview', {
    config: { access: 'rules.edit' },
    schema: { tags, summary: 'Dry run of a month (试算): counts before and after, the level migration matrix, a sample; writes nothing', body: previewBody, response: { 200: previewSchema, ...problemResponses } },
    handler: (req) => engine.previewMonth(deps, req.body.month, req.body.drafts ?? {}),
  });
  app.get('/api/rules/runs', {
    config: { access: 'rules.read' },
    schema: { tags, summary: 'Monthly runs, newest first', querystring: pageQuery, response: { 200: z.array(runSchema), ...problemResponses } },
    handler: async (req, reply) => {
      return sendPage(reply, await engine.listRuns(deps, req.query.offset, req.query.limit), req.query.fields);
    },
  });
  app.post('/api/rules/runs', {
    config: { access: 'rules.run' },
    schema: { tags, summary: 'Run the rules for a month (月度计算); rerunning the latest month replaces its results', body: runBody, response: { 201: runSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await engine.runMonth(deps, actorOf(req), req.body.month, 'api')),
  });
  app.post('/api/rules/runs/:id/rollback', {
    config: { access: 'rules.run' },
    schema: { tags, summary: 'Roll back the latest completed run (refused once its points have been spent)', params: idParam, response: { 200: runSchema, ...problemResponses } },
    handler: (req) => engine.rollbackRun(deps, actorOf(req), req.params.id),
  });
  app.get('/api/customers/:id/rules', {
    config: { access: 'customers.read' },
    schema: { tags, summary: "A customer's level, credit and points history with the reasons for each value", params: idParam, response: { 200: customerRulesSchema, ...problemResponses } },
    handler: (req) => customerRules(deps, actorOf(req), req.params.id, requestLocale(req)),
  });
};
