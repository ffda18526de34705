/** 潜在大客户: the candidate list and the manager's decision, at the edge. */
import { z } from 'zod';
import { pageQuery } from '../../../platform/http/list.js';
import { LEVELS } from '../params.js';
import { monthSchema } from '../schemas.js';

export const CANDIDATE_STATUSES = ['open', 'confirmed', 'rejected'] as const;

export const candidatesQuery = pageQuery.extend({
  status: z.enum(CANDIDATE_STATUSES).default('open'),
  month: monthSchema.optional().describe('Only candidates found by this month’s run'),
});
export type CandidatesQuery = z.infer<typeof candidatesQuery>;

export const candidateSchema = z
  .object({
    id: z.number().int(),
    customerId: z.number().int(),
    customerNo: z.string(),
    customerName: z.string(),
    kind: z.enum(['group', 'individual']),
    archive: z.enum(['in_network', 'retained']),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    managerName: z.string().nullable(),
    month: z.string().describe('The run month that found the candidate, YYYY-MM'),
    reasons: z
      .record(z.string(), z.unknown())
      .describe('What qualified: avgPaid, earlierAvgPaid, growthPct, employees, members and `by` (spend, growth, employees, members)'),
    status: z.enum(CANDIDATE_STATUSES),
    decidedBy: z.string().nullable().describe('User name of the decider'),
    decidedByName: z.string().nullable().describe('Display name of the decider'),
    decidedAt: z.date().nullable(),
    decisionNote: z.string().nullable(),
    confirmedLevel: z.enum(LEVELS).nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'PotentialCandidate' });
export type Candidate = z.infer<typeof candidateSchema>;

export const candidateDecisionBody = z.strictObject({
  version: z.number().int().positive(),
  decision: z.enum(['confirm', 'reject']),
  level: z.enum(LEVELS).optional().describe('Required to confirm: a star level for individuals, a class (A/B/C) for groups'),
  note: z.string().trim().max(500).nullish().describe('Required to reject'),
});
export type CandidateDecision = z.infer<typeof candidateDecisionBody>;
