import type { Deps } from '../deps.js';
import { audit } from '../audit/audit.js';
import { AppError } from '../errors.js';
import { countPiiReveal } from './auth.queries.js';
import type { Actor } from './principal.js';

/**
 * 个人信息批量查看告警: more than PII_REVEAL_MAX_PER_MINUTE reveals of personal data by one user in a
 * minute are refused (429), and the first refusal of the minute writes an alert into the audit trail, so
 * that a bulk harvest is seen without one entry per refused call. The count is kept in the database,
 * so it holds across server instances. Call it before the reveal's transaction: the count and the alert
 * must stay when the reveal is refused.
 */
export async function limitPiiReveals(deps: Deps, actor: Actor): Promise<void> {
  if (actor.userId === null) return;
  const max = deps.config.PII_REVEAL_MAX_PER_MINUTE;
  const reveals = await countPiiReveal(deps.database.db, actor.userId);
  if (reveals <= max) return;
  // exactly one call of the minute sees max + 1: the count is raised under the row's lock
  if (reveals === max + 1) {
    await audit(deps.database.db, actor, {
      action: 'alert',
      entity: 'pii_reveal',
      entityId: actor.userId,
      unitPath: actor.unitPath,
      after: { reason: 'bulk_reveal', limitPerMinute: max },
    });
  }
  throw new AppError(429, 'pii_reveal_rate_limited', { max });
}
