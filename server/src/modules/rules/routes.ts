import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { actorOf } from '../../platform/http/access.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { benefitRoutes } from './benefits/routes.js';
import { candidateRoutes } from './candidates/routes.js';
import { discountRoutes } from './discounts/routes.js';
import { engineRoutes } from './engine/routes.js';
import { pointsRoutes } from './points/routes.js';
import { familyParam, newVersionBody, ruleVersionSchema } from './schemas.js';
import * as service from './service.js';

const tags = ['服务规则 Rules'];

/** 服务规则: the rule versions here; the run, points, benefits, discounts and candidates in their sub-areas. */
export const ruleRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  for (const area of [engineRoutes, pointsRoutes, benefitRoutes, discountRoutes, candidateRoutes]) await app.register(area, deps);
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
};
