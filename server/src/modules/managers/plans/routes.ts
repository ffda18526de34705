import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { sendPage } from '../../../platform/http/list.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { idParam } from '../../../platform/http/params.js';
import {
  commentBody,
  commentSchema,
  createPlanBody,
  itemBody,
  itemPatch,
  itemSchema,
  logBody,
  logDetailSchema,
  logQuery,
  logSchema,
  openItemSchema,
  openItemsQuery,
  planDetailSchema,
  planQuery,
  planSchema,
  reviewBody,
  submitBody,
  versionQuery,
} from './schemas.js';
import * as service from './service.js';

const tags = ['工作计划与日志 Work plans and logs'];
const noContent = { 204: z.null(), ...problemResponses };

/** 工作计划与工作日志: plans with their items, the review, the daily log and comments on both. */
export const planRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  // ---- plans
  app.get('/api/work-plans', {
    // managers read their own (work.own), heads their unit's (work.review): checked in the service
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Work plans (工作计划): your own, and with work.review those of your unit’s managers; newest period first', querystring: planQuery, response: { 200: z.array(planSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listPlans(deps, actorOf(req), req.query), req.query.fields),
  });
  app.post('/api/work-plans', {
    config: { access: 'work.own' },
    schema: { tags, summary: 'Start your plan of a week (from a Monday) or a month (from the 1st); 409 when you have one of that period', body: createPlanBody, response: { 201: planDetailSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.createPlan(deps, actorOf(req), req.body)),
  });
  app.get('/api/work-plans/:id', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'A plan with its items, the comments and the moves open to you', params: idParam, response: { 200: planDetailSchema, ...problemResponses } },
    handler: (req) => service.getPlanDetail(deps, actorOf(req), req.params.id),
  });
  app.post('/api/work-plans/:id/items', {
    config: { access: 'work.own' },
    schema: { tags, summary: 'Add an item to your draft or returned plan: a customer of your portfolio, a kind of work and a day of the period', params: idParam, body: itemBody, response: { 201: itemSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.addItem(deps, actorOf(req), req.params.id, req.body)),
  });
  app.patch('/api/work-plan-items/:id', {
    config: { access: 'work.own' },
    schema: { tags, summary: 'Change an item of your draft or returned plan, at the version read', params: idParam, body: itemPatch, response: { 200: itemSchema, ...problemResponses } },
    handler: (req) => service.patchItem(deps, actorOf(req), req.params.id, req.body),
  });
  app.delete('/api/work-plan-items/:id', {
    config: { access: 'work.own' },
    schema: { tags, summary: 'Remove an item of your draft or returned plan, at the version read (?version=)', params: idParam, querystring: versionQuery, response: noContent },
    handler: async (req, reply) => {
      await service.deleteItem(deps, actorOf(req), req.params.id, req.query.version);
      return reply.code(204).send(null);
    },
  });
  app.post('/api/work-plans/:id/submit', {
    config: { access: 'work.own' },
    schema: { tags, summary: 'Submit your plan for review (draft or returned → submitted) at the version read; the nearest head is told', params: idParam, body: submitBody, response: { 200: planDetailSchema, ...problemResponses } },
    handler: (req) => service.submitPlan(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/work-plans/:id/review', {
    config: { access: 'work.review' },
    schema: { tags, summary: 'Approve a submitted plan of your unit, or return it with a comment, at the version read; the manager is told', params: idParam, body: reviewBody, response: { 200: planDetailSchema, ...problemResponses } },
    handler: (req) => service.reviewPlan(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/work-plans/:id/comments', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Comment on a plan you see (审阅意见)', params: idParam, body: commentBody, response: { 201: commentSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.commentOnPlan(deps, actorOf(req), req.params.id, req.body.body)),
  });
  app.get('/api/work-plan-items', {
    config: { access: 'work.own' },
    schema: { tags, summary: 'Your plan items of a customer not kept yet: what a log entry may keep', querystring: openItemsQuery, response: { 200: z.array(openItemSchema), ...problemResponses } },
    handler: (req) => service.openItemsOf(deps, actorOf(req), req.query.customerId),
  });

  // ---- logs
  app.get('/api/work-logs', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Work log entries (工作日志): your own, and with work.review those of your unit’s managers; latest day first', querystring: logQuery, response: { 200: z.array(logSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listLogs(deps, actorOf(req), req.query), req.query.fields),
  });
  app.post('/api/work-logs', {
    config: { access: 'work.own' },
    schema: {
      tags,
      summary: 'Log a visit, call, proposal or collection of a customer of your portfolio: a visit or call is recorded in the customer’s profile with the fields it updated, and the plan item it keeps becomes done',
      body: logBody,
      response: { 201: logDetailSchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createLog(deps, actorOf(req), req.body)),
  });
  app.get('/api/work-logs/:id', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'A log entry with its comments', params: idParam, response: { 200: logDetailSchema, ...problemResponses } },
    handler: (req) => service.getLogDetail(deps, actorOf(req), req.params.id),
  });
  app.post('/api/work-logs/:id/comments', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Comment on a log entry you see', params: idParam, body: commentBody, response: { 201: commentSchema, ...problemResponses } },
    handler: async (req, reply) => reply.code(201).send(await service.commentOnLog(deps, actorOf(req), req.params.id, req.body.body)),
  });
};
