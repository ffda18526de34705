import type { managersReminders as zh } from '../zh-CN/managers-reminders';

/** Account managers (managers/reminders). */
export const managersReminders: Record<keyof typeof zh, string> = {
  'menu.managers.reminders': 'Reminders',
  'menu.managers.reminderSettings': 'Reminder settings',
};
