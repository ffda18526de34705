import type { Deps } from '../platform/deps.js';

/** The demo's manager profiles (filled in by the sub-area). */
export async function seedDemoManagerProfiles(_deps: Deps, _seed: number): Promise<void> {}
