/**
 * The demo's service functions (§5): a plausible year of requests, appointments and solutions, so that every
 * page and the 360° view show something at the first start. Each sub-area's generator lives beside this file
 * (services-<sub-area>.ts); all are deterministic from the seed and set-based.
 */
import type { Deps } from '../platform/deps.js';

export type ServiceSeeder = (deps: Deps, seed: number) => Promise<void>;

const SEEDERS: ServiceSeeder[] = [];

export async function seedDemoServices(deps: Deps, seed: number): Promise<void> {
  for (const seeder of SEEDERS) await seeder(deps, seed);
}
