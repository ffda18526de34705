import type { Deps } from '../../platform/deps.js';
import { audit } from '../../platform/audit/audit.js';
import type { ChainReport } from '../../platform/audit/chain.js';
import { checkpointFile, verifyWithCheckpoints } from '../../platform/audit/checkpoints.js';
import { sealWhatCanBe } from '../../platform/audit/sealer.js';
import { type Actor } from '../../platform/auth/principal.js';
import type { Page } from '../../platform/http/list.js';
import { maskPersonalData } from '../../platform/personal-data.js';
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
  return { total: page.total, items: page.items.map(maskedOnRead) } as Page<AuditEntry>;
}

/**
 * Entries written before the audit writer masked personal data (docs/operations.md) keep it in the table,
 * which the chain forbids rewriting; they are masked on their way out, as every entry is (a no-op for newer ones).
 */
function maskedOnRead<E extends { entity: string; before: unknown; after: unknown; diff: unknown }>(e: E): E {
  return { ...e, before: maskPersonalData(e.before, e.entity), after: maskPersonalData(e.after, e.entity), diff: maskPersonalData(e.diff, e.entity) };
}

/**
 * The chain recomputed with the audit key and checked against the signed checkpoints of this server's DATA_DIR,
 * after sealing what was committed (platform/audit/sealer.ts), so that it covers every entry.
 */
export async function verifyChain(deps: Deps): Promise<ChainReport> {
  await sealWhatCanBe(deps.database, deps.auditKeys);
  return verifyWithCheckpoints(deps.database, deps.auditKeys, checkpointFile(deps.config.DATA_DIR), deps.config.AUDIT_ARCHIVED_UP_TO);
}
