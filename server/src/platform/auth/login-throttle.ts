/**
 * 登录限速 per account: failed sign-ins counted per (account, client address) in one-minute windows. The
 * per-address limit (@fastify/rate-limit on the route) is generous, since an outlet's staff share one NAT
 * address; this one stops a client hammering one account, while an attacker elsewhere cannot throttle
 * the account's owner: their failures count under their own address. The lockout (users.locked_until,
 * in the database) bounds the guesses at an account from all addresses together. Counted per process:
 * several instances allow that many times the limit, which the lockout still bounds (docs/decisions.md).
 */
const WINDOW_MS = 60_000;
const MAX_KEYS = 50_000;

export class LoginThrottle {
  private readonly failures = new Map<string, { windowStart: number; count: number }>();

  constructor(private readonly maxPerMinute: number) {}

  private static key(username: string, address: string) {
    return `${username.toLowerCase()}\u0000${address}`;
  }

  /** Has this address used up its failed sign-ins at this account in the current window? */
  isThrottled(username: string, address: string, now = Date.now()): boolean {
    const entry = this.failures.get(LoginThrottle.key(username, address));
    return !!entry && now - entry.windowStart < WINDOW_MS && entry.count >= this.maxPerMinute;
  }

  recordFailure(username: string, address: string, now = Date.now()): void {
    const key = LoginThrottle.key(username, address);
    const entry = this.failures.get(key);
    if (entry && now - entry.windowStart < WINDOW_MS) {
      entry.count++;
      return;
    }
    // a flood of distinct names must not grow the map without bound
    if (this.failures.size >= MAX_KEYS) this.failures.clear();
    this.failures.set(key, { windowStart: now, count: 1 });
  }
}
