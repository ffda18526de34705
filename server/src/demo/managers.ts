/**
 * The demo's account-manager management (§7): profiles and certifications, plans and logs, tasks in every state,
 * reminders and closed scorecards of the last months, so that each page shows something at the first start.
 * Each sub-area's generator lives beside this file (managers-<sub-area>.ts); all are deterministic from the seed.
 * They run after the service functions' demo, whose requests and appointments they read.
 */
import type { Deps } from '../platform/deps.js';
import { seedDemoManagerProfiles } from './managers-profiles.js';
import { seedDemoManagerPlans } from './managers-plans.js';
import { seedDemoManagerTasks } from './managers-tasks.js';
import { seedDemoManagerReminders } from './managers-reminders.js';
import { seedDemoManagerScorecards } from './managers-scorecards.js';

// profiles first (the others read grades and units); scorecards last: they count what the others wrote
const SEEDERS = [seedDemoManagerProfiles, seedDemoManagerPlans, seedDemoManagerTasks, seedDemoManagerReminders, seedDemoManagerScorecards];

export async function seedDemoManagers(deps: Deps, seed: number): Promise<void> {
  for (const seeder of SEEDERS) await seeder(deps, seed);
}
