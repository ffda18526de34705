import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../../platform/deps.js';
import { sendTabular } from '../../../platform/export/tabular.js';
import { actorOf } from '../../../platform/http/access.js';
import { problemResponses, TABULAR_FILES } from '../../../platform/http/openapi.js';
import { requestLocale } from '../../../platform/http/problem.js';
import { statisticsColumns, statisticsLines } from './export.js';
import { exportQuery, statisticsBody, statisticsSchema } from './schemas.js';
import * as service from './service.js';

const tags = ['综合统计 Statistics'];

/** 综合统计: the pivot of catalogue indicators, as JSON for the page and as a spreadsheet. */
export const statisticsRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.post('/api/analysis/statistics', {
    config: { access: 'analysis.read' },
    schema: {
      tags,
      summary: '综合统计: indicators by up to three dimensions over a period, with 环比 / 同比, subtotals by the first dimension and the total, within your data scope',
      body: statisticsBody,
      response: { 200: statisticsSchema, ...problemResponses },
    },
    handler: async (req) => {
      const { info: _info, ...stats } = await service.statistics(deps, actorOf(req), req.body, requestLocale(req));
      return stats;
    },
  });
  app.post('/api/analysis/statistics/export', {
    config: { access: 'analysis.read' },
    schema: {
      tags,
      summary: 'The same pivot as a spreadsheet (.xlsx by default, or CSV): a column per figure with its unit, each group followed by its subtotal, the total last',
      body: statisticsBody,
      querystring: exportQuery,
      produces: TABULAR_FILES,
      response: problemResponses,
    },
    handler: async (req, reply) => {
      const locale = requestLocale(req);
      const { info, ...stats } = await service.statistics(deps, actorOf(req), req.body, locale);
      const name = locale === 'zh-CN' ? `综合统计_${stats.from}_${stats.to}` : `statistics_${stats.from}_${stats.to}`;
      return sendTabular(reply, {
        format: req.query.format,
        fileName: `${name}.${req.query.format}`,
        columns: statisticsColumns(stats, info, locale),
        rows: statisticsLines(stats, locale),
        locale,
        sheetName: locale === 'zh-CN' ? '综合统计' : 'Statistics',
      });
    },
  });
};
