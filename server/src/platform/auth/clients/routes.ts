import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { translate } from '../../i18n/messages.js';
import { actorOf, clientIp } from '../../http/access.js';
import { sendPage } from '../../http/list.js';
import { problemResponses } from '../../http/openapi.js';
import { idParam } from '../../http/params.js';
import { problemSchema, problemTypeUri, requestLocale } from '../../http/problem.js';
import { LoginThrottle } from '../login-throttle.js';
import {
  callCountsSchema,
  callQuery,
  callSchema,
  clientDetailSchema,
  clientQuery,
  clientSchema,
  createClientBody,
  issuedSchema,
  oauthErrorSchema,
  patchClientBody,
  rotateBody,
  scopeOptionSchema,
  secretParams,
  secretSchema,
  tokenBody,
  tokenSchema,
} from './schemas.js';
import * as service from './service.js';
import { basicCredentials, issueToken, OAuthError } from './token.js';

const tags = ['接口客户端 API clients'];
const tokenTags = ['OAuth 2.0'];
/** Failed authentications of one client id from one address a minute; beyond, 429 without checking the secret. */
const CLIENT_FAILURES_PER_MINUTE = 10;
const FORM = 'application/x-www-form-urlencoded';

/** RFC 6749 §5.2 (`error`, `error_description`) with our problem details beside; never cached. */
function sendOAuthError(req: FastifyRequest, reply: FastifyReply, err: OAuthError) {
  const title = translate(err.code, requestLocale(req), err.params);
  if (err.status === 401) reply.header('www-authenticate', 'Basic realm="kam"');
  return reply
    .code(err.status)
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .type(err.error ? 'application/json; charset=utf-8' : 'application/problem+json; charset=utf-8')
    .send({
      ...(err.error && { error: err.error, error_description: title }),
      type: problemTypeUri(err.code),
      title,
      status: err.status,
      code: err.code,
      requestId: String(req.id),
    });
}

/** The client credentials: by HTTP Basic or in the body, never both (RFC 6749 §2.3). */
function credentialsOf(req: FastifyRequest, body: { client_id?: string; client_secret?: string }) {
  const basic = basicCredentials(req.headers.authorization);
  const inBody = body.client_id !== undefined || body.client_secret !== undefined;
  if (basic && inBody) throw new OAuthError(400, 'invalid_request', 'oauth_invalid_request');
  if (basic) return basic;
  return body.client_id && body.client_secret ? { clientId: body.client_id, clientSecret: body.client_secret } : null;
}

/** The token endpoint (public, form or JSON body) and the administration of the clients (integrations.manage). */
export const clientRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  const throttle = new LoginThrottle(CLIENT_FAILURES_PER_MINUTE);

  await app.register(async (token) => {
    // RFC 6749 asks for a form body; JSON is accepted too (the shared parser, with its shape limits)
    if (!token.hasContentTypeParser(FORM)) {
      token.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 8192 }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));
    }
    token.withTypeProvider<ZodTypeProvider>().post('/api/oauth/token', {
      config: { access: 'public', rateLimit: { max: deps.config.LOGIN_RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' } },
      attachValidation: true,
      schema: {
        tags: tokenTags,
        security: [],
        summary:
          'OAuth 2.0 client credentials (RFC 6749 §4.4): grant_type=client_credentials, the client authenticated by HTTP Basic or client_id/client_secret in the form; scope optional (all of the client’s when left out). Errors per RFC 6749 §5.2',
        consumes: [FORM, 'application/json'],
        body: tokenBody,
        // a body the JSON parser refuses, or text the input gate refuses, is answered as every other problem
        response: { 200: tokenSchema, 400: z.union([oauthErrorSchema, problemSchema]), 401: oauthErrorSchema, 413: problemSchema, 415: problemSchema, 429: problemSchema },
      },
      handler: async (req, reply) => {
        try {
          if (req.validationError) throw new OAuthError(400, 'invalid_request', 'oauth_invalid_request');
          const body = req.body ?? {};
          const issued = await issueToken(deps, throttle, {
            grantType: body.grant_type,
            credentials: credentialsOf(req, body),
            scope: body.scope,
            ip: clientIp(req),
            requestId: String(req.id),
          });
          return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(issued);
        } catch (err) {
          if (err instanceof OAuthError) return sendOAuthError(req, reply, err);
          throw err;
        }
      },
    });
  });

  const access = { access: 'integrations.manage' as const };
  app.get('/api/system/client-scopes', {
    config: access,
    schema: { tags, summary: 'The scopes a client may hold, with their names and the permissions they grant', response: { 200: z.array(scopeOptionSchema), ...problemResponses } },
    handler: () => service.scopeOptions(),
  });
  app.get('/api/system/clients', {
    config: access,
    schema: { tags, summary: 'Clients acting for your unit and those below it', querystring: clientQuery, response: { 200: z.array(clientSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listClients(deps, actorOf(req), req.query), req.query.fields),
  });
  app.post('/api/system/clients', {
    config: access,
    schema: { tags, summary: 'Register a client: its client id and first secret, shown in this answer only', body: createClientBody, response: { 201: issuedSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).header('cache-control', 'no-store').send(await service.createClient(deps, actorOf(req), req.body)),
  });
  app.get('/api/system/clients/:id', {
    config: access,
    schema: { tags, summary: 'One client with its secrets (never their values)', params: idParam, response: { 200: clientDetailSchema, ...problemResponses } },
    handler: (req) => service.getClient(deps, actorOf(req), req.params.id),
  });
  app.patch('/api/system/clients/:id', {
    config: access,
    schema: {
      tags,
      summary: 'Rename, rescope, move to another unit, change the rate limit of, deactivate (active: false) or reactivate a client, at the version read',
      params: idParam,
      body: patchClientBody,
      response: { 200: clientDetailSchema, ...problemResponses },
    },
    handler: (req) => service.patchClient(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/system/clients/:id/secrets', {
    config: access,
    schema: {
      tags,
      summary: 'Rotate: a new secret, shown in this answer only; the other secrets expire retireOthersInHours from now (0: at once)',
      params: idParam,
      body: rotateBody,
      response: { 201: issuedSchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(201).header('cache-control', 'no-store').send(await service.rotateSecret(deps, actorOf(req), req.params.id, req.body.retireOthersInHours)),
  });
  app.post('/api/system/clients/:id/secrets/:secretId/revoke', {
    config: access,
    schema: { tags, summary: 'Revoke a secret: it opens no token from now on (409 when revoked already)', params: secretParams, response: { 200: secretSchema, ...problemResponses } },
    handler: (req) => service.revokeSecret(deps, actorOf(req), req.params.id, req.params.secretId),
  });
  app.post('/api/system/clients/:id/tokens/revoke', {
    config: access,
    schema: { tags, summary: 'Revoke every live token of the client (within seconds on every instance)', params: idParam, response: { 200: clientDetailSchema, ...problemResponses } },
    handler: (req) => service.revokeTokens(deps, actorOf(req), req.params.id),
  });
  app.get('/api/system/clients/:id/calls', {
    config: access,
    schema: { tags, summary: 'The client’s calls of the last 30 days, latest first', params: idParam, querystring: callQuery, response: { 200: z.array(callSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.clientCalls(deps, actorOf(req), req.params.id, req.query), req.query.fields),
  });
  app.get('/api/system/clients/:id/call-counts', {
    config: access,
    schema: { tags, summary: 'The client’s calls of the last 30 days counted by status', params: idParam, response: { 200: callCountsSchema, ...problemResponses } },
    handler: (req) => service.clientCallCounts(deps, actorOf(req), req.params.id),
  });
};
