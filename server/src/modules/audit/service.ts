import type { Deps } from '../../platform/deps.js';
import { audit } from '../../platform/audit/audit.js';
import type { ChainReport } from '../../platform/audit/chain.js';
import { checkpointFile, verifyWithCheckpoints } from '../../platform/audit/checkpoints.js';
import { type Actor } from '../../platform/auth/principal.js';
import type { Page } from '../../platform/http/list.js';
import * as q from './queries.js';
import type { AuditEntry, ListAuditQuery } from './schemas.js';

/**
 * 三权分立: an auditor sees the entries about their subtree, those about no unit, and the security events
 * of everyone acting from at or above their unit. Reading the trail is itself a sensitive read, so the
 * search is recorded too.
 */
export async function listAudit(deps: Deps, actor: Actor, query: ListAuditQuery): Promise<Page<AuditEntry>> {
  const { db } = deps.database;
  const page = await q.listAudit(db, actor.unitPath, query);
  const { offset: _o, limit: _l, fields: _f, ...filters } = query;
  await audit(db, actor, { action: 'read', entity: 'audit_log', unitPath: actor.unitPath, after: { filters } });
  return page as Page<AuditEntry>;
}

/** The chain recomputed with the audit key and checked against the signed checkpoints of this server's DATA_DIR. */
export const verifyChain = (deps: Deps): Promise<ChainReport> =>
  verifyWithCheckpoints(deps.database, deps.auditKeys, checkpointFile(deps.config.DATA_DIR));
