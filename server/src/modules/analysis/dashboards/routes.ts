import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { sendTabular } from '../../../platform/export/tabular.js';
import { actorOf } from '../../../platform/http/access.js';
import { sendPage } from '../../../platform/http/list.js';
import { problemResponses, TABULAR_FILES } from '../../../platform/http/openapi.js';
import { requestLocale } from '../../../platform/http/problem.js';
import { dashboardParams, dashboardQuery, dashboardSchema, dashboardSummarySchema, drillCustomerSchema, drillQuery, panelDataSchema, panelExportQuery, panelParams } from './schemas.js';
import * as service from './service.js';

const tags = ['高级分析 Dashboards'];

/** 高级分析: the dashboards, each one's panels with their data, the customers behind a figure, a panel's data set as a file. */
export const dashboardRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/analysis/dashboards', {
    config: { access: 'analysis.read' },
    schema: { tags, summary: 'The dashboards (高级分析专题)', response: { 200: z.array(dashboardSummarySchema), ...problemResponses } },
    handler: () => service.listDashboards(),
  });
  app.get('/api/analysis/dashboards/:id', {
    config: { access: 'analysis.read' },
    schema: {
      tags,
      summary: 'One dashboard with every panel’s data for a period (twelve months to the latest by default) and optionally one city or county, within your data scope',
      params: dashboardParams,
      querystring: dashboardQuery,
      response: { 200: dashboardSchema, ...problemResponses },
    },
    handler: (req) => service.getDashboard(deps, actorOf(req), req.params.id, req.query, requestLocale(req)),
  });
  app.get('/api/analysis/dashboards/:id/panels/:panel', {
    config: { access: 'analysis.read' },
    schema: { tags, summary: 'One panel’s data', params: panelParams, querystring: dashboardQuery, response: { 200: panelDataSchema, ...problemResponses } },
    handler: (req) => service.getPanel(deps, actorOf(req), req.params.id, req.params.panel, req.query, requestLocale(req)),
  });
  app.get('/api/analysis/dashboards/:id/panels/:panel/customers', {
    config: { access: 'analysis.read' },
    schema: {
      tags,
      summary: '钻取: the customers behind one figure of a panel (the keys of its row as parameters), a page at a time; with a total',
      params: panelParams,
      querystring: drillQuery,
      response: { 200: z.array(drillCustomerSchema), ...problemResponses },
    },
    handler: async (req, reply) => sendPage(reply, await service.drill(deps, actorOf(req), req.params.id, req.params.panel, req.query), req.query.fields),
  });
  app.get('/api/analysis/dashboards/:id/panels/:panel/export', {
    config: { access: 'analysis.read' },
    schema: { tags, summary: 'One panel’s data set as .xlsx or CSV (for professional tools), headers with units', params: panelParams, querystring: panelExportQuery, produces: TABULAR_FILES, response: problemResponses },
    handler: async (req, reply) => {
      const locale = requestLocale(req);
      const panel = await service.getPanel(deps, actorOf(req), req.params.id, req.params.panel, req.query, locale);
      return sendTabular(reply, {
        format: req.query.format,
        fileName: `${req.params.id}_${req.params.panel}.${req.query.format}`,
        columns: service.panelColumns(panel, locale),
        rows: panel.rows,
        locale,
        sheetName: panel.title.slice(0, 31),
      });
    },
  });
};
