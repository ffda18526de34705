import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { sendPage } from '../../../platform/http/list.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { requestLocale } from '../../../platform/http/problem.js';
import { useRegistry } from './alerts.js';
import { installMonitorGauges } from './gauges.js';
import { alertQuery, alertSchema, jobParams, monitorSchema, runStartedSchema, thresholdsBody, thresholdsResponse } from './schemas.js';
import * as service from './service.js';

const tags = ['系统监控 System monitoring'];

/** 系统监控: the console's answer, running a job now, the thresholds and the alerts; the console's figures as gauges. */
export const monitorRoutes: FastifyPluginAsyncZod<Deps & { metrics: Registry }> = async (app, opts) => {
  const { metrics, ...deps } = opts;
  installMonitorGauges(metrics, deps);
  useRegistry(deps.database, metrics);

  app.get('/api/system/monitor', {
    config: { access: 'system.monitor' },
    schema: {
      tags,
      summary: 'The monitoring console: database, scheduled jobs, outbox, imports, sessions, requests per route, the process, the disk, standing alerts',
      response: { 200: monitorSchema, ...problemResponses },
    },
    handler: (req) => service.monitorSnapshot(deps, metrics, actorOf(req), requestLocale(req)),
  });
  app.post('/api/system/jobs/:name/run', {
    config: { access: 'system.operate' },
    schema: {
      tags,
      summary: 'Run a scheduled job now, once across the instances (202 when its run started; 409 job_running when a run of it is going on)',
      params: jobParams,
      response: { 202: runStartedSchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(202).send(await service.runJobNow(deps, actorOf(req), req.params.name)),
  });
  app.get('/api/system/thresholds', {
    config: { access: 'system.monitor' },
    schema: { tags, summary: 'The thresholds the alerts job compares with', response: { 200: thresholdsResponse, ...problemResponses } },
    handler: () => service.getThresholds(deps),
  });
  app.put('/api/system/thresholds', {
    config: { access: 'system.operate' },
    schema: {
      tags,
      summary: 'Change the thresholds, at the version read (409 when someone changed them first)',
      body: thresholdsBody,
      response: { 200: thresholdsResponse, ...problemResponses },
    },
    handler: (req) => service.updateThresholds(deps, actorOf(req), req.body),
  });
  app.get('/api/system/alerts', {
    config: { access: 'system.monitor' },
    schema: { tags, summary: 'Alerts raised, newest first, standing or cleared', querystring: alertQuery, response: { 200: alertSchema.array(), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listAlerts(deps, req.query.offset, req.query.limit)),
  });
};
