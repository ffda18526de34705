/**
 * 日常事务提醒 (DOMAIN.md §7): every morning each account manager's reminders are produced from the system's own
 * data — key persons' and individual customers' birthdays, contract expiries, appointments, SLA warnings,
 * arrears, level changes of the monthly run, expiring certifications — at the lead days their unit's settings
 * give, then one digest per manager says how many of each came (in-app, and by e-mail when they have an
 * address). A manager dismisses or snoozes their own reminders; a head reads a manager's of their units, and
 * (reminders.configure) sets which types and leads apply in their units, a unit without its own setting
 * following the nearest unit above it, then the code's defaults.
 */
import type { Actor } from '../../../platform/auth/principal.js';
import { audit } from '../../../platform/audit/audit.js';
import { inScope } from '../../../platform/auth/scope.js';
import type { Deps } from '../../../platform/deps.js';
import { invalid, notFound, outOfScope, versionConflict } from '../../../platform/errors.js';
import type { Page } from '../../../platform/http/list.js';
import { isLocale, messageRef, translate, type MessageCode } from '../../../platform/i18n/messages.js';
import { addDays, todayAt } from '../../../platform/months.js';
import { notifyUsers, queueOutboundBatch, type InAppMessage, type OutboundMessage } from '../../../platform/notify/notify.js';
import * as org from '../../org/service.js';
import * as q from './queries.js';
import {
  DEFAULT_SETTINGS,
  MAX_SNOOZE_DAYS,
  REMINDER_TYPES,
  type Reminder,
  type RemindersQuery,
  type ReminderType,
  type Setting,
  type SettingInput,
  type SnoozeInput,
  type UnitSettings,
} from './schemas.js';


/** Types reminded on the day they are noticed: their lead days mean nothing and are kept as {0}. */
export const ON_THE_DAY: ReadonlySet<ReminderType> = new Set(['sla_warning', 'arrears', 'level_change', 'churn_warning']);

// ---- the daily job

export interface GenerationResult {
  day: string;
  created: Record<ReminderType, number>;
  reopened: number;
  digests: number;
  emails: number;
}

/** Produces the day's reminders of every manager (each type once per item and occasion), then reopens ended snoozes. */
export async function generateReminders(deps: Deps, today = todayAt()): Promise<Omit<GenerationResult, 'digests' | 'emails'>> {
  const created = {} as Record<ReminderType, number>;
  for (const type of REMINDER_TYPES) created[type] = await q.generateType(deps.database, type, today);
  const reopened = await q.reopenSnoozed(deps.database, today);
  return { day: today, created, reopened };
}

const DIGEST_BATCH = 1000;

/**
 * 每日提醒汇总: one in-app message per manager with reminders produced today, counting them by type, and an
 * e-mail to those with an address. Once per manager and day: the message is named by the day and the e-mail
 * carries a dedupe key of the user and the day; two instances take turns (an advisory lock).
 */
export async function sendDigests(deps: Deps, today = todayAt()): Promise<{ digests: number; emails: number }> {
  const { database } = deps;
  const dayId = Number(today.replaceAll('-', ''));
  return database.db.transaction(async (tx) => {
    await q.lockDigest(database, tx);
    const due = await q.digestsDue(database, tx, today, dayId);
    let digests = 0;
    let emails = 0;
    for (let i = 0; i < due.length; i += DIGEST_BATCH) {
      const batch = due.slice(i, i + DIGEST_BATCH);
      const messages: InAppMessage[] = batch.map((d) => ({
        userId: d.managerId,
        code: 'reminder_digest',
        // the parts are messages themselves, worded in the reader's language when read (translate joins a list of them)
        params: digestParams(d.counts) as unknown as Record<string, string | number>,
        link: '/managers/reminders',
        entity: 'reminder_digest',
        entityId: dayId,
      }));
      digests += await notifyUsers(tx, messages);
      const mails: OutboundMessage[] = batch
        .filter((d) => d.email)
        .map((d) => ({
          channel: 'email',
          recipient: d.email!,
          body: translate('reminder_digest_email', isLocale(d.locale) ? d.locale : 'zh-CN', { day: today, ...digestParams(d.counts) }),
          dedupeKey: `reminder-digest:${d.managerId}:${today}`,
          entity: 'reminder_digest',
          entityId: dayId,
        }));
      emails += await queueOutboundBatch(tx, deps.pii, mails);
    }
    return { digests, emails };
  });
}

function digestParams(counts: Record<string, number>) {
  const parts = REMINDER_TYPES.filter((t) => counts[t]).map((t) => messageRef('reminder_digest_part', { type: messageRef(`reminder_type_${t}` as MessageCode), n: counts[t] }));
  return { total: Object.values(counts).reduce((a, b) => a + b, 0), parts };
}

/** The daily job: the reminders, then the digest. */
export async function runDailyReminders(deps: Deps, now = new Date()): Promise<GenerationResult> {
  const today = todayAt(now);
  const generated = await generateReminders(deps, today);
  return { ...generated, ...(await sendDigests(deps, today)) };
}

// ---- a manager's reminders

async function list(deps: Deps, managerId: number, query: RemindersQuery): Promise<Page<Reminder>> {
  return q.listReminders(deps.database, managerId, query, todayAt(), query.offset, query.limit);
}

export const myReminders = (deps: Deps, actor: Actor, query: RemindersQuery) => list(deps, actor.userId ?? 0, query);

/** A head's read of a manager of their units (404 for anyone else, as for nobody). */
export async function managerReminders(deps: Deps, actor: Actor, managerId: number, query: RemindersQuery): Promise<Page<Reminder>> {
  const user = await q.userWithPath(deps.database, managerId);
  if (!user) throw notFound('user');
  if (!inScope(actor, user.unitPath)) throw outOfScope('user');
  return list(deps, managerId, query);
}

/** One's own reminder, locked for a change; 404 for another's, as for none. */
async function ownReminder(deps: Deps, actor: Actor, tx: Parameters<typeof q.findReminder>[1], id: number) {
  const row = await q.findReminder(deps.database, tx, id, true);
  if (!row) throw notFound('reminder');
  if (row.managerId !== actor.userId) throw outOfScope('reminder');
  return row;
}

async function change(deps: Deps, actor: Actor, id: number, version: number, status: 'dismissed' | 'snoozed', until: string | null): Promise<Reminder> {
  await deps.database.db.transaction(async (tx) => {
    const before = await ownReminder(deps, actor, tx, id);
    if (before.version !== version) throw versionConflict();
    if (!(await q.setReminderStatus(tx, id, version, status, until))) throw versionConflict();
    await audit(tx, actor, {
      action: 'update',
      entity: 'reminder',
      entityId: id,
      unitPath: actor.unitPath,
      before: { status: before.status, snoozedUntil: before.snoozedUntil },
      after: { status, snoozedUntil: until },
    });
  });
  return (await q.findReminder(deps.database, deps.database.db, id))!;
}

export const dismiss = (deps: Deps, actor: Actor, id: number, input: { version: number }) => change(deps, actor, id, input.version, 'dismissed', null);

/** Snoozed until a day after today and at most 30 days ahead; it opens again that morning. */
export function snooze(deps: Deps, actor: Actor, id: number, input: SnoozeInput, today = todayAt()): Promise<Reminder> {
  if (input.until <= today || input.until > addDays(today, MAX_SNOOZE_DAYS)) throw invalid('body.until', 'reminder_snooze_range', { days: MAX_SNOOZE_DAYS });
  return change(deps, actor, id, input.version, 'snoozed', input.until);
}

// ---- settings

/** The settings in force in a unit of the actor's, each with where it comes from. */
export async function unitSettings(deps: Deps, actor: Actor, unitId = 0): Promise<UnitSettings> {
  const { database } = deps;
  const unit = await org.getUnit(database.db, actor, unitId || (await q.unitIdByPath(database, actor.unitPath)));
  const rows = await q.settingsAbove(database, database.db, unit.path);
  const items: Setting[] = REMINDER_TYPES.map((type) => {
    const row = rows.find((r) => r.type === type);
    if (!row) return { type, ...DEFAULT_SETTINGS[type], source: 'default', sourceUnitId: null, sourceUnitName: null, version: null };
    const own = row.unitId === unit.id;
    return { type, enabled: row.enabled, leadDays: row.leadDays, source: own ? 'own' : 'inherited', sourceUnitId: row.unitId, sourceUnitName: row.unitName, version: own ? row.version : null };
  });
  return { unitId: unit.id, unitName: unit.name, items };
}

const normalised = (type: ReminderType, leadDays: number[]) => (ON_THE_DAY.has(type) ? [0] : [...leadDays].sort((a, b) => b - a));

/** Sets a unit's own setting of a type: creates it (no version) or changes it at the version read. */
export async function putSetting(deps: Deps, actor: Actor, unitId: number, type: ReminderType, input: SettingInput): Promise<UnitSettings> {
  const { database } = deps;
  const leadDays = normalised(type, input.leadDays);
  await database.db.transaction(async (tx) => {
    const unit = await org.getUnit(tx, actor, unitId);
    const before = await q.findOwnSetting(database, tx, unitId, type, true);
    if (before) {
      if (input.version !== before.version) throw versionConflict();
      if (!(await q.updateSetting(database, tx, unitId, type, before.version, input.enabled, leadDays))) throw versionConflict();
    } else {
      if (input.version != null) throw versionConflict();
      if (!(await q.insertSetting(tx, unitId, type, input.enabled, leadDays))) throw versionConflict();
    }
    await audit(tx, actor, {
      action: before ? 'update' : 'create',
      entity: 'reminder_setting',
      entityId: `${unitId}:${type}`,
      unitPath: unit.path,
      before: before ? { enabled: before.enabled, leadDays: before.leadDays } : null,
      after: { unitId, type, enabled: input.enabled, leadDays },
    });
  });
  return unitSettings(deps, actor, unitId);
}

/** Drops a unit's own setting of a type (at the version read, when given): the unit follows the unit above it again. */
export async function deleteSetting(deps: Deps, actor: Actor, unitId: number, type: ReminderType, version?: number): Promise<UnitSettings> {
  const { database } = deps;
  await database.db.transaction(async (tx) => {
    const unit = await org.getUnit(tx, actor, unitId);
    const before = await q.findOwnSetting(database, tx, unitId, type, true);
    if (!before) throw notFound('reminder_setting');
    if (!(await q.deleteSetting(database, tx, unitId, type, version ?? before.version))) throw versionConflict();
    await audit(tx, actor, { action: 'delete', entity: 'reminder_setting', entityId: `${unitId}:${type}`, unitPath: unit.path, before: { unitId, type, enabled: before.enabled, leadDays: before.leadDays } });
  });
  return unitSettings(deps, actor, unitId);
}
