import type { Config } from '../config.js';
import type { AnalyticsReads, Database } from '../db/client.js';
import { openReadReplica, type ReadReplica } from '../db/read-replica.js';
import { AuditKeyring, useAuditKeys } from './audit/keys.js';
import { PiiVault } from './pii.js';

/** What every service gets: settings, the database, the personal-data vault and the audit keys. Built once per process. */
export interface Deps {
  config: Config;
  database: Database;
  pii: PiiVault;
  auditKeys: AuditKeyring;
  /** The read replica (ANALYTICS_DATABASE_URL) when there is one: read it through `analyticsReads`. */
  analytics?: ReadReplica;
}

/** The audit writer signs with these keys from now on (platform/audit/keys.ts). */
export function makeDeps(config: Config, database: Database): Deps {
  const auditKeys = new AuditKeyring(config.AUDIT_HMAC_KEY, config.AUDIT_HMAC_RETIRED_KEYS);
  useAuditKeys(auditKeys);
  const analytics = database.kind === 'postgres' && config.ANALYTICS_DATABASE_URL ? replicaAt(config.ANALYTICS_DATABASE_URL) : undefined;
  return { config, database, pii: new PiiVault(config.PII_ENCRYPTION_KEY, config.PII_HASH_KEY), auditKeys, ...(analytics && { analytics }) };
}

/** One pool per replica in the process, however many times the deps are made (the app, the scheduler, the CLI). */
const replicas = new Map<string, ReadReplica>();
function replicaAt(url: string): ReadReplica {
  let replica = replicas.get(url);
  if (!replica) replicas.set(url, (replica = openReadReplica(url)));
  return replica;
}

/**
 * Where the heavy reads go (customer exports, the managers' team view): the read replica when there is one,
 * else the database. Its rows may be a moment behind the primary: never for a read that must see a write the
 * caller has just made.
 */
export const analyticsReads = (deps: Pick<Deps, 'analytics' | 'database'>): AnalyticsReads => deps.analytics ?? deps.database;

/** Ends the read replicas' connections (a test's end; a server's idle pools let the process end anyway). */
export async function closeReadReplicas(): Promise<void> {
  const open = [...replicas.values()];
  replicas.clear();
  await Promise.all(open.map((r) => r.close()));
}
