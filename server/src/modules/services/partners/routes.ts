import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordRefusal } from '../../../platform/audit/refusals.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/errors.js';
import { actorOf, clientIp } from '../../../platform/http/access.js';
import { pageQuery, sendPage } from '../../../platform/http/list.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { idParam } from '../../../platform/http/params.js';
import { problemSchema, sendProblem } from '../../../platform/http/problem.js';
import { admitClient, refuseScope, refuseToken } from '../../../platform/auth/clients/gate.js';
import { authenticateClient, authenticateKey, isPartnerKey, confirmCode, confirmUse, partnerActor, startVerification, type PartnerCaller } from './api.js';
import {
  activitySchema,
  benefitOptionSchema,
  confirmationBody,
  confirmationSchema,
  confirmCodeBody,
  createPartnerBody,
  credentialParams,
  credentialSchema,
  issueBody,
  issuedSchema,
  partnerDetailSchema,
  partnerQuery,
  partnerSchema,
  patchPartnerBody,
  profileSchema,
  startBody,
  startedSchema,
  verifiedSchema,
} from './schemas.js';
import * as service from './service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The partner whose key opened a route of access 'partner'. */
    partner: PartnerCaller | null;
  }
}

const adminTags = ['跨行业合作伙伴管理 Partner administration'];
const apiTags = ['跨行业合作伙伴 Partner API'];
const security: Record<string, string[]>[] = [{ partnerKey: [] }, { machineClient: ['partner'] }];
const apiProblems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 422: problemSchema, 429: problemSchema } as const;
const MINUTE_MS = 60_000;

const callerOf = (req: FastifyRequest): PartnerCaller => {
  if (!req.partner) throw new Error('a partner route without its partner');
  return req.partner;
};
const actorOfPartner = (req: FastifyRequest) => partnerActor(callerOf(req), String(req.id), clientIp(req));

/** 跨行业合作伙伴: the administration (partners.manage) and the partner API (a partner's key, docs/partner-api.md). */
export const partnerRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.decorateRequest('partner', null);

  // the key, checked by the access gate before the body is read; unknown, expired and revoked keys alike 401
  app.partnerGate.check = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!isPartnerKey(req.headers.authorization)) return oauthClient(req, reply);
    const check = await authenticateKey(deps, req.headers.authorization);
    if ('caller' in check) {
      req.partner = check.caller;
      return;
    }
    await recordRefusal(app.refusalAudit, req, check.refused);
    if (check.refused === 'partner_unauthenticated') reply.header('www-authenticate', 'Bearer realm="partner"');
    return sendProblem(req, reply, check.refused === 'partner_unauthenticated' ? 401 : 403, check.refused);
  };

  // or an access token of the partner's OAuth client (platform/auth/clients): its calls go to the client's call log too
  const oauthClient = async (req: FastifyRequest, reply: FastifyReply) => {
    const check = await authenticateClient(deps, req.headers.authorization);
    if ('token' in check) admitClient(req, check.token);
    if ('caller' in check) {
      req.partner = check.caller;
      return;
    }
    if (check.refused === 'scope_insufficient') return refuseScope(app, req, reply, 'partner');
    if (check.refused === 'partner_inactive') {
      await recordRefusal(app.refusalAudit, req, check.refused);
      return sendProblem(req, reply, 403, check.refused);
    }
    return refuseToken(app, req, reply, check.refused);
  };

  // one budget a minute per partner over all its routes (per server instance), its rate_limit_per_minute
  const limiter = app.createRateLimit({
    keyGenerator: (req) => `partner:${callerOf(req).partnerId}`,
    max: (req) => callerOf(req).rateLimitPerMinute,
    timeWindow: MINUTE_MS,
  });
  const rateLimited = async (req: FastifyRequest, reply: FastifyReply) => {
    const limit = await limiter(req);
    if (limit.isAllowed) return;
    reply.header('x-ratelimit-limit', limit.max).header('x-ratelimit-remaining', limit.remaining);
    if (!limit.isExceeded) return;
    reply.header('retry-after', limit.ttlInSeconds);
    await app.refusalAudit.record(actorOfPartner(req), { reason: 'rate_limited', method: req.method, route: req.routeOptions.url ?? req.url, params: { partner: callerOf(req).code } });
    throw new AppError(429, 'rate_limited');
  };
  const partnerConfig = { access: 'partner' as const };

  // ---- the partner API ----
  app.get('/api/partner/v1/profile', {
    config: partnerConfig,
    onRequest: rateLimited,
    schema: { tags: apiTags, security, summary: 'Who you are to the operator: your partner code, your key, the benefits you may confirm and your rate limit', response: { 200: profileSchema, ...apiProblems } },
    handler: (req) => {
      const c = callerOf(req);
      return { code: c.code, name: c.name, nameEn: c.nameEn, industry: c.industry, keyId: c.keyId, keyExpiresAt: c.keyExpiresAt, benefits: c.benefits, verifyByMemberNo: c.verifyByMemberNo, rateLimitPerMinute: c.rateLimitPerMinute };
    },
  });
  app.post('/api/partner/v1/verifications', {
    config: partnerConfig,
    onRequest: rateLimited,
    schema: {
      tags: apiTags,
      security,
      summary: '身份认证: by phone, a 6-digit code is sent to the customer (201 code_sent; the same for a number that names nobody); by membership number (if allowed), verified at once (201 verified)',
      body: startBody,
      response: { 201: startedSchema, ...apiProblems },
    },
    handler: async (req, reply) => reply.code(201).send(await startVerification(deps, callerOf(req), actorOfPartner(req), req.body)),
  });
  app.post('/api/partner/v1/verifications/:id/confirm', {
    config: partnerConfig,
    onRequest: rateLimited,
    schema: {
      tags: apiTags,
      security,
      summary: 'Enter the code the customer received: the level and, for each benefit you may confirm, the allowance left this year (422 wrong code with the tries left; 409 expired, used up or done)',
      params: idParam,
      body: confirmCodeBody,
      response: { 200: verifiedSchema, ...apiProblems },
    },
    handler: (req) => confirmCode(deps, callerOf(req), actorOfPartner(req), req.params.id, req.body.code),
  });
  app.post('/api/partner/v1/confirmations', {
    config: partnerConfig,
    onRequest: rateLimited,
    schema: {
      tags: apiTags,
      security,
      summary:
        '消费确认: record the use of a benefit by a verified customer (201); a repeat of partnerTxnId answers the first answer (200, Idempotent-Replayed: true) and never deducts twice; over the allowance 422 with X-Allowance-Remaining; a benefit not yours 403',
      body: confirmationBody,
      response: { 200: confirmationSchema, 201: confirmationSchema, ...apiProblems },
    },
    handler: async (req, reply) => {
      try {
        const { answer, replayed } = await confirmUse(deps, callerOf(req), actorOfPartner(req), req.body);
        if (replayed) reply.header('idempotent-replayed', 'true');
        return reply.code(replayed ? 200 : 201).send(answer);
      } catch (err) {
        if (err instanceof AppError && err.code === 'partner_allowance_exceeded') reply.header('x-allowance-remaining', String(err.params.remaining));
        throw err;
      }
    },
  });

  // ---- administration (partners.manage) ----
  app.get('/api/services/partner-benefits', {
    config: { access: 'partners.manage' },
    schema: { tags: adminTags, summary: 'The benefits of the rules in effect that a partner may be allowed to confirm', response: { 200: z.array(benefitOptionSchema), ...problemResponses } },
    handler: () => service.benefitOptions(deps),
  });
  app.get('/api/services/partners', {
    config: { access: 'partners.manage' },
    schema: { tags: adminTags, summary: 'Partners kept by your unit and those below it', querystring: partnerQuery, response: { 200: z.array(partnerSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listPartners(deps, actorOf(req), req.query), req.query.fields),
  });
  app.post('/api/services/partners', {
    config: { access: 'partners.manage' },
    schema: { tags: adminTags, summary: 'Register a partner with the benefits it may confirm (409 duplicate naming body.code)', body: createPartnerBody, response: { 201: partnerDetailSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.createPartner(deps, actorOf(req), req.body)),
  });
  app.get('/api/services/partners/:id', {
    config: { access: 'partners.manage' },
    schema: { tags: adminTags, summary: 'One partner with its keys (never their secrets)', params: idParam, response: { 200: partnerDetailSchema, ...problemResponses } },
    handler: (req) => service.getPartner(deps, actorOf(req), req.params.id),
  });
  app.patch('/api/services/partners/:id', {
    config: { access: 'partners.manage' },
    schema: {
      tags: adminTags,
      summary: 'Rename, suspend (active: false), change the benefits or the rate limit of a partner, at the version read',
      params: idParam,
      body: patchPartnerBody,
      response: { 200: partnerDetailSchema, ...problemResponses },
    },
    handler: (req) => service.patchPartner(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/services/partners/:id/credentials', {
    config: { access: 'partners.manage' },
    schema: {
      tags: adminTags,
      summary: 'Issue a key: the secret is in this answer only. With retireOthersInDays, a rotation: the other keys expire then',
      params: idParam,
      body: issueBody,
      response: { 201: issuedSchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(201).header('cache-control', 'no-store').send(await service.issueCredential(deps, actorOf(req), req.params.id, req.body)),
  });
  app.post('/api/services/partners/:id/credentials/:credentialId/revoke', {
    config: { access: 'partners.manage' },
    schema: { tags: adminTags, summary: 'Revoke a key: it stops working at once (409 when revoked already)', params: credentialParams, response: { 200: credentialSchema, ...problemResponses } },
    handler: (req) => service.revokeCredential(deps, actorOf(req), req.params.id, req.params.credentialId),
  });
  app.get('/api/services/partners/:id/confirmations', {
    config: { access: 'partners.manage' },
    schema: { tags: adminTags, summary: 'The partner’s confirmations of benefits used, latest first', params: idParam, querystring: pageQuery, response: { 200: z.array(activitySchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.partnerActivity(deps, actorOf(req), req.params.id, req.query), req.query.fields),
  });
};
