import type { Config } from '../config.js';
import type { Database } from '../db/client.js';

/** What every service gets: settings and the database. Built once in app.ts. */
export interface Deps {
  config: Config;
  database: Database;
}
