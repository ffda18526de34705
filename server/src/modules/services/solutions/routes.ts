import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { sendPage } from '../../../platform/http/list.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { idParam } from '../../../platform/http/params.js';
import {
  createProductBody,
  createSolutionBody,
  customerSolutionsQuery,
  patchProductBody,
  patchSolutionBody,
  pipelineQuery,
  pipelineSchema,
  productQuery,
  productSchema,
  solutionQuery,
  solutionSchema,
  statusBody,
} from './schemas.js';
import * as service from './service.js';

const tags = ['解决方案 Solutions'];

/** 集团/个人解决方案: the catalogue, proposals for a customer with their status flow, and the pipeline. */
export const solutionRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  // ---- the catalogue ----
  app.get('/api/solution-products', {
    // read by those who draft solutions (solutions.edit) and those who keep the catalogue (solutions.catalogue): checked in the service
    config: { access: 'authenticated' },
    schema: { tags, summary: 'The solutions catalogue (解决方案目录): products and bundles (solutions.edit or solutions.catalogue)', querystring: productQuery, response: { 200: z.array(productSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listProducts(deps, actorOf(req), req.query), req.query.fields),
  });
  app.get('/api/solution-products/:id', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'One product or bundle of the catalogue (solutions.edit or solutions.catalogue)', params: idParam, response: { 200: productSchema, ...problemResponses } },
    handler: (req) => service.getProduct(deps, actorOf(req), req.params.id),
  });
  app.post('/api/solution-products', {
    config: { access: 'solutions.catalogue' },
    schema: {
      tags,
      summary: 'Add a product, or a bundle with its products (409 duplicate naming body.code; a bundle cannot contain a bundle)',
      body: createProductBody,
      response: { 201: productSchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createProduct(deps, actorOf(req), req.body)),
  });
  app.patch('/api/solution-products/:id', {
    config: { access: 'solutions.catalogue' },
    schema: {
      tags,
      summary: 'Rename, reprice, withdraw (active: false) a product or change a bundle’s products, at the version read',
      params: idParam,
      body: patchProductBody,
      response: { 200: productSchema, ...problemResponses },
    },
    handler: (req) => service.patchProduct(deps, actorOf(req), req.params.id, req.body),
  });

  // ---- solutions ----
  app.get('/api/customers/:id/solutions', {
    config: { access: 'customers.read' },
    schema: { tags, summary: "A customer's solutions, latest first (the 360° view)", params: idParam, querystring: customerSolutionsQuery, response: { 200: z.array(solutionSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.customerSolutions(deps, actorOf(req), req.params.id, req.query), req.query.fields),
  });
  app.post('/api/customers/:id/solutions', {
    config: { access: 'solutions.edit' },
    schema: {
      tags,
      summary: 'Draft a solution for a customer you manage: group for a group customer, personal for an individual; items from the catalogue',
      params: idParam,
      body: createSolutionBody,
      response: { 201: solutionSchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createSolution(deps, actorOf(req), req.params.id, req.body)),
  });
  app.get('/api/solutions', {
    config: { access: 'customers.read' },
    schema: {
      tags,
      summary: 'Solutions of the customers you may see, by status, kind, owner, unit (and below) or customer; latest first',
      querystring: solutionQuery,
      response: { 200: z.array(solutionSchema), ...problemResponses },
    },
    handler: async (req, reply) => sendPage(reply, await service.listSolutions(deps, actorOf(req), req.query), req.query.fields),
  });
  app.get('/api/solutions/pipeline', {
    config: { access: 'customers.read' },
    schema: {
      tags,
      summary: 'The pipeline (方案漏斗): counts and expected monthly revenue by status, in total and per sub-unit or owner',
      querystring: pipelineQuery,
      response: { 200: pipelineSchema, ...problemResponses },
    },
    handler: (req) => service.pipeline(deps, actorOf(req), req.query),
  });
  app.get('/api/solutions/:id', {
    config: { access: 'customers.read' },
    schema: { tags, summary: 'One solution with its items', params: idParam, response: { 200: solutionSchema, ...problemResponses } },
    handler: (req) => service.getSolution(deps, actorOf(req), req.params.id),
  });
  app.patch('/api/solutions/:id', {
    config: { access: 'solutions.edit' },
    schema: {
      tags,
      summary: 'Retitle, hand over, annotate or replace the items of a solution at the version read (409 once signed or lost)',
      params: idParam,
      body: patchSolutionBody,
      response: { 200: solutionSchema, ...problemResponses },
    },
    handler: (req) => service.patchSolution(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/solutions/:id/status', {
    config: { access: 'solutions.edit' },
    schema: {
      tags,
      summary: 'Move a solution along draft → proposed → negotiating → signed, or to lost with the reason (409 naming the allowed moves); signing adds its products to the customer',
      params: idParam,
      body: statusBody,
      response: { 200: solutionSchema, ...problemResponses },
    },
    handler: (req) => service.changeStatus(deps, actorOf(req), req.params.id, req.body),
  });
};
