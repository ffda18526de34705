/** Placeholder until the sub-area lands: /managers/reminders/settings. */
export function ReminderSettingsPage() {
  return null;
}
