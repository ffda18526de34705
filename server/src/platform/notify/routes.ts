import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { actorOf } from '../http/access.js';
import { pageQuery, sendPage } from '../http/list.js';
import { problemResponses } from '../http/openapi.js';
import { requestLocale } from '../http/problem.js';
import { markRead, myNotifications } from './notify.js';

const tags = ['消息通知 Notifications'];

const notificationSchema = z
  .object({
    id: z.number().int(),
    code: z.string().describe('The kind of message (a catalogue code)'),
    text: z.string().describe("The message, worded in the reader's language"),
    link: z.string().nullable().describe('The console page the message opens'),
    entity: z.string().nullable(),
    entityId: z.number().int().nullable(),
    createdAt: z.date(),
    readAt: z.date().nullable(),
  })
  .meta({ id: 'Notification' });

const listQuery = pageQuery.extend({ unread: z.enum(['true', 'false']).optional().describe('Only the unread ones') });

/** 我的消息: the signed-in user's in-app messages, newest first; the unread count travels in X-Unread-Count. */
export const notifyRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/me/notifications', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'My in-app messages, newest first (X-Unread-Count: how many are unread)', querystring: listQuery, response: { 200: z.array(notificationSchema), ...problemResponses } },
    handler: async (req, reply) => {
      const { items, total, unread } = await myNotifications(deps.database, actorOf(req).userId!, requestLocale(req), req.query);
      reply.header('X-Unread-Count', String(unread));
      return sendPage(reply, { items, total }, req.query.fields);
    },
  });
  app.post('/api/me/notifications/read', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'Mark my messages read: the ones listed, or all of them',
      body: z.strictObject({ ids: z.array(z.number().int().positive()).max(500).optional().describe('None: all my messages') }),
      response: { 200: z.object({ marked: z.number().int() }), ...problemResponses },
    },
    handler: async (req) => ({ marked: await markRead(deps.database, actorOf(req).userId!, req.body.ids) }),
  });
};
