import type { Deps } from '../platform/deps.js';

/** The demo's manager plans (filled in by the sub-area). */
export async function seedDemoManagerPlans(_deps: Deps, _seed: number): Promise<void> {}
