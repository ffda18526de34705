/** TMF629 Customer Management v4: GET /customer, GET /customer/{id}, POST /customer, PATCH /customer/{id} (merge-patch). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../../platform/deps.js';
import { ACCESS, callerOf } from '../common/access.js';
import { etagOf, idOf, ifMatchOf, oneQuery, selectFields, sendTmfPage, tmfIdParam, tmfResponses } from '../common/conventions.js';
import { customerCreateBody, customerListQuery, customerPatchBody } from './schemas.js';
import * as service from './service.js';

const tags = ['TMF629 Customer Management'];

export const customerRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/customer', {
    config: ACCESS.customerRead,
    schema: { tags, response: tmfResponses, summary: 'List or find Customer objects (the key accounts of your scope); 206 for a partial page', querystring: customerListQuery },
    handler: async (req, reply) => {
      const { actor, pii } = callerOf(req);
      return sendTmfPage(req, reply, await service.listCustomers(deps, actor, pii, req.query), req.query.fields);
    },
  });
  app.get('/customer/:id', {
    config: ACCESS.customerRead,
    schema: { tags, response: tmfResponses, summary: 'Retrieve a Customer by id; its version as ETag', params: tmfIdParam, querystring: oneQuery },
    handler: async (req, reply) => {
      const { actor, pii } = callerOf(req);
      const { customer, version } = await service.getCustomer(deps, actor, pii, idOf(req.params.id, 'customer'));
      selectFields(req, req.query.fields);
      return reply.header('etag', etagOf(version)).send(customer);
    },
  });
  app.post('/customer', {
    config: ACCESS.customerWrite,
    schema: {
      tags,
      summary: 'Create a Customer: a new key account (新建客户) with its party, the engagedParty’s @referredType (Organization, Individual) choosing its kind; 201 with its Location',
      body: customerCreateBody,
      response: tmfResponses,
    },
    handler: async (req, reply) => {
      const { actor, pii } = callerOf(req);
      const { customer, version } = await service.createCustomer(deps, actor, pii, req.body);
      return reply.code(201).header('etag', etagOf(version)).header('location', customer.href).send(customer);
    },
  });
  app.patch('/customer/:id', {
    config: ACCESS.customerWrite,
    schema: {
      tags,
      summary: 'Update a Customer partially (application/merge-patch+json): name, status (with statusReason), contactMedium; If-Match: the ETag read (409 when stale)',
      params: tmfIdParam,
      body: customerPatchBody,
      response: tmfResponses,
    },
    handler: async (req, reply) => {
      const { actor, pii } = callerOf(req);
      const id = idOf(req.params.id, 'customer');
      const { customer, version } = await service.patchCustomer(deps, actor, pii, id, ifMatchOf(req), req.body);
      return reply.header('etag', etagOf(version)).send(customer);
    },
  });
};
