/**
 * 个人信息保护: the one catalogue of personal fields in records that are kept for good (the audit trail,
 * whose chain forbids erasing them later), and how each is masked. The audit writer masks every record
 * it is given with it, at any depth: a field is personal by its name (anywhere, or only in the entries
 * about some entity), and any text, whatever its field, has the mobile numbers, ID numbers and e-mail
 * addresses written inside it masked too (a visit summary, a search typed into the export, a file name).
 */
import { maskIdNumber, maskPhone, normaliseIdNumber } from './pii.js';

type Masker = (value: string) => string;

/** Keeps the last four characters: **************1234. */
const idNumber: Masker = (v) => maskIdNumber(normaliseIdNumber(v).slice(-4)) ?? '';
/** 138****5678; a short number entirely. */
const phone: Masker = (v) => maskPhone(v) ?? '';
/** The beginning that names the district (at most 6 characters, at most a third): 广州市天河****. */
const address: Masker = (v) => `${[...v].slice(0, Math.min(6, Math.floor([...v].length / 3))).join('')}****`;
/** The first character and the domain (the employer's, not personal): z***@gd.example.cn. */
const email: Masker = (v) => {
  const at = v.lastIndexOf('@');
  return at > 0 ? `${[...v][0]}***${v.slice(at)}` : '***';
};
/** The surname's first character: 张**. */
const personName: Masker = (v) => {
  const chars = [...v.trim()];
  return chars.length ? `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}` : v;
};
/** The year only: 1985-**-**. */
const birthday: Masker = (v) => (/^\d{4}/.test(v) ? `${v.slice(0, 4)}-**-**` : '****');

export const MASKS = { idNumber, phone, address, email, personName, birthday } as const;
export type PersonalKind = keyof typeof MASKS;

interface PersonalField {
  kind: PersonalKind;
  /** Personal only in the entries about these entities (`name` is a person's name for a key person, not for a unit). */
  entities?: readonly string[];
}

/**
 * Field names that hold personal data, and how each is masked. A customer's `name` is a person's name
 * for an individual key account (个人大客户) and the trail cannot tell the kinds apart in a change, so it is
 * masked for every customer; staff names (`displayName`) are not: the trail names who acted.
 */
export const PERSONAL_FIELDS: Readonly<Record<string, PersonalField>> = {
  idNumber: { kind: 'idNumber' },
  phone: { kind: 'phone' },
  mobile: { kind: 'phone' },
  msisdn: { kind: 'phone' },
  contactPhone: { kind: 'phone' },
  keyPersonPhone: { kind: 'phone' },
  address: { kind: 'address' },
  email: { kind: 'email' },
  legalRepresentative: { kind: 'personName' },
  customerName: { kind: 'personName' },
  keyPersonName: { kind: 'personName' },
  name: { kind: 'personName', entities: ['key_person', 'customer'] },
  birthday: { kind: 'birthday' },
};

/** The catalogue's rule for a field of an entry about `entity`, if the field is personal there. */
export function personalKind(field: string, entity: string): PersonalKind | null {
  const rule = Object.hasOwn(PERSONAL_FIELDS, field) ? PERSONAL_FIELDS[field] : undefined;
  if (!rule || (rule.entities && !rule.entities.includes(entity))) return null;
  return rule.kind;
}

const NOT_ALNUM_BEFORE = '(?<![0-9A-Za-z])';
const NOT_ALNUM_AFTER = '(?![0-9A-Za-z])';
/** Mainland mobile numbers (with +86, spaces or dashes), 18- and 15-character ID numbers, e-mail addresses. */
const EMBEDDED: [RegExp, Masker][] = [
  [new RegExp(`${NOT_ALNUM_BEFORE}(?:\\+?86[- ]?)?1[3-9]\\d(?:[- ]?\\d{4}){2}${NOT_ALNUM_AFTER}`, 'g'), phone],
  [new RegExp(`${NOT_ALNUM_BEFORE}(?:\\d{17}[\\dXx]|\\d{15})${NOT_ALNUM_AFTER}`, 'g'), idNumber],
  [/[^\s@"'<>()[\]{},;:]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, email],
];

/** A text with the mobile numbers, ID numbers and e-mail addresses inside it masked. */
export function maskEmbedded(text: string): string {
  let out = text;
  for (const [pattern, mask] of EMBEDDED) out = out.replace(pattern, (m) => mask(m));
  return out;
}

/** Every string below a personal field, masked its way (numbers too, as text); other values kept. */
function maskAs(kind: PersonalKind, value: unknown): unknown {
  if (typeof value === 'string') return value === '' ? value : MASKS[kind](value);
  if (typeof value === 'number' || typeof value === 'bigint') return MASKS[kind](String(value));
  if (Array.isArray(value)) return value.map((v) => maskAs(kind, v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskAs(kind, v)]));
  return value;
}

/**
 * A copy of `value` (a JSON-like record of an entry about `entity`) with its personal data masked: the
 * fields of the catalogue at any depth (a diff's `[old, new]` pair too), and what `maskEmbedded` finds in
 * any other text.
 */
export function maskPersonalData(value: unknown, entity: string): unknown {
  if (typeof value === 'string') return maskEmbedded(value);
  if (Array.isArray(value)) return value.map((v) => maskPersonalData(v, entity));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        const kind = personalKind(k, entity);
        return [k, kind ? maskAs(kind, v) : maskPersonalData(v, entity)];
      }),
    );
  }
  return value;
}
