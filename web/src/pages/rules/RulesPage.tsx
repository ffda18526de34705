import { EditOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, Button, Card, Descriptions, Empty, Form, Result, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { useApi } from '../../api/swr';
import { useSession } from '../../app/session';
import { tid } from '../../components/EntityModalForm';
import { formatDateTime } from '../../components/format';
import { useI18n } from '../../i18n';
import { FAMILIES, currentMonth, familyLabel, monthOf, type Family, type RuleVersion } from './common';
import { ParamsFields } from './ParamsFields';
import { lazyPage } from '../../app/lazyPage';

// The editor (with its draft preview and charts) is its own chunk, fetched when 新版本 is pressed.
const RuleEditor = lazyPage(() => import('./RuleEditor'), 'RuleEditor');

/** 规则配置: a tab per rule family with the version in effect, the versions to come, the history and the editor. */
export function RulesPage() {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const requested = search.get('family');
  const family: Family = (FAMILIES as readonly string[]).includes(requested ?? '') ? (requested as Family) : 'star';
  return (
    <PageContainer title={t('rules.config.title')} content={t('rules.config.intro')} {...tid('rules-page')}>
      <Card>
        <Tabs
          activeKey={family}
          onChange={(key) => setSearch({ family: key }, { replace: true })}
          destroyOnHidden
          items={FAMILIES.map((f) => ({
            key: f,
            label: <span {...tid(`rules-tab-${f}`)}>{familyLabel(t, f)}</span>,
            children: <FamilyPanel family={f} />,
          }))}
        />
      </Card>
    </PageContainer>
  );
}

type VersionState = 'current' | 'scheduled' | 'superseded';

/** Which version applies now (the highest one effective on or before this month), which are to come. */
function versionStates(versions: RuleVersion[], now: string): Map<number, VersionState> {
  const out = new Map<number, VersionState>();
  const current = versions.filter((v) => monthOf(v.effectiveFrom) <= now).sort((a, b) => b.version - a.version)[0];
  for (const v of versions) out.set(v.version, v === current ? 'current' : monthOf(v.effectiveFrom) > now ? 'scheduled' : 'superseded');
  return out;
}

const STATE_COLOR: Record<VersionState, string> = { current: 'green', scheduled: 'orange', superseded: 'default' };

function FamilyPanel({ family }: { family: Family }) {
  const { t } = useI18n();
  const { can } = useSession();
  const remote = useApi('/api/rules/{family}/versions', { path: { family } });
  const reload = () => void remote.mutate();
  const [editing, setEditing] = useState(false);
  const now = currentMonth();

  if (remote.error && !remote.data) {
    return (
      <Result
        status="error"
        title={t('common.loadFailed')}
        subTitle={remote.error instanceof ApiError ? remote.error.message : t('error.network')}
        extra={<Button onClick={reload}>{t('common.reload')}</Button>}
      />
    );
  }
  if (!remote.data) return <Spin style={{ display: 'block', margin: 48 }} />;

  const versions = [...remote.data].sort((a, b) => b.version - a.version);
  const latest = versions[0];
  const states = versionStates(versions, now);
  const current = versions.find((v) => states.get(v.version) === 'current');
  const scheduled = versions.filter((v) => states.get(v.version) === 'scheduled');

  if (editing && latest) {
    return (
      <RuleEditor
        family={family}
        base={latest}
        onCancel={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          reload();
        }}
        onConflict={reload}
      />
    );
  }

  // the first versions are the system's (DOMAIN.md §4's defaults), worded here in the reader's language
  const noteOf = (v: RuleVersion) => v.note ?? (v.createdBy === null ? t('rules.note.defaults') : '-');
  const authorOf = (v: RuleVersion) => (v.createdBy === null ? t('rules.system') : (v.createdByName ?? v.createdBy));

  const columns: ColumnsType<RuleVersion> = [
    { title: t('rules.version'), dataIndex: 'version', width: 90, render: (v: number) => <span {...tid(`rules-version-${family}-${v}`)}>v{v}</span> },
    { title: t('rules.effectiveFrom'), dataIndex: 'effectiveFrom', width: 120, render: (d: string) => (d.startsWith('2000-') ? t('rules.effectiveAlways') : monthOf(d)) },
    {
      title: t('common.status'),
      key: 'state',
      width: 110,
      render: (_, v) => {
        const state = states.get(v.version) ?? 'superseded';
        return <Tag color={STATE_COLOR[state]}>{t(`rules.state.${state}`)}</Tag>;
      },
    },
    { title: t('rules.note'), dataIndex: 'note', render: (_, v) => noteOf(v) },
    { title: t('rules.createdBy'), dataIndex: 'createdByName', width: 120, render: (_, v) => authorOf(v) },
    { title: t('rules.createdAt'), dataIndex: 'createdAt', width: 180, render: formatDateTime },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} {...tid(`rules-panel-${family}`)}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t(`rules.family.${family}.intro`)}
      </Typography.Paragraph>
      {scheduled.length > 0 && (
        <Alert
          type="info"
          showIcon
          message={t('rules.scheduledNotice', { versions: scheduled.map((v) => t('rules.scheduledItem', { version: v.version, month: monthOf(v.effectiveFrom) })).join(t('rules.listSeparator')) })}
        />
      )}
      <Card
        size="small"
        title={
          <Space>
            {t('rules.inEffect')}
            {current && (
              <Tag color="green" {...tid(`rules-current-${family}`)}>
                v{current.version}
              </Tag>
            )}
          </Space>
        }
        extra={
          can('rules.edit') && latest ? (
            <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)} {...tid(`rules-edit-${family}`)}>
              {t('rules.newVersion')}
            </Button>
          ) : undefined
        }
      >
        {current ? (
          <>
            <Descriptions
              size="small"
              column={{ xs: 1, md: 2, xl: 4 }}
              style={{ marginBottom: 16 }}
              items={[
                { key: 'from', label: t('rules.effectiveFrom'), children: current.effectiveFrom.startsWith('2000-') ? t('rules.effectiveAlways') : monthOf(current.effectiveFrom) },
                { key: 'by', label: t('rules.createdBy'), children: authorOf(current) },
                { key: 'at', label: t('rules.createdAt'), children: formatDateTime(current.createdAt) },
                { key: 'note', label: t('rules.note'), children: noteOf(current) },
              ]}
            />
            <ParamsView family={family} version={current} />
          </>
        ) : (
          <Empty description={t('rules.noVersion')} />
        )}
      </Card>
      <Card size="small" title={t('rules.history')}>
        <Table<RuleVersion>
          {...tid(`rules-history-${family}`)}
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={versions}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          expandable={{ expandedRowRender: (v) => <ParamsView family={family} version={v} />, rowExpandable: () => true }}
        />
      </Card>
    </Space>
  );
}

/** A stored version's parameters: the editor's fields, read-only. */
function ParamsView({ family, version }: { family: Family; version: RuleVersion }) {
  return (
    <Form key={version.id} layout="vertical" initialValues={{ params: version.params }} requiredMark={false} disabled>
      <ParamsFields family={family} disabled />
    </Form>
  );
}
