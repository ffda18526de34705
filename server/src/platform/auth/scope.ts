/**
 * 数据范围 (data scope), in one place: a user sees the data of their unit's subtree. Units carry a
 * materialised path (`/1/2/37/`), so a subtree is a path prefix; every scoped query builds its
 * condition here, whether it filters units, records that carry a unit path, or records of units.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { likeEscape } from '../db-errors.js';
import type { Actor } from './principal.js';

/** `path LIKE 'prefix%'` with the prefix bound and escaped: a path column (or expression) inside the subtree of `unitPath`. */
export function inSubtree(pathColumn: SQL | AnyPgColumn, unitPath: string): SQL {
  return sql`${pathColumn} LIKE ${`${likeEscape(unitPath)}%`}`;
}

/** The ids of the units in the subtree of `unitPath`, as a subquery (`unit_id IN (…)`). */
export const unitIdsInSubtree = (unitPath: string): SQL => sql`SELECT id FROM org_units WHERE ${inSubtree(sql`path`, unitPath)}`;

/** Is a record of the unit at `unitPath` in the actor's scope? The same rule as inSubtree, in memory. */
export function inScope(actor: Pick<Actor, 'unitPath'>, unitPath: string): boolean {
  return unitPath.startsWith(actor.unitPath);
}

/** A reader whose unit is the root of the organisation sees everything, including what belongs to no unit. */
export function atOrganisationRoot(actor: Pick<Actor, 'unitPath'>): boolean {
  return actor.unitPath.split('/').filter(Boolean).length <= 1;
}
