import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/http/access.js';
import { problemResponses } from '../../../platform/http/openapi.js';
import { backupListSchema, startedSchema } from './schemas.js';
import * as service from './service.js';

const tags = ['数据备份 Backups'];

/** 数据备份: the archives in BACKUP_DIR, and a backup started now (the scheduled job's run). */
export const backupRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get('/api/system/backups', {
    config: { access: 'system.monitor' },
    schema: {
      tags,
      summary: 'The backups in BACKUP_DIR, newest first, with size and checksum state',
      response: { 200: backupListSchema, ...problemResponses },
    },
    handler: async () => service.listBackups(deps),
  });
  app.post('/api/system/backups', {
    config: { access: 'system.operate' },
    schema: {
      tags,
      summary: 'Start a backup now (the system.backup job); answers with its run while it works',
      response: { 202: startedSchema, ...problemResponses },
    },
    handler: async (req, reply) => reply.code(202).send(await service.startBackupNow(deps, actorOf(req))),
  });
};
