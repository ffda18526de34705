import type { Deps } from '../../platform/deps.js';
import type { Executor } from '../../db/client.js';
import { audit } from '../../platform/audit/audit.js';
import { forgetAllSessions } from '../../platform/auth/auth.service.js';
import { isPermission, PERMISSIONS } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { atOrganisationRoot, inScope } from '../../platform/auth/scope.js';
import { pgErrorCode, PG_UNIQUE_VIOLATION } from '../../platform/db-errors.js';
import { AppError, duplicate, entityName, forbidden, invalid, notFound, outOfScope, versionConflict } from '../../platform/errors.js';
import * as org from '../org/service.js';
import { BUILTIN_ROLES } from './builtin.js';
import * as q from './queries.js';
import type { CreateRole, PatchRole, Role } from './schemas.js';

const ENTITY = 'role';

export const listRoles = (deps: Deps, actor: Actor): Promise<Role[]> => q.listRoles(deps.database.db, actor.unitPath);

/**
 * 角色归属: built-in roles (no owner) are seen by everyone; a custom role by the users of its unit's
 * subtree (who may hold it) and by those who have its unit in scope (who manage it).
 */
export function roleVisibleTo(actor: Pick<Actor, 'unitPath'>, ownerPath: string | null): boolean {
  return ownerPath === null || inScope({ unitPath: ownerPath }, actor.unitPath) || inScope(actor, ownerPath);
}

/** May a user of the unit at `unitPath` hold a role owned by the unit at `ownerPath`? */
export function roleAvailableAt(unitPath: string, ownerPath: string | null): boolean {
  return ownerPath === null || inScope({ unitPath: ownerPath }, unitPath);
}

/** Built-in (global) roles change only at the organisation's root; a custom role with its owner unit in scope. */
function checkOwnership(actor: Actor, role: Role) {
  if (role.unitPath === null) {
    if (!atOrganisationRoot(actor)) throw forbidden('role_builtin_root_only');
  } else if (!inScope(actor, role.unitPath)) {
    throw forbidden('role_owned_elsewhere');
  }
}

export function listPermissions() {
  return Object.entries(PERMISSIONS).map(([code, label]) => ({ code, name: label['zh-CN'], nameEn: label['en-US'] }));
}

async function load(db: Executor, actor: Actor, id: number): Promise<Role> {
  const role = await q.findRole(db, id);
  if (!role) throw notFound('role');
  if (!roleVisibleTo(actor, role.unitPath)) throw outOfScope('role');
  return role;
}

export const getRole = (deps: Deps, actor: Actor, id: number) => load(deps.database.db, actor, id);

/** The unit a new role belongs to: the one asked for, in the actor's scope, or the actor's own. */
async function ownerOf(db: Executor, actor: Actor, unitId: number | undefined): Promise<number> {
  if (unitId === undefined) return Number(actor.unitPath.split('/').filter(Boolean).at(-1));
  const unit = await org.getUnit(db, actor, unitId).catch(() => {
    throw invalid('body.unitId', 'not_found', { entity: entityName('org_unit') });
  });
  return unit.id;
}

/** Every permission must exist and be held by the actor, so that nobody builds a role bigger than themselves. */
function checkPermissions(actor: Actor, permissions: string[]) {
  const unknown = permissions.filter((p) => !isPermission(p));
  if (unknown.length) {
    throw new AppError(400, 'unknown_permission', { permissions: unknown.join(', ') }, [
      { field: 'body.permissions', code: 'unknown_permission', message: `unknown: ${unknown.join(', ')}` },
    ]);
  }
  const beyond = permissions.filter((p) => isPermission(p) && !actor.permissions.has(p));
  if (beyond.length) throw new AppError(403, 'permission_escalation', { permissions: beyond.join(', ') });
}

export async function createRole(deps: Deps, actor: Actor, input: CreateRole): Promise<Role> {
  checkPermissions(actor, input.permissions);
  try {
    return await deps.database.db.transaction(async (tx) => {
      const id = await q.insertRole(tx, {
        ...input,
        unitId: await ownerOf(tx, actor, input.unitId),
        nameEn: input.nameEn ?? null,
        description: input.description ?? null,
        permissions: [...new Set(input.permissions)].sort(),
      });
      const role = await load(tx, actor, id);
      await audit(tx, actor, { action: 'create', entity: ENTITY, entityId: id, unitPath: role.unitPath, after: role });
      return role;
    });
  } catch (err) {
    if (pgErrorCode(err) === PG_UNIQUE_VIOLATION) throw duplicate('body.code');
    throw err;
  }
}

export async function patchRole(deps: Deps, actor: Actor, id: number, patch: PatchRole): Promise<Role> {
  const role = await deps.database.db.transaction(async (tx) => {
    const before = await load(tx, actor, id);
    checkOwnership(actor, before);
    if (before.builtin && patch.permissions) throw new AppError(409, 'role_builtin');
    if (patch.permissions) checkPermissions(actor, [...patch.permissions, ...before.permissions]);
    const { version, ...fields } = patch;
    const ok = await q.updateRole(tx, id, version, {
      ...fields,
      ...(patch.permissions && { permissions: [...new Set(patch.permissions)].sort() }),
    });
    if (!ok) throw versionConflict();
    const after = await load(tx, actor, id);
    await audit(tx, actor, { action: 'update', entity: ENTITY, entityId: id, unitPath: after.unitPath, before, after });
    return after;
  });
  forgetAllSessions();
  return role;
}

export async function deleteRole(deps: Deps, actor: Actor, id: number): Promise<void> {
  await deps.database.db.transaction(async (tx) => {
    const before = await load(tx, actor, id);
    checkOwnership(actor, before);
    if (before.builtin) throw new AppError(409, 'role_builtin');
    if (before.userCount > 0) throw new AppError(409, 'role_in_use');
    await q.deleteRole(tx, id);
    await audit(tx, actor, { action: 'delete', entity: ENTITY, entityId: id, unitPath: before.unitPath, before });
  });
}

export async function ensureBuiltinRoles(db: Executor): Promise<void> {
  await q.upsertBuiltinRoles(db, BUILTIN_ROLES);
}
