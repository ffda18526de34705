import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import { users } from '../db/schema/index.js';
import { insertUnit } from '../modules/org/queries.js';
import { hashPassword } from '../platform/auth/password.js';
import { ensureBuiltinRoles } from '../modules/roles/service.js';
import { PiiVault } from '../platform/pii.js';
import { CUSTOMER_COUNT, seedCustomers, type PhaseReport } from './customers.js';
import { CITIES, PROVINCE, cityRank, countyUnitNames } from './guangdong.js';
import { chineseName, mobileNumber, Random } from './random.js';

export type Profile = 'demo' | 'large';

/** How many people of each kind one city branch has, by profile. */
const STAFF: Record<Profile, { managers: number; agents: number }> = {
  demo: { managers: 3, agents: 1 },
  large: { managers: 143, agents: 10 },
};

export interface DemoAccount {
  username: string;
  role: string;
  displayName: string;
}

interface UnitRef {
  id: number;
  path: string;
}

async function addUnit(db: Executor, parent: UnitRef | null, v: { code: string; name: string; nameEn?: string; kind: string; sortOrder?: number }) {
  const parentPath = parent?.path ?? '/';
  const id = await insertUnit(db, { ...v, nameEn: v.nameEn ?? null, sortOrder: v.sortOrder ?? null, parentId: parent?.id ?? null, parentPath });
  return { id, path: `${parentPath}${id}/` };
}

interface Person {
  username: string;
  displayName: string;
  unitId: number;
  role: string;
  phone: string;
}

export interface SeedOptions {
  /** Seals the customers' ID numbers with the configured keys. */
  vault: PiiVault;
  /** Number of demo customers; default 5,000 (demo) or 1,000,000 (large); 0 loads none. */
  customers?: number;
  /** Timing of each phase of the customer load (benchmarks, CLI). */
  onPhase?: (report: PhaseReport) => void;
}

/**
 * Loads the organisation (HQ → 广东公司 → 21 cities → counties → outlets) and users of every role,
 * then the key accounts with their subscriptions and 12 months of facts (customers.ts).
 * Deterministic from the seed. All demo users share the demo password (hashed once: demo data only).
 */
export async function seedDemo(database: Database, profile: Profile, seed: number, demoPassword: string, options: SeedOptions): Promise<DemoAccount[]> {
  const r = new Random(seed);
  const passwordHash = await hashPassword(demoPassword);
  const staff = STAFF[profile];
  const people: Person[] = [];
  const person = (username: string, unitId: number, role: string) =>
    people.push({ username, displayName: chineseName(r), unitId, role, phone: mobileNumber(r) });

  await database.db.transaction(async (tx) => {
    await ensureBuiltinRoles(tx);
    const hq = await addUnit(tx, null, { code: 'HQ', name: '中国移动通信集团', nameEn: 'Group HQ', kind: 'hq' });
    const gd = await addUnit(tx, hq, { ...PROVINCE, kind: 'province' });
    person('admin', hq.id, 'sysadmin');
    person('gd_head', gd.id, 'province_head');
    person('gd_analyst', gd.id, 'analyst');
    person('gd_auditor', gd.id, 'auditor');
    for (const city of CITIES) {
      const cityUnit = await addUnit(tx, gd, { code: `GD-${city.code}`, name: `${city.name}分公司`, nameEn: `${city.nameEn} Branch`, kind: 'city', sortOrder: cityRank(city) });
      const c = city.code.toLowerCase();
      person(`${c}_head`, cityUnit.id, 'city_head');
      for (let m = 1; m <= staff.managers; m++) person(`${c}_am${String(m).padStart(2, '0')}`, cityUnit.id, 'account_manager');
      let firstOutlet: UnitRef | null = null;
      for (const [i, county] of city.counties.entries()) {
        const code = `GD-${city.code}-${String(i + 1).padStart(2, '0')}`;
        const names = countyUnitNames(county);
        const countyUnit = await addUnit(tx, cityUnit, { code, ...names.county, kind: 'county', sortOrder: i + 1 });
        const outlet = await addUnit(tx, countyUnit, { code: `${code}-Y1`, ...names.outlet, kind: 'outlet' });
        firstOutlet ??= outlet;
      }
      for (let a = 1; a <= staff.agents; a++) person(`${c}_agent${a === 1 ? '' : a}`, firstOutlet!.id, 'service_agent');
    }
    for (let i = 0; i < people.length; i += 500) {
      await tx.insert(users).values(
        people.slice(i, i + 500).map((p) => ({
          username: p.username,
          displayName: p.displayName,
          unitId: p.unitId,
          phone: p.phone,
          email: `${p.username}@gd.example.cn`,
          passwordHash,
        })),
      );
    }
    const pairs = people.map((p) => ({ username: p.username, role: p.role }));
    await tx.execute(sql`
      INSERT INTO user_roles (user_id, role_id)
      SELECT u.id, r.id
      FROM jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) AS x(username text, role text)
      JOIN users u ON u.username = x.username
      JOIN roles r ON r.code = x.role`);
  });
  await seedCustomers(database, {
    seed,
    vault: options.vault,
    customers: options.customers ?? CUSTOMER_COUNT[profile],
    onPhase: options.onPhase,
  });
  const shown = ['admin', 'gd_head', 'gd_analyst', 'gd_auditor', 'gz_head', 'gz_am01', 'gz_agent', 'sz_head', 'sz_am01'];
  return shown.map((username) => {
    const p = people.find((x) => x.username === username)!;
    return { username, role: p.role, displayName: p.displayName };
  });
}

export async function isEmpty(database: Database): Promise<boolean> {
  const [row] = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM users`);
  return Number(row?.n ?? 0) === 0;
}
