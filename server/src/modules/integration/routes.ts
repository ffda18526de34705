import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { AppError, invalid } from '../../platform/errors.js';
import { sendTabular } from '../../platform/export/tabular.js';
import { UploadFolder } from '../../platform/files/uploads.js';
import { formatBytes, readZipDirectory, ZipLimitError } from '../../platform/files/zip.js';
import { actorOf } from '../../platform/http/access.js';
import { sendPage } from '../../platform/http/list.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { problemSchema, requestLocale } from '../../platform/http/problem.js';
import { idParam } from '../../platform/http/params.js';
import { LOCALES, type Locale } from '../../platform/i18n/messages.js';
import { bossRoutes } from './boss.routes.js';
import { importFields, importJobSchema, importQuery, listImportsQuery } from './schemas.js';
import * as service from './service.js';

const tags = ['导入导出 Import and export'];

const zodLocales = { 'zh-CN': z.locales.zhCN(), 'en-US': z.locales.en() };

/** A problem with the uploaded file, in the catalogue's words (`code`, its parameters). */
const fileProblem = (status: number, code: 'validation_failed' | 'payload_too_large' | 'bad_request', reason: Parameters<typeof invalid>[1], params: Record<string, unknown> = {}) =>
  new AppError(status, code, {}, [{ field: 'body.file', code: reason, message: '', params }]);

/** Does the file begin as a zip (an .xlsx)? */
async function isZip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    return head.readUInt32LE(0) === 0x04034b50;
  } finally {
    await fh.close();
  }
}

const REJECT_COLUMNS = [
  { key: 'rowNo', header: { 'zh-CN': '行号', 'en-US': 'Row' } },
  { key: 'key', header: { 'zh-CN': '主键', 'en-US': 'Key' } },
  { key: 'column', header: { 'zh-CN': '列', 'en-US': 'Column' } },
  { key: 'code', header: { 'zh-CN': '原因代码', 'en-US': 'Reason code' } },
  { key: 'reason', header: { 'zh-CN': '原因', 'en-US': 'Reason' } },
];

export const integrationRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  const maxBytes = deps.config.IMPORT_MAX_BYTES;
  // uploads wait under DATA_DIR, not in the system's temp folder; what a crash left there goes now
  const uploads = await UploadFolder.open(deps.config);
  // a server that starts listening ends the imports a previous process left unfinished (a crash, a kill)
  app.addHook('onListen', async () => {
    try {
      const ids = await service.failInterruptedImports(deps);
      if (ids.length) app.log.warn({ imports: ids }, 'imports interrupted by a restart marked failed');
    } catch (err) {
      app.log.error({ err }, 'cannot mark interrupted imports');
    }
  });
  // BOSS 接口: billing batches, the extracts and the inbox's log (boss.routes.ts)
  bossRoutes(app, deps, uploads);
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 200, parts: 20 } });

  /** The upload written to the uploads folder, with the form's fields (and the query's); a problem for a bad request. */
  const receive = async (req: FastifyRequest) => {
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.query as Record<string, string | undefined>)) if (v !== undefined) fields[k] = v;
    let file: { path: string; name: string; size: number } | null = null;
    try {
      for await (const part of req.parts()) {
        if (part.type === 'field') {
          fields[part.fieldname] = String(part.value);
          continue;
        }
        if (file) throw fileProblem(400, 'validation_failed', 'upload_one_file');
        const target = uploads.create();
        file = { path: target.path, name: part.filename || 'upload', size: 0 };
        const counted = file;
        part.file.on('data', (chunk: Buffer) => (counted.size += chunk.length));
        await pipeline(part.file, target.stream);
        if (part.file.truncated) throw fileProblem(413, 'payload_too_large', 'upload_file_too_large', { limit: formatBytes(maxBytes) });
      }
    } catch (err) {
      if (file) await uploads.remove(file.path);
      if (err instanceof AppError) throw err;
      const code = (err as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw fileProblem(413, 'payload_too_large', 'upload_file_too_large', { limit: formatBytes(maxBytes) });
      if (code === 'FST_FILES_LIMIT') throw fileProblem(400, 'validation_failed', 'upload_one_file');
      throw new AppError(400, 'bad_request', {}, [{ field: 'body', code: 'upload_unreadable', message: '' }]);
    }
    return { file, fields };
  };

  /** An .xlsx beyond the limits of its zip (entries, inflated size, ratio) is refused before anything is inflated. */
  const checkZip = async (file: string) => {
    if (!(await isZip(file))) return;
    try {
      await readZipDirectory(file, service.xlsxLimits(deps.config));
    } catch (err) {
      if (err instanceof ZipLimitError) throw fileProblem(413, 'payload_too_large', `upload_${err.code}`, err.params);
      // an archive that cannot be read is the job's to report, with the rest of the file's errors
    }
  };

  app.post('/api/imports', {
    config: { access: 'customers.import' },
    schema: {
      tags,
      summary: 'Upload a BOSS extract (multipart: kind, dryRun, setAside, then file); the import runs in the background',
      description:
        'CSV (UTF-8 with or without BOM, or GBK) or .xlsx, in the layouts of docs/import-formats.md. Poll GET /api/imports/{id}. ' +
        'Refused with 413: a file over IMPORT_MAX_BYTES, and an .xlsx whose zip holds more than IMPORT_XLSX_MAX_ENTRIES entries, ' +
        'inflates to more than IMPORT_XLSX_MAX_INFLATED_BYTES, or has an entry inflating more than IMPORT_XLSX_MAX_RATIO times its size.',
      consumes: ['multipart/form-data'],
      querystring: importQuery,
      response: { 202: importJobSchema, 413: problemSchema, 415: problemSchema, ...problemResponses },
    },
    handler: async (req, reply) => {
      if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type');
      const { file, fields } = await receive(req);
      try {
        const parsed = importFields.safeParse(fields);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          const locale = requestLocale(req);
          const message = String(zodLocales[locale].localeError(issue as never) ?? issue.message);
          throw new AppError(400, 'validation_failed', {}, [{ field: `body.${issue.path.join('.') || 'kind'}`, code: issue.code, message }]);
        }
        if (!file) throw fileProblem(400, 'validation_failed', 'upload_file_required');
        if (file.size === 0) throw fileProblem(400, 'validation_failed', 'upload_file_empty');
        await checkZip(file.path);
        const { job } = await service.startImport(
          deps,
          actorOf(req),
          file.path,
          { ...parsed.data, fileName: file.name.slice(0, 255), fileSize: file.size },
          requestLocale(req),
        );
        return reply.code(202).header('location', `/api/imports/${job.id}`).send(job);
      } catch (err) {
        if (file) await uploads.remove(file.path);
        throw err;
      }
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
      description: 'The language is `lang` when given (the console passes its own), else the Accept-Language header, else the user\'s setting.',
      params: idParam,
      querystring: z.object({ lang: z.enum(LOCALES as [Locale, ...Locale[]]).optional().describe('zh-CN | en-US') }),
      produces: ['text/csv'],
      response: { 200: z.any(), ...problemResponses },
    },
    handler: async (req, reply) => {
      const locale = req.query.lang ?? requestLocale(req);
      const { job, rows } = await service.rejectsOf(deps, actorOf(req), req.params.id, locale);
      const stem = job.fileName.replace(/\.[^.]*$/, '');
      return sendTabular(reply, { format: 'csv', fileName: `${stem}-rejects-${job.id}.csv`, columns: REJECT_COLUMNS, rows, locale });
    },
  });
};
