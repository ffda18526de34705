/**
 * The demo's service functions (§5): a plausible year of requests, appointments and solutions, so that every
 * page and the 360° view show something at the first start. Each sub-area's generator lives beside this file
 * (services-<sub-area>.ts); all are deterministic from the seed and set-based.
 */
import type { Deps } from '../platform/deps.js';
import { seedDemoAppointments } from './services-appointments.js';
import { seedDemoRequests } from './services-requests.js';
import { seedDemoHolidays } from './services-sla.js';
import { seedSolutions } from './services-solutions.js';
import { seedDemoNotices } from './services-notices.js';
import { seedDemoPartners } from './services-partners.js';

export type ServiceSeeder = (deps: Deps, seed: number) => Promise<void>;

// the holiday calendar first: the requests' business clocks count it
const SEEDERS: ServiceSeeder[] = [seedDemoHolidays, seedDemoRequests, seedSolutions, seedDemoAppointments, seedDemoNotices, seedDemoPartners];

export async function seedDemoServices(deps: Deps, seed: number): Promise<void> {
  for (const seeder of SEEDERS) await seeder(deps, seed);
}
