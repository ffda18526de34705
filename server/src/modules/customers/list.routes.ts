/** Routes of the archive lists, the search box and the exports (registered by customerRoutes). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { getExportJob, listExportJobs, openExportFile } from '../../platform/export/jobs.js';
import { CONTENT_TYPES, contentDisposition, sendTabular } from '../../platform/export/tabular.js';
import { actorOf } from '../../platform/http/access.js';
import { sendPage } from '../../platform/http/list.js';
import { problemResponses, TABULAR_FILES } from '../../platform/http/openapi.js';
import { idParam } from '../../platform/http/params.js';
import { requestLocale } from '../../platform/http/problem.js';
import { exportColumns } from './export-columns.js';
import { exportCustomers, exportFileName, startCustomerExport } from './export.service.js';
import { countCustomers, listCustomers } from './list.service.js';
import { customerFilter, customerSummarySchema, exportJobBody, exportJobSchema, exportQuery, listCustomersQuery } from './schemas.js';

const tags = ['客户档案 Customers'];

export const customerListRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/customers', {
    config: { access: 'customers.read' },
    schema: {
      tags,
      summary: 'Archive lists and search (在网/保留档案库); phones and ID numbers masked',
      description:
        'X-Total-Count is exact unless X-Total-Estimated: true. With X-Total-More: true (a search of a common fragment) it counts the matches listed, best first, and there are more: GET /api/customers/count gives their number.',
      querystring: listCustomersQuery,
      response: { 200: z.array(customerSummarySchema), ...problemResponses },
    },
    handler: async (req, reply) => sendPage(reply, await listCustomers(deps, actorOf(req), req.query), req.query.fields),
  });
  app.get('/api/customers/count', {
    config: { access: 'customers.read' },
    schema: { tags, summary: 'The exact number of customers a filter or search matches, however many (slower than a page)', querystring: customerFilter, response: { 200: z.object({ total: z.number().int() }), ...problemResponses } },
    handler: async (req) => ({ total: await countCustomers(deps, actorOf(req), req.query) }),
  });
  app.get('/api/customers/export', {
    config: { access: 'customers.export' },
    schema: {
      tags,
      summary: 'Export the filtered list to .xlsx or .csv at once, up to EXPORT_DIRECT_MAX_ROWS rows (masked unless pii=true; audited)',
      description: 'More rows answer 413 export_too_large: start a background export (POST /api/customers/exports).',
      querystring: exportQuery,
      produces: TABULAR_FILES,
      response: problemResponses,
    },
    handler: async (req, reply) => {
      const { format, pii, ...filter } = req.query;
      const locale = requestLocale(req);
      const rows = await exportCustomers(deps, actorOf(req), { filter, format, withPii: pii, locale });
      return sendTabular(reply, { format, fileName: exportFileName({ format, locale }), columns: exportColumns(locale), rows, locale });
    },
  });
  app.post('/api/customers/exports', {
    config: { access: 'customers.export' },
    schema: { tags, summary: 'Start a background export of the filtered list, of any size (masked unless pii; audited with its row count)', body: exportJobBody, response: { 202: exportJobSchema, ...problemResponses } },
    handler: async (req, reply) => {
      const { filter, format, pii } = req.body;
      const onError = (err: unknown) => req.log.error({ err }, 'background export failed');
      const { job } = await startCustomerExport(deps, actorOf(req), { filter, format, withPii: pii, locale: requestLocale(req) }, onError);
      return reply.code(202).send(job);
    },
  });
  app.get('/api/customers/exports', {
    config: { access: 'customers.export' },
    schema: { tags, summary: 'Your background exports, newest first (files are kept a day)', response: { 200: z.array(exportJobSchema), ...problemResponses } },
    handler: (req) => listExportJobs(deps, actorOf(req).userId!, 'customers'),
  });
  app.get('/api/customers/exports/:id', {
    config: { access: 'customers.export' },
    schema: { tags, summary: 'One of your background exports: its progress', params: idParam, response: { 200: exportJobSchema, ...problemResponses } },
    handler: (req) => getExportJob(deps, actorOf(req).userId!, req.params.id),
  });
  app.get('/api/customers/exports/:id/file', {
    config: { access: 'customers.export' },
    schema: { tags, summary: 'The file of one of your finished background exports', params: idParam, produces: TABULAR_FILES, response: problemResponses },
    handler: async (req, reply) => {
      const { job, body } = await openExportFile(deps, actorOf(req).userId!, req.params.id);
      return reply
        .header('content-type', CONTENT_TYPES[job.format])
        .header('content-disposition', contentDisposition(job.fileName))
        .header('content-length', String(job.bytes))
        .header('cache-control', 'no-store')
        .send(body as never);
    },
  });
};
