import { TreeSelect, type TreeSelectProps } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
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

/** All units of the user's data scope (the server caps a page at 1000). */
export function useUnits(options: { activeOnly?: boolean } = {}) {
  const { locale } = useI18n();
  const [units, setUnits] = useState<OrgUnit[]>([]);
  const [loading, setLoading] = useState(true);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const all: OrgUnit[] = [];
      for (let offset = 0; ; offset += 1000) {
        const page = await callList(
          api.GET('/api/org/units', {
            params: { query: { offset, limit: 1000, ...(options.activeOnly ? { active: 'true' as const } : {}) } },
          }),
        );
        all.push(...page.items);
        if (page.items.length < 1000 || all.length >= page.total) break;
      }
      setUnits(all);
      return all;
    } finally {
      setLoading(false);
    }
  }, [options.activeOnly]);
  useEffect(() => {
    reload().catch(() => setUnits([]));
  }, [reload]);
  const tree = useMemo(() => buildUnitTree(units, (u) => localName(locale, u)), [units, locale]);
  return { units, tree, loading, reload };
}

/** A TreeSelect of the units in scope, for forms and filters. */
export function UnitTreeSelect(props: TreeSelectProps<number> & { 'data-testid'?: string }) {
  const { tree } = useUnits({ activeOnly: true });
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
