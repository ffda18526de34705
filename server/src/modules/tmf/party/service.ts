/**
 * TMF632 Party Management over the key accounts: a group customer is an `Organization`, a person an
 * `Individual`, each under the id of its key account (the Customer's engagedParty). Same scope, lists and
 * masking as TMF629.
 */
import type { Actor } from '../../../platform/auth/principal.js';
import type { Deps } from '../../../platform/deps.js';
import { notFound } from '../../../platform/errors.js';
import { maskIdNumber, type PiiVault } from '../../../platform/pii.js';
import * as customers from '../../customers/service.js';
import { compact, dateTimeOf, hrefOf, typed } from '../common/conventions.js';
import { contactMediaOf, partyResourceOf } from '../common/party.js';
import type { EventRenderer } from '../../../platform/outbox/types.js';
import { pageOfRecords, recordsOf } from '../customer/service.js';
import type { PartyListQuery } from './schemas.js';

type Kind = customers.CustomerRecord['kind'];

/** Our credit grade as the party's credit rating, and the industry and level as its characteristics. */
const creditRatingOf = (c: customers.CustomerRecord) => (c.creditGrade ? [{ creditAgencyName: 'KAM', creditAgencyType: 'internal', ratingReference: c.creditGrade }] : []);
const characteristicsOf = (c: customers.CustomerRecord) =>
  [
    ['customerNo', c.customerNo],
    ['industry', c.industry],
    ['level', c.level],
  ]
    .filter(([, v]) => v !== null)
    .map(([name, value]) => ({ name: name!, valueType: 'string', value: value! }));

const common = (c: customers.CustomerRecord, pii: boolean) => ({
  id: String(c.id),
  href: hrefOf('tmf632', partyResourceOf(c.kind), c.id),
  contactMedium: contactMediaOf(c, pii),
  creditRating: creditRatingOf(c),
  partyCharacteristic: characteristicsOf(c),
  externalReference: [{ externalReferenceType: 'customerNo', name: c.customerNo }],
});

export function toOrganization(c: customers.CustomerRecord, pii: boolean) {
  return compact({
    ...common(c, pii),
    name: c.name,
    tradingName: c.name,
    isLegalEntity: !!c.creditCode,
    organizationType: 'company',
    status: c.archive === 'retained' ? 'closed' : c.realNameVerified ? 'validated' : 'initialized',
    existsDuring: compact({ startDateTime: dateTimeOf(c.joinedOn) }),
    organizationIdentification: c.creditCode ? [{ identificationType: 'unifiedSocialCreditCode', identificationId: c.creditCode, issuingAuthority: 'SAMR' }] : [],
    ...typed('tmf632', 'Organization', 'Party'),
  });
}

/** An ID number in clear only for a caller holding the PII scope (`vault` given), else its last four characters. */
function identificationOf(c: customers.CustomerRecord, vault: PiiVault | null) {
  if (!c.idNumberTail) return [];
  const id = vault && c.idNumberEnc ? vault.decrypt(Buffer.from(c.idNumberEnc)) : maskIdNumber(c.idNumberTail)!;
  return [{ identificationType: c.idType ?? 'resident_id', identificationId: id }];
}

export function toIndividual(c: customers.CustomerRecord, vault: PiiVault | null) {
  return compact({
    ...common(c, vault !== null),
    fullName: c.name,
    formattedName: c.name,
    gender: c.gender ?? undefined,
    birthDate: vault ? dateTimeOf(c.birthday) : undefined,
    status: c.realNameVerified ? 'validated' : 'initialized',
    individualIdentification: identificationOf(c, vault),
    ...typed('tmf632', 'Individual', 'Party'),
  });
}

/** A key account as its party: an Organization for a group customer, an Individual for a person. */
const toParty = (deps: Deps, c: customers.CustomerRecord, pii: boolean) => (c.kind === 'group' ? toOrganization(c, pii) : toIndividual(c, pii ? deps.pii : null));

/** The organizations or individuals of the reader's scope, a page at a time. */
export function listParties(deps: Deps, actor: Actor, pii: boolean, kind: Kind, query: PartyListQuery) {
  return pageOfRecords(deps, actor, { offset: query.offset, limit: query.limit, kind, q: query.name ?? query.tradingName ?? query.fullName }, (c) => toParty(deps, c, pii));
}

/** One party: 404 for a key account of the other kind, exactly as for a missing one. */
export async function getParty(deps: Deps, actor: Actor, pii: boolean, kind: Kind, id: number) {
  const c = await customers.loadVisibleCustomer(deps, actor, id);
  if (c.kind !== kind) throw notFound('customer');
  return toParty(deps, c, pii);
}

/** Events: the Organizations (or Individuals) of these ids, whoever may see them, personal data masked; a key account of the other kind is none. */
export const partyRenderer =
  (kind: Kind): EventRenderer =>
  async (deps, ids) => {
    const rows = await recordsOf(deps, null, ids.map(Number).filter(Number.isSafeInteger));
    return new Map(rows.filter((c) => c.kind === kind).map((c) => [String(c.id), toParty(deps, c, false)]));
  };
