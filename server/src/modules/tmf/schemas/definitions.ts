/**
 * JSON Schemas of the resources the façade serves, written from the official TM Forum v4 swaggers
 * (TMF629-Customer-v4.0.0, TMF632-Party-v4.0.0, TMF621 Trouble Ticket v4.0.0, TMF658-Loyalty-v4.0.0):
 * the same attributes, types, formats and required members. Each resource lists every attribute of its
 * definition and no other (additionalProperties false), so that a test catches an attribute the façade
 * invents; the extensions the façade adds are marked "Extension" (TMF630 allows them, with @schemaLocation).
 * The tests validate every resource and list against them with ajv (schemas.test.ts and the sub-areas' tests).
 */

const str = { type: 'string' };
const dateTime = { type: 'string', format: 'date-time' };
const uri = { type: 'string', format: 'uri' };
const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const arrayOf = (name: string) => ({ type: 'array', items: ref(name) });
/** @baseType, @schemaLocation, @type: on every entity and sub-entity. */
const meta = { '@baseType': str, '@schemaLocation': uri, '@type': str };

const entity = (properties: Record<string, unknown>, required: string[] = [], closed = true) => ({
  type: 'object',
  properties: { ...properties, ...meta },
  ...(required.length ? { required } : {}),
  ...(closed ? { additionalProperties: false } : {}),
});

export const TMF_SCHEMA = {
  $id: 'https://kam.example/tmf-api/schemas/tmf.json',
  definitions: {
    Any: {},
    TimePeriod: entity({ startDateTime: dateTime, endDateTime: dateTime }, [], false),
    Characteristic: entity({ id: str, name: str, valueType: str, value: ref('Any') }, ['name', 'value'], false),
    RelatedParty: entity({ id: str, href: str, name: str, role: str, '@referredType': str }, ['id', '@referredType'], false),
    MediumCharacteristic: entity(
      {
        city: str, contactType: str, country: str, emailAddress: str, faxNumber: str, phoneNumber: str,
        postCode: str, socialNetworkId: str, stateOrProvince: str, street1: str, street2: str,
      },
      [],
      false,
    ),
    ContactMedium: entity({ mediumType: str, preferred: { type: 'boolean' }, characteristic: ref('MediumCharacteristic'), validFor: ref('TimePeriod') }, ['mediumType', 'characteristic'], false),
    /** TMF629 Customer. */
    Customer: entity(
      {
        id: str, href: str, name: str, status: str, statusReason: str,
        account: { type: 'array' }, agreement: { type: 'array' },
        characteristic: arrayOf('Characteristic'), contactMedium: arrayOf('ContactMedium'), creditProfile: { type: 'array' },
        engagedParty: ref('RelatedParty'), paymentMethod: { type: 'array' }, relatedParty: arrayOf('RelatedParty'), validFor: ref('TimePeriod'),
      },
      ['engagedParty'],
    ),
    PartyCreditProfile: entity({ id: str, href: str, creditAgencyName: str, creditAgencyType: str, ratingReference: str, ratingScore: { type: 'integer' }, validFor: ref('TimePeriod') }, [], false),
    Characteristic632: entity({ name: str, valueType: str, value: ref('Any') }, ['name', 'value'], false),
    ExternalReference: entity({ externalReferenceType: str, name: str }, ['name'], false),
    OrganizationIdentification: entity({ identificationId: str, identificationType: str, issuingAuthority: str, issuingDate: dateTime, attachment: {}, validFor: ref('TimePeriod') }, [], false),
    IndividualIdentification: entity({ identificationId: str, identificationType: str, issuingAuthority: str, issuingDate: dateTime, attachment: {}, validFor: ref('TimePeriod') }, [], false),
    /** TMF632 Organization. */
    Organization: entity({
      id: str, href: str, isHeadOffice: { type: 'boolean' }, isLegalEntity: { type: 'boolean' }, name: str, nameType: str, organizationType: str, tradingName: str,
      contactMedium: arrayOf('ContactMedium'), creditRating: arrayOf('PartyCreditProfile'), existsDuring: ref('TimePeriod'), externalReference: arrayOf('ExternalReference'),
      organizationChildRelationship: { type: 'array' }, organizationIdentification: arrayOf('OrganizationIdentification'), organizationParentRelationship: { type: 'object' },
      otherName: { type: 'array' }, partyCharacteristic: arrayOf('Characteristic632'), relatedParty: arrayOf('RelatedParty'),
      status: { type: 'string', enum: ['initialized', 'validated', 'closed'] }, taxExemptionCertificate: { type: 'array' },
    }),
    /** TMF632 Individual. */
    Individual: entity({
      id: str, href: str, aristocraticTitle: str, birthDate: dateTime, countryOfBirth: str, deathDate: dateTime, familyName: str, familyNamePrefix: str,
      formattedName: str, fullName: str, gender: str, generation: str, givenName: str, legalName: str, location: str, maritalStatus: str, middleName: str,
      name: str, nationality: str, placeOfBirth: str, preferredGivenName: str, title: str,
      contactMedium: arrayOf('ContactMedium'), creditRating: arrayOf('PartyCreditProfile'), disability: { type: 'array' }, externalReference: arrayOf('ExternalReference'),
      individualIdentification: arrayOf('IndividualIdentification'), languageAbility: { type: 'array' }, otherName: { type: 'array' },
      partyCharacteristic: arrayOf('Characteristic632'), relatedParty: arrayOf('RelatedParty'), skill: { type: 'array' },
      status: { type: 'string', enum: ['initialized', 'validated', 'deceased'] }, taxExemptionCertificate: { type: 'array' },
    }),
    ChannelRef: entity({ id: str, href: str, name: str, '@referredType': str }, ['id'], false),
    Note: entity({ id: str, author: str, date: dateTime, text: str }, [], false),
    /** TMF621 TroubleTicket. */
    TroubleTicket: entity(
      {
        id: str, href: str, creationDate: dateTime, description: str, expectedResolutionDate: dateTime, externalId: str, lastUpdate: dateTime, name: str,
        priority: str, requestedResolutionDate: dateTime, resolutionDate: dateTime, severity: str, status: { type: 'string', enum: ['acknowledged', 'rejected', 'pending', 'held', 'inProgress', 'cancelled', 'closed', 'resolved'] },
        statusChangeDate: dateTime, statusChangeReason: str, ticketType: str, attachment: { type: 'array' }, channel: ref('ChannelRef'), note: arrayOf('Note'),
        relatedEntity: { type: 'array' }, relatedParty: arrayOf('RelatedParty'), statusChange: { type: 'array' }, troubleTicketRelationship: { type: 'array' },
      },
      ['description', 'severity', 'ticketType'],
    ),
    /** TMF658 Money as its balances use it. */
    Money: entity({ unit: str, value: { type: 'number' } }, [], false),
    LoyaltyBalance: entity({ id: str, href: str, loyaltyProgramMember: { type: 'object' }, quantity: ref('Money'), validFor: ref('TimePeriod') }, [], false),
    /** TMF658 LoyaltyAccount; Extension: name, loyaltyBalance, characteristic, relatedParty, lastUpdate (v4 defines only id, href, loyaltyProgramProduct). */
    LoyaltyAccount: entity({
      id: str, href: str, loyaltyProgramProduct: { type: 'object' },
      name: str, loyaltyBalance: arrayOf('LoyaltyBalance'), characteristic: arrayOf('Characteristic'), relatedParty: arrayOf('RelatedParty'), lastUpdate: dateTime,
    }),
    LoyaltyAccountRef: entity({ id: str, href: str, '@referredType': str }, ['id', 'href'], false),
    /** Extension: a points ledger entry (v4 has no resource for it), after LoyaltyBalance's quantity and LoyaltyAccountRef. */
    LoyaltyTransaction: entity(
      { id: str, transactionType: str, quantity: ref('Money'), transactionDate: dateTime, description: str, loyaltyAccount: ref('LoyaltyAccountRef'), relatedParty: arrayOf('RelatedParty') },
      ['id', 'transactionType', 'quantity', 'loyaltyAccount'],
    ),
    /** The Error of every TMF API. */
    Error: entity({ code: str, reason: str, message: str, status: str, referenceError: uri }, ['code', 'reason']),
  },
} as const;

export type TmfDefinition = keyof typeof TMF_SCHEMA.definitions;
