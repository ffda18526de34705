import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { pageQuery, sendPage } from '../../../platform/http/list.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { idParam } from '../../../platform/http/params.js';
import { requestLocale } from '../../../platform/http/problem.js';
import { customerRulesSchema, factsMonthSchema, previewBody, previewSchema, runBody, runSchema } from './schemas.js';
import * as engine from './service.js';
import { customerRules } from './standing.js';

const tags = ['服务规则 Rules'];

/** 月度计算: the preview, the runs and their rollback, and a customer's standing with its reasons. */
export const engineRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.post('/api/rules/preview', {
    config: { access: 'rules.edit' },
    schema: { tags, summary: 'Dry run of a month (试算): counts before and after, the level migration matrix, a sample; writes nothing', body: previewBody, response: { 200: previewSchema, ...problemResponses } },
    handler: (req) => engine.previewMonth(deps, req.body.month, req.body.drafts ?? {}),
  });
  app.get('/api/rules/months', {
    config: { access: 'rules.read' },
    schema: { tags, summary: 'The months with facts, newest first, and whether each is rated (the months to preview or run)', response: { 200: z.array(factsMonthSchema), ...problemResponses } },
    handler: () => engine.monthsWithFacts(deps),
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
