/** TMF629 Customer Management at the edge: the list's attribute filters and the merge-patch of a Customer. */
import { z } from 'zod';
import { LEVELS } from '../../customers/service.js';
import { readableName } from '../../../platform/http/text.js';
import { listQuery } from '../common/conventions.js';

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
