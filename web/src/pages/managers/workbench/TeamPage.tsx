/** Placeholder until the sub-area lands: /managers/team. */
export function TeamPage() {
  return null;
}
