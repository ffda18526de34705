import { z } from 'zod';
import type { ChainProblem } from '../../platform/audit/chain.js';
import { pageQuery } from '../../platform/http/list.js';

export const auditEntrySchema = z
  .object({
    id: z.number().int(),
    seq: z.number().int().nullable().describe('Position in the audit chain; null until the sealer has chained the entry (within a moment of its commit)'),
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
    hash: z.string().nullable().describe('The chain hash; null until sealed'),
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

export const CHAIN_PROBLEMS = [
  'entry_changed',
  'entry_missing',
  'unknown_key',
  'unkeyed_entry',
  'tail_removed',
  'checkpoint_mismatch',
  'checkpoint_forged',
] as const satisfies readonly ChainProblem[];

export const chainReportSchema = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    brokenAt: z.number().int().nullable(),
    brokenEntryId: z.number().int().nullable().describe('An entry not sealed yet whose content no longer matches its signature (its id; brokenAt is null)'),
    problem: z.enum(CHAIN_PROBLEMS).nullable().describe('Why the chain is broken at brokenAt'),
    head: z.object({ seq: z.number().int(), hash: z.string().nullable() }).describe('The newest entry checked'),
    legacyEntries: z.number().int().describe('Entries older than the audit key (key-less SHA-256), at the start of the chain'),
    startsAfter: z.number().int().nullable().describe('Entries up to this signed checkpoint were archived and removed (retention)'),
    checkpoints: z
      .object({ valid: z.number().int(), forged: z.number().int(), latestSeq: z.number().int().nullable() })
      .describe('Signed checkpoints read from the server’s checkpoint file'),
    unsealed: z.number().int().describe('Entries committed and not sealed into the chain yet, their signatures checked'),
  })
  .meta({ id: 'AuditChainReport' });
