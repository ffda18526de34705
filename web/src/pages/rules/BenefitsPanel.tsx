import { ProFormDigit, ProFormTextArea } from '@ant-design/pro-components';
import { Card, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { ReactNode } from 'react';
import { api, call, type Schemas } from '../../api/client';
import { useApi } from '../../api/swr';
import { useSession } from '../../app/session';
import { EntityModalForm, tid, useEditor } from '../../components/EntityModalForm';
import { localName, useI18n } from '../../i18n';

type Benefit = Schemas['BenefitStatus'];

/**
 * 权益: what the customer's level gives this year (allowance, used, remaining, eligible now) and
 * 登记使用 for users with benefits.use.
 */
export function BenefitsPanel({ customerId, canChange, extra }: { customerId: number; canChange: boolean; extra?: ReactNode }) {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const remote = useApi('/api/customers/{id}/benefits', { path: { id: customerId } });
  const user = useEditor<Benefit>();
  const data = remote.data;

  const allowance = (b: Benefit) => {
    if (b.unit === 'flag') return b.allowance > 0 ? t('rules.benefits.has') : t('rules.benefits.hasNot');
    if (b.unit === 'percent') return b.allowance > 0 ? `${b.allowance}%` : '-';
    return t('rules.benefits.perYear', { n: b.allowance });
  };

  const columns: ColumnsType<Benefit> = [
    { title: t('rules.benefits.name'), dataIndex: 'name', render: (_, b) => localName(locale, b) },
    { title: t('rules.benefits.allowance'), key: 'allowance', width: 130, render: (_, b) => allowance(b) },
    { title: t('rules.benefits.used'), dataIndex: 'used', width: 90, align: 'right', render: (n: number, b) => (b.unit === 'times_per_year' ? n : '-') },
    {
      title: t('rules.benefits.remaining'),
      dataIndex: 'remaining',
      width: 90,
      align: 'right',
      render: (n: number | null, b) => <span {...tid(`benefit-remaining-${b.code}`)}>{n ?? '-'}</span>,
    },
    {
      title: t('rules.benefits.eligible'),
      dataIndex: 'eligible',
      width: 170,
      render: (ok: boolean, b) => (
        <Tag color={ok ? 'green' : b.reason === 'benefit_exhausted' ? 'orange' : 'default'} {...tid(`benefit-eligible-${b.code}`)}>
          {t(`rules.benefits.reason.${b.reason}`)}
        </Tag>
      ),
    },
    ...(canChange && can('benefits.use')
      ? [
          {
            title: t('common.actions'),
            key: 'use',
            width: 110,
            render: (_: unknown, b: Benefit) =>
              b.unit === 'times_per_year' && b.eligible ? (
                <Typography.Link onClick={() => user.open(b)} {...tid(`benefit-use-${b.code}`)}>
                  {t('rules.benefits.use')}
                </Typography.Link>
              ) : null,
          },
        ]
      : []),
  ];

  const b = user.record;
  return (
    <Card
      size="small"
      title={
        <span>
          {t('rules.benefits.title', { year: data?.year ?? '' })}
          {data && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginLeft: 8 }}>
              {data.levelName ? t('rules.benefits.byLevel', { level: data.levelName, version: data.rulesVersion }) : t('rules.benefits.noLevel')}
            </Typography.Text>
          )}
        </span>
      }
      extra={extra}
      {...tid('benefits-panel')}
    >
      <Table<Benefit> {...tid('benefits-table')} size="small" rowKey="code" loading={remote.isLoading} columns={columns} dataSource={data?.benefits ?? []} pagination={false} />
      <EntityModalForm<{ quantity: number; note?: string }>
        open={user.isOpen}
        onClose={user.close}
        testId="benefit-use-form"
        title={b ? t('rules.benefits.useTitle', { name: localName(locale, b) }) : ''}
        initialValues={{ quantity: 1 }}
        success={t('rules.benefits.used.done')}
        onSubmit={async (v) => {
          if (!b) return;
          await call(
            api.POST('/api/customers/{id}/benefits/{code}/use', {
              params: { path: { id: customerId, code: b.code } },
              body: { quantity: v.quantity, note: v.note?.trim() || null },
            }),
          );
          await remote.mutate();
        }}
      >
        {b && <Typography.Paragraph type="secondary">{t('rules.benefits.remainingNow', { n: b.remaining ?? 0 })}</Typography.Paragraph>}
        <ProFormDigit
          name="quantity"
          label={t('rules.points.quantity')}
          min={1}
          max={Math.max(1, b?.remaining ?? 1)}
          fieldProps={{ precision: 0, ...tid('benefit-use-quantity') }}
          rules={[{ required: true, message: t('common.required') }]}
        />
        <ProFormTextArea name="note" label={t('rules.note')} placeholder={t('rules.benefits.notePlaceholder')} fieldProps={{ rows: 2, maxLength: 200, ...tid('benefit-use-note') }} />
      </EntityModalForm>
    </Card>
  );
}
