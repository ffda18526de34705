import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Empty, Input, Space, Switch, Tag, Tree, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useSession } from '../../app/session';
import { tid } from '../../components/EntityModalForm';
import { buildUnitTree, useUnits, type UnitNode } from '../../components/units';
import { localName, useI18n } from '../../i18n';
import { filterUnits } from './kinds';
import { UnitPanel } from './UnitPanel';

/** The organisation tree editor: the tree on the left, the selected unit's details and actions on the right. */
export function OrgPage() {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const { units, loading, reload } = useUnits();
  const [selectedId, setSelectedId] = useState<number | undefined>();
  const [q, setQ] = useState('');
  const [showInactive, setShowInactive] = useState(true);

  const visible = useMemo(() => filterUnits(showInactive ? units : units.filter((u) => u.active), q), [units, q, showInactive]);
  const tree = useMemo(() => buildUnitTree(visible, (u) => localName(locale, u)), [visible, locale]);
  const expanded = useMemo(
    () => (q ? visible.map((u) => u.id) : units.filter((u) => u.kind === 'hq' || u.kind === 'province').map((u) => u.id)),
    [q, visible, units],
  );
  const selected = units.find((u) => u.id === selectedId);

  return (
    <PageContainer title={t('org.title')}>
      <ProCard split="vertical" bordered loading={loading && units.length === 0}>
        <ProCard colSpan="38%" title={t('org.title')} extra={<Typography.Text type="secondary">{units.length}</Typography.Text>}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Input.Search allowClear placeholder={t('org.search')} onChange={(e) => setQ(e.target.value)} {...tid('org-search')} />
            <Space>
              <Switch size="small" checked={showInactive} onChange={setShowInactive} />
              <Typography.Text type="secondary">{t('org.showInactive')}</Typography.Text>
            </Space>
            <Tree<UnitNode>
              key={q ? 'search' : 'all'}
              {...tid('org-tree')}
              showLine
              blockNode
              height={560}
              treeData={tree}
              defaultExpandedKeys={expanded}
              selectedKeys={selectedId ? [selectedId] : []}
              onSelect={(keys) => setSelectedId(keys[0] as number | undefined)}
              titleRender={(node) => (
                <span {...tid(`org-node-${node.unit.code}`)}>
                  {node.title}
                  {!node.unit.active && (
                    <Tag style={{ marginLeft: 6 }} bordered={false}>
                      {t('common.inactive')}
                    </Tag>
                  )}
                </span>
              )}
            />
          </Space>
        </ProCard>
        <ProCard title={t('org.details')}>
          {selected ? (
            <UnitPanel
              key={`${selected.id}:${selected.version}`}
              unit={selected}
              units={units}
              canManage={can('org.manage')}
              onChanged={async (nextSelected) => {
                await reload();
                if (nextSelected !== undefined) setSelectedId(nextSelected ?? undefined);
              }}
            />
          ) : (
            <Empty description={t('org.selectHint')} />
          )}
        </ProCard>
      </ProCard>
    </PageContainer>
  );
}
