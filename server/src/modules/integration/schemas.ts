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

// ---- BOSS interfaces (docs/boss-interfaces.md) ------------------------------------------------------------------

export const batchIdParam = z.strictObject({
  batchId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/).describe('BOSS\'s id of the batch: letters, digits, . _ -, at most 64'),
});

export const billingBatchSchema = z
  .object({
    batchId: z.string(),
    status: z.enum(['accepted', 'rejected', 'processing']),
    lines: z.number().int().describe('records (lines) of the batch'),
    bytes: z.number().int(),
    importId: z.number().int().nullable().describe('the import that checked and loaded it (GET /api/imports/{id})'),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    errors: z
      .array(z.object({ line: z.number().int(), field: z.string().nullable(), code: z.string(), params: z.record(z.string(), z.unknown()).optional() }))
      .describe('the refused lines of a rejected batch (at most 1000)'),
    receivedAt: z.string(),
  })
  .meta({ id: 'BossBillingBatch' });

export const extractFileSchema = z
  .object({ name: z.string(), month: z.string(), bytes: z.number().int(), writtenAt: z.date() })
  .meta({ id: 'BossExtractFile' });

export const extractNameParam = z.strictObject({ name: z.string().max(64).describe('KAM_LEVELS_YYYYMM.csv') });

export const inboxFileSchema = z
  .object({
    id: z.number().int(),
    fileName: z.string(),
    sha256: z.string(),
    fileSize: z.number().int(),
    kind: z.string().nullable(),
    status: z.string().describe('imported | rejected | failed | duplicate | unknown_name'),
    importJobId: z.number().int().nullable(),
    duplicateOf: z.number().int().nullable(),
    movedTo: z.string().nullable(),
    createdAt: z.date(),
  })
  .meta({ id: 'BossInboxFile' });
