import { TreeSelect, type TreeSelectProps } from 'antd';
import { useCallback, useMemo } from 'react';
import useSWR from 'swr';
import { api, callList, type OrgUnit } from '../api/client';
import { localName, useI18n } from '../i18n';

export interface UnitNode {
  key: number;
  value: number;
  title: string;
  unit: OrgUnit;
  children: UnitNode[];
}

/** Builds the tree from the flat list (parentId); units whose parent is out of scope become roots. */
export function buildUnitTree(units: OrgUnit[], label: (u: OrgUnit) => string): UnitNode[] {
  const nodes = new Map<number, UnitNode>();
  for (const u of units) nodes.set(u.id, { key: u.id, value: u.id, title: label(u), unit: u, children: [] });
  const roots: UnitNode[] = [];
  for (const u of units) {
    const node = nodes.get(u.id)!;
    const parent = u.parentId === null ? undefined : nodes.get(u.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

type UnitsQuery = { active?: 'true'; scope?: 'customers' };

/** Every page of the unit list (the server caps a page at 1000). */
async function fetchAllUnits([, query]: readonly [string, UnitsQuery, 'all']): Promise<OrgUnit[]> {
  const all: OrgUnit[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await callList(api.GET('/api/org/units', { params: { query: { ...query, offset, limit: 1000 } } }));
    all.push(...page.items);
    if (page.items.length < 1000 || all.length >= page.total) return all;
  }
}

const NO_UNITS: OrgUnit[] = [];

/**
 * All units of the user's data scope, in the organisation's order (cached; `reload` reads them again); with
 * `forCustomers`, the units whose key accounts the user reads (a service agent: the whole area of the outlet).
 */
export function useUnits(options: { activeOnly?: boolean; forCustomers?: boolean } = {}) {
  const { locale } = useI18n();
  const query: UnitsQuery = {
    ...(options.activeOnly && { active: 'true' as const }),
    ...(options.forCustomers && { scope: 'customers' as const }),
  };
  const { data: units = NO_UNITS, isLoading: loading, mutate } = useSWR(['/api/org/units', query, 'all'] as const, fetchAllUnits);
  const tree = useMemo(() => buildUnitTree(units, (u) => localName(locale, u)), [units, locale]);
  const reload = useCallback(async () => (await mutate()) ?? NO_UNITS, [mutate]);
  return { units, tree, loading, reload };
}

/** A TreeSelect of the units in scope, for forms and filters (`forCustomers`: the customers' filters, see useUnits). */
export function UnitTreeSelect({ forCustomers, ...props }: TreeSelectProps<number> & { 'data-testid'?: string; forCustomers?: boolean }) {
  const { tree } = useUnits({ activeOnly: true, forCustomers });
  return (
    <TreeSelect<number>
      showSearch
      allowClear
      treeNodeFilterProp="title"
      treeDefaultExpandedKeys={tree.map((n) => n.key)}
      treeData={tree}
      popupMatchSelectWidth={false}
      style={{ minWidth: 200 }}
      {...props}
    />
  );
}
