import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/errors.js';
import { actorOf } from '../../../platform/http/access.js';
import { sendPage } from '../../../platform/http/list.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { problemSchema } from '../../../platform/http/problem.js';
import { idParam } from '../../../platform/http/params.js';
import { surveyAnswerBody, assignmentBody, attachmentParams, boardQuery, boardSchema, breachReasonBody, handlerSchema, commentBody, createRequestBody, requestDetailSchema, requestListQuery, requestSchema, transitionBody } from './schemas.js';
import * as service from './service.js';

const tags = ['工单 Service requests'];

/** 工单: raise, list, move through the status flow, assign, comment, attach files. */
export const requestRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  // one file per upload, at most the attachment limit (the service words the refusal of a larger one)
  await app.register(multipart, { limits: { fileSize: deps.config.ATTACHMENT_MAX_BYTES + 1, files: 1, fields: 2, parts: 3 } });

  app.post('/api/services/requests', {
    config: { access: 'services.handle' },
    schema: {
      tags,
      summary: 'Raise a request for a customer you serve (受理登记); its SLA targets run from now; handled by the unit its type names',
      body: createRequestBody,
      response: { 201: requestDetailSchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createRequest(deps, actorOf(req), req.body)),
  });
  app.get('/api/services/requests', {
    config: { access: 'services.read' },
    schema: { tags, summary: 'Requests: mine, my unit’s (handled or raised there), or all I may see; with a total', querystring: requestListQuery, response: { 200: z.array(requestSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listRequests(deps, actorOf(req), req.query), req.query.fields),
  });
  app.get('/api/services/requests/board', {
    config: { access: 'services.read' },
    schema: { tags, summary: 'SLA board (SLA 看板): the open requests of a unit subtree by status and SLA state, and those due within a day', querystring: boardQuery, response: { 200: boardSchema, ...problemResponses } },
    handler: (req) => service.board(deps, actorOf(req), req.query.unitId),
  });
  app.get('/api/services/requests/:id', {
    config: { access: 'services.read' },
    schema: { tags, summary: 'One request with its timeline, attachments and the moves open to you', params: idParam, response: { 200: requestDetailSchema, ...problemResponses } },
    handler: (req) => service.getRequestDetail(deps, actorOf(req), req.params.id),
  });
  app.post('/api/services/requests/:id/transition', {
    config: { access: 'services.handle' },
    schema: {
      tags,
      summary: 'Move the request on its status flow at the version read (409: a move not allowed now, its title naming the allowed ones, which GET lists as allowedMoves; or stale)',
      params: idParam,
      body: transitionBody,
      response: { 200: requestDetailSchema, ...problemResponses },
    },
    handler: (req) => service.transition(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/services/requests/:id/assignment', {
    config: { access: 'services.handle' },
    schema: {
      tags,
      summary: 'Take the request, or (managing the unit’s requests) give it to another handler or unit',
      params: idParam,
      body: assignmentBody,
      response: { 200: requestDetailSchema, ...problemResponses },
    },
    handler: (req) => service.assign(deps, actorOf(req), req.params.id, req.body),
  });
  app.get('/api/services/requests/:id/handlers', {
    config: { access: 'services.handle' },
    schema: { tags, summary: 'Whom the request may be given to: the handlers of its handling unit', params: idParam, response: { 200: z.array(handlerSchema), ...problemResponses } },
    handler: (req) => service.handlersOf(deps, actorOf(req), req.params.id),
  });
  app.post('/api/services/requests/:id/comments', {
    config: { access: 'services.handle' },
    schema: { tags, summary: 'Add an internal note or a reply to the customer to the timeline', params: idParam, body: commentBody, response: { 200: requestDetailSchema, ...problemResponses } },
    handler: (req) => service.comment(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/services/requests/:id/survey', {
    config: { access: 'services.handle' },
    schema: {
      tags,
      summary: 'Record the customer’s answer to the satisfaction survey (满意度回访), once; a score of 1–2 or a complaint about the handling reopens the request for the unit’s heads',
      params: idParam,
      body: surveyAnswerBody,
      response: { 200: requestDetailSchema, ...problemResponses },
    },
    handler: (req) => service.answerSurvey(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/services/requests/:id/breach-reason', {
    config: { access: 'services.handle' },
    schema: { tags, summary: 'Record why a breached request missed its target', params: idParam, body: breachReasonBody, response: { 200: requestDetailSchema, ...problemResponses } },
    handler: (req) => service.recordBreachReason(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/services/requests/:id/attachments', {
    config: { access: 'services.handle' },
    schema: {
      tags,
      summary: 'Attach a file (multipart, field `file`): images, PDF, .xlsx/.docx, text; checked by its bytes; at most ATTACHMENT_MAX_BYTES',
      consumes: ['multipart/form-data'],
      params: idParam,
      response: { 200: requestDetailSchema, 413: problemSchema, 415: problemSchema, ...problemResponses },
    },
    handler: async (req) => {
      // the request first: nothing of an upload is read for a request the reader may not touch
      await service.attachable(deps, actorOf(req), req.params.id);
      if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type');
      const file = await req.file().catch(() => undefined);
      if (!file) throw new AppError(400, 'validation_failed', {}, [{ field: 'body.file', code: 'attachment_required', message: '' }]);
      const data = await file.toBuffer().catch((err: { code?: string }) => {
        if (err.code === 'FST_REQ_FILE_TOO_LARGE') return Buffer.alloc(deps.config.ATTACHMENT_MAX_BYTES + 1);
        throw new AppError(400, 'bad_request', {}, [{ field: 'body', code: 'upload_unreadable', message: '' }]);
      });
      return service.attach(deps, actorOf(req), req.params.id, { fileName: file.filename || 'attachment', data });
    },
  });
  app.get('/api/services/requests/:id/attachments/:attachmentId', {
    config: { access: 'services.read' },
    schema: { tags, summary: 'Download an attachment', params: attachmentParams, produces: ['application/octet-stream'], response: { 200: z.any(), ...problemResponses } },
    handler: async (req, reply) => {
      const file = await service.readAttachment(deps, actorOf(req), req.params.id, req.params.attachmentId);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .header('x-content-type-options', 'nosniff')
        .send(file.data);
    },
  });
};
