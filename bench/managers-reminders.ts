/**
 * 日常事务提醒 on the `large` profile (PostgreSQL database kam_large, made by `npx tsx bench/large-profile.ts`:
 * 1,000,000 customers, about 3,000 account managers, their key persons and contracts). Goal (issue 14): the
 * daily reminder job for every manager ≤ 30 s.
 *
 * The day's reminders, digests and digest e-mails are removed first, so that the first run meets a whole day
 * (every birthday, contract and certification within its greatest lead at once: the worst morning); the second
 * run of the same day finds everything produced and must be cheap. Each type is timed on its own, then the
 * digest; the figures are printed, with the reminders produced per type.
 *
 * Run: `npx tsx bench/managers-reminders.ts` (BENCH_PG_URL, BENCH_LARGE_DB as in bench/services.ts).
 */
import { sql } from 'drizzle-orm';
import { generateType, reopenSnoozed } from '../server/src/modules/managers/reminders/queries.js';
import { REMINDER_TYPES } from '../server/src/modules/managers/reminders/schemas.js';
import { sendDigests } from '../server/src/modules/managers/reminders/service.js';
import { todayAt } from '../server/src/platform/months.js';
import { LARGE_DB as DB, withLargeDatabase } from './large-db.js';
import { isMain, machine, ms } from './lib.js';

const GOAL_MS = 30_000;

async function main() {
  await withLargeDatabase(async (deps, database) => {
    const today = todayAt();
    const dayId = Number(today.replaceAll('-', ''));
    const [sizes] = await database.rows<Record<string, number>>(sql`SELECT
      (SELECT count(*) FROM customers)::int AS customers, (SELECT count(DISTINCT manager_id) FROM customers)::int AS managers,
      (SELECT count(*) FROM key_persons WHERE birthday IS NOT NULL)::int AS "keyPersons", (SELECT count(*) FROM contracts)::int AS contracts,
      (SELECT count(*) FROM customers WHERE kind = 'individual' AND birthday IS NOT NULL)::int AS "individualBirthdays"`);
    console.log(`machine: ${machine()}; database ${DB}; day ${today}; ${JSON.stringify(sizes)}\n`);
    await database.rows(sql`DELETE FROM reminders WHERE generated_on = ${today}::date`);
    await database.rows(sql`DELETE FROM notifications WHERE code = 'reminder_digest' AND entity_id = ${dayId}`);
    await database.rows(sql`DELETE FROM outbound_messages WHERE dedupe_key LIKE ${`reminder-digest:%:${today}`}`);

    for (const label of ['first run of the day', 'second run, the same day']) {
      const t0 = Date.now();
      const parts: string[] = [];
      let created = 0;
      for (const type of REMINDER_TYPES) {
        const t = Date.now();
        const n = await generateType(database, type, today);
        created += n;
        parts.push(`${type} ${n.toLocaleString('en')} in ${ms(Date.now() - t)}`);
      }
      let t = Date.now();
      const reopened = await reopenSnoozed(database, today);
      parts.push(`reopened ${reopened} in ${ms(Date.now() - t)}`);
      t = Date.now();
      const digest = await sendDigests(deps, today);
      parts.push(`digests ${digest.digests.toLocaleString('en')} + e-mails ${digest.emails.toLocaleString('en')} in ${ms(Date.now() - t)}`);
      const took = Date.now() - t0;
      console.log(`  ${label}: ${ms(took)} (goal ≤ 30 s: ${took <= GOAL_MS ? 'met' : 'MISSED'}), ${created.toLocaleString('en')} reminders\n    ${parts.join('\n    ')}`);
    }
  });
}

if (isMain(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`benchmark failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exitCode = 1;
  });
}
