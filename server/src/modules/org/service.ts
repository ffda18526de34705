import type { Deps } from '../../platform/deps.js';
import type { Executor } from '../../db/client.js';
import { audit } from '../../platform/audit/audit.js';
import { type Actor } from '../../platform/auth/principal.js';
import { customerReader, inScope } from '../../platform/auth/scope.js';
import { pgErrorCode, PG_FOREIGN_KEY_VIOLATION, PG_UNIQUE_VIOLATION } from '../../platform/db-errors.js';
import { messageRef } from '../../platform/i18n/messages.js';
import { AppError, duplicate, entityName, invalid, notFound, outOfScope, versionConflict } from '../../platform/errors.js';
import type { Page } from '../../platform/http/list.js';
import * as q from './queries.js';
import { UNIT_KINDS, type CreateUnit, type ListUnitsQuery, type OrgUnit, type PatchUnit, type UnitKind } from './schemas.js';

const ENTITY = 'org_unit';

export function listUnits(deps: Deps, actor: Actor, query: ListUnitsQuery): Promise<Page<OrgUnit>> {
  const reader = query.scope === 'customers' ? customerReader(actor) : actor;
  return q.listUnits(deps.database.db, reader.unitPath, query) as Promise<Page<OrgUnit>>;
}

/** A unit the actor may see; units outside the data scope answer as if they did not exist. */
export async function getUnit(db: Executor, actor: Actor, id: number): Promise<OrgUnit> {
  const unit = (await q.findUnit(db, id)) as OrgUnit | undefined;
  if (!unit) throw notFound('org_unit');
  if (!inScope(actor, unit.path)) throw outOfScope('org_unit');
  return unit;
}

function checkNesting(child: UnitKind, parent: UnitKind, field: string) {
  if (UNIT_KINDS.indexOf(child) <= UNIT_KINDS.indexOf(parent)) {
    throw invalid(field, 'unit_kind_order', { child: messageRef(`unit_kind_${child}`), parent: messageRef(`unit_kind_${parent}`) });
  }
}

async function parentFor(db: Executor, actor: Actor, parentId: number, kind: UnitKind, field: string) {
  const parent = await getUnit(db, actor, parentId).catch(() => {
    throw invalid(field, 'not_found', { entity: entityName('org_unit') });
  });
  if (!parent.active) throw invalid(field, 'unit_inactive_parent');
  checkNesting(kind, parent.kind, field);
  return parent;
}

export async function createUnit(deps: Deps, actor: Actor, input: CreateUnit): Promise<OrgUnit> {
  try {
    return await deps.database.db.transaction(async (tx) => {
      const parent = await parentFor(tx, actor, input.parentId, input.kind, 'body.parentId');
      const id = await q.insertUnit(tx, { ...input, nameEn: input.nameEn ?? null, parentPath: parent.path });
      const unit = await getUnit(tx, actor, id);
      await audit(tx, actor, { action: 'create', entity: ENTITY, entityId: id, unitPath: unit.path, after: unit });
      return unit;
    });
  } catch (err) {
    if (pgErrorCode(err) === PG_UNIQUE_VIOLATION) throw duplicate('body.code');
    throw err;
  }
}

/** Renames, moves (the whole subtree follows) or (de)activates a unit, at the version the caller read. */
export async function patchUnit(deps: Deps, actor: Actor, id: number, patch: PatchUnit): Promise<OrgUnit> {
  return deps.database.db.transaction(async (tx) => {
    const before = await getUnit(tx, actor, id);
    if (before.version !== patch.version) throw versionConflict();
    const ownRoot = before.path === actor.unitPath;
    if (ownRoot && (patch.parentId !== undefined || patch.active === false)) {
      throw new AppError(403, 'out_of_scope');
    }
    const moving = patch.parentId !== undefined && patch.parentId !== before.parentId;
    let newPath = before.path;
    if (moving) {
      const parent = await parentFor(tx, actor, patch.parentId!, before.kind, 'body.parentId');
      if (parent.path.startsWith(before.path)) throw invalid('body.parentId', 'unit_cycle');
      newPath = `${parent.path}${id}/`;
    }
    if (patch.active === false && before.active && (await q.countActiveChildren(tx, id)) > 0) {
      throw invalid('body.active', 'unit_not_empty');
    }
    const ok = await q.updateUnit(tx, id, patch.version, {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.nameEn !== undefined && { nameEn: patch.nameEn }),
      ...(patch.active !== undefined && { active: patch.active }),
      ...(moving && { parentId: patch.parentId }),
    });
    if (!ok) throw versionConflict();
    if (moving) await q.rewriteSubtreePaths(tx, before.path, newPath);
    const after = await getUnit(tx, actor, id);
    await audit(tx, actor, { action: 'update', entity: ENTITY, entityId: id, unitPath: after.path, before, after });
    return after;
  });
}

/** Only an empty unit (no sub-units, users or data) is deleted; anything else is deactivated instead. */
export async function deleteUnit(deps: Deps, actor: Actor, id: number): Promise<void> {
  try {
    await deps.database.db.transaction(async (tx) => {
      const before = await getUnit(tx, actor, id);
      if (before.path === actor.unitPath) throw new AppError(403, 'out_of_scope');
      if (before.userCount > 0 || (await q.countChildren(tx, id)) > 0) throw new AppError(409, 'unit_not_empty');
      await q.deleteUnit(tx, id);
      await audit(tx, actor, { action: 'delete', entity: ENTITY, entityId: id, unitPath: before.path, before });
    });
  } catch (err) {
    // any table that references the unit (users, customers, …) keeps it alive
    if (pgErrorCode(err) === PG_FOREIGN_KEY_VIOLATION) throw new AppError(409, 'unit_not_empty');
    throw err;
  }
}
