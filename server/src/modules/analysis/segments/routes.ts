import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/errors.js';
import { actorOf } from '../../../platform/http/access.js';
import { sendPage } from '../../../platform/http/list.js';
import { problemResponses, TABULAR_FILES } from '../../../platform/http/openapi.js';
import { idParam } from '../../../platform/http/params.js';
import { requestLocale } from '../../../platform/http/problem.js';
import { sendTabular } from '../../../platform/export/tabular.js';
import {
  campaignBody,
  campaignMemberSchema,
  campaignMembersQuery,
  campaignPatch,
  campaignSchema,
  customerParams,
  exportQuery,
  handOffBody,
  handOffSchema,
  importSchema,
  memberSchema,
  membersQuery,
  modeBody,
  responseBody,
  segmentBody,
  segmentDetailSchema,
  segmentSchema,
  statusBody,
  versionQuery,
} from './schemas.js';
import * as service from './service.js';

const tags = ['目标客户群 Target groups'];
const campaignTags = ['营销活动 Campaigns'];
const noContent = { 204: z.null(), ...problemResponses };
const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

/** 目标客户群锁定: segments from queries (live or frozen), their export, hand-off to managers as tasks, and campaigns. */
export const segmentRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  await app.register(multipart, { limits: { fileSize: IMPORT_MAX_BYTES + 1, files: 1, fields: 2, parts: 3 } });

  app.get('/api/analysis/segments', {
    config: { access: 'analysis.query' },
    schema: { tags, summary: 'Target groups of your unit and the units above it, newest first', response: { 200: z.array(segmentSchema), ...problemResponses } },
    handler: (req) => service.listSegments(deps, actorOf(req)),
  });
  app.post('/api/analysis/segments', {
    config: { access: 'analysis.query' },
    schema: { tags, summary: 'Lock a target group from a saved query or a tree: live, or frozen (its customers you see stored now); audited', body: segmentBody, response: { 201: segmentSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.createSegment(deps, actorOf(req), req.body)),
  });
  app.get('/api/analysis/segments/:id', {
    config: { access: 'analysis.query' },
    schema: { tags, summary: 'A target group with its size and profile (by level, industry, city, kind; average billed) within your data scope', params: idParam, response: { 200: segmentDetailSchema, ...problemResponses } },
    handler: (req) => service.getSegmentDetail(deps, actorOf(req), req.params.id),
  });
  app.get('/api/analysis/segments/:id/members', {
    config: { access: 'analysis.query' },
    schema: { tags, summary: 'The customers of a target group you see, in customer-number order; with a total', params: idParam, querystring: membersQuery, response: { 200: z.array(memberSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listMembers(deps, actorOf(req), req.params.id, req.query), req.query.fields),
  });
  app.post('/api/analysis/segments/:id/mode', {
    config: { access: 'analysis.query' },
    schema: { tags, summary: 'Freeze your target group (snapshot its customers now, replacing an earlier one) or make it live again, at the version read', params: idParam, body: modeBody, response: { 200: segmentSchema, ...problemResponses } },
    handler: (req) => service.setMode(deps, actorOf(req), req.params.id, req.body),
  });
  app.delete('/api/analysis/segments/:id', {
    config: { access: 'analysis.query' },
    schema: { tags, summary: 'Delete your target group at the version read (?version=)', params: idParam, querystring: versionQuery, response: noContent },
    handler: async (req, reply) => {
      await service.deleteSegment(deps, actorOf(req), req.params.id, req.query.version);
      return reply.code(204).send(null);
    },
  });
  app.get('/api/analysis/segments/:id/export', {
    config: { access: 'customers.export' },
    schema: {
      tags,
      summary: 'Export the customers of a target group you see, streamed (.csv or .xlsx; the customer list’s columns; masked unless pii=true with customers.export_pii; audited), up to SEGMENT_EXPORT_MAX_ROWS',
      description:
        'Needs analysis.query as well (403 without it, once the group is found). More customers than SEGMENT_EXPORT_MAX_ROWS (the group’s exportLimit) answer 413 segment_export_too_large, naming both, before anything is streamed or audited.',
      params: idParam,
      querystring: exportQuery,
      produces: TABULAR_FILES,
      response: problemResponses,
    },
    handler: async (req, reply) => {
      const actor = actorOf(req);
      const locale = requestLocale(req);
      const { format } = req.query;
      const out = await service.exportSegment(deps, actor, req.params.id, { format, withPii: req.query.pii === 'true', locale });
      return sendTabular(reply, { format, fileName: out.fileName, columns: out.columns, rows: { batches: out.batches }, locale });
    },
  });
  app.post('/api/analysis/segments/:id/tasks', {
    config: { access: 'analysis.campaigns' },
    schema: { tags, summary: 'Hand a target group to its managers: one task each for their customers in it (managers’ task service: each is told)', params: idParam, body: handOffBody, response: { 201: handOffSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.handToManagers(deps, actorOf(req), req.params.id, req.body)),
  });

  app.get('/api/analysis/campaigns', {
    config: { access: 'analysis.campaigns' },
    schema: { tags: campaignTags, summary: 'Marketing campaigns of your unit and the units above it, with their figures (reach, response, acceptance) over the members you see', response: { 200: z.array(campaignSchema), ...problemResponses } },
    handler: (req) => service.listCampaigns(deps, actorOf(req)),
  });
  app.post('/api/analysis/campaigns', {
    config: { access: 'analysis.campaigns' },
    schema: { tags: campaignTags, summary: 'Make a campaign (draft) whose members are the customers of a target group you see; audited', body: campaignBody, response: { 201: campaignSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.createCampaign(deps, actorOf(req), req.body)),
  });
  app.get('/api/analysis/campaigns/:id', {
    config: { access: 'analysis.campaigns' },
    schema: { tags: campaignTags, summary: 'One campaign with its figures', params: idParam, response: { 200: campaignSchema, ...problemResponses } },
    handler: (req) => service.getCampaign(deps, actorOf(req), req.params.id),
  });
  app.patch('/api/analysis/campaigns/:id', {
    config: { access: 'analysis.campaigns' },
    schema: { tags: campaignTags, summary: 'Change a campaign not closed (name, channel, period, offer) at the version read', params: idParam, body: campaignPatch, response: { 200: campaignSchema, ...problemResponses } },
    handler: (req) => service.updateCampaign(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/analysis/campaigns/:id/status', {
    config: { access: 'analysis.campaigns' },
    schema: { tags: campaignTags, summary: 'Move a campaign on: draft → running → closed, at the version read', params: idParam, body: statusBody, response: { 200: campaignSchema, ...problemResponses } },
    handler: (req) => service.moveCampaign(deps, actorOf(req), req.params.id, req.body),
  });
  app.get('/api/analysis/campaigns/:id/members', {
    config: { access: 'analysis.campaigns' },
    schema: { tags: campaignTags, summary: 'The campaign’s members you see, with their responses; with a total', params: idParam, querystring: campaignMembersQuery, response: { 200: z.array(campaignMemberSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listCampaignMembers(deps, actorOf(req), req.params.id, req.query), req.query.fields),
  });
  app.put('/api/analysis/campaigns/:id/members/:customerId/response', {
    config: { access: 'analysis.campaigns' },
    schema: { tags: campaignTags, summary: 'Record a member’s response (the campaign running); audited', params: customerParams, body: responseBody, response: { 200: campaignSchema, ...problemResponses } },
    handler: (req) => service.recordResponse(deps, actorOf(req), req.params.id, req.params.customerId, req.body),
  });
  app.post('/api/analysis/campaigns/:id/responses/import', {
    config: { access: 'analysis.campaigns' },
    schema: {
      tags: campaignTags,
      summary: 'Record responses from a CSV file (multipart, field `file`; columns 客户编号, 响应, 响应时间, 备注): all or nothing, every bad line named',
      consumes: ['multipart/form-data'],
      params: idParam,
      response: { 200: importSchema, ...problemResponses },
    },
    handler: async (req) => {
      const actor = actorOf(req);
      await service.getCampaign(deps, actor, req.params.id);
      if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type');
      const file = await req.file().catch(() => undefined);
      if (!file) throw new AppError(400, 'validation_failed', {}, [{ field: 'body.file', code: 'attachment_required', message: '' }]);
      const data = await file.toBuffer().catch(() => Buffer.alloc(IMPORT_MAX_BYTES + 1));
      if (data.length > IMPORT_MAX_BYTES) throw new AppError(413, 'payload_too_large');
      return service.importResponses(deps, actor, req.params.id, data.toString('utf8'));
    },
  });
};
