import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { sendPage } from '../../../platform/http/list.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { idParam } from '../../../platform/http/params.js';
import { customerDiscountsQuery, decisionBody, discountBody, discountSchema, inboxQuery, withdrawalBody } from './schemas.js';
import * as service from './service.js';

const tags = ['优惠申请 Discounts'];

export const discountRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.post('/api/customers/:id/discounts', {
    config: { access: 'discounts.request' },
    schema: {
      tags,
      summary: 'Request a custom discount (优惠申请); a city head decides up to the threshold of the benefits rules, the province above',
      params: idParam,
      body: discountBody,
      response: { 201: discountSchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await service.requestDiscount(deps, actorOf(req), req.params.id, req.body)),
  });
  app.get('/api/customers/:id/discounts', {
    config: { access: 'customers.read' },
    schema: { tags, summary: "A customer's discount requests, newest first", params: idParam, querystring: customerDiscountsQuery, response: { 200: z.array(discountSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.customerDiscounts(deps, actorOf(req), req.params.id, req.query), req.query.fields),
  });
  app.get('/api/discounts', {
    config: { access: 'discounts.approve' },
    schema: {
      tags,
      summary: 'The approvals inbox (审批待办): requests in your scope at a level you decide (pending ones oldest first)',
      querystring: inboxQuery,
      response: { 200: z.array(discountSchema), ...problemResponses },
    },
    handler: async (req, reply) => sendPage(reply, await service.inbox(deps, actorOf(req), req.query), req.query.fields),
  });
  app.post('/api/discounts/:id/decision', {
    config: { access: 'discounts.approve' },
    schema: {
      tags,
      summary: 'Approve or reject a request at the version read (409: wrong approver level, own request, already decided, stale)',
      params: idParam,
      body: decisionBody,
      response: { 200: discountSchema, ...problemResponses },
    },
    handler: (req) => service.decide(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/discounts/:id/withdrawal', {
    config: { access: 'discounts.request' },
    schema: {
      tags,
      summary: 'Withdraw your own request (撤回) while it is pending, at the version read (403: not yours; 409: already decided, stale)',
      params: idParam,
      body: withdrawalBody,
      response: { 200: discountSchema, ...problemResponses },
    },
    handler: (req) => service.withdraw(deps, actorOf(req), req.params.id, req.body),
  });
};
