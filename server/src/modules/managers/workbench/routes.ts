import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { teamMemberSchema, teamQuery, workbenchSchema } from './schemas.js';
import * as service from './service.js';

const tags = ['经理工作台 Workbench'];

export const workbenchRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/me/workbench', {
    config: { access: 'work.own' },
    schema: {
      tags,
      summary: 'The account manager’s workbench: today’s reminders, open tasks, the coming appointments, the open requests of the portfolio, the last level changes, this week’s plan and the last scorecard',
      response: { 200: workbenchSchema, ...problemResponses },
    },
    handler: (req) => service.getWorkbench(deps, actorOf(req)),
  });
  app.get('/api/managers/team', {
    config: { access: 'managers.read' },
    schema: {
      tags,
      summary: 'The team view of a head: every account manager of the unit’s subtree with their portfolio, open requests, reminders, tasks, this week’s plan, logs of the month and last scorecard',
      querystring: teamQuery,
      response: { 200: z.array(teamMemberSchema), ...problemResponses },
    },
    handler: (req) => service.getTeam(deps, actorOf(req), req.query),
  });
};
