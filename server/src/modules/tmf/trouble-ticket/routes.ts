/** TMF621 Trouble Ticket v4: GET /troubleTicket, GET /troubleTicket/{id}, POST /troubleTicket, PATCH /troubleTicket/{id}. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../../platform/deps.js';
import { ACCESS, callerOf } from '../common/access.js';
import { etagOf, idOf, ifMatchOf, oneQuery, selectFields, sendTmfPage, tmfIdParam, tmfResponses } from '../common/conventions.js';
import { ticketCreateBody, ticketListQuery, ticketPatchBody } from './schemas.js';
import * as service from './service.js';

const tags = ['TMF621 Trouble Ticket'];

export const troubleTicketRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/troubleTicket', {
    config: ACCESS.ticketRead,
    schema: { tags, response: tmfResponses, summary: 'List or find TroubleTicket objects (the service requests you may see), newest first; 206 for a partial page', querystring: ticketListQuery },
    handler: async (req, reply) => sendTmfPage(req, reply, await service.listTickets(deps, callerOf(req).actor, req.query), req.query.fields),
  });
  app.get('/troubleTicket/:id', {
    config: ACCESS.ticketRead,
    schema: { tags, response: tmfResponses, summary: 'Retrieve a TroubleTicket by id, with its notes; its version as ETag', params: tmfIdParam, querystring: oneQuery },
    handler: async (req, reply) => {
      const { ticket, version } = await service.getTicket(deps, callerOf(req).actor, idOf(req.params.id, 'service_request'));
      selectFields(req, req.query.fields);
      return reply.header('etag', etagOf(version)).send(ticket);
    },
  });
  app.post('/troubleTicket', {
    config: ACCESS.ticketWrite,
    schema: { tags, response: tmfResponses, summary: 'Create a TroubleTicket: raises a service request for the customer of the related party of role customer', body: ticketCreateBody },
    handler: async (req, reply) => {
      const { ticket, version } = await service.createTicket(deps, callerOf(req).actor, req.body);
      return reply.code(201).header('etag', etagOf(version)).header('location', ticket.href).send(ticket);
    },
  });
  app.patch('/troubleTicket/:id', {
    config: ACCESS.ticketWrite,
    schema: {
      tags,
      summary: 'Update a TroubleTicket partially (application/merge-patch+json): its status through the request flow; If-Match: the ETag read (409 when stale or the flow refuses the move)',
      params: tmfIdParam,
      body: ticketPatchBody,
      response: tmfResponses,
    },
    handler: async (req, reply) => {
      const { ticket, version } = await service.patchTicket(deps, callerOf(req).actor, idOf(req.params.id, 'service_request'), ifMatchOf(req), req.body);
      return reply.header('etag', etagOf(version)).send(ticket);
    },
  });
};
