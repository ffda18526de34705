/** 日常事务提醒: reminders of account managers and their settings per unit, at the edge. */
import { z } from 'zod';
import { pageQuery } from '../../../platform/http/list.js';

/**
 * The reminder types the daily job produces. 流失预警 (churn_warning): the customers of the latest churn scoring in
 * the high band (analysis/churn).
 */
export const REMINDER_TYPES = ['birthday', 'contract_expiry', 'appointment', 'sla_warning', 'arrears', 'level_change', 'certification_expiry', 'churn_warning'] as const;
export type ReminderType = (typeof REMINDER_TYPES)[number];

export const REMINDER_STATUSES = ['open', 'snoozed', 'dismissed'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

/** The code's settings, in force where no unit at or above says otherwise. Lead days: how many days before the due day. */
export const DEFAULT_SETTINGS: Record<ReminderType, { enabled: boolean; leadDays: number[] }> = {
  birthday: { enabled: true, leadDays: [3, 0] },
  contract_expiry: { enabled: true, leadDays: [90, 30, 7] },
  appointment: { enabled: true, leadDays: [1] },
  sla_warning: { enabled: true, leadDays: [0] },
  arrears: { enabled: true, leadDays: [0] },
  level_change: { enabled: true, leadDays: [0] },
  certification_expiry: { enabled: true, leadDays: [60, 30] },
  churn_warning: { enabled: true, leadDays: [0] },
};

/** A snooze lasts at most this many days. */
export const MAX_SNOOZE_DAYS = 30;

const date = z.iso.date().describe('A calendar day in Asia/Shanghai, YYYY-MM-DD');
const version = z.number().int().positive();

export const reminderSchema = z
  .object({
    id: z.number().int(),
    managerId: z.number().int(),
    type: z.enum(REMINDER_TYPES),
    itemKey: z.string().describe('The item and its occasion (contract_expiry:<contract>:<expiry>:<lead>): unique per manager'),
    customerId: z.number().int().nullable(),
    customerName: z.string().nullable(),
    customerNo: z.string().nullable(),
    entity: z.string().nullable().describe('key_person | customer | contract | appointment | service_request | certification'),
    entityId: z.number().int().nullable(),
    dueOn: z.string().describe('The day the reminded thing happens (birthday, expiry, appointment); the day noticed for SLA, arrears and level changes'),
    leadDays: z.number().int().nullable().describe('The lead of the settings this reminder answers (90, 30, 7 days before an expiry)'),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).describe('Names and figures the reminder shows'),
    generatedOn: z.string(),
    status: z.enum(REMINDER_STATUSES),
    snoozedUntil: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Reminder' });
export type Reminder = z.infer<typeof reminderSchema>;

export const remindersQuery = pageQuery.extend({
  type: z.enum(REMINDER_TYPES).optional(),
  status: z.enum(REMINDER_STATUSES).optional().describe('By default the open ones and the snoozed ones whose snooze has ended'),
  from: date.optional().describe('Due on or after this day'),
  to: date.optional().describe('Due on or before this day'),
});
export type RemindersQuery = z.infer<typeof remindersQuery>;

export const dismissBody = z.strictObject({ version });
export const snoozeBody = z.strictObject({ version, until: date.describe(`A day after today, at most ${MAX_SNOOZE_DAYS} days ahead`) });
export type SnoozeInput = z.infer<typeof snoozeBody>;

// ---- settings

export const SETTING_SOURCES = ['own', 'inherited', 'default'] as const;

export const settingSchema = z
  .object({
    type: z.enum(REMINDER_TYPES),
    enabled: z.boolean(),
    leadDays: z.array(z.number().int()),
    source: z.enum(SETTING_SOURCES).describe('own: the unit’s row; inherited: the nearest ancestor’s; default: the code’s'),
    sourceUnitId: z.number().int().nullable(),
    sourceUnitName: z.string().nullable(),
    version: z.number().int().nullable().describe('The version of the unit’s own row (null when it has none)'),
  })
  .meta({ id: 'ReminderSetting' });
export type Setting = z.infer<typeof settingSchema>;

export const unitSettingsSchema = z
  .object({ unitId: z.number().int(), unitName: z.string(), items: z.array(settingSchema) })
  .meta({ id: 'ReminderSettings' });
export type UnitSettings = z.infer<typeof unitSettingsSchema>;

export const settingsQuery = z.strictObject({ unitId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().describe('By default your own unit') });

export const settingParams = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  type: z.enum(REMINDER_TYPES),
});

export const settingBody = z.strictObject({
  enabled: z.boolean(),
  leadDays: z
    .array(z.number().int().min(0).max(365))
    .min(1)
    .max(5)
    .refine((a) => new Set(a).size === a.length, 'each lead once')
    .describe('Days before the due day (0: on the day), each once'),
  version: version.nullish().describe('The version of the unit’s own row when it has one; absent to create it'),
});
export type SettingInput = z.infer<typeof settingBody>;

export const settingDeleteQuery = z.strictObject({ version: z.coerce.number().int().positive().optional().describe('The version of the unit’s own row as read (checked when given)') });
