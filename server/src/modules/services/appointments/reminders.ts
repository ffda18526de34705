/**
 * 预约提醒: the day before, the booker and the resource's manager get an in-app message and the customer an
 * SMS at their contact phone. Each batch marks its bookings reminded in the transaction that writes their
 * messages, so a run that stops half-way leaves the rest for the next run, and nobody is reminded twice; the
 * SMS carries a dedupe key of the booking and its slot (a booking moved to another day is reminded again).
 */
import type { Deps } from '../../../platform/deps.js';
import { translate } from '../../../platform/i18n/messages.js';
import type { JobDef } from '../../../platform/jobs/scheduler.js';
import { todayAt } from '../../../platform/months.js';
import { notifyUsers, queueOutboundBatch, type InAppMessage } from '../../../platform/notify/notify.js';
import * as q from './queries.js';

const BATCH = 500;
const DAY_MS = 86_400_000;

/** The calendar day after `now`'s in 广东, YYYY-MM-DD. */
export const tomorrowAt = (now: Date) => new Date(Date.parse(todayAt(now)) + DAY_MS).toISOString().slice(0, 10);

const linkOf = (r: q.DueReminder) => `/services/appointments?resource=${r.resourceId}&date=${r.day}`;

function inAppMessages(r: q.DueReminder): InAppMessage[] {
  const common = { link: linkOf(r), entity: 'appointment', entityId: r.id };
  const params = { customer: r.customerName, resource: r.resourceName, at: r.at, purpose: r.purpose };
  return [
    ...(r.bookedBy !== null ? [{ userId: r.bookedBy, code: 'appointment_reminder_booker' as const, params, ...common }] : []),
    // the manager whose time was booked; when they booked it themselves, the booker's message says it all
    ...(r.managerId !== null && r.managerId !== r.bookedBy ? [{ userId: r.managerId, code: 'appointment_reminder_manager' as const, params, ...common }] : []),
  ];
}

/** Reminds of the bookings of the day after `now` (广东) not reminded yet; returns the counts. */
export async function sendAppointmentReminders(deps: Deps, now = new Date()): Promise<{ day: string; reminded: number; messages: number; sms: number }> {
  const { database } = deps;
  const day = tomorrowAt(now);
  const totals = { day, reminded: 0, messages: 0, sms: 0 };
  for (;;) {
    const done = await database.db.transaction(async (tx) => {
      const due = await q.markRemindersDue(database, tx, day, BATCH);
      totals.reminded += due.length;
      totals.messages += await notifyUsers(tx, due.flatMap(inAppMessages));
      const sms = due
        .filter((d) => d.contactPhone)
        .map((r) => ({
          channel: 'sms' as const,
          recipient: r.contactPhone!,
          body: translate('appointment_reminder_sms', 'zh-CN', { resource: r.resourceName, at: r.at, purpose: r.purpose }),
          dedupeKey: `appointment-reminder:${r.id}:${r.slotId}`,
          entity: 'appointment',
          entityId: r.id,
        }));
      totals.sms += await queueOutboundBatch(tx, deps.pii, sms);
      return due.length < BATCH;
    });
    if (done) return totals;
  }
}

/** Hourly, so that bookings made during the day for tomorrow are reminded the same day. */
export const appointmentRemindersJob: JobDef = {
  name: 'services.appointment-reminders',
  pattern: '5 * * * *',
  run: (deps) => sendAppointmentReminders(deps),
};
