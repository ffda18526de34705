/** Placeholder until the sub-area lands: /managers/scorecards/weights. */
export function ScorecardWeightsPage() {
  return null;
}
