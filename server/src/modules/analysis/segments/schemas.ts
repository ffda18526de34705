/** 目标客户群 and 营销活动 at the edge. */
import { z } from 'zod';
import { pageQuery } from '../../../platform/http/list.js';
import { customerRowSchema } from '../query/schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const SEGMENT_MODES = ['live', 'frozen'] as const;
export const CHANNELS = ['sms', 'phone', 'visit', 'wechat', 'email', 'outlet'] as const;
export const CAMPAIGN_STATUSES = ['draft', 'running', 'closed'] as const;
export const RESPONSES = ['responded', 'accepted', 'declined', 'no_answer'] as const;
export type Response = (typeof RESPONSES)[number];

export const segmentBody = z
  .strictObject({
    name: text(100),
    queryId: id.optional().describe('A saved query you see: its tree is copied'),
    tree: z.record(z.string(), z.unknown()).optional().describe('A condition tree (as POST /api/analysis/query takes); one of queryId or tree'),
    mode: z.enum(SEGMENT_MODES).default('live').describe('live: evaluated on each read; frozen: its customers stored now'),
  })
  .refine((b) => (b.queryId === undefined) !== (b.tree === undefined), { message: 'queryId or tree', path: ['tree'] });
export type SegmentInput = z.infer<typeof segmentBody>;

export const modeBody = z.strictObject({ version: z.number().int().positive(), mode: z.enum(SEGMENT_MODES).describe('frozen: (re)take the snapshot now; live: drop it') });
export const versionQuery = z.object({ version: z.coerce.number().int().positive().max(2_147_483_647).optional().describe('The version read (required): a change since answers 409') });

export const segmentSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    queryId: z.number().int().nullable(),
    tree: z.record(z.string(), z.unknown()),
    mode: z.enum(SEGMENT_MODES),
    frozenAt: z.date().nullable(),
    frozenSize: z.number().int().nullable().describe('Customers stored when frozen (by the one who froze it)'),
    ownerId: z.number().int(),
    ownerName: z.string(),
    unitId: z.number().int(),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    mine: z.boolean(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'AnalysisSegment' });
export type Segment = z.infer<typeof segmentSchema>;

const bucket = z.object({
  key: z.string().nullable(),
  label: z.string().nullable().describe('byCity: the city’s name'),
  labelEn: z.string().nullable().describe('byCity: the city’s English name, where it has one'),
  customers: z.number().int(),
  avgBilled: z.number().nullable(),
});
export const profileSchema = z
  .object({
    size: z.number().int().describe('Customers of the segment you see'),
    avgBilled: z.number().nullable().describe('Average billed of the latest month with facts (yuan)'),
    latestMonth: z.string(),
    byLevel: z.array(bucket),
    byIndustry: z.array(bucket),
    byCity: z.array(bucket),
    byKind: z.array(bucket),
  })
  .meta({ id: 'AnalysisSegmentProfile' });
export type Profile = z.infer<typeof profileSchema>;

export const segmentDetailSchema = segmentSchema
  .extend({
    profile: profileSchema,
    exportLimit: z.number().int().describe('The most customers an export takes (SEGMENT_EXPORT_MAX_ROWS): a larger profile.size answers 413'),
  })
  .meta({ id: 'AnalysisSegmentDetail' });

export const memberSchema = customerRowSchema;
export type Member = z.infer<typeof memberSchema>;
export const membersQuery = pageQuery.extend({ managerId: z.coerce.number().int().positive().optional().describe('Only the customers of this manager') });

export const exportQuery = z.object({
  format: z.enum(['csv', 'xlsx']).default('csv'),
  pii: z.enum(['true', 'false']).default('false').describe('Phones and ID numbers in clear (customers.export_pii)'),
});

export const handOffBody = z.strictObject({
  title: text(200),
  description: z.string().trim().max(5000).nullish(),
  dueOn: day,
});
export const handOffSchema = z
  .object({
    tasks: z.array(z.object({ managerId: z.number().int(), managerName: z.string(), customers: z.number().int(), taskId: z.number().int() })),
    skipped: z.array(z.object({ managerId: z.number().int(), managerName: z.string(), customers: z.number().int() })).describe('Managers a task could not be set for (not an active account manager of your subtree)'),
    unassigned: z.number().int().describe('Customers of the segment without a manager'),
  })
  .meta({ id: 'AnalysisSegmentHandOff' });
export type HandOff = z.infer<typeof handOffSchema>;

export const campaignBody = z.strictObject({
  name: text(100),
  channel: z.enum(CHANNELS),
  startsOn: day,
  endsOn: day,
  offer: text(2000).describe('What is offered'),
  segmentId: id.describe('The segment whose customers (that you see) become the members'),
});
export type CampaignInput = z.infer<typeof campaignBody>;
export const campaignPatch = z.strictObject({ version: z.number().int().positive(), name: text(100).optional(), channel: z.enum(CHANNELS).optional(), startsOn: day.optional(), endsOn: day.optional(), offer: text(2000).optional() });
export type CampaignPatch = z.infer<typeof campaignPatch>;
export const statusBody = z.strictObject({ version: z.number().int().positive(), status: z.enum(CAMPAIGN_STATUSES) });

export const figuresSchema = z.object({
  members: z.number().int(),
  contacted: z.number().int().describe('Reach: members with a response recorded (no answer included)'),
  responded: z.number().int().describe('Members who responded (responded, accepted or declined)'),
  accepted: z.number().int(),
  declined: z.number().int(),
  noAnswer: z.number().int(),
  reachRate: z.number().nullable().describe('contacted ÷ members, percent'),
  responseRate: z.number().nullable().describe('responded ÷ contacted, percent'),
  acceptanceRate: z.number().nullable().describe('accepted ÷ contacted, percent'),
});
export type Figures = z.infer<typeof figuresSchema>;

export const campaignSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    channel: z.enum(CHANNELS),
    startsOn: z.string(),
    endsOn: z.string(),
    offer: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    segmentId: z.number().int().nullable(),
    segmentName: z.string().nullable(),
    ownerId: z.number().int(),
    ownerName: z.string(),
    unitId: z.number().int(),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
    figures: figuresSchema,
  })
  .meta({ id: 'AnalysisCampaign' });
export type Campaign = z.infer<typeof campaignSchema>;

export const campaignMemberSchema = z.object({
  customerId: z.number().int(),
  customerNo: z.string(),
  name: z.string(),
  unitName: z.string(),
  unitNameEn: z.string().nullable(),
  managerName: z.string().nullable(),
  response: z.enum(RESPONSES).nullable(),
  respondedAt: z.date().nullable(),
  recordedByName: z.string().nullable(),
  note: z.string().nullable(),
});
export type CampaignMember = z.infer<typeof campaignMemberSchema>;
export const campaignMembersQuery = pageQuery.extend({ response: z.enum([...RESPONSES, 'none']).optional().describe('none: not contacted yet') });

export const responseBody = z.strictObject({
  response: z.enum(RESPONSES),
  at: z.iso.datetime({ offset: true }).optional().describe('When; now by default'),
  note: z.string().trim().max(1000).nullish(),
});
export type ResponseInput = z.infer<typeof responseBody>;
export const customerParams = z.strictObject({ id: z.coerce.number().int().positive(), customerId: z.coerce.number().int().positive() });
export const importSchema = z.object({ recorded: z.number().int() }).meta({ id: 'AnalysisCampaignImport' });
