import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { PiiVault } from './pii.js';

/** What every service gets: settings, the database and the personal-data vault. Built once per process. */
export interface Deps {
  config: Config;
  database: Database;
  pii: PiiVault;
}

export function makeDeps(config: Config, database: Database): Deps {
  return { config, database, pii: new PiiVault(config.PII_ENCRYPTION_KEY, config.PII_HASH_KEY) };
}
