/**
 * What the TMF629 Customer and the TMF632 parties share about a key account: the reference to its party
 * (an Organization for a group customer, an Individual for a person) and its contact media, masked as the
 * console masks them unless the caller holds the PII scope.
 */
import type { CustomerRecord } from '../../customers/service.js';
import { maskPhone } from '../../../platform/pii.js';
import { BASE, compact, dateTimeOf } from './conventions.js';

export const partyTypeOf = (kind: CustomerRecord['kind']) => (kind === 'group' ? 'Organization' : 'Individual');
export const partyResourceOf = (kind: CustomerRecord['kind']) => (kind === 'group' ? 'organization' : 'individual');

/** The key account's party (TMF632), referenced from its Customer. */
export const partyRefOf = (c: Pick<CustomerRecord, 'id' | 'kind' | 'name'>) => ({
  id: String(c.id),
  href: `${BASE.tmf632}/${partyResourceOf(c.kind)}/${c.id}`,
  name: c.name,
  '@referredType': partyTypeOf(c.kind),
});

/** The contact phone (masked unless `pii`) and the address, as TMF ContactMedium. */
export function contactMediaOf(c: Pick<CustomerRecord, 'contactPhone' | 'address' | 'contactChannel'>, pii: boolean) {
  const media: Record<string, unknown>[] = [];
  if (c.contactPhone) {
    media.push({
      mediumType: 'phone',
      preferred: c.contactChannel === null || c.contactChannel === 'phone' || c.contactChannel === 'sms',
      characteristic: { contactType: 'mobile', phoneNumber: pii ? c.contactPhone : maskPhone(c.contactPhone)! },
    });
  }
  if (c.address) media.push({ mediumType: 'postalAddress', preferred: c.contactChannel === 'visit', characteristic: { contactType: 'office', street1: c.address, country: 'CN' } });
  return media;
}

/** Since when the key account is ours, and until when when it went to the retained archive. */
export const validForOf = (c: Pick<CustomerRecord, 'joinedOn' | 'archive' | 'archivedOn'>) =>
  compact({ startDateTime: dateTimeOf(c.joinedOn), endDateTime: c.archive === 'retained' ? dateTimeOf(c.archivedOn) : undefined });
