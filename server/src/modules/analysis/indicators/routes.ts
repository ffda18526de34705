import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { contentDisposition, sendTabular } from '../../../platform/export/tabular.js';
import { actorOf } from '../../../platform/http/access.js';
import { problemResponses, TABULAR_FILES } from '../../../platform/http/openapi.js';
import { idParam } from '../../../platform/http/params.js';
import { requestLocale } from '../../../platform/http/problem.js';
import { DIMENSIONS, type Dimension } from './catalogue.js';
import { catalogueMarkdown, documentColumns } from './document.js';
import { drillCustomers, evaluateIndicators } from './engine.js';
import {
  codeParam,
  createDerivedBody,
  deleteDerivedQuery,
  drillQuery,
  drillSchema,
  evaluateBody,
  evaluateSchema,
  exportQuery,
  indicatorSchema,
  monthParam,
  refreshSchema,
  updateDerivedBody,
} from './schemas.js';
import * as service from './service.js';

const tags = ['指标体系 Indicators'];

/** 指标体系: the catalogue, administrators' derived indicators, evaluation, drill-down and the rollup's rebuild. */
export const indicatorRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/analysis/indicators', {
    config: { access: 'analysis.read' },
    schema: { tags, summary: 'The indicator catalogue: built-in indicators and the administrators’ derived ones', response: { 200: z.array(indicatorSchema), ...problemResponses } },
    handler: () => service.listIndicators(deps),
  });
  app.get('/api/analysis/indicators/export', {
    config: { access: 'analysis.read' },
    schema: { tags, summary: 'The whole catalogue as a document: .xlsx (default) or Markdown, in your language', querystring: exportQuery, produces: [TABULAR_FILES[1]!, 'text/markdown'], response: problemResponses },
    handler: async (req, reply) => {
      const locale = requestLocale(req);
      const indicators = await service.listIndicators(deps);
      const stem = locale === 'zh-CN' ? '指标体系' : 'indicator-catalogue';
      if (req.query.format === 'md') {
        return reply
          .type('text/markdown; charset=utf-8')
          .header('content-disposition', contentDisposition(`${stem}.md`))
          .header('cache-control', 'no-store')
          // a document, not JSON: the route's schema lists only its problems
          .send(catalogueMarkdown(indicators, locale) as never);
      }
      return sendTabular(reply, { format: 'xlsx', fileName: `${stem}.xlsx`, columns: documentColumns(locale), rows: indicators, locale, sheetName: locale === 'zh-CN' ? '指标体系' : 'Indicators' });
    },
  });
  app.get('/api/analysis/indicators/:code', {
    config: { access: 'analysis.read' },
    schema: { tags, summary: 'One indicator of the catalogue', params: codeParam, response: { 200: indicatorSchema, ...problemResponses } },
    handler: (req) => service.getIndicator(deps, req.params.code),
  });
  app.post('/api/analysis/indicators', {
    config: { access: 'analysis.indicators' },
    schema: {
      tags,
      summary: 'Add a derived indicator: a ratio, sum or difference of two catalogue indicators, or one under fixed filters (no free SQL); its dimensions are those its operands share',
      body: createDerivedBody,
      response: { 201: indicatorSchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createDerived(deps, actorOf(req), req.body)),
  });
  app.patch('/api/analysis/indicators/derived/:id', {
    config: { access: 'analysis.indicators' },
    schema: { tags, summary: 'Change a derived indicator at the version read (409: stale)', params: idParam, body: updateDerivedBody, response: { 200: indicatorSchema, ...problemResponses } },
    handler: (req) => service.updateDerived(deps, actorOf(req), req.params.id, req.body),
  });
  app.delete('/api/analysis/indicators/derived/:id', {
    config: { access: 'analysis.indicators' },
    schema: { tags, summary: 'Delete a derived indicator at the version read (409: stale, or used by another)', params: idParam, querystring: deleteDerivedQuery, response: { 204: z.null(), ...problemResponses } },
    handler: async (req, reply) => {
      await service.deleteDerived(deps, actorOf(req), req.params.id, req.query.version);
      return reply.code(204).send(null);
    },
  });
  app.post('/api/analysis/indicators/evaluate', {
    config: { access: 'analysis.read' },
    schema: {
      tags,
      summary: 'Evaluate up to 12 indicators by up to 3 dimensions over a range of months, within your data scope; rows and the total',
      body: evaluateBody,
      response: { 200: evaluateSchema, ...problemResponses },
    },
    handler: (req) => evaluateIndicators(deps, actorOf(req), req.body),
  });
  app.get('/api/analysis/drill', {
    config: { access: 'analysis.read' },
    schema: { tags, summary: 'The customers behind one figure: the indicator, the period and the figure’s keys (one per dimension); a page', querystring: drillQuery, response: { 200: drillSchema, ...problemResponses } },
    handler: (req) => {
      const { indicator, from, to, offset, limit, ...rest } = req.query;
      const keys = Object.fromEntries(Object.entries(rest).filter(([d, v]) => v !== undefined && (DIMENSIONS as readonly string[]).includes(d))) as Partial<Record<Dimension, string>>;
      return drillCustomers(deps, actorOf(req), { indicator, from, to, keys }, { offset, limit });
    },
  });
  app.post('/api/analysis/rollups/:month/refresh', {
    // analysis.indicators or system.operate: the service checks either
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Rebuild one month of the analysis rollup (needs analysis.indicators or system.operate)', params: monthParam, response: { 200: refreshSchema, ...problemResponses } },
    handler: (req) => service.rebuildMonth(deps, actorOf(req), req.params.month),
  });
};
