import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { actorOf } from '../../platform/http/access.js';
import { sendPage } from '../../platform/http/list.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { idParam } from '../../platform/http/params.js';
import { createUnitBody, listUnitsQuery, orgUnitSchema, patchUnitBody } from './schemas.js';
import * as service from './service.js';

const tags = ['组织结构 Organisation'];

export const orgRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/org/units', {
    config: { access: 'org.read' },
    schema: { tags, summary: 'List the units in your data scope (tree order)', querystring: listUnitsQuery, response: { 200: z.array(orgUnitSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listUnits(deps, actorOf(req), req.query), req.query.fields),
  });
  app.get('/api/org/units/:id', {
    config: { access: 'org.read' },
    schema: { tags, summary: 'One unit', params: idParam, response: { 200: orgUnitSchema, ...problemResponses } },
    handler: (req) => service.getUnit(deps.database.db, actorOf(req), req.params.id),
  });
  app.post('/api/org/units', {
    config: { access: 'org.manage' },
    schema: { tags, summary: 'Create a unit', body: createUnitBody, response: { 201: orgUnitSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.createUnit(deps, actorOf(req), req.body)),
  });
  app.patch('/api/org/units/:id', {
    config: { access: 'org.manage' },
    schema: { tags, summary: 'Rename, move or (de)activate a unit', params: idParam, body: patchUnitBody, response: { 200: orgUnitSchema, ...problemResponses } },
    handler: (req) => service.patchUnit(deps, actorOf(req), req.params.id, req.body),
  });
  app.delete('/api/org/units/:id', {
    config: { access: 'org.manage' },
    schema: { tags, summary: 'Delete an empty unit', params: idParam, response: { 204: z.null(), ...problemResponses } },
    handler: async (req, reply) => {
      await service.deleteUnit(deps, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  });
};
