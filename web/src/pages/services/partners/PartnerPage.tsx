import { KeyOutlined, SyncOutlined } from '@ant-design/icons';
import { PageContainer, ProFormDigit, ProFormText } from '@ant-design/pro-components';
import { Alert, Button, Card, Descriptions, Modal, Popconfirm, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, call, type Schemas } from '../../../api/client';
import { useApi, useApiList } from '../../../api/swr';
import { EntityModalForm, tid, useEditor } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { useOffsetPage } from '../../../components/pagedRequest';
import { useAction } from '../../../components/useSubmit';
import { localName, useI18n } from '../../../i18n';
import { industryName, KeyStatusTag, useBenefitNames, type Credential, type PartnerDetail } from './common';

type Issued = Schemas['PartnerCredentialIssued'];
type Activity = Schemas['PartnerConfirmation'];

/** 合作伙伴详情: the partnership, its API keys (issue, rotate, revoke; the secret shown once) and its confirmations. */
export function PartnerPage() {
  const { id } = useParams();
  const partnerId = Number(id);
  const { t, locale } = useI18n();
  const remote = useApi('/api/services/partners/{id}', { path: { id: partnerId } });
  const p = remote.data as PartnerDetail | undefined;
  const reload = () => void remote.mutate();

  if (remote.error?.status === 404) return <Result status="404" title={remote.error.message} />;
  if (!p) return <Spin style={{ margin: 48 }} />;
  return (
    <PageContainer
      title={
        <Space>
          <span {...tid('partner-name')}>{localName(locale, p)}</span>
          <Tag color={p.active ? 'green' : 'default'}>{p.active ? t('common.active') : t('partners.suspended')}</Tag>
        </Space>
      }
      content={t('partners.api')}
      {...tid('partner-page')}
    >
      <Facts partner={p} />
      <Keys partner={p} onChanged={reload} />
      <Confirmations partnerId={p.id} />
    </PageContainer>
  );
}

function Facts({ partner: p }: { partner: PartnerDetail }) {
  const { t, locale } = useI18n();
  const benefits = useBenefitNames();
  return (
    <Card size="small" title={t('partners.facts')} style={{ marginBottom: 16 }}>
      <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small">
        <Descriptions.Item label={t('partners.code')}>{p.code}</Descriptions.Item>
        <Descriptions.Item label={t('partners.industry')}>{industryName(t, p.industry)}</Descriptions.Item>
        <Descriptions.Item label={t('partners.unit')}>{localName(locale, { name: p.unitName, nameEn: p.unitNameEn })}</Descriptions.Item>
        <Descriptions.Item label={t('partners.benefits')}>
          <Space size={[0, 4]} wrap>
            {p.benefits.map((b) => (
              <Tag key={b}>{benefits.nameOf(b)}</Tag>
            ))}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('partners.verifyByMemberNo')}>{p.verifyByMemberNo ? t('common.yes') : t('common.no')}</Descriptions.Item>
        <Descriptions.Item label={t('partners.rateLimit')}>{t('partners.rateLimitValue', { n: p.rateLimitPerMinute })}</Descriptions.Item>
        {p.note && <Descriptions.Item label={t('partners.note')}>{p.note}</Descriptions.Item>}
      </Descriptions>
    </Card>
  );
}

interface IssueValues {
  label?: string;
  expiresInDays?: number;
  retireOthersInDays?: number;
}

function Keys({ partner: p, onChanged }: { partner: PartnerDetail; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const editor = useEditor<'issue' | 'rotate'>();
  const act = useAction();
  const [issued, setIssued] = useState<Issued | null>(null);
  const hasActive = p.credentials.some((k) => k.status === 'active');
  const revoke = (k: Credential) =>
    act(() => call(api.POST('/api/services/partners/{id}/credentials/{credentialId}/revoke', { params: { path: { id: p.id, credentialId: k.id } } })).then(onChanged), {
      success: t('partners.keys.revoked'),
    });
  const rotating = editor.record === 'rotate';
  const name = localName(locale, p);

  return (
    <Card
      size="small"
      title={t('partners.keys.title')}
      style={{ marginBottom: 16 }}
      extra={
        <Space>
          {hasActive && (
            <Button icon={<SyncOutlined />} onClick={() => editor.open('rotate')} {...tid('partner-key-rotate')}>
              {t('partners.keys.rotate')}
            </Button>
          )}
          <Button type="primary" icon={<KeyOutlined />} onClick={() => editor.open('issue')} {...tid('partner-key-issue')}>
            {t('partners.keys.issue')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('partners.keys.intro')}</Typography.Paragraph>
      <Table<Credential>
        {...tid('partner-keys')}
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={p.credentials}
        locale={{ emptyText: t('partners.keys.none') }}
        columns={[
          { title: t('partners.keys.keyId'), dataIndex: 'keyId', render: (v: string) => <Typography.Text code copyable>{v}</Typography.Text> },
          { title: t('partners.keys.label'), dataIndex: 'label', render: (v: string | null) => v ?? '-' },
          { title: t('partners.keys.status'), dataIndex: 'status', width: 90, render: (_, k) => <KeyStatusTag status={k.status} keyId={k.keyId} /> },
          { title: t('partners.keys.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
          { title: t('partners.keys.createdBy'), dataIndex: 'createdBy', width: 110, render: (v: string | null) => v ?? '-' },
          { title: t('partners.keys.expiresAt'), dataIndex: 'expiresAt', width: 170, render: (_, k) => formatDateTime(k.revokedAt ?? k.expiresAt) || t('partners.keys.never') },
          {
            title: t('common.actions'),
            width: 90,
            render: (_, k) =>
              k.status === 'active' && (
                <Popconfirm title={t('partners.keys.confirmRevoke')} okButtonProps={tid(`partner-key-revoke-confirm-${k.keyId}`)} onConfirm={() => revoke(k)}>
                  <Typography.Link type="danger" {...tid(`partner-key-revoke-${k.keyId}`)}>
                    {t('partners.keys.revoke')}
                  </Typography.Link>
                </Popconfirm>
              ),
          },
        ]}
      />
      <EntityModalForm<IssueValues>
        open={editor.isOpen}
        onClose={editor.close}
        testId="partner-key-form"
        title={rotating ? t('partners.keys.rotateTitle', { name }) : t('partners.keys.issueTitle', { name })}
        initialValues={rotating ? { retireOthersInDays: 7 } : {}}
        onSubmit={async (v) => {
          const body = { label: v.label?.trim() || null, expiresInDays: v.expiresInDays ?? null, ...(rotating && { retireOthersInDays: v.retireOthersInDays ?? 0 }) };
          setIssued(await call(api.POST('/api/services/partners/{id}/credentials', { params: { path: { id: p.id } }, body })));
          onChanged();
        }}
      >
        {rotating && <Alert type="info" showIcon message={t('partners.keys.rotateIntro')} style={{ marginBottom: 16 }} />}
        <ProFormText name="label" label={t('partners.keys.label')} placeholder={t('partners.keys.labelPlaceholder')} fieldProps={{ maxLength: 60, ...tid('partner-key-form-label') }} />
        <ProFormDigit name="expiresInDays" label={t('partners.keys.expiresInDays')} tooltip={t('partners.keys.expiresHint')} min={1} max={3660} fieldProps={{ precision: 0, ...tid('partner-key-form-expires') }} />
        {rotating && (
          <ProFormDigit
            name="retireOthersInDays"
            label={t('partners.keys.retireOthersInDays')}
            tooltip={t('partners.keys.retireHint')}
            min={0}
            max={90}
            rules={[{ required: true, message: t('common.required') }]}
            fieldProps={{ precision: 0, ...tid('partner-key-form-retire') }}
          />
        )}
      </EntityModalForm>
      {issued && <SecretDialog issued={issued} onClose={() => setIssued(null)} />}
    </Card>
  );
}

/** 密钥只显示一次: the secret of a key just issued, with copy buttons; it is never shown again once closed. */
function SecretDialog({ issued, onClose }: { issued: Issued; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal
      open
      title={t('partners.secret.title')}
      closable={false}
      maskClosable={false}
      keyboard={false}
      footer={
        <Button type="primary" onClick={onClose} {...tid('partner-secret-saved')}>
          {t('partners.secret.saved')}
        </Button>
      }
      wrapProps={tid('partner-secret-dialog')}
    >
      <Alert type="warning" showIcon message={t('partners.secret.warning')} style={{ marginBottom: 16 }} />
      <Typography.Paragraph strong>{t('partners.secret.keyId')}</Typography.Paragraph>
      <Typography.Paragraph code copyable={{ tooltips: [false, t('partners.secret.copied')] }}>
        {issued.credential.keyId}
      </Typography.Paragraph>
      <Typography.Paragraph strong>{t('partners.secret.token')}</Typography.Paragraph>
      <Typography.Paragraph code copyable={{ tooltips: [false, t('partners.secret.copied')] }} style={{ wordBreak: 'break-all' }} {...tid('partner-secret-token')}>
        {issued.token}
      </Typography.Paragraph>
    </Modal>
  );
}

function Confirmations({ partnerId }: { partnerId: number }) {
  const { t } = useI18n();
  const benefits = useBenefitNames();
  const { page, pagination } = useOffsetPage(10);
  const { data, isLoading } = useApiList('/api/services/partners/{id}/confirmations', { path: { id: partnerId }, query: page });
  return (
    <Card size="small" title={t('partners.activity.title')}>
      <Table<Activity>
        {...tid('partner-confirmations')}
        rowKey="id"
        size="small"
        loading={isLoading}
        dataSource={data?.items ?? []}
        pagination={pagination(data?.total ?? 0)}
        columns={[
          { title: t('partners.activity.at'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
          { title: t('partners.activity.txn'), dataIndex: 'partnerTxnId', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          { title: t('partners.activity.customer'), dataIndex: 'customerLabel', width: 100, render: (v: string | null) => v ?? '-' },
          { title: t('partners.activity.benefit'), dataIndex: 'benefit', render: (v: string) => benefits.nameOf(v) },
          { title: t('partners.activity.quantity'), dataIndex: 'quantity', width: 80, align: 'right' },
          { title: t('partners.activity.remaining'), dataIndex: 'remaining', width: 110, align: 'right', render: (v: number | null) => (v === null ? t('partners.activity.notCounted') : v) },
        ]}
      />
    </Card>
  );
}
