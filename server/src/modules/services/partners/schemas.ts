/** 跨行业合作伙伴: the administration of partners and their credentials, and the partner API, at the edge. */
import { z } from 'zod';
import { pageQuery } from '../../../platform/http/list.js';
import { optionalReadableName, readableName } from '../../../platform/http/text.js';
import { CUSTOMER_NO_PATTERN } from '../../customers/service.js';
import { LEVELS } from '../../rules/benefits/service.js';

export const INDUSTRIES = ['airline', 'hotel', 'hospital', 'golf', 'rail', 'other'] as const;
export type Industry = (typeof INDUSTRIES)[number];

/** A one-time code lives 5 minutes and allows 5 tries; a verified customer may be confirmed for 30 minutes. */
export const OTP_TTL_MINUTES = 5;
export const OTP_MAX_TRIES = 5;
export const CONFIRM_WINDOW_MINUTES = 30;
/** At most this many codes to one customer from one partner in OTP_BURST_MINUTES (no SMS flood). */
export const OTP_BURST = 5;
export const OTP_BURST_MINUTES = 15;

const benefitCode = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'a benefit code of the benefits rules, e.g. vip_lounge');

// ---- administration (partners.manage) ----

export const credentialSchema = z
  .object({
    id: z.number().int(),
    keyId: z.string().describe('The public half of the key, sent with every call'),
    label: z.string().nullable(),
    status: z.enum(['active', 'expired', 'revoked']),
    createdAt: z.date(),
    createdBy: z.string().nullable().describe('Display name of who issued it (null for the system)'),
    expiresAt: z.date().nullable(),
    revokedAt: z.date().nullable(),
  })
  .meta({ id: 'PartnerCredential' });
export type Credential = z.infer<typeof credentialSchema>;

export const partnerSchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    industry: z.enum(INDUSTRIES),
    unitId: z.number().int(),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    active: z.boolean(),
    benefits: z.array(z.string()).describe('Benefit codes of the benefits rules the partner may confirm'),
    verifyByMemberNo: z.boolean().describe('May verify a key account by the membership number alone, without a code to the phone'),
    rateLimitPerMinute: z.number().int(),
    note: z.string().nullable(),
    activeCredentials: z.number().int(),
    confirmations30d: z.number().int().describe('Confirmations of the last 30 days'),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Partner' });
export type Partner = z.infer<typeof partnerSchema>;

export const partnerDetailSchema = partnerSchema.extend({ credentials: z.array(credentialSchema) }).meta({ id: 'PartnerDetail' });
export type PartnerDetail = z.infer<typeof partnerDetailSchema>;

export const partnerQuery = pageQuery.extend({
  q: z.string().trim().max(60).optional().describe('Part of the code or of either name'),
  industry: z.enum(INDUSTRIES).optional(),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type PartnerQuery = z.infer<typeof partnerQuery>;

const rateLimit = z.number().int().min(1).max(1_000_000).describe('Calls a minute the partner may make; beyond, 429 with Retry-After');
const benefits = z.array(benefitCode).max(50).describe('Benefit codes of the benefits rules in effect');

export const createPartnerBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$/, 'letters, digits, _ and -, 2 to 40 characters'),
  name: readableName(60),
  nameEn: optionalReadableName(100),
  industry: z.enum(INDUSTRIES),
  unitId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().describe('The unit that keeps the partnership; yours when left out'),
  benefits,
  verifyByMemberNo: z.boolean().default(false),
  rateLimitPerMinute: rateLimit.default(600),
  note: optionalReadableName(500),
});
export type CreatePartner = z.infer<typeof createPartnerBody>;

export const patchPartnerBody = z.strictObject({
  version: z.number().int().positive(),
  name: readableName(60).optional(),
  nameEn: optionalReadableName(100),
  industry: z.enum(INDUSTRIES).optional(),
  active: z.boolean().optional().describe('false suspends the partner: its keys answer 403 until it is active again'),
  benefits: benefits.optional(),
  verifyByMemberNo: z.boolean().optional(),
  rateLimitPerMinute: rateLimit.optional(),
  note: optionalReadableName(500),
});
export type PatchPartner = z.infer<typeof patchPartnerBody>;

export const issueBody = z.strictObject({
  label: optionalReadableName(60).describe('What the key is for, e.g. 白云机场 T2 贵宾厅前台'),
  expiresInDays: z.number().int().min(1).max(3660).nullish().describe('The key stops working after this many days; never when left out'),
  retireOthersInDays: z
    .number()
    .int()
    .min(0)
    .max(90)
    .nullish()
    .describe('Rotation: the partner’s other active keys expire this many days from now (0: at once); left out, they keep working'),
});
export type IssueInput = z.infer<typeof issueBody>;

export const issuedSchema = z
  .object({
    credential: credentialSchema,
    secret: z.string().describe('Shown this once and never again: only its hash is kept'),
    token: z.string().describe('What the partner sends: Authorization: Bearer <token> (keyId.secret)'),
  })
  .meta({ id: 'PartnerCredentialIssued' });

export const credentialParams = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  credentialId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

export const activitySchema = z
  .object({
    id: z.number().int(),
    partnerTxnId: z.string(),
    benefit: z.string(),
    quantity: z.number().int(),
    customerLabel: z.string().nullable().describe('The customer’s masked name'),
    remaining: z.number().int().nullable().describe('Uses left this year after it'),
    createdAt: z.date(),
  })
  .meta({ id: 'PartnerConfirmation' });
export type Activity = z.infer<typeof activitySchema>;

export const benefitOptionSchema = z
  .object({ code: z.string(), name: z.string(), nameEn: z.string(), unit: z.enum(['times_per_year', 'flag', 'percent']) })
  .meta({ id: 'PartnerBenefitOption' });

// ---- the partner API ----

export const startBody = z
  .strictObject({
    phone: z
      .string()
      .trim()
      .regex(/^1[3-9]\d{9}$/, 'an 11-digit mobile number')
      .optional()
      .describe('The customer’s mobile number: a code goes to it by SMS'),
    memberNo: z
      .string()
      .trim()
      .regex(CUSTOMER_NO_PATTERN, 'a membership (customer) number')
      .optional()
      .describe('The membership number, for partners allowed to verify by it alone'),
  })
  .refine((b) => (b.phone === undefined) !== (b.memberNo === undefined), { path: ['phone'], message: 'give either phone or memberNo' });
export type StartInput = z.infer<typeof startBody>;

const benefitLeft = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  unit: z.enum(['times_per_year', 'flag', 'percent']),
  allowance: z.number().int().describe('For the level: uses a year (1 for a flag, the percentage for a percent)'),
  used: z.number().int().describe('Uses recorded this calendar year (Asia/Shanghai)'),
  remaining: z.number().int().nullable().describe('Uses left this year; null for flags and percentages'),
  eligible: z.boolean(),
});

const levelFields = {
  level: z.enum(LEVELS).nullable().describe('The key-account level; null: not a rated key account'),
  levelName: z.string().nullable().describe('The level’s name in Chinese'),
  levelNameEn: z.string().nullable().describe('The level’s name in English'),
  customer: z.string().nullable().describe('The masked name (张**): nothing else of the customer is ever answered'),
};

export const verificationSchema = z
  .object({
    verificationId: z.number().int(),
    method: z.enum(['otp', 'member_no']),
    status: z.enum(['code_sent', 'verified']),
    expiresAt: z.date().describe('code_sent: the code’s expiry; verified: until when confirmations may name it'),
  })
  .meta({ id: 'PartnerVerificationStarted' });
export type VerificationStarted = z.infer<typeof verificationSchema>;

export const verifiedSchema = z
  .object({
    verificationId: z.number().int(),
    status: z.literal('verified'),
    validUntil: z.date().describe('Confirmations may name this verification until then'),
    ...levelFields,
    year: z.number().int(),
    benefits: z.array(benefitLeft).describe('Each benefit the partner may confirm, with what is left this year'),
  })
  .meta({ id: 'PartnerVerified' });
export type Verified = z.infer<typeof verifiedSchema>;

/** What a member-number verification answers: verified at once. */
export const startedSchema = z.union([verificationSchema, verifiedSchema]);

export const confirmCodeBody = z.strictObject({ code: z.string().trim().regex(/^\d{6}$/, 'the 6-digit code') });

export const confirmationBody = z.strictObject({
  verificationId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  benefit: benefitCode,
  quantity: z.number().int().min(1).max(100).default(1),
  partnerTxnId: z
    .string()
    .trim()
    .regex(/^[\x21-\x7e]{1,64}$/, '1 to 64 printable ASCII characters')
    .describe('Your own transaction id: a repeat with the same id answers the first answer and never deducts twice'),
});
export type ConfirmationInput = z.infer<typeof confirmationBody>;

export const confirmationSchema = z
  .object({
    confirmationId: z.number().int(),
    partnerTxnId: z.string(),
    verificationId: z.number().int(),
    benefit: z.string(),
    quantity: z.number().int(),
    level: z.enum(LEVELS).nullable(),
    levelName: z.string().nullable(),
    levelNameEn: z.string().nullable(),
    year: z.number().int(),
    allowance: z.number().int(),
    remaining: z.number().int().nullable().describe('Uses left this year after this one; null for flags and percentages'),
    confirmedAt: z.string().describe('ISO 8601'),
  })
  .meta({ id: 'PartnerConfirmationAnswer' });
export type ConfirmationAnswer = z.infer<typeof confirmationSchema>;

export const profileSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    industry: z.enum(INDUSTRIES),
    keyId: z.string(),
    keyExpiresAt: z.date().nullable(),
    benefits: z.array(z.string()),
    verifyByMemberNo: z.boolean(),
    rateLimitPerMinute: z.number().int(),
  })
  .meta({ id: 'PartnerProfile' });
