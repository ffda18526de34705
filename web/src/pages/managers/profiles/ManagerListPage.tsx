/** Placeholder until the sub-area lands: /managers/profiles. */
export function ManagerListPage() {
  return null;
}
