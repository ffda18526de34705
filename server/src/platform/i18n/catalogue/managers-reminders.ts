import type { Locale } from '../locale.js';
import type { ProblemType } from './problems.js';

/** 客户经理管理 (managers/reminders): problems, notifications and record names of the sub-area. */
export const managersReminders = {
  entity_reminder: { 'zh-CN': '提醒', 'en-US': 'The reminder' },
  entity_reminder_setting: { 'zh-CN': '提醒设置', 'en-US': 'The reminder setting' },
  reminder_type_birthday: { 'zh-CN': '生日', 'en-US': 'birthdays' },
  reminder_type_contract_expiry: { 'zh-CN': '合同到期', 'en-US': 'contract expiries' },
  reminder_type_appointment: { 'zh-CN': '预约', 'en-US': 'appointments' },
  reminder_type_sla_warning: { 'zh-CN': '工单时限预警', 'en-US': 'SLA warnings' },
  reminder_type_arrears: { 'zh-CN': '欠费', 'en-US': 'arrears' },
  reminder_type_level_change: { 'zh-CN': '等级变动', 'en-US': 'level changes' },
  reminder_type_churn_warning: { 'zh-CN': '流失预警', 'en-US': 'churn warnings' },
  reminder_type_certification_expiry: { 'zh-CN': '资格证书到期', 'en-US': 'expiring certifications' },
  reminder_snooze_range: { 'zh-CN': '稍后提醒的日期须在今天之后，且不超过 {days} 天', 'en-US': 'Snooze until a day after today, at most {days} days ahead' },
  reminder_digest: { 'zh-CN': '今日新增提醒 {total} 条：{parts}', 'en-US': 'Today’s new reminders: {total} — {parts}' },
  reminder_digest_part: { 'zh-CN': '{type} {n} 条', 'en-US': '{type}: {n}' },
  reminder_digest_email: {
    'zh-CN': '【日常事务提醒】{day} 新增提醒 {total} 条：{parts}。请登录大客户服务管理系统“日常事务提醒”查看。',
    'en-US': '[Daily reminders] {day}: {total} new reminders — {parts}. Sign in to the key-account system, “Reminders”, to see them.',
  },
} as const satisfies Record<string, Record<Locale, string>>;

type Code = keyof typeof managersReminders;

/** The problem pages of the reminders' codes (merged into PROBLEM_TYPES). */
export const reminderProblemTypes = {
  reminder_snooze_range: { status: [400], advice: { 'zh-CN': '选择明天到 30 天内的某一天。', 'en-US': 'Choose a day from tomorrow to 30 days ahead.' } },
} as const satisfies Partial<Record<Code, ProblemType>>;
