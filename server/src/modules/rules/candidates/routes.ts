import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { sendPage } from '../../../platform/http/list.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { idParam } from '../../../platform/http/params.js';
import { candidateDecisionBody, candidateSchema, candidatesQuery } from './schemas.js';
import * as service from './service.js';

const tags = ['潜在大客户 Potential key accounts'];

export const candidateRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/rules/candidates', {
    config: { access: 'rules.read' },
    schema: {
      tags,
      summary: 'Potential key accounts found by the runs, in your scope (your portfolio for account managers)',
      querystring: candidatesQuery,
      response: { 200: z.array(candidateSchema), ...problemResponses },
    },
    handler: async (req, reply) => sendPage(reply, await service.listCandidates(deps, actorOf(req), req.query), req.query.fields),
  });
  app.post('/api/rules/candidates/:id/decision', {
    config: { access: 'candidates.decide' },
    schema: {
      tags,
      summary: 'Confirm with a level (the customer enters the in-network archive) or reject with a reason, at the version read; audited',
      params: idParam,
      body: candidateDecisionBody,
      response: { 200: candidateSchema, ...problemResponses },
    },
    handler: (req) => service.decide(deps, actorOf(req), req.params.id, req.body),
  });
};
