import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { pageQuery, sendPage } from '../../../platform/http/list.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { idParam } from '../../../platform/http/params.js';
import { actionBody, affectedCustomerSchema, cancelBody, createOutageBody, customerOutageSchema, outageDetailSchema, outageQuery, outageSchema, patchOutageBody } from './schemas.js';
import * as service from './service.js';

const tags = ['割接/停机通知 Planned-work notices'];

/** The flow's actions other than cancelling: one route each, so that each declares the permission it needs. */
const ACTION_ROUTES = [
  { action: 'submit', access: 'notices.manage', summary: 'Submit: the affected key accounts are computed; a head approves when the window exceeds 24 h or any is affected, else it is approved at once' },
  { action: 'approve', access: 'notices.approve', summary: 'Approve (a head whose subtree holds the area, not the one who created or submitted it); the affected key accounts are counted again' },
  { action: 'reject', access: 'notices.approve', summary: 'Send back to draft with the reason in note (required)' },
  { action: 'send', access: 'notices.manage', summary: 'Send: an SMS to each affected key account not told yet (once per customer however often sent) and a message to their account managers' },
  { action: 'complete', access: 'notices.manage', summary: 'Mark the work done, once the window has begun' },
] as const;

/** 割接/停机通知: plan an outage, have it approved, tell the affected key accounts; each customer's notices. */
export const noticeRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/outages', {
    config: { access: 'notices.read' },
    schema: {
      tags,
      summary: 'Planned outages of your areas and those touching customers you see, latest window first; with a total',
      querystring: outageQuery,
      response: { 200: z.array(outageSchema), ...problemResponses },
    },
    handler: async (req, reply) => sendPage(reply, await service.listOutages(deps, actorOf(req), req.query), req.query.fields),
  });
  app.post('/api/outages', {
    config: { access: 'notices.manage' },
    schema: {
      tags,
      summary: 'Plan an outage (draft) for an area of your subtree; it starts at least 72 h from now (400 naming body.startsAt with the earliest start), ends after it starts, lasts at most 30 days',
      body: createOutageBody,
      response: { 201: outageDetailSchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createOutage(deps, actorOf(req), req.body)),
  });
  app.get('/api/outages/:id', {
    config: { access: 'notices.read' },
    schema: { tags, summary: 'One planned outage with the actions open to you and what was sent', params: idParam, response: { 200: outageDetailSchema, ...problemResponses } },
    handler: (req) => service.getOutage(deps, actorOf(req), req.params.id),
  });
  app.patch('/api/outages/:id', {
    config: { access: 'notices.manage' },
    schema: {
      tags,
      summary: 'Change an outage nobody has been told of yet, at the version read; a submitted or approved one goes back to draft (409 once sent)',
      params: idParam,
      body: patchOutageBody,
      response: { 200: outageDetailSchema, ...problemResponses },
    },
    handler: (req) => service.patchOutage(deps, actorOf(req), req.params.id, req.body),
  });
  for (const { action, access, summary } of ACTION_ROUTES) {
    app.post(`/api/outages/:id/${action}`, {
      config: { access },
      schema: {
        tags,
        summary: `${summary} (409: an action the flow does not allow now, its title naming those it does; or stale)`,
        params: idParam,
        body: actionBody,
        response: { 200: outageDetailSchema, ...problemResponses },
      },
      handler: (req) => service.runAction(deps, actorOf(req), req.params.id, action, req.body),
    });
  }
  app.post('/api/outages/:id/cancel', {
    config: { access: 'notices.manage' },
    schema: {
      tags,
      summary: 'Call the work off with the reason; customers already told get an SMS saying so',
      params: idParam,
      body: cancelBody,
      response: { 200: outageDetailSchema, ...problemResponses },
    },
    handler: (req) => service.cancelOutage(deps, actorOf(req), req.params.id, req.body),
  });
  app.get('/api/outages/:id/customers', {
    config: { access: 'notices.read' },
    schema: {
      tags,
      summary: 'The affected key accounts you see (an account manager: their own), by customer number, phones masked; with a total',
      params: idParam,
      querystring: pageQuery,
      response: { 200: z.array(affectedCustomerSchema), ...problemResponses },
    },
    handler: async (req, reply) => sendPage(reply, await service.affectedCustomers(deps, actorOf(req), req.params.id, req.query), req.query.fields),
  });
  app.get('/api/customers/:id/outages', {
    config: { access: 'customers.read' },
    schema: {
      tags,
      summary: "The planned outages affecting a customer (the 360° view), latest window first, with when it was told",
      params: idParam,
      querystring: pageQuery,
      response: { 200: z.array(customerOutageSchema), ...problemResponses },
    },
    handler: async (req, reply) => sendPage(reply, await service.customerOutages(deps, actorOf(req), req.params.id, req.query), req.query.fields),
  });
};
