import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { actorOf } from '../../platform/http/access.js';
import { pageQuery, sendPage } from '../../platform/http/list.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { idParam } from '../../platform/http/params.js';
import {
  assignBody,
  createCustomerBody,
  customerFilter,
  customerViewSchema,
  historyEntrySchema,
  keyPersonBody,
  lifecycleBody,
  mergeBody,
  patchCustomerBody,
  revealBody,
  savedFilterBody,
  visitBody,
} from './schemas.js';
import * as service from './service.js';
import { customerListRoutes } from './list.routes.js';

const tags = ['客户档案 Customers'];
const duplicateSchema = z.object({ id: z.number().int(), customerNo: z.string(), name: z.string(), archive: z.string(), reason: z.string() });
const savedFilterSchema = z.object({ id: z.number().int(), name: z.string(), filter: customerFilter });
const view = { 200: customerViewSchema, ...problemResponses };

export const customerRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  await customerListRoutes(app, deps);
  app.post('/api/customers', {
    config: { access: 'customers.edit' },
    schema: { tags, summary: 'Create a customer; possible duplicates are flagged in the answer', body: createCustomerBody, response: { 201: z.object({ customer: customerViewSchema, duplicates: z.array(duplicateSchema) }), ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.createCustomer(deps, actorOf(req), req.body)),
  });
  app.get('/api/customers/managers', {
    config: { access: 'customers.read' },
    schema: { tags, summary: 'Account managers in your scope (for filters and assignment)', response: { 200: z.array(z.object({ id: z.number().int(), displayName: z.string(), unitName: z.string(), unitNameEn: z.string().nullable() })), ...problemResponses } },
    handler: (req) => service.listManagers(deps, actorOf(req)),
  });
  app.get('/api/customers/:id', {
    config: { access: 'customers.read' },
    schema: { tags, summary: '客户全方位视图: the 360° view', params: idParam, response: view },
    handler: (req) => service.getCustomerView(deps, actorOf(req), req.params.id),
  });
  app.patch('/api/customers/:id', {
    config: { access: 'customers.edit' },
    schema: { tags, summary: 'Change fields at the version read; each change is kept with its source', params: idParam, body: patchCustomerBody, response: view },
    handler: (req) => service.patchCustomer(deps, actorOf(req), req.params.id, req.body),
  });
  app.get('/api/customers/:id/history', {
    config: { access: 'customers.read' },
    schema: { tags, summary: 'Changes, visits, archive moves and manager assignments, newest first', params: idParam, querystring: pageQuery.omit({ fields: true }), response: { 200: z.array(historyEntrySchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.getHistory(deps, actorOf(req), req.params.id, req.query.offset, req.query.limit)),
  });
  app.post('/api/customers/:id/visits', {
    config: { access: 'customers.edit' },
    schema: { tags, summary: 'Record a visit and the fields it updates', params: idParam, body: visitBody, response: { 201: customerViewSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.recordVisit(deps, actorOf(req), req.params.id, req.body)),
  });
  app.post('/api/customers/:id/archive', {
    config: { access: 'customers.lifecycle' },
    schema: { tags, summary: 'Move between the in-network and retained archives (with reason and date)', params: idParam, body: lifecycleBody, response: view },
    handler: (req) => service.moveArchive(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/customers/:id/manager', {
    config: { access: 'customers.assign' },
    schema: { tags, summary: 'Assign the account manager (portfolio history kept)', params: idParam, body: assignBody, response: view },
    handler: (req) => service.assignManager(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/customers/:id/reveal', {
    config: { access: 'customers.reveal_pii' },
    schema: { tags, summary: 'Reveal one personal-data field of one customer (audited)', params: idParam, body: revealBody, response: { 200: z.object({ field: z.string(), value: z.string().nullable() }), ...problemResponses } },
    handler: (req) => service.revealPii(deps, actorOf(req), req.params.id, req.body.field, req.body.refId),
  });
  app.get('/api/customers/:id/duplicates', {
    config: { access: 'customers.read' },
    schema: { tags, summary: 'Possible duplicates: same credit code, ID number, or name and phone', params: idParam, response: { 200: z.array(duplicateSchema), ...problemResponses } },
    handler: (req) => service.duplicatesOf(deps, actorOf(req), req.params.id),
  });
  app.post('/api/customers/:id/merge', {
    config: { access: 'customers.merge' },
    schema: { tags, summary: 'Merge a duplicate into this customer (both histories kept)', params: idParam, body: mergeBody, response: view },
    handler: (req) => service.mergeCustomers(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/customers/:id/key-persons', {
    config: { access: 'customers.edit' },
    schema: { tags, summary: 'Add a key person (关键人)', params: idParam, body: keyPersonBody, response: { 201: customerViewSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.addKeyPerson(deps, actorOf(req), req.params.id, req.body)),
  });
  app.get('/api/customer-filters', {
    config: { access: 'customers.read' },
    schema: { tags, summary: 'Your saved customer filters', response: { 200: z.array(savedFilterSchema), ...problemResponses } },
    handler: (req) => service.listSavedFilters(deps, actorOf(req)) as never,
  });
  app.post('/api/customer-filters', {
    config: { access: 'customers.read' },
    schema: { tags, summary: 'Save (or replace by name) a customer filter', body: savedFilterBody, response: { 201: savedFilterSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send((await service.saveFilter(deps, actorOf(req), req.body.name, req.body.filter)) as never),
  });
  app.delete('/api/customer-filters/:id', {
    config: { access: 'customers.read' },
    schema: { tags, summary: 'Delete one of your saved filters', params: idParam, response: { 204: z.null(), ...problemResponses } },
    handler: async (req, reply) => {
      await service.deleteSavedFilter(deps, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  });
};
