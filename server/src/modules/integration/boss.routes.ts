/** The HTTP side of the BOSS interfaces (docs/boss-interfaces.md): inbound billing batches, the extracts, the inbox's log. */
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { atOrganisationRoot } from '../../platform/auth/scope.js';
import type { Deps } from '../../platform/deps.js';
import { AppError, outOfScope } from '../../platform/errors.js';
import type { UploadFolder } from '../../platform/files/uploads.js';
import { actorOf } from '../../platform/http/access.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { problemSchema } from '../../platform/http/problem.js';
import { getBatch, receiveBatch } from './billing-batches.js';
import { listExtracts, openExtract } from './extract.js';
import { inboxLog } from './inbox.js';
import { batchIdParam, billingBatchSchema, extractFileSchema, extractNameParam, inboxFileSchema } from './schemas.js';

const tags = ['BOSS 接口 BOSS interfaces'];
const NDJSON = 'application/x-ndjson';
const billing = { access: 'machine', machine: { scope: 'boss.billing', permission: 'customers.import' } } as const;

export function bossRoutes(parent: FastifyInstance, deps: Deps, uploads: UploadFolder) {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  // the body reaches the handler as a stream, read (and limited) line by line there
  app.addContentTypeParser(NDJSON, (_req, payload, done) => done(null, payload));

  app.post('/api/integration/billing-batches/:batchId', {
    config: billing,
    schema: {
      tags,
      summary: 'Send a batch of billing records (NDJSON): written whole or not at all; idempotent by batch id',
      description:
        'One record a line, the fields of the monthly facts layout (docs/boss-interfaces.md). 200: accepted (or the first answer again, ' +
        'with the header Idempotent-Replayed: true); 422 boss_batch_invalid: nothing written, errors name each line and field (line.<n>.<field>); ' +
        '409 boss_batch_conflict: the batch id was accepted with other content; 413 past BOSS_BATCH_MAX_LINES or BOSS_BATCH_MAX_BYTES.',
      consumes: [NDJSON],
      params: batchIdParam,
      response: { 200: billingBatchSchema, 413: problemSchema, 415: problemSchema, 422: problemSchema, ...problemResponses },
    },
    handler: async (req, reply) => {
      if (!req.headers['content-type']?.startsWith(NDJSON)) throw new AppError(415, 'unsupported_media_type');
      const { answer, replay } = await receiveBatch(deps, req.caller!, req.params.batchId, req.body as Readable, uploads);
      if (replay) reply.header('idempotent-replayed', 'true');
      return answer;
    },
  });

  app.get('/api/integration/billing-batches/:batchId', {
    config: billing,
    schema: { tags, summary: 'The outcome of a billing batch', params: batchIdParam, response: { 200: billingBatchSchema, ...problemResponses } },
    handler: (req) => getBatch(deps, req.caller!, req.params.batchId),
  });

  app.get('/api/integration/extracts', {
    config: { access: 'customers.export' },
    schema: {
      tags,
      summary: 'The monthly extracts for BOSS (levels, credit, points of every key account), newest first',
      description: 'The whole organisation\'s customers: listed for users whose data scope is the whole organisation.',
      response: { 200: z.array(extractFileSchema), ...problemResponses },
    },
    handler: async (req) => (atOrganisationRoot(actorOf(req)) ? listExtracts(deps) : []),
  });

  app.get('/api/integration/extracts/:name', {
    config: { access: 'customers.export' },
    schema: { tags, summary: 'Download one extract (CSV, UTF-8; format in docs/boss-interfaces.md)', params: extractNameParam, produces: ['text/csv'], response: { 200: z.any(), ...problemResponses } },
    handler: async (req, reply) => {
      const actor = actorOf(req);
      if (!atOrganisationRoot(actor)) throw outOfScope('boss_extract');
      const { stream, bytes } = await openExtract(deps, actor, req.params.name);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-length', bytes)
        .header('content-disposition', `attachment; filename="${req.params.name}"`)
        .send(stream);
    },
  });

  app.get('/api/integration/inbox', {
    config: { access: 'customers.import' },
    schema: {
      tags,
      summary: 'The latest files the BOSS inbox took, newest first, with their outcome',
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
      response: { 200: z.array(inboxFileSchema), ...problemResponses },
    },
    handler: async (req) => (atOrganisationRoot(actorOf(req)) ? inboxLog(deps, req.query.limit) : []),
  });
}
