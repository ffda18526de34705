/**
 * The secrets of the partner API: credentials (`<keyId>.<secret>`, the secret kept only as its SHA-256, as
 * platform/auth/credentials.ts keeps every machine secret) and one-time codes (kept as a keyed hash bound to
 * their verification).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { hashSecret, newSecret, SECRET_PATTERN as SECRET } from '../../../platform/auth/credentials.js';
import type { PiiVault } from '../../../platform/pii.js';

export { secretMatches } from '../../../platform/auth/credentials.js';

const KEY_ID = /^pk_[0-9a-f]{20}$/;

/** A new credential: the public key id, the secret (shown once) and the hash that is kept. */
export function newCredential() {
  const keyId = `pk_${randomBytes(10).toString('hex')}`;
  const secret = newSecret();
  return { keyId, secret, secretHash: hashSecret(secret), token: `${keyId}.${secret}` };
}

/** The key id and secret of an `Authorization: Bearer <keyId>.<secret>` header, or null when it is not one. */
export function parseBearer(header: string | undefined): { keyId: string; secret: string } | null {
  if (!header || header.length > 200 || !header.startsWith('Bearer ')) return null;
  const [keyId = '', secret = '', ...rest] = header.slice(7).trim().split('.');
  return rest.length === 0 && KEY_ID.test(keyId) && SECRET.test(secret) ? { keyId, secret } : null;
}

/** A 6-digit code, uniformly drawn. */
export const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/**
 * What is kept of a code: a hash keyed by the server's PII hash key and bound to its verification, so that a
 * copy of the table gives no code (a million codes would be tried in a second against a plain hash).
 */
export const codeHash = (vault: PiiVault, verificationId: number, code: string) => vault.lookupHash(`partner-otp:${verificationId}:${code}`);
