import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { actorOf } from '../../platform/http/access.js';
import { sendPage } from '../../platform/http/list.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { idParam } from '../../platform/http/params.js';
import { createRoleBody, patchRoleBody, permissionSchema, roleSchema } from './schemas.js';
import * as service from './service.js';

const tags = ['角色与权限 Roles'];

export const roleRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/permissions', {
    config: { access: 'roles.read' },
    schema: { tags, summary: 'The permission catalogue', response: { 200: z.array(permissionSchema), ...problemResponses } },
    handler: async () => service.listPermissions(),
  });
  app.get('/api/roles', {
    config: { access: 'roles.read' },
    schema: { tags, summary: 'The roles you see (built-in ones; custom ones of your unit, its ancestors and your scope) with their permissions', response: { 200: z.array(roleSchema), ...problemResponses } },
    handler: async (req, reply) => {
      const items = await service.listRoles(deps, actorOf(req));
      return sendPage(reply, { items, total: items.length });
    },
  });
  app.get('/api/roles/:id', {
    config: { access: 'roles.read' },
    schema: { tags, summary: 'One role', params: idParam, response: { 200: roleSchema, ...problemResponses } },
    handler: (req) => service.getRole(deps, actorOf(req), req.params.id),
  });
  app.post('/api/roles', {
    config: { access: 'roles.manage' },
    schema: { tags, summary: 'Create a custom role owned by a unit in your scope (yours by default)', body: createRoleBody, response: { 201: roleSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.createRole(deps, actorOf(req), req.body)),
  });
  app.patch('/api/roles/:id', {
    config: { access: 'roles.manage' },
    schema: { tags, summary: 'Change a role at the version read: a custom role of a unit in your scope; built-in ones only at the organisation root', params: idParam, body: patchRoleBody, response: { 200: roleSchema, ...problemResponses } },
    handler: (req) => service.patchRole(deps, actorOf(req), req.params.id, req.body),
  });
  app.delete('/api/roles/:id', {
    config: { access: 'roles.manage' },
    schema: { tags, summary: 'Delete a custom role nobody holds', params: idParam, response: { 204: z.null(), ...problemResponses } },
    handler: async (req, reply) => {
      await service.deleteRole(deps, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  });
};
