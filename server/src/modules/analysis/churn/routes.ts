import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { sendPage } from '../../../platform/http/list.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { idParam } from '../../../platform/http/params.js';
import { customerHistorySchema, handBody, handResultSchema, modelSchema, scoreBody, scoreRunSchema, scoreSchema, scoresQuery, trainBody } from './schemas.js';
import * as service from './service.js';

const tags = ['流失预警 Churn warning'];

/** 流失预警: train and validate the model, score a month, read the warned customers with their reasons, hand them to managers. */
export const churnRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.post('/api/analysis/churn/train', {
    config: { access: 'analysis.indicators' },
    schema: {
      tags,
      summary: 'Train a model on the history (a sample of ≤ 100k customer-months) and validate it on a held-out later month; answers it with AUC, top-decile precision and lift',
      body: trainBody,
      response: { 201: modelSchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await service.train(deps, actorOf(req), req.body)),
  });
  app.post('/api/analysis/churn/score', {
    config: { access: 'analysis.indicators' },
    schema: { tags, summary: 'Score every in-network key account of a month (by default the latest with facts) in one statement; the month’s earlier scores are replaced', body: scoreBody, response: { 200: scoreRunSchema, ...problemResponses } },
    handler: (req) => service.score(deps, actorOf(req), req.body),
  });
  app.get('/api/analysis/churn/models', {
    config: { access: 'analysis.read' },
    schema: { tags, summary: 'The models, the latest first, with their coefficients and validation figures', response: { 200: z.array(modelSchema), ...problemResponses } },
    handler: () => service.listModels(deps),
  });
  app.get('/api/analysis/churn/scores', {
    config: { access: 'analysis.read' },
    schema: { tags, summary: 'The scores of a month in your scope (unit subtree; an account manager’s own portfolio), the highest first; with a total', querystring: scoresQuery, response: { 200: z.array(scoreSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listScores(deps, actorOf(req), req.query), req.query.fields),
  });
  app.get('/api/analysis/churn/customers/:id', {
    config: { access: 'analysis.read' },
    schema: { tags, summary: 'A customer’s scores month by month with their reasons', params: idParam, response: { 200: customerHistorySchema, ...problemResponses } },
    handler: (req) => service.customerHistory(deps, actorOf(req), req.params.id),
  });
  app.post('/api/analysis/churn/tasks', {
    config: { access: 'tasks.assign' },
    schema: { tags, summary: 'Hand the high-risk customers of a month in your scope to their account managers: one task per manager, listing them', body: handBody, response: { 201: handResultSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.handToTasks(deps, actorOf(req), req.body)),
  });
};
