/** Placeholder until the sub-area lands: /managers/scorecards/:id. */
export function ScorecardPage() {
  return null;
}
