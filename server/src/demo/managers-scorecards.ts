/**
 * The demo's scorecards (业绩考核): the province's own weights and targets (targets sized to the demo's portfolios,
 * so that its cities show them inherited), then the monthly run over the demo data for the last three complete
 * months, closed by the province head, and for the current month, left open. Runs last of the managers' seeders:
 * the figures count the plans, logs, tasks, requests, surveys and solutions the others wrote. Deterministic: the
 * run is set-based SQL over data that is itself deterministic from the seed.
 */
import { sql } from 'drizzle-orm';
import { ALL_PERMISSIONS } from '../platform/auth/permissions.js';
import type { Actor } from '../platform/auth/principal.js';
import type { Deps } from '../platform/deps.js';
import { addMonths, monthAt } from '../platform/months.js';
import { INDICATORS } from '../modules/managers/scorecards/indicators.js';
import { close, putWeights, run } from '../modules/managers/scorecards/service.js';

/** The province's targets where the demo's scale differs from the defaults (a demo manager holds about 80 customers). */
const DEMO_TARGETS: Record<string, number> = { portfolio_revenue: 60_000, visits: 6 };

export async function seedDemoManagerScorecards(deps: Deps, _seed: number): Promise<void> {
  const [head] = await deps.database.rows<{ id: number; unitId: number; path: string }>(sql`
    SELECT u.id, u.unit_id AS "unitId", o.path FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.username = 'gd_head'`);
  if (!head) return;
  const actor: Actor = { userId: Number(head.id), username: 'gd_head', unitPath: head.path, areaPath: head.path, permissions: new Set(ALL_PERMISSIONS), requestId: null, ip: null };
  const unitId = Number(head.unitId);
  await putWeights(deps, actor, unitId, { version: 0, lines: INDICATORS.map((i) => ({ indicator: i.code, weight: i.weight, target: DEMO_TARGETS[i.code] ?? i.target })) });
  const current = monthAt(new Date());
  for (const back of [3, 2, 1]) {
    const month = addMonths(current, -back);
    await run(deps, actor, month);
    await close(deps, actor, { month, unitId });
  }
  await run(deps, actor, current);
}
