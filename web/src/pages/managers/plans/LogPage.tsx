/** Placeholder until the sub-area lands: /managers/logs. */
export function LogPage() {
  return null;
}
