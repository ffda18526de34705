/**
 * The secrets of the partner API: credentials (`<keyId>.<secret>`, the secret kept only as its SHA-256) and
 * one-time codes (kept as a keyed hash bound to their verification). 256 random bits need no slow hash: a
 * SHA-256 costs microseconds per call where argon2id would cost tens of milliseconds (docs/decisions.md).
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { PiiVault } from '../../../platform/pii.js';

const KEY_ID = /^pk_[0-9a-f]{20}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** A new credential: the public key id, the secret (shown once) and the hash that is kept. */
export function newCredential() {
  const keyId = `pk_${randomBytes(10).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  return { keyId, secret, secretHash: hashSecret(secret), token: `${keyId}.${secret}` };
}

/** The key id and secret of an `Authorization: Bearer <keyId>.<secret>` header, or null when it is not one. */
export function parseBearer(header: string | undefined): { keyId: string; secret: string } | null {
  if (!header || header.length > 200 || !header.startsWith('Bearer ')) return null;
  const [keyId = '', secret = '', ...rest] = header.slice(7).trim().split('.');
  return rest.length === 0 && KEY_ID.test(keyId) && SECRET.test(secret) ? { keyId, secret } : null;
}

/** Constant-time comparison of a presented secret with the kept hash. */
export function secretMatches(secret: string, secretHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex');
  const kept = Buffer.from(secretHash, 'hex');
  return given.length === kept.length && timingSafeEqual(given, kept);
}

/** A 6-digit code, uniformly drawn. */
export const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/**
 * What is kept of a code: a hash keyed by the server's PII hash key and bound to its verification, so that a
 * copy of the table gives no code (a million codes would be tried in a second against a plain hash).
 */
export const codeHash = (vault: PiiVault, verificationId: number, code: string) => vault.lookupHash(`partner-otp:${verificationId}:${code}`);
