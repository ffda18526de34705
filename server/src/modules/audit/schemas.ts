import { z } from 'zod';
import { pageQuery } from '../../platform/http/list.js';

export const auditEntrySchema = z
  .object({
    id: z.number().int(),
    seq: z.number().int(),
    at: z.date(),
    actorId: z.number().int().nullable(),
    actorUsername: z.string().nullable(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    unitPath: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    diff: z.unknown(),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const listAuditQuery = pageQuery.extend({
  entity: z.string().trim().max(64).optional(),
  entityId: z.string().trim().max(64).optional(),
  action: z.string().trim().max(32).optional(),
  actor: z.string().trim().max(64).optional().describe('User name of the actor'),
  requestId: z.string().trim().max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type ListAuditQuery = z.infer<typeof listAuditQuery>;

export const chainReportSchema = z
  .object({ ok: z.boolean(), checked: z.number().int(), brokenAt: z.number().int().nullable() })
  .meta({ id: 'AuditChainReport' });
