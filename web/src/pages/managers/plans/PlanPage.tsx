/** Placeholder until the sub-area lands: /managers/plans/:id. */
export function PlanPage() {
  return null;
}
