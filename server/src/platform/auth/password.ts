import { hash, verify } from '@node-rs/argon2';
import type { FieldError } from '../errors.js';
import { translate, type Locale } from '../i18n/messages.js';
import { isCommonPassword } from './common-passwords.js';

// argon2id (algorithm 2) with OWASP's recommended minimum: 19 MiB, 2 passes.
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (plain: string) => hash(plain, ARGON2);

export async function verifyPassword(hashed: string, plain: string): Promise<boolean> {
  try {
    return await verify(hashed, plain);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so that timing does not tell who exists. */
let dummyHash: Promise<string> | undefined;
export const timingSafeDummyHash = () => (dummyHash ??= hashPassword('not-a-real-password-8f3a'));

export interface PasswordPolicy {
  minLength: number;
  minClasses: number;
}

export function passwordProblems(
  plain: string,
  policy: PasswordPolicy,
  field: string,
  locale: Locale = 'zh-CN',
): FieldError[] {
  const problems: FieldError[] = [];
  if ([...plain].length < policy.minLength) {
    problems.push({
      field,
      code: 'password_too_short',
      message: translate('password_too_short', locale, { min: policy.minLength }),
    });
  }
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(plain)).length;
  if (classes < policy.minClasses) {
    problems.push({
      field,
      code: 'password_classes',
      message: translate('password_classes', locale, { min: policy.minClasses }),
    });
  }
  if (isCommonPassword(plain)) {
    problems.push({ field, code: 'password_common', message: translate('password_common', locale) });
  }
  return problems;
}
