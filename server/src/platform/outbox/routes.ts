/**
 * 事件通知 over HTTP: the TMF hub of each API (POST <base>/hub registers a listener, DELETE <base>/hub/{id} removes
 * it), for machine clients holding the API's read scope or users holding integrations.manage; and the console's
 * view of the listeners and their dead letters (/api/system/events/…), for administrators. docs/events.md.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { actorOf } from '../http/access.js';
import { pageQuery, sendPage } from '../http/list.js';
import { problemResponses, tmfErrorResponses } from '../http/openapi.js';
import { idParam } from '../http/params.js';
import { outboxHealth } from './health.js';
import { API_BASE } from './renderers.js';
import { listDeadLetters, listSubscriptions, registerListener, removeSubscription, replayDeadLetters, setSubscriptionActive, unregisterListener } from './subscriptions.js';
import type { TmfApi } from './types.js';

const hubTags = ['事件通知 Event hub (TMF)'];
const tags = ['事件通知 Event subscriptions'];
const noContent = { 204: z.null(), ...problemResponses };

const hubBody = z.strictObject({
  callback: z.string().min(1).max(2000).describe('The listener: an http(s) URL without credentials; each event is POSTed to it'),
  query: z.string().max(1000).nullish().describe('A filter: `eventType=CustomerCreateEvent,CustomerStateChangeEvent`, and attributes of the resource (`status=resolved` or `event.troubleTicket.status=resolved`)'),
});

const hubSchema = z
  .object({
    id: z.string(),
    callback: z.string(),
    query: z.string().nullable(),
    secret: z.string().describe('The HMAC-SHA256 key of the X-KAM-Signature header of each delivery (docs/events.md); shown only now'),
  })
  .meta({ id: 'EventSubscription' });

const hubIdParam = z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

const stateSchema = z
  .object({
    id: z.number().int(),
    api: z.string(),
    callback: z.string(),
    query: z.string().nullable(),
    clientId: z.string().nullable().describe('The machine client that registered it'),
    userId: z.number().int().nullable().describe('The user that registered it'),
    active: z.boolean().describe('false: paused, events wait'),
    lag: z.number().int().describe('Events of its API not yet handed over'),
    delivered: z.number().int(),
    deadLetters: z.number().int(),
    failures: z.number().int().describe('Failed attempts in a row'),
    nextAttemptAt: z.date(),
    lastError: z.string().nullable(),
    lastErrorAt: z.date().nullable(),
    lastDeliveredAt: z.date().nullable(),
    createdAt: z.date(),
    version: z.number().int(),
  })
  .meta({ id: 'EventSubscriptionState' });

const deadLetterSchema = z
  .object({
    id: z.number().int(),
    subscriptionId: z.number().int(),
    eventId: z.number().int(),
    eventType: z.string(),
    resourceType: z.string(),
    resourceId: z.string(),
    eventTime: z.date(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    deadAt: z.date(),
    replayRequestedAt: z.date().nullable().describe('Set: waits to be delivered again'),
  })
  .meta({ id: 'EventDeadLetter' });

const healthSchema = z.object({ pending: z.number().int(), oldestPendingAt: z.date().nullable(), deadLetters: z.number().int(), subscriptions: z.number().int() }).meta({ id: 'OutboxHealth' });

const versionBody = z.strictObject({ version: z.number().int().positive() });

export const eventRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  for (const api of Object.keys(API_BASE) as TmfApi[]) {
    const machine = { scope: `${api}.read`, permission: 'integrations.manage' } as const;
    app.post(`${API_BASE[api]}/hub`, {
      config: { access: 'machine', machine },
      // (refusals in the TMF Error body, as every route under /tmf-api)
      schema: { tags: hubTags, summary: `Register a listener for the events of ${api} (201; the secret of the signature is shown once)`, body: hubBody, response: { 201: hubSchema, ...tmfErrorResponses } },
      handler: async (req, reply) => reply.code(201).header('cache-control', 'no-store').send(await registerListener(deps, api, req.caller!, req.body)),
    });
    app.delete(`${API_BASE[api]}/hub/:id`, {
      config: { access: 'machine', machine },
      schema: { tags: hubTags, summary: `Remove a listener of ${api} (a client removes its own)`, params: hubIdParam, response: { 204: z.null(), ...tmfErrorResponses } },
      handler: async (req, reply) => {
        await unregisterListener(deps, api, req.caller!, req.params.id);
        return reply.code(204).send(null);
      },
    });
  }

  const access = 'integrations.manage';
  app.get('/api/system/events/health', {
    config: { access },
    schema: { tags, summary: 'The outbox at a glance: events owed, the oldest of them, dead letters, listeners', response: { 200: healthSchema, ...problemResponses } },
    handler: () => outboxHealth(deps.database),
  });
  app.get('/api/system/events/subscriptions', {
    config: { access },
    schema: { tags, summary: 'Every listener with its lag, failures and last error', response: { 200: z.array(stateSchema), ...problemResponses } },
    handler: () => listSubscriptions(deps.database),
  });
  app.get('/api/system/events/dead-letters', {
    config: { access },
    schema: {
      tags,
      summary: 'Events given up on, by listener and event',
      querystring: pageQuery.extend({ subscriptionId: z.coerce.number().int().positive().optional() }),
      response: { 200: z.array(deadLetterSchema), ...problemResponses },
    },
    handler: async (req, reply) => sendPage(reply, await listDeadLetters(deps.database, req.query), req.query.fields),
  });
  app.post('/api/system/events/subscriptions/:id/replay', {
    config: { access },
    schema: {
      tags,
      summary: 'Deliver a listener’s dead letters again (those listed, or all), before its new events',
      params: idParam,
      body: z.strictObject({ ids: z.array(z.number().int().positive()).max(1000).optional().describe('Dead letters; none: all of the listener') }),
      response: { 200: z.object({ replayed: z.number().int() }), ...problemResponses },
    },
    handler: async (req) => ({ replayed: await replayDeadLetters(deps.database, actorOf(req), req.params.id, req.body.ids) }),
  });
  for (const [verb, active] of [['pause', false], ['resume', true]] as const) {
    app.post(`/api/system/events/subscriptions/:id/${verb}`, {
      config: { access },
      schema: { tags, summary: active ? 'Resume a listener (tried at once)' : 'Pause a listener (its events wait)', params: idParam, body: versionBody, response: noContent },
      handler: async (req, reply) => {
        await setSubscriptionActive(deps.database, actorOf(req), req.params.id, req.body.version, active);
        return reply.code(204).send(null);
      },
    });
  }
  app.delete('/api/system/events/subscriptions/:id', {
    config: { access },
    schema: { tags, summary: 'Remove a listener and its dead letters', params: idParam, response: noContent },
    handler: async (req, reply) => {
      await removeSubscription(deps.database, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  });
};
