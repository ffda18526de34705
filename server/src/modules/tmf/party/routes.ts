/** TMF632 Party Management v4: GET /organization, /organization/{id}, /individual, /individual/{id}. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../../platform/deps.js';
import { ACCESS, callerOf } from '../common/access.js';
import { idOf, oneQuery, selectFields, sendTmfPage, tmfIdParam, tmfResponses } from '../common/conventions.js';
import { individualListQuery, organizationListQuery } from './schemas.js';
import * as service from './service.js';

const tags = ['TMF632 Party Management'];

export const partyRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  for (const [resource, kind, type, querystring] of [
    ['organization', 'group', 'Organization', organizationListQuery],
    ['individual', 'individual', 'Individual', individualListQuery],
  ] as const) {
    app.get(`/${resource}`, {
      config: ACCESS.partyRead,
      schema: { tags, response: tmfResponses, summary: `List or find ${type} objects (the ${kind} key accounts of your scope); 206 for a partial page`, querystring },
      handler: async (req, reply) => {
        const { actor, pii } = callerOf(req);
        return sendTmfPage(req, reply, await service.listParties(deps, actor, pii, kind, req.query), req.query.fields);
      },
    });
    app.get(`/${resource}/:id`, {
      config: ACCESS.partyRead,
      schema: { tags, response: tmfResponses, summary: `Retrieve an ${type} by id (the id of its key account)`, params: tmfIdParam, querystring: oneQuery },
      handler: async (req) => {
        const { actor, pii } = callerOf(req);
        const party = await service.getParty(deps, actor, pii, kind, idOf(req.params.id, 'customer'));
        selectFields(req, req.query.fields);
        return party;
      },
    });
  }
};
