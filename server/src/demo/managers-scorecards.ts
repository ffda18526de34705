import type { Deps } from '../platform/deps.js';

/** The demo's manager scorecards (filled in by the sub-area). */
export async function seedDemoManagerScorecards(_deps: Deps, _seed: number): Promise<void> {}
