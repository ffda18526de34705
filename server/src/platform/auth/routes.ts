import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { servedOverTls } from '../../config.js';
import type { Deps } from '../deps.js';
import { actorOf, clientIp, CSRF_COOKIE, principal, SESSION_COOKIE } from '../http/access.js';
import { problemResponses } from '../http/openapi.js';
import { problemSchema } from '../http/problem.js';
import { login, logout } from './auth.service.js';
import { LoginThrottle } from './login-throttle.js';

const tags = ['登录 Sign-in'];

export const authRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  // Session cookies (no Expires): they end with the browser session; the server ends the session itself
  // after the idle and absolute limits.
  const cookieBase = { path: '/', sameSite: 'strict', secure: servedOverTls(deps.config) } as const;
  const throttle = new LoginThrottle(deps.config.LOGIN_ACCOUNT_RATE_LIMIT_PER_MINUTE);

  app.post('/api/auth/login', {
    config: {
      access: 'public',
      rateLimit: { max: deps.config.LOGIN_RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' },
    },
    schema: {
      tags,
      summary: 'Sign in; sets the session cookie and answers with the CSRF token for writes',
      body: z.strictObject({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) }),
      response: {
        200: z.object({ userId: z.number().int(), csrfToken: z.string(), expiresAt: z.date() }),
        429: problemSchema,
        ...problemResponses,
      },
    },
    handler: async (req, reply) => {
      const result = await login(deps, throttle, req.body.username, req.body.password, {
        ip: clientIp(req),
        userAgent: req.headers['user-agent'] ?? null,
        requestId: String(req.id),
      });
      reply.setCookie(SESSION_COOKIE, result.token, { ...cookieBase, httpOnly: true });
      // readable by the web UI, which echoes it in X-CSRF-Token on writes
      reply.setCookie(CSRF_COOKIE, result.csrfToken, { ...cookieBase, httpOnly: false });
      return { userId: result.userId, csrfToken: result.csrfToken, expiresAt: result.expiresAt };
    },
  });

  app.post('/api/auth/logout', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Sign out and end the session', response: { 204: z.null(), ...problemResponses } },
    handler: async (req, reply) => {
      await logout(deps, principal(req), actorOf(req));
      reply.clearCookie(SESSION_COOKIE, cookieBase).clearCookie(CSRF_COOKIE, cookieBase);
      return reply.code(204).send(null);
    },
  });
};
