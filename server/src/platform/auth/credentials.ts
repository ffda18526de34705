/**
 * Machine credentials, shared by the partner API's keys and the OAuth clients' secrets and tokens: random secrets
 * of 256 bits kept only as their SHA-256. So many random bits need no slow hash: a SHA-256 costs microseconds per
 * call where argon2id would cost tens of milliseconds (docs/decisions.md). And a short per-process cache of the
 * rows they open, so that a busy client costs no query per call.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** 32 random bytes as 43 base64url characters. */
export const newSecret = () => randomBytes(32).toString('base64url');

/** A 43-character base64url secret, as newSecret makes them. */
export const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Constant-time comparison of a presented secret with the kept hash. */
export function secretMatches(secret: string, secretHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex');
  const kept = Buffer.from(secretHash, 'hex');
  return given.length === kept.length && timingSafeEqual(given, kept);
}

/**
 * Lookups remembered for `ttlMs` (the promise itself, so that concurrent calls share one query; a failed one is
 * forgotten). A revocation calls `clear()` on its own process; the others see it within `ttlMs`.
 */
export class ShortCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, load: () => Promise<T>, now = Date.now()): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = load();
    // a flood of distinct keys must not grow the map without bound
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { at: now, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
