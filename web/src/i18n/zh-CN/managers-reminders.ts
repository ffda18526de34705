/** 客户经理管理 (managers/reminders). */
export const managersReminders = {
  'menu.managers.reminders': '日常提醒',
  'menu.managers.reminderSettings': '提醒设置',
};
