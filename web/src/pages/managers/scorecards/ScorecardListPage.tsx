/** Placeholder until the sub-area lands: /managers/scorecards. */
export function ScorecardListPage() {
  return null;
}
