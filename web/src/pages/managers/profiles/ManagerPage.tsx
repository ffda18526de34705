/** Placeholder until the sub-area lands: /managers/profiles/:id. */
export function ManagerPage() {
  return null;
}
