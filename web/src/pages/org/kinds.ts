import type { OrgUnit } from '../../api/client';

export type UnitKind = OrgUnit['kind'];
/** From the top of the hierarchy down; a child is always of a deeper kind than its parent. */
export const KINDS: UnitKind[] = ['hq', 'province', 'city', 'county', 'outlet'];

export function deeperKinds(kind: UnitKind): UnitKind[] {
  return KINDS.slice(KINDS.indexOf(kind) + 1);
}

/** The unit and all units below it (to exclude them as a new parent when moving). */
export function subtreeIds(units: OrgUnit[], rootId: number): Set<number> {
  const ids = new Set([rootId]);
  // The list comes in tree order, so a single pass finds every descendant.
  for (const u of units) if (u.parentId !== null && ids.has(u.parentId)) ids.add(u.id);
  return ids;
}

/** Units matching `q` (code or either name) plus their ancestors, so the filtered tree stays connected. */
export function filterUnits(units: OrgUnit[], q: string): OrgUnit[] {
  const needle = q.trim().toLowerCase();
  if (!needle) return units;
  const byId = new Map(units.map((u) => [u.id, u]));
  const keep = new Set<number>();
  for (const u of units) {
    if ([u.code, u.name, u.nameEn ?? ''].some((s) => s.toLowerCase().includes(needle))) {
      for (let p: OrgUnit | undefined = u; p && !keep.has(p.id); p = p.parentId === null ? undefined : byId.get(p.parentId)) keep.add(p.id);
    }
  }
  return units.filter((u) => keep.has(u.id));
}
