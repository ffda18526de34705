import type { CustomerView } from '../../api/client';
import { valueEnumOf } from '../../components/listTable';
import type { MessageKey, Translate } from '../../i18n';

/** The code lists of §3 and the catalogue key of each code's label. */
export const KINDS = ['group', 'individual'] as const;
export const ARCHIVES = ['in_network', 'retained'] as const;
export const BRANDS = ['gotone', 'mzone', 'easyown'] as const;
/** GB/T 4754-2017 sections. */
export const INDUSTRIES = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T'] as const;
export const GENDERS = ['male', 'female'] as const;
export const ID_TYPES = ['resident_id', 'passport', 'hk_macao_pass', 'taiwan_pass', 'other'] as const;
export const CONTACT_CHANNELS = ['phone', 'sms', 'wechat', 'email', 'visit'] as const;
export const EDIT_SOURCES = ['console', 'self_report', 'service_agent', 'manager_visit'] as const;
export const VISIT_CHANNELS = ['visit', 'phone', 'wechat', 'meeting'] as const;
export const KEY_PERSON_ROLES = ['decision_maker', 'it_contact', 'finance_contact', 'other'] as const;
/** Reasons by the archive a customer moves to. */
export const REASONS_TO = {
  retained: ['port_out', 'closure', 'lost_status'],
  in_network: ['win_back', 'regained_status'],
} as const;

export type Archive = (typeof ARCHIVES)[number];
export type Industry = (typeof INDUSTRIES)[number];

type Group = 'kind' | 'archive' | 'brand' | 'industry' | 'gender' | 'idType' | 'channel' | 'source' | 'reason' | 'kpRole' | 'subStatus' | 'dupReason' | 'historyKind';

/** The label of a code (`customers.brand.gotone`), or the code itself when the catalogue lacks it. */
export function codeLabel(t: Translate, group: Group, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '-';
  const key = `customers.${group}.${code}` as MessageKey;
  const text = t(key);
  return text === key ? code : text;
}

/** `{ value, label }` options of a code list, for selects. */
export function codeOptions(t: Translate, group: Group, codes: readonly string[]) {
  return codes.map((c) => ({ value: c, label: codeLabel(t, group, c) }));
}

/** ProTable `valueEnum` of a code list. */
export function codeEnum(t: Translate, group: Group, codes: readonly string[]) {
  return valueEnumOf(codes, (c) => codeLabel(t, group, c));
}

/** The editable profile fields (PATCH body) and which kind of customer has them. */
export type ProfileValues = Partial<
  Pick<
    CustomerView,
    | 'name'
    | 'address'
    | 'joinedOn'
    | 'creditCode'
    | 'legalRepresentative'
    | 'employees'
    | 'registeredCapital'
    | 'revenueBand'
    | 'itNeeds'
    | 'birthday'
    | 'employer'
    | 'jobTitle'
    | 'preferences'
    | 'realNameVerified'
    | 'contactPhone'
    | 'idNumber'
  > & {
    industry: Industry | null;
    brand: (typeof BRANDS)[number] | null;
    gender: (typeof GENDERS)[number] | null;
    idType: (typeof ID_TYPES)[number] | null;
    contactChannel: (typeof CONTACT_CHANNELS)[number] | null;
  }
>;

export const COMMON_FIELDS = ['name', 'contactPhone', 'address', 'joinedOn', 'preferences', 'contactChannel'] as const;
export const GROUP_FIELDS = ['industry', 'creditCode', 'legalRepresentative', 'employees', 'registeredCapital', 'revenueBand', 'itNeeds'] as const;
export const INDIVIDUAL_FIELDS = ['brand', 'gender', 'birthday', 'idType', 'idNumber', 'employer', 'jobTitle', 'realNameVerified'] as const;
/** Personal data the server sends masked: never pre-filled in a form, sent only when typed. */
export const MASKED_FIELDS = ['contactPhone', 'idNumber'] as const;

/** The current values of the editable fields, masked ones left out. */
export function profileValues(c: CustomerView): ProfileValues {
  const fields = [...COMMON_FIELDS, ...(c.kind === 'group' ? GROUP_FIELDS : INDIVIDUAL_FIELDS)].filter(
    (f) => !(MASKED_FIELDS as readonly string[]).includes(f),
  );
  return Object.fromEntries(fields.map((f) => [f, c[f as keyof CustomerView] ?? null])) as ProfileValues;
}

/** Days from today (Asia/Shanghai calendar date string) to a date; negative when past. */
export function daysUntil(date: string, today: string): number {
  return Math.round((Date.parse(date) - Date.parse(today)) / 86_400_000);
}
