import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { sendPage } from '../../../platform/http/list.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { idParam } from '../../../platform/http/params.js';
import {
  adjustBody,
  promoBody,
  catalogueItemSchema,
  catalogueQuery,
  createItemBody,
  ledgerEntrySchema,
  ledgerQuery,
  movementSchema,
  patchItemBody,
  pointsAccountSchema,
  redeemBody,
} from './schemas.js';
import * as service from './service.js';

const tags = ['积分 Points'];

export const pointsRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/customers/:id/points', {
    config: { access: 'customers.read' },
    schema: { tags, summary: "A customer's points balance and its totals (earned, redeemed, expired, adjusted)", params: idParam, response: { 200: pointsAccountSchema, ...problemResponses } },
    handler: (req) => service.getAccount(deps, actorOf(req), req.params.id),
  });
  app.get('/api/customers/:id/points/ledger', {
    config: { access: 'customers.read' },
    schema: { tags, summary: 'The points ledger (积分流水): every earn, promo, redeem, expire and adjust entry, newest first', params: idParam, querystring: ledgerQuery, response: { 200: z.array(ledgerEntrySchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listLedger(deps, actorOf(req), req.params.id, req.query)),
  });
  app.post('/api/customers/:id/points/redeem', {
    config: { access: 'points.redeem' },
    schema: {
      tags,
      summary: 'Redeem points for a catalogue item (积分兑换); 409 points_insufficient when the balance does not cover it',
      params: idParam,
      body: redeemBody,
      response: { 201: movementSchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await service.redeem(deps, actorOf(req), req.params.id, req.body)),
  });
  app.post('/api/customers/:id/points/adjust', {
    config: { access: 'points.adjust' },
    schema: {
      tags,
      summary: 'Adjust points with a reason (积分调整); never below a zero balance; audited',
      params: idParam,
      body: adjustBody,
      response: { 201: movementSchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await service.adjust(deps, actorOf(req), req.params.id, req.body)),
  });
  app.post('/api/customers/:id/points/promo', {
    config: { access: 'points.adjust' },
    schema: {
      tags,
      summary: 'Award promotional points (赠送积分: campaigns, partners); they expire by the rolling rule like earned ones; audited',
      params: idParam,
      body: promoBody,
      response: { 201: movementSchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await service.awardPromotional(deps, actorOf(req), req.params.id, req.body)),
  });
  app.get('/api/points/catalogue', {
    config: { access: 'customers.read' },
    schema: { tags, summary: 'The redemption catalogue (积分兑换目录)', querystring: catalogueQuery, response: { 200: z.array(catalogueItemSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listCatalogue(deps, req.query), req.query.fields),
  });
  app.post('/api/points/catalogue', {
    config: { access: 'points.catalogue' },
    schema: { tags, summary: 'Add a catalogue item', body: createItemBody, response: { 201: catalogueItemSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.createItem(deps, actorOf(req), req.body)),
  });
  app.patch('/api/points/catalogue/:id', {
    config: { access: 'points.catalogue' },
    schema: { tags, summary: 'Rename, reprice or withdraw (active: false) an item at the version read', params: idParam, body: patchItemBody, response: { 200: catalogueItemSchema, ...problemResponses } },
    handler: (req) => service.patchItem(deps, actorOf(req), req.params.id, req.body),
  });
};
