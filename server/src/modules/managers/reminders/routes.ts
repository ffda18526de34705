import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { sendPage } from '../../../platform/http/list.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { idParam } from '../../../platform/http/params.js';
import { dismissBody, reminderSchema, remindersQuery, settingBody, settingDeleteQuery, settingParams, settingsQuery, snoozeBody, unitSettingsSchema } from './schemas.js';
import * as service from './service.js';

const tags = ['日常事务提醒 Reminders'];

export const reminderRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/me/reminders', {
    config: { access: 'work.own' },
    schema: {
      tags,
      summary: 'Your reminders, by due day: by default the open ones and the snoozed ones whose snooze has ended',
      querystring: remindersQuery,
      response: { 200: z.array(reminderSchema), ...problemResponses },
    },
    handler: async (req, reply) => sendPage(reply, await service.myReminders(deps, actorOf(req), req.query), req.query.fields),
  });
  app.post('/api/reminders/:id/dismiss', {
    config: { access: 'work.own' },
    schema: { tags, summary: 'Dismiss a reminder of yours at the version read (someone else’s answers 404)', params: idParam, body: dismissBody, response: { 200: reminderSchema, ...problemResponses } },
    handler: (req) => service.dismiss(deps, actorOf(req), req.params.id, req.body),
  });
  app.post('/api/reminders/:id/snooze', {
    config: { access: 'work.own' },
    schema: {
      tags,
      summary: 'Snooze a reminder of yours until a day after today (30 days at most), at the version read; it opens again that morning',
      params: idParam,
      body: snoozeBody,
      response: { 200: reminderSchema, ...problemResponses },
    },
    handler: (req) => service.snooze(deps, actorOf(req), req.params.id, req.body),
  });
  app.get('/api/managers/:id/reminders', {
    config: { access: 'managers.read' },
    schema: {
      tags,
      summary: 'The reminders of an account manager of your units, read-only (same filters as your own)',
      params: idParam,
      querystring: remindersQuery,
      response: { 200: z.array(reminderSchema), ...problemResponses },
    },
    handler: async (req, reply) => sendPage(reply, await service.managerReminders(deps, actorOf(req), req.params.id, req.query), req.query.fields),
  });

  // ---- settings
  app.get('/api/reminder-settings', {
    config: { access: 'reminders.configure' },
    schema: {
      tags,
      summary: 'The reminder settings in force in a unit of yours (by default your own): each type with its lead days and where they come from',
      querystring: settingsQuery,
      response: { 200: unitSettingsSchema, ...problemResponses },
    },
    handler: (req) => service.unitSettings(deps, actorOf(req), req.query.unitId),
  });
  app.put('/api/org/units/:id/reminder-settings/:type', {
    config: { access: 'reminders.configure' },
    schema: {
      tags,
      summary: 'Set a unit’s own setting of a reminder type (enabled, lead days): without version to create it, with the version read to change it',
      params: settingParams,
      body: settingBody,
      response: { 200: unitSettingsSchema, ...problemResponses },
    },
    handler: (req) => service.putSetting(deps, actorOf(req), req.params.id, req.params.type, req.body),
  });
  app.delete('/api/org/units/:id/reminder-settings/:type', {
    config: { access: 'reminders.configure' },
    schema: {
      tags,
      summary: 'Drop a unit’s own setting of a type at the version read: it follows the unit above it again',
      params: settingParams,
      querystring: settingDeleteQuery,
      response: { 200: unitSettingsSchema, ...problemResponses },
    },
    handler: (req) => service.deleteSetting(deps, actorOf(req), req.params.id, req.params.type, req.query.version),
  });
};
