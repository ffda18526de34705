/**
 * Identifiers of the demo data with their real check characters: 18-digit resident ID numbers
 * (GB 11643, ISO 7064 MOD 11-2) and 18-character unified social credit codes (GB 32100, with the
 * organisation code's own check character of GB 11714). Unique numbers (MSISDN, organisation codes)
 * come from an affine bijection of a sequence number, so that they never collide and need no lookup.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The check character of the first 17 digits of a resident ID number. */
export function residentIdCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/**
 * A resident ID number: area (6 digits) ‖ birthday YYYYMMDD ‖ sequence (3 digits: odd for men, even
 * for women) ‖ check character.
 */
export function residentId(area6: string, birthday: string, sequence: number, male: boolean): string {
  let seq = sequence % 1000;
  if ((seq % 2 === 1) !== male) seq = seq === 999 ? 998 : seq + 1;
  const first17 = area6 + birthday.replaceAll('-', '') + String(seq).padStart(3, '0');
  return first17 + residentIdCheck(first17);
}

export function isValidResidentId(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && residentIdCheck(id.slice(0, 17)) === id[17];
}

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character of an 8-digit organisation code body (GB 11714). */
export function orgCodeCheck(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += CREDIT_CHARS.indexOf(body8[i]!) * ORG_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** The check character of the first 17 characters of a unified social credit code (GB 32100). */
export function creditCodeCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CHARS.indexOf(first17[i]!) * CREDIT_WEIGHTS[i]!;
  return CREDIT_CHARS[(31 - (sum % 31)) % 31]!;
}

/** 统一社会信用代码 of a company (登记管理部门 9 = 市场监管, 类别 1 = 企业) registered in `area6`. */
export function creditCode(area6: string, orgBody8: string): string {
  const first17 = `91${area6}${orgBody8}${orgCodeCheck(orgBody8)}`;
  return first17 + creditCodeCheck(first17);
}

export function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  return orgCodeCheck(code.slice(8, 16)) === code[16] && creditCodeCheck(code.slice(0, 17)) === code[17];
}

/** x ↦ (a·x + b) mod m, a bijection of [0, m) when gcd(a, m) = 1; used for numbers that must be unique. */
export function affine(x: number, a: number, b: number, m: number): number {
  // split the multiplication so that it stays exact in doubles for m up to ~10^10
  const hi = Math.floor(x / 10_000);
  const lo = x % 10_000;
  return (((((hi * a) % m) * 10_000) % m) + ((lo * a) % m) + b) % m;
}

/** A multiplier coprime to m = 2^i·5^j·11^k derived from the seed (not a multiple of 2, 5 or 11). */
export function coprimeMultiplier(seed: number, m: number): number {
  let a = (Math.abs(seed * 2_654_435_761) % (m - 3)) + 3;
  while (a % 2 === 0 || a % 5 === 0 || a % 11 === 0) a++;
  return a;
}
