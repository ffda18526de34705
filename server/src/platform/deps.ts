import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { AuditKeyring, useAuditKeys } from './audit/keys.js';
import { PiiVault } from './pii.js';

/** What every service gets: settings, the database, the personal-data vault and the audit keys. Built once per process. */
export interface Deps {
  config: Config;
  database: Database;
  pii: PiiVault;
  auditKeys: AuditKeyring;
}

/** The audit writer signs with these keys from now on (platform/audit/keys.ts). */
export function makeDeps(config: Config, database: Database): Deps {
  const auditKeys = new AuditKeyring(config.AUDIT_HMAC_KEY, config.AUDIT_HMAC_RETIRED_KEYS);
  useAuditKeys(auditKeys);
  return { config, database, pii: new PiiVault(config.PII_ENCRYPTION_KEY, config.PII_HASH_KEY), auditKeys };
}
