/**
 * 潜在大客户资格确认: the candidates a run found, for the managers and heads whose scope covers them,
 * and their decision — confirmed with a level (the customer enters the in-network archive through
 * the customers service, reason `regained_status`, in the same transaction) or rejected with a reason.
 */
import { sql, type SQL } from 'drizzle-orm';
import { audit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/principal.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError, invalid, notFound, outOfScope, versionConflict } from '../../../platform/errors.js';
import type { Page } from '../../../platform/http/list.js';
import { loadWritableCustomer, managedCustomersSql, moveArchiveIn, visibleCustomersSql } from '../../customers/service.js';
import * as q from './queries.js';
import type { Candidate, CandidateDecision, CandidatesQuery } from './schemas.js';
import { GROUP_CLASSES, RATED_STARS } from '../params.js';
import { todayAt, toMonthDate } from '../../../platform/months.js';

export async function listCandidates(deps: Deps, actor: Actor, query: CandidatesQuery): Promise<Page<Candidate>> {
  const conds: SQL[] = [visibleCustomersSql(actor), sql`pc.status = ${query.status}`];
  if (query.month) conds.push(sql`pc.month = ${toMonthDate(query.month)}::date`);
  const where = sql.join(conds, sql` AND `);
  const [items, total] = await Promise.all([q.listCandidates(deps.database, where, query.offset, query.limit), q.countCandidates(deps.database, where)]);
  return { items, total };
}

/** The levels a confirmed candidate may get: a star level for an individual, a class for a group. */
const LEVELS_OF = { individual: RATED_STARS as readonly string[], group: GROUP_CLASSES as readonly string[] };
const KIND_NAMES = { individual: { kind: '个人', kindEn: 'an individual' }, group: { kind: '集团', kindEn: 'a group' } };

function checkInput(input: CandidateDecision): { level: string | null; note: string | null } {
  const note = input.note?.trim() || null;
  if (input.decision === 'confirm' && !input.level) throw invalid('body.level', 'decision_level_required');
  if (input.decision === 'reject' && (!note || note.length < 2)) throw invalid('body.note', 'decision_reason_required', { min: 2 });
  return { level: input.decision === 'confirm' ? input.level! : null, note };
}

/** 确认 / 否决 at the version read, while the customer is not merged; audited. */
export async function decide(deps: Deps, actor: Actor, id: number, input: CandidateDecision): Promise<Candidate> {
  const { level, note } = checkInput(input);
  const { database } = deps;
  await database.db.transaction(async (tx) => {
    const row = await q.lockForDecision(database, tx, id, managedCustomersSql(actor));
    if (!row) throw notFound('potential_candidate');
    if (!row.visible) throw outOfScope('potential_candidate');
    const customer = await loadWritableCustomer(deps, actor, row.customerId, tx);
    if (row.status !== 'open') throw new AppError(409, 'decision_already_made');
    if (row.version !== input.version) throw versionConflict();
    if (level) {
      const allowed = LEVELS_OF[row.kind];
      if (!allowed.includes(level)) {
        const params = { ...KIND_NAMES[row.kind], levels: allowed.join(', ') };
        throw new AppError(400, 'validation_failed', {}, [{ field: 'body.level', code: 'candidate_level_kind', message: '', params }]);
      }
      // the customers service moves the archive inside this transaction, so both commit or neither
      if (customer.archive !== 'in_network') {
        await moveArchiveIn(deps, tx, actor, row.customerId, {
          version: customer.version,
          toArchive: 'in_network',
          reason: 'regained_status',
          effectiveOn: todayAt(),
          note: `潜在大客户确认 / potential key account confirmed: ${level}`,
        });
      }
    }
    const status = level ? 'confirmed' : 'rejected';
    const ok = await q.updateCandidate(tx, id, input.version, { status, decidedBy: actor.userId, decidedAt: new Date(), decisionNote: note, confirmedLevel: level });
    if (!ok) throw versionConflict();
    await audit(tx, actor, {
      action: 'update',
      entity: 'potential_candidate',
      entityId: id,
      unitPath: row.unitPath,
      before: { status: row.status },
      after: { status, customerId: row.customerId, confirmedLevel: level, note },
    });
  });
  return (await q.getCandidate(database, id))!;
}
