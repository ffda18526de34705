import { z } from 'zod';
import { pageQuery } from '../../platform/http/list.js';
import { IMPORT_KINDS } from './layouts.js';

const flag = z
  .enum(['true', 'false', '1', '0', 'on', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'on');

/** The form fields of an upload (multipart), or the same in the query string. */
export const importFields = z.strictObject({
  kind: z.enum(IMPORT_KINDS),
  dryRun: flag.optional().default(false),
  setAside: flag.optional().default(false),
});

export const importQuery = z.object({
  kind: z.enum(IMPORT_KINDS).optional(),
  dryRun: z.enum(['true', 'false', '1', '0']).optional(),
  setAside: z.enum(['true', 'false', '1', '0']).optional(),
});

export const listImportsQuery = pageQuery.extend({ kind: z.enum(IMPORT_KINDS).optional() });

export const importJobSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(IMPORT_KINDS),
    fileName: z.string(),
    fileSize: z.number().int(),
    format: z.string().nullable().describe('csv | xlsx'),
    encoding: z.string().nullable().describe('utf-8 | utf-8-bom | gbk (CSV only)'),
    dryRun: z.boolean(),
    setAside: z.boolean(),
    status: z.enum(['queued', 'running', 'succeeded', 'rejected', 'failed']).describe(
      'rejected: bad rows and not set aside, nothing imported; failed: the file as a whole (see error)',
    ),
    phase: z.string().nullable().describe('reading | checking | loading | done'),
    progress: z.number().describe('0 … 1'),
    bytesRead: z.number().int(),
    rowsRead: z.number().int(),
    rowsValid: z.number().int(),
    rowsRejected: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    committed: z.boolean().describe('false for a dry run and for a rejected or failed file'),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    actorId: z.number().int().nullable(),
    actorUsername: z.string().nullable(),
    unitPath: z.string(),
    createdAt: z.date(),
    startedAt: z.date().nullable(),
    finishedAt: z.date().nullable(),
  })
  .meta({ id: 'ImportJob' });
