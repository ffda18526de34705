import type { Deps } from '../platform/deps.js';

/** The demo's manager tasks (filled in by the sub-area). */
export async function seedDemoManagerTasks(_deps: Deps, _seed: number): Promise<void> {}
