/** Placeholder until the sub-area lands: /managers/plans. */
export function PlanListPage() {
  return null;
}
