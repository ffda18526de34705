import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { installRefusalAudit, recordRefusal, type RefusalAudit } from '../audit/refusals.js';
import { principalOf } from '../auth/auth.service.js';
import type { Actor, Principal } from '../auth/principal.js';
import type { Permission, RouteAccess } from '../auth/permissions.js';
import { sendProblem } from './problem.js';

export const SESSION_COOKIE = 'kam_sid';
export const CSRF_COOKIE = 'kam_csrf';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Required on every /api and /tmf-api route: the server refuses to start without it. */
    access?: RouteAccess;
    /** What a route of access 'machine' needs: required on such routes. */
    machine?: MachineAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** Who calls a route of access 'machine': a machine client or a signed-in user (set by the gate). */
    caller: ApiCaller | null;
  }
  interface FastifyInstance {
    /** Every API route with the access it declared: for tests and the API catalogue. */
    accessCatalogue: RouteEntry[];
    /** The check of routes of access 'partner', installed by the partners area (modules/services/partners). */
    partnerGate: { check: PartnerGate | null };
    /** The check of bearer tokens on routes of access 'machine', installed by the machine clients (platform/auth/clients). */
    machineGate: { check: MachineGate | null };
  }
}

/**
 * A route of access 'machine' (the TM Forum APIs, the BOSS batch endpoint) serves a machine client whose token
 * holds `scope`, or a signed-in user holding `permission` (the console and the tests), each narrowed by its data scope.
 */
export interface MachineAccess {
  scope: string;
  permission: Permission;
}

/** The caller of a route of access 'machine'. */
export interface ApiCaller {
  kind: 'user' | 'client';
  /** For the services: scope checks and the audit trail (a client acts under its own name and unit). */
  actor: Actor;
  /** The OAuth client id, or null for a user. */
  clientId: string | null;
  /** Personal data in clear: only a client holding the `pii` scope; a person reveals it in the console, where it is limited and audited. */
  pii: boolean;
}

/** Checks a bearer token against the route's scope: sets `req.caller`, or answers the refusal. */
export type MachineGate = (req: FastifyRequest, reply: FastifyReply, need: MachineAccess) => Promise<unknown>;

/**
 * 跨行业合作伙伴: a route of access 'partner' is called with a partner's API key, never a session (so no CSRF
 * token either). The partners area installs the check; it identifies the partner on the request or answers
 * the refusal. Without it, such routes answer 401.
 */
export type PartnerGate = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess;
  /** What a route of access 'machine' needs (the walks of the catalogue check a signed-in user's permission). */
  machine?: MachineAccess;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What a user who must change the password may still do: see who they are, change it, or sign out. */
export const OPEN_BEFORE_PASSWORD_CHANGE: ReadonlySet<string> = new Set(['GET /api/me', 'POST /api/me/password', 'POST /api/auth/logout']);

/**
 * One gate for every route, before the body is even parsed: load the session, then 401 without one,
 * 403 while the user must change the password (but for the few routes that serve the change), 403
 * without the declared permission, 403 when a cookie-authenticated write lacks the CSRF token.
 */
export function installAccessControl(app: FastifyInstance, deps: Deps) {
  app.decorateRequest('principal', null);
  const catalogue: RouteEntry[] = [];
  app.decorate('accessCatalogue', catalogue);
  const refusals = installRefusalAudit(app, deps);
  const partnerGate: { check: PartnerGate | null } = { check: null };
  app.decorate('partnerGate', partnerGate);
  const machineGate: { check: MachineGate | null } = { check: null };
  app.decorate('machineGate', machineGate);
  app.decorateRequest('caller', null);
  app.addHook('onRoute', (route) => {
    if (!(route.url.startsWith('/api') || route.url.startsWith('/tmf-api')) || route.url.startsWith('/api/docs')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`Route ${String(route.method)} ${route.url} does not declare its access (config.access)`);
    if (access === 'machine' && !route.config?.machine) throw new Error(`Route ${String(route.method)} ${route.url} of access 'machine' does not declare config.machine`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') catalogue.push({ method, url: route.url, access, ...(route.config?.machine && { machine: route.config.machine }) });
    }
  });
  app.addHook('onRequest', async (req, reply) => {
    // no route matched (the not-found handler answers), or the web UI's static files and the docs
    // pages, the only routes without a declaration (checked in onRoute): no session needed
    const access = req.routeOptions.url ? req.routeOptions.config.access : undefined;
    if (!access) return;
    if (access === 'partner') return partnerGate.check ? partnerGate.check(req, reply) : sendProblem(req, reply, 401, 'unauthenticated');
    if (access === 'machine' && req.headers.authorization?.startsWith('Bearer ')) {
      return machineGate.check ? machineGate.check(req, reply, req.routeOptions.config.machine!) : sendProblem(req, reply, 401, 'unauthenticated');
    }
    const token = req.cookies[SESSION_COOKIE];
    // public routes load it too: their errors speak the user's language
    if (token && token.length < 200) req.principal = await principalOf(deps, token);
    if (access === 'public') return;
    if (req.routeOptions.url === METRICS_ROUTE && metricsTokenMatches(req, deps.config.METRICS_TOKEN)) return;
    if (access === 'machine') {
      await guard(req, reply, req.routeOptions.config.machine!.permission, refusals);
      if (!reply.sent) req.caller = { kind: 'user', actor: actorOf(req), clientId: null, pii: false };
      return;
    }
    return guard(req, reply, access, refusals);
  });
}

/** The one route the metrics token opens (never the console's monitoring routes, which answer for a person). */
const METRICS_ROUTE = '/api/metrics';

/** Prometheus cannot sign in: it may present the configured token instead. */
function metricsTokenMatches(req: FastifyRequest, token: string | undefined): boolean {
  if (!token) return false;
  const given = Buffer.from(req.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function guard(req: FastifyRequest, reply: FastifyReply, access: Exclude<RouteAccess, 'public' | 'partner' | 'machine'>, refusals: RefusalAudit) {
  const p = req.principal;
  if (!p) {
    // a session cookie that no longer (or never) opens a session is audited; no cookie is just not signed in
    if (req.cookies[SESSION_COOKIE]) await recordRefusal(refusals, req, 'unauthenticated');
    return sendProblem(req, reply, 401, 'unauthenticated');
  }
  if (p.mustChangePassword && !OPEN_BEFORE_PASSWORD_CHANGE.has(`${req.method} ${req.routeOptions.url}`)) {
    return sendProblem(req, reply, 403, 'password_change_required');
  }
  if (access !== 'authenticated' && !p.permissions.has(access)) {
    await recordRefusal(refusals, req, 'forbidden', { permission: access });
    return sendProblem(req, reply, 403, 'forbidden');
  }
  if (!SAFE_METHODS.has(req.method) && req.headers[CSRF_HEADER] !== p.csrfToken) {
    await recordRefusal(refusals, req, 'csrf_failed');
    return sendProblem(req, reply, 403, 'csrf_failed');
  }
}

/** The principal of a route that declared a permission; the gate guarantees it is there. */
export function principal(req: FastifyRequest): Principal {
  if (!req.principal) throw new Error('principal() called on a public route');
  return req.principal;
}

export function clientIp(req: FastifyRequest): string {
  return req.ip;
}

export function actorOf(req: FastifyRequest): Actor {
  const p = principal(req);
  return {
    userId: p.userId,
    username: p.username,
    unitPath: p.unitPath,
    areaPath: p.areaPath,
    permissions: p.permissions,
    requestId: String(req.id),
    ip: clientIp(req),
  };
}
