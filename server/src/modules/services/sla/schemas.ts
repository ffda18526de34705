/** 服务时限: SLA policies and the holiday calendar, at the edge. */
import { z } from 'zod';
import { LEVELS } from '../../rules/benefits/service.js';
import { pageQuery } from '../../../platform/http/list.js';
import { CLOCKS } from './clock.js';

/** The types of a service request (DOMAIN.md §5: ordinary and cross-region services). */
export const REQUEST_TYPES = ['consultation', 'complaint', 'fault', 'bill_query', 'plan_change', 'sim_replacement', 'repair', 'payment', 'network_transfer'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
export const AREA_KINDS = ['town', 'rural'] as const;
export type AreaKind = (typeof AREA_KINDS)[number];
/** The customer levels (星级 and 集团分类), lowest first, as the rules rate them; targets.test.ts checks they are the customers module's too. */
export { LEVELS };
export const HOLIDAY_KINDS = ['holiday', 'workday'] as const;
export type HolidayKind = (typeof HOLIDAY_KINDS)[number];

// a year of calendar minutes: longer targets are typing mistakes
const MAX_MINUTES = 366 * 24 * 60;
const minutes = z.number().int().min(1).max(MAX_MINUTES);

const policyFields = {
  requestType: z.enum(REQUEST_TYPES),
  level: z.enum(LEVELS).nullable().describe('A customer level, or null for any level'),
  areaKind: z.enum(AREA_KINDS).nullable().describe('城镇 town or 农村 rural, or null for any area'),
  respondMinutes: minutes.describe('Minutes of the clock to the first response'),
  resolveMinutes: minutes.describe('Minutes of the clock to the resolution (at least the response target)'),
  clock: z.enum(CLOCKS).describe('calendar: elapsed time; business: 09:00–18:00 Asia/Shanghai on working days'),
  warnPercent: z.number().int().min(1).max(99).describe('Warn when this share of the resolution time has passed'),
  waivesFee: z.boolean().describe("A breach waives the month's fee for the outage (faults, 2011 standard)"),
  active: z.boolean(),
  note: z.string().trim().max(500).nullable(),
};

export const policyBody = z.strictObject({
  ...policyFields,
  level: policyFields.level.default(null),
  areaKind: policyFields.areaKind.default(null),
  clock: policyFields.clock.default('calendar'),
  warnPercent: policyFields.warnPercent.default(80),
  waivesFee: policyFields.waivesFee.default(false),
  active: policyFields.active.default(true),
  note: policyFields.note.default(null),
});
export type PolicyInput = z.infer<typeof policyBody>;

/** A change at the version read: only the fields sent change (the active flag deactivates; policies are not deleted). */
export const policyPatch = z.strictObject(policyFields).partial().extend({ version: z.number().int().positive() });
export type PolicyPatch = z.infer<typeof policyPatch>;

export const policySchema = z
  .object({
    id: z.number().int(),
    ...policyFields,
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'SlaPolicy' });
export type Policy = z.infer<typeof policySchema>;

export const policiesQuery = pageQuery.extend({
  requestType: z.enum(REQUEST_TYPES).optional(),
  active: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  limit: pageQuery.shape.limit.unwrap().default(100),
});
export type PoliciesQuery = z.infer<typeof policiesQuery>;

const isoDay = z.iso.date().describe('A day, YYYY-MM-DD');
export const dayParam = z.object({ day: isoDay });

export const holidaysQuery = pageQuery.extend({
  year: z.coerce.number().int().min(2000).max(2100),
  // a year's holidays and worked weekend days fit on one page
  limit: pageQuery.shape.limit.unwrap().default(366),
});
export type HolidaysQuery = z.infer<typeof holidaysQuery>;

export const holidayBody = z.strictObject({
  kind: z.enum(HOLIDAY_KINDS).describe('holiday: a day off (法定节假日); workday: a weekend day worked instead (调休上班)'),
  name: z.string().trim().min(1).max(50).describe('国庆节, 元旦…'),
});
export type HolidayInput = z.infer<typeof holidayBody>;

export const holidaySchema = z
  .object({
    day: isoDay,
    kind: z.enum(HOLIDAY_KINDS),
    name: z.string(),
    createdAt: z.date(),
  })
  .meta({ id: 'Holiday' });
export type Holiday = z.infer<typeof holidaySchema>;
