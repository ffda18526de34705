/** TMF629 Customer Management at the edge: the list's attribute filters, the creation and the merge-patch of a Customer. */
import { z } from 'zod';
import { createCustomerBody, LEVELS } from '../../customers/service.js';
import { readableName } from '../../../platform/http/text.js';
import { listQuery, tmfMeta } from '../common/conventions.js';

/** Our archives as the Customer's status: 在网 (in the network) active, 保留 (retained) inactive. */
export const CUSTOMER_STATUSES = { active: 'in_network', inactive: 'retained' } as const;
export type CustomerStatus = keyof typeof CUSTOMER_STATUSES;
const statuses = Object.keys(CUSTOMER_STATUSES) as [CustomerStatus, ...CustomerStatus[]];

/** Why a customer moves between the archives (customers' LIFECYCLE_REASONS but the merge, which only a merge makes). */
export const STATUS_REASONS = ['port_out', 'closure', 'lost_status', 'win_back', 'regained_status'] as const;

/** The filters of the list, each on an indexed column or the standings (never a scan of every customer). */
export const customerListQuery = listQuery({
  name: z.string().trim().min(1).max(100).optional().describe('Any two characters of the name (one: its start), as the console’s search box'),
  status: z.enum(statuses).optional().describe('active (在网) or inactive (保留)'),
  level: z.enum(LEVELS).optional().describe('Level of the latest completed rules run'),
  creditGrade: z.string().regex(/^[A-Za-z+-]{1,8}$/).optional().describe('Credit grade of the latest completed rules run'),
});
export type CustomerListQuery = z.infer<typeof customerListQuery>;

const phoneMedium = z.object({
  mediumType: z.string().max(40).optional(),
  preferred: z.boolean().optional(),
  characteristic: z
    .object({
      // the number in clear: a masked one sent back as it was read is refused here, never stored
      phoneNumber: z.string().trim().regex(/^[0-9+\- ]{5,20}$/, 'digits, +, - and spaces').optional(),
      street1: z.string().trim().max(300).optional(),
      contactType: z.string().max(40).optional(),
      country: z.string().max(40).optional(),
    })
    .optional(),
});

/** What a merge-patch of a Customer may change; any other attribute is refused naming it (400). */
export const customerPatchBody = z.strictObject({
  name: readableName(200).optional(),
  status: z.enum(statuses).optional(),
  statusReason: z.enum(STATUS_REASONS).optional().describe('Required with a change of status'),
  contactMedium: z.array(phoneMedium).max(10).nullable().optional().describe('Replaces the contact phone and the address (null removes both)'),
});
export type CustomerPatch = z.infer<typeof customerPatchBody>;

/**
 * The key account's fields a Customer_Create gives as characteristics: those of the console's creation but the
 * ones other attributes give (name, the kind of its engagedParty, the manager of its relatedParty, contact media),
 * checked exactly as the console checks them; any other name is refused naming it.
 */
const createdFields = createCustomerBody.omit({ name: true, kind: true, managerId: true, contactPhone: true, address: true });

const createCharacteristic = z
  .array(z.object({ name: z.string().min(1).max(60), value: z.unknown(), valueType: z.string().max(40).optional(), ...tmfMeta }))
  .max(40)
  // read as { name: value } so that a refusal names the characteristic: body.characteristic.customerNo
  .transform((list) => Object.fromEntries(list.map((c) => [c.name, c.value])))
  .pipe(createdFields)
  .describe(
    'customerNo and unitId (its unit, in your subtree) are required; the profile: industry, brand, creditCode, legalRepresentative, employees, registeredCapital, revenueBand, itNeeds, gender, birthday, idType, idNumber, employer, jobTitle, preferences, contactChannel, joinedOn, realNameVerified (docs/tmf-api.md)',
  );

/** Customer_Create: a new key account (新建客户) in the in-network archive; its party is created with it, under its id. */
export const customerCreateBody = z.strictObject({
  name: createCustomerBody.shape.name,
  engagedParty: z
    .strictObject({ '@referredType': z.enum(['Organization', 'Individual']), name: z.string().max(200).optional(), ...tmfMeta })
    .describe('Organization: a group customer; Individual: a person. Created with the customer (no id: it takes the customer’s)'),
  status: z.enum(['active']).optional().describe('A new key account is active (在网)'),
  characteristic: createCharacteristic,
  contactMedium: z.array(phoneMedium).max(10).optional().describe('The contact phone (phoneNumber) and the address (street1)'),
  relatedParty: z
    .array(z.strictObject({ id: z.string().regex(/^[1-9]\d{0,15}$/), role: z.literal('accountManager'), name: z.string().max(200).optional(), href: z.string().max(500).optional(), '@referredType': z.string().max(60).optional() }))
    .max(1)
    .optional()
    .describe('The account manager (a user id, of your subtree); without one, a manager’s new customer joins their own portfolio'),
  ...tmfMeta,
});
export type CustomerCreate = z.infer<typeof customerCreateBody>;
