import { StopOutlined, SyncOutlined } from '@ant-design/icons';
import { ProFormDigit } from '@ant-design/pro-components';
import { Alert, Button, Card, Descriptions, Drawer, Popconfirm, Segmented, Space, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, call, type Schemas } from '../../../api/client';
import { useApi, useApiList } from '../../../api/swr';
import { EntityModalForm, tid, useEditor } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { useOffsetPage } from '../../../components/pagedRequest';
import { useAction } from '../../../components/useSubmit';
import { localName, useI18n } from '../../../i18n';
import { ScopeTags, SecretDialog, SecretStatusTag, type ClientDetail, type Issued, type Secret } from './common';

type Call = Schemas['ApiCall'];

/** 客户端详情: the client, its secrets (rotate, revoke; the new secret shown once), revoking its tokens, and its calls. */
export function ClientDrawer({ id, onClose, onChanged }: { id: number; onClose: () => void; onChanged: () => void }) {
  const { t } = useI18n();
  const remote = useApi('/api/system/clients/{id}', { path: { id } });
  const c = remote.data as ClientDetail | undefined;
  const changed = () => {
    void remote.mutate();
    onChanged();
  };
  return (
    <Drawer open width={900} title={c?.name ?? t('clients.details')} onClose={onClose} {...tid('client-drawer')}>
      {!c ? (
        <Spin />
      ) : (
        <>
          <Facts client={c} onChanged={changed} />
          <Secrets client={c} onChanged={changed} />
          <Calls clientId={c.id} />
        </>
      )}
    </Drawer>
  );
}

function Facts({ client: c, onChanged }: { client: ClientDetail; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const act = useAction();
  const revokeTokens = () =>
    act(async () => {
      const before = c.activeTokens;
      await call(api.POST('/api/system/clients/{id}/tokens/revoke', { params: { path: { id: c.id } } }));
      onChanged();
      return before;
    }, { success: t('clients.tokens.revoked', { n: c.activeTokens }) });
  return (
    <Card
      size="small"
      title={t('clients.facts')}
      style={{ marginBottom: 16 }}
      extra={
        <Popconfirm title={t('clients.tokens.confirmRevoke')} okButtonProps={tid('client-tokens-revoke-confirm')} onConfirm={revokeTokens}>
          <Button danger icon={<StopOutlined />} disabled={c.activeTokens === 0} {...tid('client-tokens-revoke')}>
            {t('clients.tokens.revoke')}
          </Button>
        </Popconfirm>
      }
    >
      <Descriptions column={{ xs: 1, md: 2 }} size="small">
        <Descriptions.Item label={t('clients.clientId')}>
          <Typography.Text code copyable>
            {c.clientId}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('common.status')}>
          <Tag color={c.active ? 'green' : 'default'}>{c.active ? t('common.active') : t('common.inactive')}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('clients.unit')}>{localName(locale, { name: c.unitName, nameEn: c.unitNameEn })}</Descriptions.Item>
        <Descriptions.Item label={t('clients.partner')}>{c.partnerName ?? '-'}</Descriptions.Item>
        <Descriptions.Item label={t('clients.rateLimit')}>{t('clients.rateLimitValue', { n: c.rateLimitPerMinute })}</Descriptions.Item>
        <Descriptions.Item label={t('clients.activeTokens')}>{c.activeTokens}</Descriptions.Item>
        <Descriptions.Item label={t('clients.scopes')} span={2}>
          <ScopeTags scopes={c.scopes} />
        </Descriptions.Item>
        {c.description && (
          <Descriptions.Item label={t('clients.description')} span={2}>
            {c.description}
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}

function Secrets({ client: c, onChanged }: { client: ClientDetail; onChanged: () => void }) {
  const { t } = useI18n();
  const editor = useEditor<true>();
  const act = useAction();
  const [issued, setIssued] = useState<Issued | null>(null);
  const revoke = (s: Secret) =>
    act(() => call(api.POST('/api/system/clients/{id}/secrets/{secretId}/revoke', { params: { path: { id: c.id, secretId: s.id } } })).then(onChanged), {
      success: t('clients.secrets.revoked'),
    });
  return (
    <Card
      size="small"
      title={t('clients.secrets.title')}
      style={{ marginBottom: 16 }}
      extra={
        <Button icon={<SyncOutlined />} onClick={() => editor.open(true)} {...tid('client-secret-rotate')}>
          {t('clients.secrets.rotate')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('clients.secrets.intro')}</Typography.Paragraph>
      <Table<Secret>
        {...tid('client-secrets')}
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={c.secrets}
        columns={[
          { title: t('clients.secrets.hint'), dataIndex: 'hint', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          { title: t('clients.secrets.status'), dataIndex: 'status', width: 100, render: (_, s) => <SecretStatusTag status={s.status} /> },
          { title: t('clients.secrets.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
          { title: t('clients.secrets.createdBy'), dataIndex: 'createdBy', width: 110, render: (v: string | null) => v ?? '-' },
          { title: t('clients.secrets.expiresAt'), dataIndex: 'expiresAt', width: 170, render: (_, s) => formatDateTime(s.revokedAt ?? s.expiresAt) || t('clients.secrets.never') },
          {
            title: t('common.actions'),
            width: 80,
            render: (_, s) =>
              (s.status === 'active' || s.status === 'expiring') && (
                <Popconfirm title={t('clients.secrets.confirmRevoke')} okButtonProps={tid(`client-secret-revoke-confirm-${s.id}`)} onConfirm={() => revoke(s)}>
                  <Typography.Link type="danger" {...tid(`client-secret-revoke-${s.id}`)}>
                    {t('clients.secrets.revoke')}
                  </Typography.Link>
                </Popconfirm>
              ),
          },
        ]}
      />
      <EntityModalForm<{ retireOthersInHours: number }>
        open={editor.isOpen}
        onClose={editor.close}
        testId="client-rotate-form"
        title={t('clients.secrets.rotateTitle', { name: c.name })}
        initialValues={{ retireOthersInHours: 24 }}
        onSubmit={async (v) => {
          setIssued(await call(api.POST('/api/system/clients/{id}/secrets', { params: { path: { id: c.id } }, body: { retireOthersInHours: v.retireOthersInHours } })));
          onChanged();
        }}
      >
        <Alert type="info" showIcon message={t('clients.secrets.rotateIntro')} style={{ marginBottom: 16 }} />
        <ProFormDigit
          name="retireOthersInHours"
          label={t('clients.secrets.retireOthersInHours')}
          min={0}
          max={24 * 90}
          rules={[{ required: true, message: t('common.required') }]}
          fieldProps={{ precision: 0, ...tid('client-rotate-form-hours') }}
        />
      </EntityModalForm>
      {issued && <SecretDialog issued={issued} onClose={() => setIssued(null)} />}
    </Card>
  );
}

const outcome = (status: number) => (status < 400 ? 'ok' : status < 500 ? 'refused' : 'failed');
const OUTCOME_COLOR = { ok: 'green', refused: 'orange', failed: 'red' } as const;

function Calls({ clientId }: { clientId: number }) {
  const { t } = useI18n();
  const { page, setPage, pagination } = useOffsetPage(20);
  const [status, setStatus] = useState<number | undefined>(undefined);
  const counts = useApi('/api/system/clients/{id}/call-counts', { path: { id: clientId } });
  const { data, isLoading } = useApiList('/api/system/clients/{id}/calls', { path: { id: clientId }, query: { ...page, ...(status !== undefined && { status }) } });
  const filters = [
    { value: 'all', label: t('clients.calls.all', { n: counts.data?.total ?? 0 }) },
    ...(counts.data?.byStatus ?? []).map((s) => ({ value: String(s.status), label: t('clients.calls.statusCount', { status: s.status, n: s.count }) })),
  ];
  return (
    <Card size="small" title={t('clients.calls.title')}>
      <Space style={{ marginBottom: 12 }}>
        <Segmented
          options={filters}
          value={status === undefined ? 'all' : String(status)}
          onChange={(v) => {
            setStatus(v === 'all' ? undefined : Number(v));
            setPage((p) => ({ ...p, offset: 0 }));
          }}
          {...tid('client-calls-filter')}
        />
      </Space>
      <Table<Call>
        {...tid('client-calls')}
        rowKey="id"
        size="small"
        loading={isLoading}
        dataSource={data?.items ?? []}
        pagination={pagination(data?.total ?? 0)}
        columns={[
          { title: t('clients.calls.at'), dataIndex: 'at', width: 170, render: (v: string) => formatDateTime(v) },
          { title: t('clients.calls.method'), dataIndex: 'method', width: 80 },
          { title: t('clients.calls.route'), dataIndex: 'route', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          {
            title: t('clients.calls.status'),
            dataIndex: 'status',
            width: 120,
            render: (v: number) => (
              <Tag color={OUTCOME_COLOR[outcome(v)]}>
                {t(`clients.calls.outcome.${outcome(v)}`)} {v}
              </Tag>
            ),
          },
          { title: t('clients.calls.duration'), dataIndex: 'durationMs', width: 110, align: 'right' },
        ]}
      />
    </Card>
  );
}
