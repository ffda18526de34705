import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { sendPage } from '../../../platform/http/list.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { idParam } from '../../../platform/http/params.js';
import {
  certificationBody,
  certificationParams,
  certificationPatch,
  certificationSchema,
  managerDetailSchema,
  managerListQuery,
  managerSummarySchema,
  portfolioMoveBody,
  portfolioMoveResultSchema,
  profilePatch,
} from './schemas.js';
import * as service from './service.js';

const tags = ['经理档案 Manager profiles'];
const detail = { 200: managerDetailSchema, ...problemResponses };

export const profileRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/managers', {
    config: { access: 'managers.read' },
    schema: {
      tags,
      summary: 'Account managers of your units with grade, tenure, skills, certifications and portfolio size and value (last complete month)',
      querystring: managerListQuery,
      response: { 200: z.array(managerSummarySchema), ...problemResponses },
    },
    handler: async (req, reply) => sendPage(reply, await service.listManagers(deps, actorOf(req), req.query), req.query.fields),
  });
  app.post('/api/managers/portfolio-moves', {
    config: { access: 'customers.assign' },
    schema: {
      tags,
      summary: '客户批量调整: move a manager’s customers (chosen, matching a customers-list filter, or all) to another manager; dryRun counts only',
      body: portfolioMoveBody,
      response: { 200: portfolioMoveResultSchema, ...problemResponses },
    },
    handler: (req) => service.movePortfolio(deps, actorOf(req), req.body),
  });
  app.get('/api/managers/:id', {
    // a head (managers.read) within their units, or a manager (work.own) themselves: checked by the service
    config: { access: 'authenticated' },
    schema: { tags, summary: 'A manager’s profile, certifications and portfolio figures (managers.read within your units, or work.own for yourself)', params: idParam, response: detail },
    handler: (req) => service.getManager(deps, actorOf(req), req.params.id),
  });
  app.patch('/api/managers/:id/profile', {
    config: { access: 'managers.edit' },
    schema: { tags, summary: 'Change the grade, start, skills, maximum portfolio or note at the profile version read (0 records it first)', params: idParam, body: profilePatch, response: detail },
    handler: (req) => service.patchProfile(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/managers/:id/certifications', {
    config: { access: 'managers.edit' },
    schema: { tags, summary: 'Add a certification (资格证书) with its expiry', params: idParam, body: certificationBody, response: { 201: certificationSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.addCertification(deps, actorOf(req), req.params.id, req.body)),
  });
  app.patch('/api/managers/:id/certifications/:certificationId', {
    config: { access: 'managers.edit' },
    schema: { tags, summary: 'Change a certification at the version read', params: certificationParams, body: certificationPatch, response: { 200: certificationSchema, ...problemResponses } },
    handler: (req) => service.patchCertification(deps, actorOf(req), req.params.id, req.params.certificationId, req.body),
  });
  app.delete('/api/managers/:id/certifications/:certificationId', {
    config: { access: 'managers.edit' },
    schema: { tags, summary: 'Remove a certification', params: certificationParams, response: { 204: z.null(), ...problemResponses } },
    handler: async (req, reply) => {
      await service.deleteCertification(deps, actorOf(req), req.params.id, req.params.certificationId);
      return reply.code(204).send(null);
    },
  });
};
