import { GiftOutlined, PlusCircleOutlined } from '@ant-design/icons';
import { ProFormDependency, ProFormDigit, ProFormSelect, ProFormTextArea } from '@ant-design/pro-components';
import { App, Button, Card, Col, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { api, call, type Schemas } from '../../api/client';
import { revalidate, useApi, useApiList } from '../../api/swr';
import { useSession } from '../../app/session';
import { EntityModalForm, tid, useEditor } from '../../components/EntityModalForm';
import { formatDateTime, formatMoney } from '../../components/format';
import { reportError } from '../../components/useSubmit';
import { localName, useI18n } from '../../i18n';

export type PointsAccount = Schemas['PointsAccount'];
export type LedgerEntry = Schemas['PointsLedgerEntry'];
export type CatalogueItem = Schemas['PointsCatalogueItem'];
type Kind = LedgerEntry['kind'];

const KINDS: Kind[] = ['earn', 'promo', 'redeem', 'expire', 'adjust'];
const KIND_COLOR: Record<Kind, string> = { earn: 'green', promo: 'cyan', redeem: 'blue', expire: 'default', adjust: 'orange' };
const PAGE = 10;
const NO_ITEMS: CatalogueItem[] = [];

/**
 * 积分: the account (balance and what it is worth, totals), the ledger with every entry, and the
 * redemption and adjustment dialogs for users with points.redeem / points.adjust.
 */
export function PointsPanel({ customerId, canChange, onChanged }: { customerId: number; canChange: boolean; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [kind, setKind] = useState<Kind | undefined>(undefined);
  const redeemer = useEditor<void>();
  const adjuster = useEditor<void>();
  const accountRead = useApi('/api/customers/{id}/points', { path: { id: customerId } });
  const ledgerRead = useApiList(
    '/api/customers/{id}/points/ledger',
    { path: { id: customerId }, query: { offset: (page - 1) * PAGE, limit: PAGE, kind } },
    { keepPreviousData: true },
  );
  const account = accountRead.data;
  const failure = accountRead.error ?? ledgerRead.error;
  useEffect(() => {
    if (failure) reportError(failure, { message, t });
  }, [failure, message, t]);

  const moved = (next: PointsAccount) => {
    void accountRead.mutate(next, { revalidate: false });
    setPage(1);
    void revalidate('/api/customers/{id}/points/ledger');
    onChanged();
  };

  const columns: ColumnsType<LedgerEntry> = [
    { title: t('rules.points.at'), dataIndex: 'at', width: 170, render: formatDateTime },
    { title: t('rules.points.kind'), dataIndex: 'kind', width: 100, render: (k: Kind) => <Tag color={KIND_COLOR[k]}>{t(`rules.points.kind.${k}`)}</Tag> },
    {
      title: t('rules.points.points'),
      dataIndex: 'points',
      width: 110,
      align: 'right',
      render: (n: number) => (
        <Typography.Text type={n < 0 ? 'danger' : 'success'} strong>
          {n > 0 ? `+${n}` : n}
        </Typography.Text>
      ),
    },
    {
      title: t('rules.points.detail'),
      key: 'detail',
      render: (_, e) =>
        e.itemName ? `${localName(locale, { name: e.itemName, nameEn: e.itemNameEn })} × ${e.quantity ?? 1}` : e.month ? t('rules.points.ofMonth', { month: e.month }) : '-',
    },
    { title: t('rules.points.reason'), dataIndex: 'reason', render: (r: string | null) => r ?? '-' },
    { title: t('rules.runs.actor'), dataIndex: 'actorName', width: 110, render: (_, e) => e.actorName ?? e.actor ?? t('rules.system') },
  ];

  return (
    <Card
      size="small"
      title={t('rules.points.title')}
      {...tid('points-panel')}
      extra={
        canChange && (
          <Space>
            {can('points.redeem') && (
              <Button size="small" icon={<GiftOutlined />} onClick={() => redeemer.open()} {...tid('points-redeem')}>
                {t('rules.points.redeem')}
              </Button>
            )}
            {can('points.adjust') && (
              <Button size="small" icon={<PlusCircleOutlined />} onClick={() => adjuster.open()} {...tid('points-adjust')}>
                {t('rules.points.adjust')}
              </Button>
            )}
          </Space>
        )
      }
    >
      {account && (
        <Row gutter={16} style={{ marginBottom: 12 }}>
          <Col xs={12} md={5}>
            <Statistic title={t('rules.customer.pointsBalance')} value={account.balance} {...tid('points-balance')} />
          </Col>
          <Col xs={12} md={5}>
            <Statistic title={t('rules.points.value')} value={formatMoney(account.valueYuan)} prefix="¥" />
          </Col>
          <Col xs={8} md={4}>
            <Statistic title={t('rules.points.earned')} value={account.earned} valueStyle={{ fontSize: 18 }} />
          </Col>
          <Col xs={8} md={4}>
            <Statistic title={t('rules.points.redeemed')} value={account.redeemed} valueStyle={{ fontSize: 18 }} />
          </Col>
          <Col xs={8} md={3}>
            <Statistic title={t('rules.points.expired')} value={account.expired} valueStyle={{ fontSize: 18 }} />
          </Col>
          <Col xs={8} md={3}>
            <Statistic title={t('rules.points.adjusted')} value={account.adjusted} valueStyle={{ fontSize: 18 }} />
          </Col>
        </Row>
      )}
      <Space style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">{t('rules.points.ledger')}</Typography.Text>
        <Select<Kind>
          allowClear
          size="small"
          style={{ width: 140 }}
          placeholder={t('common.all')}
          value={kind}
          onChange={(k) => {
            setKind(k);
            setPage(1);
          }}
          options={KINDS.map((k) => ({ value: k, label: t(`rules.points.kind.${k}`) }))}
          {...tid('points-ledger-kind')}
        />
      </Space>
      <Table<LedgerEntry>
        {...tid('points-ledger')}
        size="small"
        rowKey="id"
        loading={ledgerRead.isLoading}
        columns={columns}
        dataSource={ledgerRead.data?.items ?? []}
        pagination={{ current: page, pageSize: PAGE, total: ledgerRead.data?.total ?? 0, onChange: setPage, hideOnSinglePage: true, showSizeChanger: false }}
      />
      <RedeemDialog editor={redeemer} customerId={customerId} balance={account?.balance ?? 0} onDone={moved} />
      <AdjustDialog editor={adjuster} customerId={customerId} balance={account?.balance ?? 0} onDone={moved} />
    </Card>
  );
}

/** What the redeem and adjust dialogs share: their open state, the customer and its balance, and what to do after. */
interface PointsDialogProps {
  editor: ReturnType<typeof useEditor<void>>;
  customerId: number;
  balance: number;
  onDone: (a: PointsAccount) => void;
}

interface RedeemValues {
  itemId: number;
  quantity: number;
}

function RedeemDialog({ editor, customerId, balance, onDone }: PointsDialogProps) {
  const { t, locale } = useI18n();
  const catalogue = useApiList('/api/points/catalogue', editor.isOpen ? { query: { active: 'true', limit: 1000 } } : null);
  const items = catalogue.data?.items ?? NO_ITEMS;
  return (
    <EntityModalForm<RedeemValues>
      open={editor.isOpen}
      onClose={editor.close}
      testId="points-redeem-form"
      title={t('rules.points.redeemTitle')}
      initialValues={{ quantity: 1 }}
      success={t('rules.points.redeemed.done')}
      onSubmit={async (v) => {
        const moved = await call(api.POST('/api/customers/{id}/points/redeem', { params: { path: { id: customerId } }, body: { itemId: v.itemId, quantity: v.quantity } }));
        onDone(moved.account);
      }}
    >
      <Typography.Paragraph type="secondary">{t('rules.points.balanceNow', { points: balance })}</Typography.Paragraph>
      <ProFormSelect
        name="itemId"
        label={t('rules.points.item')}
        rules={[{ required: true, message: t('common.required') }]}
        options={items.map((i) => ({ value: i.id, label: t('rules.points.itemOption', { name: localName(locale, i), points: i.points }), disabled: i.points > balance }))}
        fieldProps={{ showSearch: true, optionFilterProp: 'label', ...tid('points-redeem-item') }}
      />
      <ProFormDigit name="quantity" label={t('rules.points.quantity')} min={1} max={100} fieldProps={{ precision: 0, ...tid('points-redeem-quantity') }} rules={[{ required: true, message: t('common.required') }]} />
      <ProFormDependency name={['itemId', 'quantity']}>
        {({ itemId, quantity }: Partial<RedeemValues>) => {
          const item = items.find((i) => i.id === itemId);
          if (!item) return null;
          const cost = item.points * (quantity ?? 1);
          return (
            <Typography.Text type={cost > balance ? 'danger' : undefined} {...tid('points-redeem-cost')}>
              {t('rules.points.total', { points: cost, left: balance - cost })}
            </Typography.Text>
          );
        }}
      </ProFormDependency>
    </EntityModalForm>
  );
}

interface AdjustValues {
  points: number;
  reason: string;
}

function AdjustDialog({ editor, customerId, balance, onDone }: PointsDialogProps) {
  const { t } = useI18n();
  return (
    <EntityModalForm<AdjustValues>
      open={editor.isOpen}
      onClose={editor.close}
      testId="points-adjust-form"
      title={t('rules.points.adjustTitle')}
      success={t('rules.points.adjusted.done')}
      onSubmit={async (v) => {
        const moved = await call(api.POST('/api/customers/{id}/points/adjust', { params: { path: { id: customerId } }, body: { points: v.points, reason: v.reason.trim() } }));
        onDone(moved.account);
      }}
    >
      <Typography.Paragraph type="secondary">{t('rules.points.adjustHint', { points: balance })}</Typography.Paragraph>
      <ProFormDigit
        name="points"
        label={t('rules.points.adjustPoints')}
        min={-balance}
        max={10_000_000}
        fieldProps={{ precision: 0, ...tid('points-adjust-points') }}
        rules={[
          { required: true, message: t('common.required') },
          { validator: (_: unknown, v: number | undefined) => (v === 0 ? Promise.reject(new Error(t('rules.points.nonZero'))) : Promise.resolve()) },
        ]}
      />
      <ProFormTextArea
        name="reason"
        label={t('rules.points.reason')}
        fieldProps={{ rows: 2, maxLength: 200, showCount: true, ...tid('points-adjust-reason') }}
        rules={[{ required: true, whitespace: true, min: 2, message: t('rules.points.reasonRequired') }]}
      />
    </EntityModalForm>
  );
}
