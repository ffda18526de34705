/** TMF658 Loyalty Management v4: GET /loyaltyAccount, /loyaltyAccount/{id}, /loyaltyTransaction?loyaltyAccount.id=… */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../../platform/deps.js';
import { ACCESS, callerOf } from '../common/access.js';
import { idOf, oneQuery, selectFields, sendTmfPage, tmfIdParam, tmfResponses } from '../common/conventions.js';
import { accountListQuery, transactionListQuery } from './schemas.js';
import * as service from './service.js';

const tags = ['TMF658 Loyalty Management'];

export const loyaltyRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/loyaltyAccount', {
    config: ACCESS.loyaltyRead,
    schema: { tags, response: tmfResponses, summary: 'List or find LoyaltyAccount objects (the points accounts of the key accounts of your scope); 206 for a partial page', querystring: accountListQuery },
    handler: async (req, reply) => sendTmfPage(req, reply, await service.listAccounts(deps, callerOf(req).actor, req.query), req.query.fields),
  });
  app.get('/loyaltyAccount/:id', {
    config: ACCESS.loyaltyRead,
    schema: { tags, response: tmfResponses, summary: 'Retrieve a LoyaltyAccount by id (the id of its key account)', params: tmfIdParam, querystring: oneQuery },
    handler: async (req) => {
      const account = await service.getAccount(deps, callerOf(req).actor, idOf(req.params.id, 'customer'));
      selectFields(req, req.query.fields);
      return account;
    },
  });
  app.get('/loyaltyTransaction', {
    config: ACCESS.loyaltyRead,
    schema: { tags, response: tmfResponses, summary: 'List the LoyaltyTransaction objects (points ledger entries) of one account, newest first; 206 for a partial page', querystring: transactionListQuery },
    handler: async (req, reply) => sendTmfPage(req, reply, await service.listTransactions(deps, callerOf(req).actor, req.query), req.query.fields),
  });
};
