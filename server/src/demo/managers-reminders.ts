import type { Deps } from '../platform/deps.js';

/** The demo's manager reminders (filled in by the sub-area). */
export async function seedDemoManagerReminders(_deps: Deps, _seed: number): Promise<void> {}
