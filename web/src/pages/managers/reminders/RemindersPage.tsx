/** Placeholder until the sub-area lands: /managers/reminders. */
export function RemindersPage() {
  return null;
}
