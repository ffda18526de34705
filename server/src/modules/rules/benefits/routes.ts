import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { requestLocale } from '../../../platform/http/problem.js';
import { idParam } from '../../../platform/http/params.js';
import { benefitParam, customerBenefitsSchema, eligibilitySchema, usageSchema, useBody } from './schemas.js';
import * as service from './service.js';

const tags = ['权益 Benefits'];

export const benefitRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/customers/:id/benefits', {
    config: { access: 'customers.read' },
    schema: {
      tags,
      summary: "The benefits of the customer's level this year: allowance, used, remaining, eligible",
      params: idParam,
      response: { 200: customerBenefitsSchema, ...problemResponses },
    },
    handler: (req) => service.customerBenefits(deps, actorOf(req), req.params.id, requestLocale(req)),
  });
  app.get('/api/customers/:id/benefits/:code/eligibility', {
    config: { access: 'customers.read' },
    schema: {
      tags,
      summary: 'Eligibility check (资格校验): may the customer use this benefit now, and how much is left this year',
      params: benefitParam,
      response: { 200: eligibilitySchema, ...problemResponses },
    },
    handler: (req) => service.eligibility(deps, actorOf(req), req.params.id, req.params.code, requestLocale(req)),
  });
  app.post('/api/customers/:id/benefits/:code/use', {
    config: { access: 'benefits.use' },
    schema: {
      tags,
      summary: 'Record a use of a benefit within the yearly allowance (409 when not eligible or exhausted); audited',
      params: benefitParam,
      body: useBody,
      response: { 201: usageSchema, ...problemResponses },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await service.useBenefit(deps, actorOf(req), req.params.id, req.params.code, req.body, requestLocale(req))),
  });
};
