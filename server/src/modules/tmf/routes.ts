/**
 * TM Forum Open APIs (v4) under /tmf-api: a thin façade over the customers, services and rules areas for the
 * operator's other systems. Every route is of access 'machine' (a client's token with the API's scope, or a
 * signed-in user with the matching permission); every refusal answers the TMF Error body.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../platform/deps.js';
import { registerProblemRenderer } from '../../platform/http/problem.js';
import { registerEventRenderer } from '../../platform/outbox/renderers.js';
import { BASE, TMF_ROOT, tmfErrorOf } from './common/conventions.js';
import { customerRoutes } from './customer/routes.js';
import { renderCustomers } from './customer/service.js';
import { loyaltyRoutes } from './loyalty/routes.js';
import { renderAccounts } from './loyalty/service.js';
import { partyRoutes } from './party/routes.js';
import { partyRenderer } from './party/service.js';
import { troubleTicketRoutes } from './trouble-ticket/routes.js';
import { renderTickets } from './trouble-ticket/service.js';

export const tmfRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  registerProblemRenderer(`${TMF_ROOT}/`, tmfErrorOf);
  registerEventRenderer('Customer', renderCustomers);
  registerEventRenderer('Organization', partyRenderer('group'));
  registerEventRenderer('Individual', partyRenderer('individual'));
  registerEventRenderer('TroubleTicket', renderTickets);
  registerEventRenderer('LoyaltyAccount', renderAccounts);
  await app.register(customerRoutes, { ...deps, prefix: BASE.tmf629 });
  await app.register(partyRoutes, { ...deps, prefix: BASE.tmf632 });
  await app.register(troubleTicketRoutes, { ...deps, prefix: BASE.tmf621 });
  await app.register(loyaltyRoutes, { ...deps, prefix: BASE.tmf658 });
};
