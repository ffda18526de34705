import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { servedOverTls, type Config } from './config.js';
import type { Database } from './db/client.js';
import { auditRoutes } from './modules/audit/routes.js';
import { customerRoutes } from './modules/customers/routes.js';
import { ruleRoutes } from './modules/rules/routes.js';
import { serviceRoutes } from './modules/services/routes.js';
import { analysisRoutes } from './modules/analysis/routes.js';
import { managerRoutes } from './modules/managers/routes.js';
import { integrationRoutes } from './modules/integration/routes.js';
import { orgRoutes } from './modules/org/routes.js';
import { roleRoutes } from './modules/roles/routes.js';
import { systemRoutes } from './modules/system/routes.js';
import { tmfRoutes } from './modules/tmf/routes.js';
import { userRoutes } from './modules/users/routes.js';
import { authRoutes } from './platform/auth/routes.js';
import { notifyRoutes } from './platform/notify/routes.js';
import { installMachineClients } from './platform/auth/clients/gate.js';
import { ALL_SCOPES, SCOPES } from './platform/auth/scopes.js';
import { clientRoutes } from './platform/auth/clients/routes.js';
import { eventRoutes } from './platform/outbox/routes.js';
import { makeDeps, type Deps } from './platform/deps.js';
import { answerSerializer } from './platform/http/answer-serializer.js';
import { installAccessControl } from './platform/http/access.js';
import { installFieldSelection } from './platform/http/list.js';
import { installUtf8Answers } from './platform/http/utf8-answers.js';
import { tidyOpenApi } from './platform/http/openapi-tidy.js';
import { installSecurityHeaders } from './platform/http/security-headers.js';
import { installInputSanitiser, installJsonParsers } from './platform/http/input.js';
import { frameworkErrors, installProblemHandlers, sendProblem } from './platform/http/problem.js';
import { problemPages } from './platform/http/problem-pages.js';
import { installBodyDeadline, serverTimeouts } from './platform/http/slow-requests.js';
import { installMetrics } from './platform/metrics.js';
import { VERSION } from './platform/version.js';

const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Secrets that must never reach the logs. */
const REDACT = ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'];

export interface BuildOptions {
  /** Where the logs go (tests capture them to prove that no secret is logged); stdout by default. */
  logStream?: { write(msg: string): void };
  /** Routes a test adds to the app, registered after every area's (e.g. a route of access 'machine' before any exists). */
  testRoutes?: FastifyPluginAsync<Deps>;
}

export async function buildApp(config: Config, database: Database, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      config.LOG_LEVEL === 'silent'
        ? false
        : { level: config.LOG_LEVEL, redact: REDACT, ...(opts.logStream && { stream: opts.logStream }) },
    bodyLimit: config.BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    ...serverTimeouts(config),
    frameworkErrors,
    // behind a load balancer, req.ip is the client it names (X-Forwarded-For), for limits and the audit trail
    trustProxy: config.TRUST_PROXY,
  }).withTypeProvider<ZodTypeProvider>();
  const deps: Deps = makeDeps(config, database);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(answerSerializer({ verify: config.NODE_ENV === 'test' }));
  installJsonParsers(app);
  // callback-style hooks: on the hot path they spare a promise per request
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id);
    done(null, payload);
  });

  installProblemHandlers(app);
  installInputSanitiser(app);
  installBodyDeadline(app, config.BODY_TIMEOUT_SECONDS);
  installSecurityHeaders(app, { hsts: servedOverTls(config) });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => Object.assign(new Error('rate limited'), { statusCode: ctx.statusCode }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: '大客户服务管理系统 API',
        description: 'Key-account service management system. 错误代码 Problem types: [/api/problems](/api/problems)',
        version: VERSION,
        license: { name: 'Proprietary' },
      },
      // relative: the document describes the server that serves it, wherever it is deployed
      servers: [{ url: '/', description: 'This server' }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'kam_sid' },
          csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
          // 跨行业合作伙伴 Partner API (docs/partner-api.md): Authorization: Bearer <keyId>.<secret>
          partnerKey: { type: 'http', scheme: 'bearer', bearerFormat: '<keyId>.<secret>', description: 'A partner’s API credential, issued by an administrator (docs/partner-api.md)' },
          // 接口客户端 (docs/machine-clients.md): routes of access 'machine' and the partner API take such a token
          machineClient: {
            type: 'oauth2',
            description: 'OAuth 2.0 client credentials of a machine client registered by an administrator (docs/machine-clients.md)',
            flows: { clientCredentials: { tokenUrl: '/api/oauth/token', scopes: Object.fromEntries(ALL_SCOPES.map((s) => [s, SCOPES[s]['en-US']])) } },
          },
        },
      },
      security: [{ session: [], csrf: [] }],
    },
    transform: jsonSchemaTransform,
    // operationIds, nullable types and unused components, for OpenAPI linters and client generators (openapi-tidy.ts)
    transformObject: (doc) => tidyOpenApi(jsonSchemaTransformObject(doc)),
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  installAccessControl(app, deps);
  installMachineClients(app, deps);
  installFieldSelection(app);
  installUtf8Answers(app);
  const metrics = installMetrics(app);

  await app.register(problemPages);
  await app.register(authRoutes, deps);
  await app.register(systemRoutes, { ...deps, metrics });
  await app.register(orgRoutes, deps);
  await app.register(userRoutes, deps);
  await app.register(roleRoutes, deps);
  await app.register(auditRoutes, deps);
  await app.register(customerRoutes, deps);
  await app.register(ruleRoutes, deps);
  await app.register(integrationRoutes, deps);
  await app.register(serviceRoutes, deps);
  await app.register(managerRoutes, deps);
  await app.register(analysisRoutes, deps);
  await app.register(notifyRoutes, deps);
  await app.register(clientRoutes, deps);
  await app.register(eventRoutes, deps);
  await app.register(tmfRoutes, deps);

  if (opts.testRoutes) await app.register(opts.testRoutes, deps);

  if (existsSync(webDist)) {
    // hashed assets never change under their name; index.html is asked again each time (docs/decisions.md)
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, file) =>
        reply.header('cache-control', path.basename(path.dirname(file)) === 'assets' ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
    // client-side routes of the single-page app
    app.get('/*', { schema: { hide: true } }, (req, reply) =>
      req.url.startsWith('/api/') ? sendProblem(req, reply, 404, 'route_not_found') : reply.sendFile('index.html'),
    );
  }
  return app;
}
