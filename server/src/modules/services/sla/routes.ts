import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { sendPage } from '../../../platform/http/list.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { idParam } from '../../../platform/http/params.js';
import { dayParam, holidayBody, holidaySchema, holidaysQuery, policiesQuery, policyBody, policyPatch, policySchema } from './schemas.js';
import * as service from './service.js';

const tags = ['服务时限 SLA'];

export const slaRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/services/sla/policies', {
    config: { access: 'services.read' },
    schema: {
      tags,
      summary: 'SLA policies (服务时限) by request type, the most specific first (a named level, then a named area)',
      querystring: policiesQuery,
      response: { 200: z.array(policySchema), ...problemResponses },
    },
    handler: async (req, reply) => sendPage(reply, await service.listPolicies(deps, req.query), req.query.fields),
  });
  app.post('/api/services/sla/policies', {
    config: { access: 'services.sla' },
    schema: {
      tags,
      summary: 'Add a policy for a request type, level (or any) and area (or any); 409 when that scope has one already',
      body: policyBody,
      response: { 201: policySchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createPolicy(deps, actorOf(req), req.body)),
  });
  app.patch('/api/services/sla/policies/:id', {
    config: { access: 'services.sla' },
    schema: {
      tags,
      summary: 'Change a policy at the version read (409: stale, or its new scope is taken); `active: false` retires it — policies are not deleted',
      params: idParam,
      body: policyPatch,
      response: { 200: policySchema, ...problemResponses },
    },
    handler: (req) => service.patchPolicy(deps, actorOf(req), req.params.id, req.body),
  });

  app.get('/api/services/sla/holidays', {
    config: { access: 'services.read' },
    schema: {
      tags,
      summary: "A year's holidays (法定节假日) and weekend days worked instead (调休上班), by day",
      querystring: holidaysQuery,
      response: { 200: z.array(holidaySchema), ...problemResponses },
    },
    handler: async (req, reply) => sendPage(reply, await service.holidaysOfYear(deps, req.query), req.query.fields),
  });
  app.put('/api/services/sla/holidays/:day', {
    config: { access: 'services.sla' },
    schema: {
      tags,
      summary: 'Mark a day as a holiday or, a Saturday or Sunday only, as worked (replaces what the day was); business clocks count it from then on',
      params: dayParam,
      body: holidayBody,
      response: { 200: holidaySchema, ...problemResponses },
    },
    handler: (req) => service.putHoliday(deps, actorOf(req), req.params.day, req.body),
  });
  app.delete('/api/services/sla/holidays/:day', {
    config: { access: 'services.sla' },
    schema: { tags, summary: 'Make a day an ordinary one again', params: dayParam, response: { 204: z.null(), ...problemResponses } },
    handler: async (req, reply) => {
      await service.deleteHoliday(deps, actorOf(req), req.params.day);
      return reply.code(204).send(null);
    },
  });
};
