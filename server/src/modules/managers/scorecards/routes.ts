import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { pageQuery, sendPage } from '../../../platform/http/list.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { idParam } from '../../../platform/http/params.js';
import { problemSchema } from '../../../platform/http/problem.js';
import {
  closeBody,
  closeResultSchema,
  indicatorSchema,
  listQuery,
  recomputeResultSchema,
  recordParams,
  recordSchema,
  runBody,
  runResultSchema,
  scorecardDetailSchema,
  scorecardSchema,
  versionQuery,
  weightsBody,
  weightsSchema,
} from './schemas.js';
import * as service from './service.js';

const tags = ['业绩考核 Scorecards'];
const withUnprocessable = { ...problemResponses, 422: problemSchema };

/** 业绩考核: monthly scorecards of the account managers, their weights and targets per unit, the run, closing and recomputing. */
export const scorecardRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/scorecards/indicators', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'The indicators of a scorecard: group, names and definitions, unit, direction, default weight and target', response: { 200: z.array(indicatorSchema), ...problemResponses } },
    handler: () => service.listIndicators(),
  });
  app.get('/api/scorecards', {
    // a head (managers.read) reads the subtree's scorecards, a manager (work.own) their own: checked in the service
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'Scorecards (a head: the subtree’s, a manager: their own), by month, unit and rank, with the score of each group (managers.read or work.own)',
      querystring: listQuery,
      response: { 200: z.array(scorecardSchema), ...problemResponses },
    },
    handler: async (req, reply) => sendPage(reply, await service.listScorecards(deps, actorOf(req), req.query), req.query.fields),
  });
  app.post('/api/scorecards/runs', {
    config: { access: 'scorecards.manage' },
    schema: {
      tags,
      summary: 'Compute the month’s scorecards of every manager of your units: open ones are (re)computed, closed ones stay as they are',
      body: runBody,
      response: { 200: runResultSchema, ...problemResponses },
    },
    handler: (req) => service.run(deps, actorOf(req), req.body.month),
  });
  app.post('/api/scorecards/close', {
    config: { access: 'scorecards.manage' },
    schema: { tags, summary: 'Close the open scorecards of a month of a unit of yours and its sub-units: late data no longer changes them', body: closeBody, response: { 200: closeResultSchema, ...problemResponses } },
    handler: (req) => service.close(deps, actorOf(req), req.body),
  });
  app.get('/api/scorecards/:id', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'A scorecard with its lines: value, target, weight, achievement and score of each indicator (managers.read or work.own)', params: idParam, response: { 200: scorecardDetailSchema, ...problemResponses } },
    handler: (req) => service.getScorecard(deps, actorOf(req), req.params.id),
  });
  app.post('/api/scorecards/:id/recompute', {
    config: { access: 'scorecards.manage' },
    schema: {
      tags,
      summary: 'Recompute a closed scorecard over the data as it is now (its weights and targets kept): the figures before are kept beside, the differences answered (409 on an open one)',
      params: idParam,
      response: { 200: recomputeResultSchema, ...problemResponses },
    },
    handler: (req) => service.recompute(deps, actorOf(req), req.params.id),
  });
  app.get('/api/scorecards/:id/lines/:indicator/records', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'The records behind a figure (钻取): the customers with their revenue, the plan items, logs, task assignments, requests, surveys or lifecycle events of the month',
      params: recordParams,
      querystring: pageQuery,
      response: { 200: z.array(recordSchema), ...problemResponses },
    },
    handler: async (req, reply) => sendPage(reply, await service.lineRecords(deps, actorOf(req), req.params.id, req.params.indicator, req.query), req.query.fields),
  });

  // ---- weights and targets of a unit
  app.get('/api/scorecard-weights/:id', {
    config: { access: 'managers.read' },
    schema: {
      tags,
      summary: 'The weights and targets in effect in a unit of yours: its own, else its nearest ancestor’s, else the defaults',
      params: idParam,
      response: { 200: weightsSchema, ...problemResponses },
    },
    handler: (req) => service.getWeights(deps, actorOf(req), req.params.id),
  });
  app.put('/api/scorecard-weights/:id', {
    config: { access: 'scorecards.manage' },
    schema: {
      tags,
      summary: 'Set a unit’s own weights and targets, every indicator at once, at the version read (0 for none); the weights sum to 100 (422 naming the sum)',
      params: idParam,
      body: weightsBody,
      response: { 200: weightsSchema, ...withUnprocessable },
    },
    handler: (req) => service.putWeights(deps, actorOf(req), req.params.id, req.body),
  });
  app.delete('/api/scorecard-weights/:id', {
    config: { access: 'scorecards.manage' },
    schema: { tags, summary: 'Remove a unit’s own weights and targets, at the version read: its nearest ancestor’s (or the defaults) apply again', params: idParam, querystring: versionQuery, response: { 204: z.null(), ...problemResponses } },
    handler: async (req, reply) => {
      await service.deleteWeights(deps, actorOf(req), req.params.id, req.query.version);
      return reply.code(204).send(null);
    },
  });
};
