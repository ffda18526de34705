import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { actorOf, principal } from '../../platform/http/access.js';
import { sendPage } from '../../platform/http/list.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { requestLocale } from '../../platform/http/problem.js';
import { idParam } from '../../platform/http/params.js';
import * as me from './me.service.js';
import { problemSchema } from '../../platform/http/problem.js';
import {
  changePasswordBody,
  createUserBody,
  endedSessionsSchema,
  listUsersQuery,
  patchMeBody,
  patchUserBody,
  resetPasswordBody,
  userSchema,
} from './schemas.js';
import * as service from './service.js';

const tags = ['用户 Users'];
const meSchema = userSchema
  .extend({
    permissions: z.array(z.string()),
    roles: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string().nullable() })).describe('The roles by name'),
    permissionLabels: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string() })).describe('The permissions by name, in both languages'),
    csrfToken: z.string(),
  })
  .meta({ id: 'Me' });

export const userRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/users', {
    config: { access: 'users.read' },
    schema: { tags, summary: 'List users in your data scope (phones masked)', querystring: listUsersQuery, response: { 200: z.array(userSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listUsers(deps, actorOf(req), req.query), req.query.fields),
  });
  app.get('/api/users/:id', {
    config: { access: 'users.read' },
    schema: { tags, summary: 'One user, contact data in full (audited read)', params: idParam, response: { 200: userSchema, ...problemResponses } },
    handler: (req) => service.getUser(deps, actorOf(req), req.params.id),
  });
  app.post('/api/users', {
    config: { access: 'users.manage' },
    schema: { tags, summary: 'Create a user', body: createUserBody, response: { 201: userSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.createUser(deps, actorOf(req), req.body, requestLocale(req))),
  });
  app.patch('/api/users/:id', {
    config: { access: 'users.manage' },
    schema: { tags, summary: 'Change a user (roles, unit, status) at the version read', params: idParam, body: patchUserBody, response: { 200: userSchema, ...problemResponses } },
    handler: (req) => service.patchUser(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/users/:id/unlock', {
    config: { access: 'users.manage' },
    schema: { tags, summary: 'Unlock an account locked after failed sign-ins', params: idParam, response: { 200: userSchema, ...problemResponses } },
    handler: (req) => service.unlockUser(deps, actorOf(req), req.params.id),
  });
  app.delete('/api/users/:id/sessions', {
    config: { access: 'users.manage' },
    schema: { tags, summary: 'Sign a user out everywhere: end every session of the user (audited)', params: idParam, response: { 200: endedSessionsSchema, ...problemResponses } },
    handler: (req) => service.endSessions(deps, actorOf(req), req.params.id),
  });
  app.post('/api/users/:id/password', {
    config: { access: 'users.manage' },
    schema: { tags, summary: 'Set a new password (the user must change it at next sign-in)', params: idParam, body: resetPasswordBody, response: { 204: z.null(), ...problemResponses } },
    handler: async (req, reply) => {
      await service.resetPassword(deps, actorOf(req), req.params.id, req.body.newPassword, requestLocale(req));
      return reply.code(204).send(null);
    },
  });

  const meTags = ['个人 Me'];
  app.get('/api/me', {
    config: { access: 'authenticated' },
    schema: { tags: meTags, summary: 'The signed-in user, permissions and CSRF token', response: { 200: meSchema, ...problemResponses } },
    // a string skips the serialiser: the JSON is cached beside the session (me.service)
    handler: async (req, reply) => reply.type('application/json; charset=utf-8').send((await me.getMeJson(deps, principal(req))) as never),
  });
  app.patch('/api/me', {
    config: { access: 'authenticated' },
    schema: { tags: meTags, summary: 'Change your own profile or language', body: patchMeBody, response: { 200: meSchema, ...problemResponses } },
    handler: (req) => me.patchMe(deps, principal(req), actorOf(req), req.body),
  });
  app.post('/api/me/password', {
    config: { access: 'authenticated' },
    schema: {
      tags: meTags,
      summary: 'Change your own password; too many wrong current passwords lock the account (423) and end its sessions',
      body: changePasswordBody,
      response: { 204: z.null(), 423: problemSchema, ...problemResponses },
    },
    handler: async (req, reply) => {
      const { currentPassword, newPassword } = req.body;
      await me.changePassword(deps, principal(req), actorOf(req), currentPassword, newPassword, requestLocale(req));
      return reply.code(204).send(null);
    },
  });
};
