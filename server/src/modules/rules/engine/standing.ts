/** 客户规则视图: a customer's level, credit and points history with the reasons for each value. */
import type { Actor } from '../../../platform/auth/principal.js';
import type { Deps } from '../../../platform/deps.js';
import type { Locale } from '../../../platform/i18n/messages.js';
import { loadVisibleCustomer } from '../../customers/service.js';
import { explainRating, levelName } from '../explain.js';
import * as q from './queries.js';
import { paramsOfVersions } from '../service.js';

const HISTORY_MONTHS = 24;

export async function customerRules(deps: Deps, actor: Actor, customerId: number, locale: Locale) {
  await loadVisibleCustomer(deps, actor, customerId);
  const [rows, latest, pointsBalance] = await Promise.all([
    q.selectRatings(deps.database, customerId, HISTORY_MONTHS),
    q.latestCompletedRun(deps.database.db),
    q.pointsBalance(deps.database, customerId),
  ]);
  const history = await Promise.all(
    rows.map(async (r) => {
      const params = await paramsOfVersions(deps, r.versions);
      return {
        month: r.month,
        runId: r.runId,
        level: r.level,
        levelName: levelName(r.level, locale),
        computedLevel: r.computedLevel,
        belowMonths: r.belowMonths,
        creditScore: r.creditScore,
        creditGrade: r.creditGrade,
        overdraftLimit: r.overdraftLimit,
        suspendGraceDays: r.suspendGraceDays,
        avgPaid: r.avgPaid,
        paid: r.paid,
        pointsEarned: r.pointsEarned,
        pointsPromo: r.pointsPromo,
        pointsExpired: r.pointsExpired,
        versions: r.versions,
        explanations: explainRating(r, params, r.versions, locale),
      };
    }),
  );
  const latestMonth = latest?.month.slice(0, 7);
  return { current: history.find((h) => h.month === latestMonth) ?? null, pointsBalance, history };
}
