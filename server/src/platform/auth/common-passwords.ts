import { readFileSync } from 'node:fs';

/**
 * The deny-list of breached and common passwords and keyboard walks (server/assets/common-passwords.txt,
 * a few thousand lines; the same relative place from src/ and from the built dist/).
 */
let list: ReadonlySet<string> | undefined;
function denyList(): ReadonlySet<string> {
  list ??= new Set(
    readFileSync(new URL('../../../assets/common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#')),
  );
  return list;
}

/** Shorter leftovers (`ab` of `ab#2026!`) say nothing about the password. */
const MIN_CORE = 4;

/**
 * The forms a password is looked up in: itself in lower case, without the symbols at its ends
 * (`123456789!`), and without the digits and symbols at its ends (`Password2026!` → `password`), the
 * usual way a common word is dressed up to pass a composition rule.
 */
export function lookupForms(plain: string): string[] {
  const lower = plain.normalize('NFKC').toLowerCase();
  const forms = [lower, lower.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''), lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '')];
  return [...new Set(forms)].filter((f) => [...f].length >= MIN_CORE);
}

export function isCommonPassword(plain: string): boolean {
  const deny = denyList();
  return lookupForms(plain).some((form) => deny.has(form));
}
