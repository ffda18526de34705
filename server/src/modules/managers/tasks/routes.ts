import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { sendPage } from '../../../platform/http/list.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { idParam } from '../../../platform/http/params.js';
import {
  assigneeSchema,
  cancelTaskBody,
  createTaskBody,
  evaluateBody,
  myAssignmentSchema,
  myTasksQuery,
  previewBody,
  previewSchema,
  replyBody,
  reportBody,
  submitBody,
  taskDetailSchema,
  taskListQuery,
  taskSchema,
  versionBody,
} from './schemas.js';
import * as service from './service.js';

const tags = ['任务管理 Manager tasks'];
const MOVE_409 = '409: a move not open now (its title names the moves open to you, which the task lists as allowedMoves), or stale';

/** 任务管理 (下达 → 过程控制 → 执行评价): heads set and evaluate tasks, managers report progress and submit them. */
export const taskRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.post('/api/managers/tasks', {
    config: { access: 'tasks.assign' },
    schema: {
      tags,
      summary: '下达: set a task for one manager, a team (a unit of your subtree), or every manager holding customers of a filter or of one of your saved segments; each is told',
      body: createTaskBody,
      response: { 201: taskDetailSchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createTask(deps, actorOf(req), req.body)),
  });
  app.post('/api/managers/tasks/preview', {
    config: { access: 'tasks.assign' },
    schema: { tags, summary: 'The managers a target would reach (a dry run: nothing is written)', body: previewBody, response: { 200: previewSchema, ...problemResponses } },
    handler: (req) => service.previewTarget(deps, actorOf(req), req.body.target),
  });
  app.get('/api/managers/tasks', {
    config: { access: 'tasks.assign' },
    schema: { tags, summary: 'Tasks I issued (view=mine) or every task of my unit subtree (view=unit), with the assignments by status; with a total', querystring: taskListQuery, response: { 200: z.array(taskSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listTasks(deps, actorOf(req), req.query), req.query.fields),
  });
  app.get('/api/managers/tasks/mine', {
    config: { access: 'work.own' },
    schema: { tags, summary: '我的任务: my assignments with their tasks, the open ones first by due day; with a total', querystring: myTasksQuery, response: { 200: z.array(myAssignmentSchema), ...problemResponses } },
    handler: async (req, reply) => sendPage(reply, await service.listMine(deps, actorOf(req), req.query), req.query.fields),
  });
  app.get('/api/managers/tasks/assignees', {
    config: { access: 'tasks.assign' },
    schema: { tags, summary: 'The account managers of my unit subtree, whom a task may be set for', response: { 200: z.array(assigneeSchema), ...problemResponses } },
    handler: (req) => service.assignees(deps, actorOf(req)),
  });
  app.get('/api/managers/tasks/:id', {
    // a head (tasks.assign) and a manager (work.own) both read a task; the service refuses anyone holding neither
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'One task: all its assignments for a head who follows it (a manager: their own), the progress reports and the moves open to the reader (needs tasks.assign or work.own)',
      params: idParam,
      response: { 200: taskDetailSchema, ...problemResponses },
    },
    handler: (req) => service.getTaskDetail(deps, actorOf(req), req.params.id),
  });
  app.post('/api/managers/tasks/:id/cancel', {
    config: { access: 'tasks.assign' },
    schema: { tags, summary: 'Cancel an open task at the version read; its open assignments are cancelled and their managers told (409: not open, or stale)', params: idParam, body: cancelTaskBody, response: { 200: taskDetailSchema, ...problemResponses } },
    handler: (req) => service.cancelTask(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/managers/task-assignments/:id/start', {
    config: { access: 'work.own' },
    schema: { tags, summary: `Start my assignment (assigned → in progress); the issuer is told. ${MOVE_409}`, params: idParam, body: versionBody, response: { 200: taskDetailSchema, ...problemResponses } },
    handler: (req) => service.startAssignment(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/managers/task-assignments/:id/reports', {
    config: { access: 'work.own' },
    schema: {
      tags,
      summary: 'Report progress on my assignment (percent and what was done; an assigned one starts); the issuer is told (409: submitted or closed, or stale)',
      params: idParam,
      body: reportBody,
      response: { 200: taskDetailSchema, ...problemResponses },
    },
    handler: (req) => service.reportProgress(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/managers/task-assignments/:id/submit', {
    config: { access: 'work.own' },
    schema: { tags, summary: `Submit my assignment for evaluation (progress 100); the issuer is told. ${MOVE_409}`, params: idParam, body: submitBody, response: { 200: taskDetailSchema, ...problemResponses } },
    handler: (req) => service.submitAssignment(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/managers/task-assignments/:id/evaluate', {
    config: { access: 'tasks.assign' },
    schema: {
      tags,
      summary: `执行评价: score a submitted assignment 0–100 with a comment; the manager is told; the task closes when every assignment is evaluated or cancelled. ${MOVE_409}`,
      params: idParam,
      body: evaluateBody,
      response: { 200: taskDetailSchema, ...problemResponses },
    },
    handler: (req) => service.evaluateAssignment(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/managers/task-assignments/:id/replies', {
    config: { access: 'tasks.assign' },
    schema: { tags, summary: 'Reply to a manager on their assignment’s timeline (a head following the task); the manager is told', params: idParam, body: replyBody, response: { 200: taskDetailSchema, ...problemResponses } },
    handler: (req) => service.replyToAssignment(deps, actorOf(req), req.params.id, req.body),
  });
};
