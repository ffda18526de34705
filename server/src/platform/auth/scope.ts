/**
 * 数据范围 (data scope), in one place: a user sees the data of their unit's subtree. Units carry a
 * materialised path (`/1/2/37/`), so a subtree is a path prefix; every scoped query builds its
 * condition here, whether it filters units, records that carry a unit path, or records of units.
 *
 * Two refinements of DOMAIN.md, both derived here: account managers are narrowed to their own portfolio
 * (the customers area applies it: `customers.read_unit` lifts it), and service agents are widened to the
 * area they serve — the key accounts of the city their outlet belongs to (a hotline agent at a province
 * unit: the province) — for reading and serving only (`customers.read_area`). The area is derived from
 * the unit tree when the session is loaded and carried in the actor (`areaPath`).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { likeEscape } from '../db-errors.js';
import type { Actor } from './principal.js';

/** `path LIKE 'prefix%'` with the prefix bound and escaped: a path column (or expression) inside the subtree of `unitPath`. */
export function inSubtree(pathColumn: SQL | AnyPgColumn, unitPath: string): SQL {
  return sql`${pathColumn} LIKE ${`${likeEscape(unitPath)}%`}`;
}

/**
 * The other way round: `unitPath` inside the subtree of the path in the column (the column's unit is at or
 * above it), as the audit trail asks of an actor's unit: whose authority covers this reader's unit.
 */
export function coversUnit(pathColumn: SQL | AnyPgColumn, unitPath: string): SQL {
  return sql`starts_with(${unitPath}::text, ${pathColumn})`;
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

/** The kinds of unit that bound a served area: an outlet or a county serves its city; a city, province or HQ itself. */
const AREA_KINDS = ['hq', 'province', 'city'];

/**
 * The path of the area a unit serves, as an SQL expression of the unit's path column: its nearest
 * ancestor-or-self of kind city, province or HQ (the ancestors are the ids of the path, read by key);
 * the unit itself when none is. Qualify the column by its table's alias (`o.path`): the lookup reads
 * org_units too, and a bare `path` would name its own rows.
 */
export function servedAreaPath(unitPath: SQL | AnyPgColumn): SQL {
  return sql`coalesce((
    SELECT a.path FROM org_units a
    WHERE a.id = ANY(string_to_array(trim(both '/' from ${unitPath}), '/')::bigint[])
      AND a.kind = ANY(${`{${AREA_KINDS.join(',')}}`}::text[])
    ORDER BY length(a.path) DESC LIMIT 1), ${unitPath})`;
}

/**
 * The actor as a reader of key accounts: with `customers.read_area`, their scope widened to the area
 * they serve (an ancestor of their unit, so only ever wider). Reads and the services done for a customer
 * at the counter (points redemption, benefit use) use it; managing writes keep the actor's own `unitPath`.
 */
export function customerReader(actor: Actor): Actor {
  const widens = actor.areaPath !== actor.unitPath && actor.unitPath.startsWith(actor.areaPath);
  return widens && actor.permissions.has('customers.read_area') ? { ...actor, unitPath: actor.areaPath } : actor;
}
