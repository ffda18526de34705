import { z } from 'zod';
import { pageQuery } from '../../platform/http/list.js';
import { optionalReadableName, readableName } from '../../platform/http/text.js';

export const CUSTOMER_KINDS = ['group', 'individual'] as const;
export const ARCHIVES = ['in_network', 'retained'] as const;
export const BRANDS = ['gotone', 'mzone', 'easyown'] as const;
/** Where a change of a customer's data came from (动态管理: 信息来源). */
export const CHANGE_SOURCES = ['boss_import', 'manager_visit', 'self_report', 'service_agent', 'console'] as const;
/** Why a customer moves between the archives. */
export const LIFECYCLE_REASONS = ['port_out', 'closure', 'lost_status', 'merged', 'win_back', 'regained_status'] as const;
/** GB/T 4754 sections A–T. */
export const INDUSTRIES = 'ABCDEFGHIJKLMNOPQRST'.split('') as [string, ...string[]];

const date = z.iso.date();
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullish();
const phone = z
  .string()
  .trim()
  .regex(/^[0-9+\- ]{5,20}$/, 'digits, +, - and spaces')
  .nullish();
const money = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,2})?$/, 'a non-negative amount with up to two decimals')
  .nullish();

export const SORTS = ['name', 'customerNo', 'joinedOn', 'updatedAt', 'level', 'creditGrade', 'points', 'arrears'] as const;
/** 星级 and 集团分类 of the rules (DOMAIN.md §4), lowest first. */
export const LEVELS = ['unrated', '1', '2', '3', '4', '5s', '5g', '5d', 'C', 'B', 'A'] as const;

/** A comma-separated list of values, each matching `item`. */
const listOf = (item: string, what: string) =>
  z
    .string()
    .max(200)
    .regex(new RegExp(`^(${item})(,(${item}))*$`), `${what}, comma-separated`);

export const customerFilter = z.object({
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .describe('Any two characters of a customer’s or key person’s name (one character: the start of the name), a customer number, a phone number (MSISDN or contact phone, spaces, dashes and +86 allowed), a credit code or an ID number'),
  archive: z.enum(ARCHIVES).optional(),
  kind: z.enum(CUSTOMER_KINDS).optional(),
  unitId: z.coerce.number().int().positive().optional().describe('Region: customers of this unit and its sub-units'),
  industry: z.enum(INDUSTRIES).optional(),
  brand: z.enum(BRANDS).optional(),
  managerId: z.coerce.number().int().positive().optional(),
  level: listOf(LEVELS.join('|'), 'levels').optional().describe('Levels of the latest completed rules run, e.g. 5s,5g,5d'),
  creditGrade: listOf('[A-Za-z+-]{1,8}', 'credit grades').optional().describe('Credit grades of the latest completed rules run, e.g. AAA,AA'),
  pointsMin: z.coerce.number().int().min(0).max(1_000_000_000).optional().describe('Points balance at least'),
  arrears: z.enum(['yes', 'no']).optional().describe('In arrears (yes) or not (no) at the end of the latest month with facts'),
});
export type CustomerFilter = z.infer<typeof customerFilter>;

export const listCustomersQuery = pageQuery.merge(customerFilter).extend({
  sort: z.enum(SORTS).optional().describe('customerNo by default; a search without a sort lists its best matches first (exact, start of a name, elsewhere), each by name'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type ListCustomersQuery = z.infer<typeof listCustomersQuery>;

export const customerSummarySchema = z
  .object({
    id: z.number().int(),
    customerNo: z.string(),
    kind: z.enum(CUSTOMER_KINDS),
    name: z.string(),
    archive: z.enum(ARCHIVES),
    unitId: z.number().int(),
    unitName: z.string(),
    unitNameEn: z.string().nullable(),
    managerId: z.number().int().nullable(),
    managerName: z.string().nullable(),
    industry: z.string().nullable(),
    brand: z.string().nullable(),
    contactPhone: z.string().nullable().describe('Masked'),
    creditCode: z.string().nullable(),
    idNumber: z.string().nullable().describe('Masked: last four characters only'),
    joinedOn: z.string().nullable(),
    level: z.enum(LEVELS).nullable().describe('Level of the latest completed rules run'),
    creditGrade: z.string().nullable().describe('Credit grade of the latest completed rules run'),
    points: z.number().int().nullable().describe('Points balance'),
    arrears: z.string().nullable().describe('Arrears at the end of the latest month with facts (yuan)'),
    version: z.number().int(),
    updatedAt: z.date(),
  })
  .meta({ id: 'CustomerSummary' });
export type CustomerSummary = z.infer<typeof customerSummarySchema>;

const editableFields = {
  name: readableName(200).optional(),
  industry: z.enum(INDUSTRIES).nullish(),
  brand: z.enum(BRANDS).nullish(),
  contactPhone: phone,
  address: optionalText(300),
  joinedOn: date.nullish(),
  creditCode: z
    .string()
    .trim()
    .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, '18 characters of the unified social credit code')
    .nullish(),
  legalRepresentative: optionalReadableName(50),
  employees: z.number().int().min(0).max(10_000_000).nullish(),
  registeredCapital: money,
  revenueBand: optionalText(50),
  itNeeds: optionalText(2000),
  gender: z.enum(['male', 'female']).nullish(),
  birthday: date.nullish(),
  idType: z.enum(['resident_id', 'passport', 'hk_macao_pass', 'taiwan_pass', 'other']).nullish(),
  idNumber: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z]{6,30}$/, 'letters and digits')
    .nullish(),
  employer: optionalReadableName(200),
  jobTitle: optionalText(100),
  preferences: optionalText(2000),
  contactChannel: z.enum(['phone', 'sms', 'wechat', 'email', 'visit']).nullish(),
  realNameVerified: z.boolean().optional(),
};

/** 客户编号: what every writer of customers accepts (the console, the imports, the TM Forum façade). */
export const CUSTOMER_NO_PATTERN = /^[A-Za-z0-9-]{4,32}$/;

export const createCustomerBody = z.strictObject({
  customerNo: z.string().trim().regex(CUSTOMER_NO_PATTERN, 'letters, digits and -'),
  kind: z.enum(CUSTOMER_KINDS),
  unitId: z.number().int().positive(),
  managerId: z.number().int().positive().nullish(),
  ...editableFields,
  name: readableName(200),
});
export type CreateCustomer = z.infer<typeof createCustomerBody>;

export const patchCustomerBody = z.strictObject({
  version: z.number().int().positive(),
  source: z.enum(CHANGE_SOURCES).exclude(['boss_import']).default('console'),
  ...editableFields,
});
export type PatchCustomer = z.infer<typeof patchCustomerBody>;
export type EditableField = keyof typeof editableFields;
export const EDITABLE_FIELDS = Object.keys(editableFields) as EditableField[];

export const visitBody = z.strictObject({
  visitedOn: date,
  channel: z.enum(['visit', 'phone', 'wechat', 'meeting']),
  summary: text(2000),
  version: z.number().int().positive().optional().describe('Required when updates are given'),
  updates: z.strictObject(editableFields).optional().describe('Fields updated from what the visit learned'),
});
export type VisitInput = z.infer<typeof visitBody>;

export const lifecycleBody = z.strictObject({
  version: z.number().int().positive(),
  toArchive: z.enum(ARCHIVES),
  reason: z.enum(LIFECYCLE_REASONS),
  effectiveOn: date,
  note: optionalText(500),
});
export type LifecycleInput = z.infer<typeof lifecycleBody>;

export const assignBody = z.strictObject({
  version: z.number().int().positive(),
  managerId: z.number().int().positive(),
  fromDate: date.optional(),
});

export const revealBody = z.strictObject({
  field: z.enum(['idNumber', 'contactPhone', 'subscription', 'keyPersonPhone']),
  refId: z.number().int().positive().optional().describe('The subscription or key person, for those fields'),
});

export const mergeBody = z.strictObject({
  version: z.number().int().positive(),
  duplicateId: z.number().int().positive(),
  duplicateVersion: z.number().int().positive(),
});

export const keyPersonBody = z.strictObject({
  name: readableName(50),
  role: z.enum(['decision_maker', 'it_contact', 'finance_contact', 'other']),
  title: optionalText(100),
  phone,
  birthday: date.nullish(),
  preferences: optionalText(1000),
});

export const savedFilterBody = z.strictObject({ name: readableName(50), filter: customerFilter.strict() });

const trendPoint = z.object({
  month: z.string(),
  revenue: z.string(),
  billed: z.string(),
  paid: z.string(),
  arrears: z.string(),
  voiceMinutes: z.number(),
  smsCount: z.number(),
  dataMb: z.string(),
});

export const customerViewSchema = customerSummarySchema
  .extend({
    address: z.string().nullable(),
    legalRepresentative: z.string().nullable(),
    employees: z.number().int().nullable(),
    registeredCapital: z.string().nullable(),
    revenueBand: z.string().nullable(),
    itNeeds: z.string().nullable(),
    gender: z.string().nullable(),
    birthday: z.string().nullable(),
    idType: z.string().nullable(),
    employer: z.string().nullable(),
    jobTitle: z.string().nullable(),
    preferences: z.string().nullable(),
    contactChannel: z.string().nullable(),
    realNameVerified: z.boolean(),
    archivedReason: z.string().nullable(),
    archivedOn: z.string().nullable(),
    mergedInto: z.number().int().nullable(),
    keyPersons: z.array(
      z.object({ id: z.number().int(), name: z.string(), role: z.string(), title: z.string().nullable(), phone: z.string().nullable(), birthday: z.string().nullable(), preferences: z.string().nullable(), version: z.number().int() }),
    ),
    subscriptions: z.array(
      z.object({ id: z.number().int(), msisdn: z.string(), plan: z.string(), status: z.string(), openedOn: z.string(), groupCustomerId: z.number().int().nullable() }),
    ),
    groupMembers: z.number().int().describe('Subscriptions that are members of this group customer'),
    contracts: z.array(
      z.object({ id: z.number().int(), contractNo: z.string(), title: z.string(), signedOn: z.string(), expiresOn: z.string(), amount: z.string().nullable() }),
    ),
    products: z.array(
      z.object({ id: z.number().int(), competitor: z.string().nullable(), product: z.string(), since: z.string().nullable(), monthlyFee: z.string().nullable(), note: z.string().nullable() }),
    ),
    trend: z.array(trendPoint),
    currentArrears: z.string(),
    /** Filled by the service-rules issue (credit grade, level, points) and the service issue. */
    rules: z.object({ creditGrade: z.string().nullable(), level: z.string().nullable(), points: z.number().nullable() }),
    openServiceRequests: z.number().int().nullable().describe('Service requests of the customer not yet resolved or closed'),
  })
  .meta({ id: 'CustomerView' });
export type CustomerView = z.infer<typeof customerViewSchema>;

export const historyEntrySchema = z
  .object({
    kind: z.enum(['change', 'visit', 'lifecycle', 'assignment']),
    at: z.date(),
    field: z.string().nullable(),
    oldValue: z.string().nullable(),
    newValue: z.string().nullable(),
    source: z.string().nullable(),
    actorName: z.string().nullable(),
    detail: z.string().nullable(),
  })
  .meta({ id: 'CustomerHistoryEntry' });
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const exportQuery = customerFilter.extend({
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  pii: z.enum(['true', 'false']).transform((v) => v === 'true').default(false).describe('Unmasked phones and ID numbers (needs customers.export_pii; audited)'),
});

export const exportJobBody = z.strictObject({
  filter: customerFilter.strict(),
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  pii: z.boolean().default(false).describe('Unmasked phones and ID numbers (needs customers.export_pii; audited)'),
});

export const exportJobSchema = z
  .object({
    id: z.number().int(),
    format: z.enum(['xlsx', 'csv']),
    fileName: z.string(),
    status: z.enum(['running', 'done', 'failed']).describe('A running export that stopped reporting shows as failed'),
    rowsTotal: z.number().int().nullable().describe('Counted when the export starts reading'),
    rowsDone: z.number().int(),
    bytes: z.number().int(),
    error: z.string().nullable(),
    createdAt: z.coerce.date(),
    finishedAt: z.coerce.date().nullable(),
    expiresAt: z.coerce.date().nullable().describe('The file is deleted then'),
  })
  .meta({ id: 'ExportJob' });
