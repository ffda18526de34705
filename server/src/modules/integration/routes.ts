import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { AppError, invalid } from '../../platform/errors.js';
import { sendTabular } from '../../platform/export/tabular.js';
import { actorOf } from '../../platform/http/access.js';
import { sendPage } from '../../platform/http/list.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { problemSchema, requestLocale } from '../../platform/http/problem.js';
import { idParam } from '../../platform/http/params.js';
import { importFields, importJobSchema, importQuery, listImportsQuery } from './schemas.js';
import * as service from './service.js';

const tags = ['导入导出 Import and export'];

/** Upload size limit: IMPORT_MAX_BYTES (bytes), 512 MB by default. */
export function importMaxBytes(deps: Deps): number {
  const configured = (deps.config as { IMPORT_MAX_BYTES?: number }).IMPORT_MAX_BYTES ?? Number(process.env.IMPORT_MAX_BYTES);
  return Number.isFinite(configured) && configured > 0 ? configured : 512 * 1024 * 1024;
}

const REJECT_COLUMNS = [
  { key: 'rowNo', header: { 'zh-CN': '行号', 'en-US': 'Row' } },
  { key: 'key', header: { 'zh-CN': '主键', 'en-US': 'Key' } },
  { key: 'column', header: { 'zh-CN': '列', 'en-US': 'Column' } },
  { key: 'code', header: { 'zh-CN': '原因代码', 'en-US': 'Reason code' } },
  { key: 'reason', header: { 'zh-CN': '原因', 'en-US': 'Reason' } },
];

export const integrationRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  const maxBytes = importMaxBytes(deps);
  // a server that starts listening ends the imports a previous process left unfinished (a crash, a kill)
  app.addHook('onListen', async () => {
    try {
      const ids = await service.failInterruptedImports(deps);
      if (ids.length) app.log.warn({ imports: ids }, 'imports interrupted by a restart marked failed');
    } catch (err) {
      app.log.error({ err }, 'cannot mark interrupted imports');
    }
  });
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 200, parts: 20 } });

  app.post('/api/imports', {
    config: { access: 'customers.import' },
    schema: {
      tags,
      summary: 'Upload a BOSS extract (multipart: kind, dryRun, setAside, then file); the import runs in the background',
      description: 'CSV (UTF-8 with or without BOM, or GBK) or .xlsx, in the layouts of docs/import-formats.md. Poll GET /api/imports/{id}.',
      consumes: ['multipart/form-data'],
      querystring: importQuery,
      response: { 202: importJobSchema, 413: problemSchema, 415: problemSchema, ...problemResponses },
    },
    handler: async (req, reply) => {
      if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type');
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.query)) if (v !== undefined) fields[k] = v;
      let file: { path: string; name: string; size: number } | null = null;
      try {
        for await (const part of req.parts()) {
          if (part.type === 'field') {
            fields[part.fieldname] = String(part.value);
            continue;
          }
          if (file) throw invalid('body.file', 'validation_failed', 'one file per import');
          const tmp = path.join(tmpdir(), `kam-import-${randomBytes(8).toString('hex')}`);
          file = { path: tmp, name: part.filename || 'upload', size: 0 };
          const counted = file;
          part.file.on('data', (chunk: Buffer) => (counted.size += chunk.length));
          await pipeline(part.file, createWriteStream(tmp));
          if (part.file.truncated) throw new AppError(413, 'payload_too_large');
        }
      } catch (err) {
        if (file) await rm(file.path, { force: true });
        if (err instanceof AppError) throw err;
        const code = (err as { code?: string }).code;
        if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError(413, 'payload_too_large');
        throw invalid('body', 'bad_request', `not a readable multipart upload: ${(err as Error).message}`);
      }
      const parsed = importFields.safeParse(fields);
      if (!file || !parsed.success) {
        if (file) await rm(file.path, { force: true });
        if (!file) throw invalid('body.file', 'validation_failed', 'a file is required');
        const issue = parsed.error!.issues[0]!;
        throw invalid(`body.${issue.path.join('.') || 'kind'}`, 'validation_failed', issue.message);
      }
      if (file.size === 0) {
        await rm(file.path, { force: true });
        throw invalid('body.file', 'validation_failed', 'the file is empty');
      }
      const { job } = await service.startImport(
        deps,
        actorOf(req),
        file.path,
        { ...parsed.data, fileName: file.name.slice(0, 255), fileSize: file.size },
        requestLocale(req),
      );
      return reply.code(202).header('location', `/api/imports/${job.id}`).send(job);
    },
  });

  app.get('/api/imports', {
    config: { access: 'customers.import' },
    schema: { tags, summary: 'Imports of your data scope, newest first', querystring: listImportsQuery, response: { 200: z.array(importJobSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listImports(deps, actorOf(req), req.query, requestLocale(req)), req.query.fields),
  });

  app.get('/api/imports/:id', {
    config: { access: 'customers.import' },
    schema: { tags, summary: 'One import: status, progress, counts', params: idParam, response: { 200: importJobSchema, ...problemResponses } },
    handler: (req) => service.getImport(deps, actorOf(req), req.params.id, requestLocale(req)),
  });

  app.get('/api/imports/:id/rejects.csv', {
    config: { access: 'customers.import' },
    schema: {
      tags,
      summary: 'The rejected rows of an import as CSV (row, key, column, reason code, reason in the requester\'s language)',
      params: idParam,
      produces: ['text/csv'],
      response: { 200: z.any(), ...problemResponses },
    },
    handler: async (req, reply) => {
      const locale = requestLocale(req);
      const { job, rows } = await service.rejectsOf(deps, actorOf(req), req.params.id, locale);
      const stem = job.fileName.replace(/\.[^.]*$/, '');
      return sendTabular(reply, { format: 'csv', fileName: `${stem}-rejects-${job.id}.csv`, columns: REJECT_COLUMNS, rows, locale });
    },
  });
};
