import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { idParam } from '../../../platform/http/params.js';
import { fieldsSchema, queryResultSchema, runQueryBody, savedQueryBody, savedQueryPatch, savedQuerySchema, versionQuery } from './schemas.js';
import * as service from './service.js';

const tags = ['综合查询 Comprehensive query'];
const noContent = { 204: z.null(), ...problemResponses };

/** 综合查询: conditions on the customers' profile and on their measures over a period, and saved queries shared within a unit. */
export const queryRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/analysis/query/fields', {
    config: { access: 'analysis.query' },
    schema: { tags, summary: 'The fields, measures, aggregates and the operators of each that a condition tree may use', response: { 200: fieldsSchema, ...problemResponses } },
    handler: () => service.queryFields(deps),
  });
  app.post('/api/analysis/query', {
    config: { access: 'analysis.query' },
    schema: {
      tags,
      summary: 'Run a condition tree: the number of customers it selects within your data scope and a page of them (customer-number order) with the measures it names',
      description: '400 query_tree_invalid names each bad condition by its path (body.tree.conditions[1].conditions[0].value).',
      body: runQueryBody,
      response: { 200: queryResultSchema, ...problemResponses },
    },
    handler: (req) => service.runQuery(deps, actorOf(req), req.body),
  });
  app.get('/api/analysis/queries', {
    config: { access: 'analysis.query' },
    schema: { tags, summary: 'Saved queries: yours and those shared within a unit above or at yours, newest first', response: { 200: z.array(savedQuerySchema), ...problemResponses } },
    handler: (req) => service.listSavedQueries(deps, actorOf(req)),
  });
  app.post('/api/analysis/queries', {
    config: { access: 'analysis.query' },
    schema: { tags, summary: 'Save a query (shared: visible to the users of your unit subtree with analysis.query); audited', body: savedQueryBody, response: { 201: savedQuerySchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.createSavedQuery(deps, actorOf(req), req.body)),
  });
  app.get('/api/analysis/queries/:id', {
    config: { access: 'analysis.query' },
    schema: { tags, summary: 'One saved query you see', params: idParam, response: { 200: savedQuerySchema, ...problemResponses } },
    handler: (req) => service.getSavedQuery(deps, actorOf(req), req.params.id),
  });
  app.patch('/api/analysis/queries/:id', {
    config: { access: 'analysis.query' },
    schema: { tags, summary: 'Change your saved query (name, tree, shared) at the version read (409: stale; 403: not yours)', params: idParam, body: savedQueryPatch, response: { 200: savedQuerySchema, ...problemResponses } },
    handler: (req) => service.updateSavedQuery(deps, actorOf(req), req.params.id, req.body),
  });
  app.delete('/api/analysis/queries/:id', {
    config: { access: 'analysis.query' },
    schema: { tags, summary: 'Delete your saved query at the version read (?version=)', params: idParam, querystring: versionQuery, response: noContent },
    handler: async (req, reply) => {
      await service.deleteSavedQuery(deps, actorOf(req), req.params.id, req.query.version);
      return reply.code(204).send(null);
    },
  });
};
