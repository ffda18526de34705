/** 经理档案: account managers with their profiles, certifications and portfolio figures, and bulk portfolio moves, at the edge. */
import { z } from 'zod';
import { pageQuery } from '../../../platform/http/list.js';
import { readableName } from '../../../platform/http/text.js';
import { ARCHIVES, customerFilter, LEVELS } from '../../customers/service.js';

/** 职级, lowest first: 初级 / 中级 / 高级 / 资深. */
export const GRADES = ['junior', 'intermediate', 'senior', 'expert'] as const;
export type Grade = (typeof GRADES)[number];
/** 专长: the industries and fields a manager knows. */
export const SKILLS = ['ict', 'finance', 'government', 'manufacturing', 'education', 'health', 'retail', 'logistics'] as const;
export const MANAGER_SORTS = ['name', 'unit', 'tenure', 'size', 'value'] as const;

const date = z.iso.date().describe('A calendar day, YYYY-MM-DD');
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const version = z.number().int().min(0);
const optionalText = (max: number) => z.string().trim().max(max).nullish();

export const managerSummarySchema = z
  .object({
    id: z.number().int().describe('The manager’s user id'),
    username: z.string(),
    displayName: z.string(),
    unitId: z.number().int(),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    grade: z.enum(GRADES).nullable().describe('Null until a head records the profile'),
    startedOn: z.string().nullable().describe('First day as an account manager: tenure counts from here'),
    tenureMonths: z.number().int().nullable().describe('Whole months since startedOn'),
    skills: z.array(z.enum(SKILLS)),
    certifications: z.number().int(),
    nextExpiry: z.string().nullable().describe('The nearest expiry of a certification, today or later'),
    expiredCertifications: z.number().int(),
    portfolioSize: z.number().int().describe('Their customers in the in-network archive, not merged'),
    portfolioValue: z.string().describe('Those customers’ billed total of valueMonth, in yuan'),
    valueMonth: z.string().nullable().describe('The last complete month with totals (YYYY-MM-01)'),
    maxPortfolio: z.number().int().nullable(),
    overMax: z.boolean().describe('Holds more customers than maxPortfolio'),
  })
  .meta({ id: 'ManagerSummary' });
export type ManagerSummary = z.infer<typeof managerSummarySchema>;

export const managerListQuery = pageQuery.extend({
  unitId: z.coerce.number().int().positive().optional().describe('Managers of this unit and its sub-units'),
  grade: z.enum(GRADES).optional(),
  skill: z.enum(SKILLS).optional(),
  q: z.string().trim().max(50).optional().describe('A part of the name or the user name'),
  overMax: z.enum(['true', 'false']).optional().describe('Only those holding more customers than their maximum'),
  sort: z.enum(MANAGER_SORTS).default('unit'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type ManagerListQuery = z.infer<typeof managerListQuery>;

export const certificationSchema = z
  .object({
    id: z.number().int(),
    userId: z.number().int(),
    name: z.string(),
    issuer: z.string().nullable(),
    certificateNo: z.string().nullable(),
    issuedOn: z.string().nullable(),
    expiresOn: z.string().nullable(),
    expiresInDays: z.number().int().nullable().describe('Days until expiry (negative once expired)'),
    version: z.number().int(),
  })
  .meta({ id: 'ManagerCertification' });
export type Certification = z.infer<typeof certificationSchema>;

export const managerDetailSchema = managerSummarySchema
  .extend({
    phone: z.string().nullable().describe('Masked'),
    email: z.string().nullable(),
    note: z.string().nullable(),
    profileVersion: z.number().int().describe('0 until the profile is first recorded: a first edit sends 0'),
    profileUpdatedAt: z.date().nullable(),
    certificationList: z.array(certificationSchema),
    byLevel: z.array(z.object({ level: z.enum(LEVELS).nullable(), customers: z.number().int() })).describe('In-network customers by level of the latest rules run (null: not rated)'),
    byArchive: z.array(z.object({ archive: z.enum(ARCHIVES), customers: z.number().int() })),
    trend: z.array(z.object({ month: z.string(), value: z.string() })).describe('Billed total of today’s portfolio, month by month, the last 12 months with totals'),
  })
  .meta({ id: 'ManagerDetail' });
export type ManagerDetail = z.infer<typeof managerDetailSchema>;

export const profilePatch = z.strictObject({
  version: version.describe('profileVersion as read (0 for a first edit)'),
  grade: z.enum(GRADES).optional(),
  startedOn: date.nullish(),
  skills: z.array(z.enum(SKILLS)).max(SKILLS.length).optional(),
  maxPortfolio: z.number().int().min(1).max(100_000).nullish(),
  note: optionalText(1000),
});
export type ProfilePatch = z.infer<typeof profilePatch>;

const certificationFields = {
  name: readableName(100),
  issuer: optionalText(100),
  certificateNo: optionalText(60),
  issuedOn: date.nullish(),
  expiresOn: date.nullish(),
};
export const certificationBody = z.strictObject(certificationFields);
export type CertificationInput = z.infer<typeof certificationBody>;
export const certificationPatch = z.strictObject({ version: z.number().int().positive(), ...certificationFields, name: certificationFields.name.optional() });
export type CertificationPatch = z.infer<typeof certificationPatch>;
export const certificationParams = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  certificationId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

export const portfolioMoveBody = z
  .strictObject({
    fromManagerId: id,
    toManagerId: id,
    customerIds: z.array(id).min(1).max(5000).optional().describe('These customers of the source manager (each must be movable) …'),
    filter: customerFilter.omit({ managerId: true }).optional().describe('… or those of the source manager the customers list’s filter matches; all of them without either'),
    fromDate: date.optional().describe('The first day with the new manager (default today); not in the future'),
    dryRun: z.boolean().default(false).describe('Count what the move would take, change nothing'),
  })
  .meta({ id: 'PortfolioMove' });
export type PortfolioMoveInput = z.infer<typeof portfolioMoveBody>;

export const portfolioMoveResultSchema = z
  .object({
    dryRun: z.boolean(),
    customers: z.number().int().describe('Customers the move takes (dry run) or took'),
    targetSize: z.number().int().describe('The target manager’s in-network portfolio after the move'),
    targetMax: z.number().int().nullable(),
  })
  .meta({ id: 'PortfolioMoveResult' });
export type PortfolioMoveResult = z.infer<typeof portfolioMoveResultSchema>;
