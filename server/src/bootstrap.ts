import type { Config } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { isEmpty, seedDemo, type DemoAccount } from './demo/seed.js';
import { seedDemoServices } from './demo/services.js';
import { seedDemoManagers } from './demo/managers.js';
import { ensureBuiltinRoles } from './modules/roles/service.js';
import { ensureDefaultRules } from './modules/rules/service.js';
import { runDemoRules } from './modules/rules/engine/job.js';
import { makeDeps } from './platform/deps.js';
import { ensureDefaultCatalogue } from './modules/rules/points/service.js';
import { PiiVault } from './platform/pii.js';
import { refuseNewerSchema } from './modules/system/version/service.js';
import { rebuildAllMonths } from './modules/analysis/indicators/service.js';
import { runMonthlyScoring } from './modules/analysis/churn/service.js';
import { refreshStandings } from './modules/customers/list.service.js';

export interface Prepared {
  database: Database;
  /** The demo accounts when this start loaded the demo data, else null. */
  seeded: DemoAccount[] | null;
}

export const demoOptions = (config: Config) => ({
  vault: new PiiVault(config.PII_ENCRYPTION_KEY, config.PII_HASH_KEY),
  customers: config.DEMO_CUSTOMERS,
});

/** Opens the database, applies migrations, refreshes the built-in roles and loads demo data into an empty database. */
export async function prepareDatabase(config: Config): Promise<Prepared> {
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, hotConnections: config.HOT_READ_CONNECTIONS });
  // an older build never runs on (or migrates) a schema a newer build left
  await refuseNewerSchema(database).catch(async (err: unknown) => {
    await database.close();
    throw err;
  });
  await database.migrate();
  await ensureBuiltinRoles(database.db);
  await ensureDefaultRules(database.db);
  await ensureDefaultCatalogue(database.db);
  let seeded: DemoAccount[] | null = null;
  if (config.DEMO_PROFILE !== 'none' && (await isEmpty(database))) {
    seeded = await seedDemo(database, config.DEMO_PROFILE, config.DEMO_SEED, config.DEMO_PASSWORD, demoOptions(config));
    if (config.DEMO_PROFILE === 'demo') {
      const deps = makeDeps(config, database);
      await runDemoRules(deps, config.DEMO_RULE_RUNS);
      if (config.DEMO_SERVICES) {
        await seedDemoServices(deps, config.DEMO_SEED);
        await seedDemoManagers(deps, config.DEMO_SEED);
      }
    }
    // the lists' levels, grades, points and arrears as the demo runs left them, before the first sign-in (the job
    // customers.standings would bring them up to two minutes later)
    await refreshStandings(makeDeps(config, database));
    // the analysis rollup of the generated months, with the ratings and points the demo runs wrote
    await rebuildAllMonths(database);
    // 流失预警 as the monthly job leaves it after the demo's rules runs: a model trained on the demo's history, its
    // latest month scored (tests, which run the rules themselves, score when they need it)
    if (config.DEMO_PROFILE === 'demo' && config.DEMO_RULE_RUNS > 0) await runMonthlyScoring(makeDeps(config, database));
  }
  return { database, seeded };
}
