/**
 * The demo's reminders (日常事务提醒): the daily generation run over the demo data for each of the last fourteen
 * mornings up to today (so that the list holds these weeks' reminders, not only today's), then a few of the
 * earlier ones dismissed and a few snoozed to the coming days, and today's digest sent. Deterministic from the
 * seed (md5 of the seed and the reminder's key), relative to today; set-based SQL.
 */
import { sql } from 'drizzle-orm';
import { generateReminders, sendDigests } from '../modules/managers/reminders/service.js';
import type { Deps } from '../platform/deps.js';
import { todayAt } from '../platform/months.js';

const DAY_MS = 86_400_000;
const dayBefore = (day: string, n: number) => new Date(Date.parse(day) - n * DAY_MS).toISOString().slice(0, 10);

/** A stable number in [0, 100) from the reminder's key and the seed. */
const pick = (seed: number) => sql`((('x' || substr(md5(item_key || ${String(seed)}), 1, 8))::bit(32)::int) & 2147483647) % 100`;

export async function seedDemoManagerReminders(deps: Deps, seed: number): Promise<void> {
  const { database } = deps;
  const today = todayAt();
  for (let n = 13; n >= 0; n--) await generateReminders(deps, dayBefore(today, n));
  // of the earlier mornings' reminders, about one in five handled and dismissed, one in ten snoozed to the next days
  await database.rows(sql`
    UPDATE reminders SET status = 'dismissed', version = version + 1, updated_at = generated_on::timestamp + interval '10 hours'
    WHERE generated_on < ${today}::date AND status = 'open' AND ${pick(seed)} < 20`);
  await database.rows(sql`
    UPDATE reminders SET status = 'snoozed', snoozed_until = ${today}::date + 1 + (${pick(seed + 1)} % 5), version = version + 1,
      updated_at = generated_on::timestamp + interval '11 hours'
    WHERE generated_on < ${today}::date AND status = 'open' AND ${pick(seed)} BETWEEN 20 AND 29`);
  await sendDigests(deps, today);
}
