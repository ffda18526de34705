import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Drawer, Form, Input, InputNumber, Select, Space, Spin, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, call } from '../../../api/client';
import { revalidate, useApi, useFreshApi } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { tid } from '../../../components/EntityModalForm';
import { formatDateTime, formatMoney } from '../../../components/format';
import { ManagerSelect } from '../../../components/ManagerSelect';
import { useSubmit } from '../../../components/useSubmit';
import { localName, useI18n } from '../../../i18n';
import { fenToYuan, kindName, StatusTag, toFen, type Solution, type SolutionKind, type SolutionProduct } from './common';
import { CustomerSelect, type CustomerRef } from '../../../components/CustomerSelect';
import { StatusActions } from './StatusActions';

interface ItemValues {
  productId?: number;
  quantity?: number;
  monthlyFee?: string;
}
interface Values {
  customerId?: number;
  title: string;
  ownerId?: number | null;
  note?: string;
  items?: ItemValues[];
}

interface Props {
  /** The solution to show or edit; a new one when absent. */
  solutionId?: number;
  /** The customer of a new solution, when it is already known (the customer's 360° tab). */
  customer?: CustomerRef;
  onClose: () => void;
  /** After a save or a move: lists re-read. */
  onChanged?: () => void;
}

const kindOfCustomer = (kind: CustomerRef['kind']): SolutionKind => (kind === 'group' ? 'group' : 'personal');
const SOLUTION_PATHS = ['/api/solutions', '/api/solutions/pipeline', '/api/customers/{id}/solutions', '/api/customers/{id}'] as const;

/** 方案编辑: a solution's customer, title, owner and items from the catalogue with a live total, and its status actions; read-only once closed. */
export function SolutionDrawer({ solutionId, customer, onClose, onChanged }: Props) {
  const { t } = useI18n();
  const { can } = useSession();
  const fresh = useFreshApi('/api/solutions/{id}', solutionId === undefined ? null : { path: { id: solutionId } });
  const solution = fresh.data;
  const loading = solutionId !== undefined && !solution && !fresh.error;
  const editable = can('solutions.edit') && (solutionId === undefined || (solution?.nextStatuses.length ?? 0) > 0);
  const changed = async (next?: Solution) => {
    if (next) await fresh.mutate(next, { revalidate: false });
    await revalidate(...SOLUTION_PATHS);
    onChanged?.();
  };
  const title = solution ? t(editable ? 'solutions.editor.editTitle' : 'solutions.editor.viewTitle', { title: solution.title }) : t('solutions.editor.createTitle');

  return (
    <Drawer
      open
      width={860}
      title={title}
      onClose={onClose}
      destroyOnHidden
      {...tid('solution-drawer')}
      extra={solution && <StatusActions solution={solution} onChanged={(s) => void changed(s)} onConflict={() => void fresh.mutate()} />}
    >
      {loading ? (
        <Spin />
      ) : (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          {solution && <Summary solution={solution} />}
          {solution && !editable && <Items solution={solution} />}
          {solution && solution.nextStatuses.length === 0 && <Alert type="info" showIcon message={t('solutions.editor.closed')} />}
          {editable && (
            <EditForm
              key={solution?.version ?? 'new'}
              solution={solution}
              customer={customer}
              onSaved={async (saved) => {
                await changed(saved);
                if (!solution) onClose();
              }}
              onConflict={() => void fresh.mutate()}
            />
          )}
          {solution?.lostReason && (
            <Typography.Text type="danger">
              {t('solutions.lostReason')}：{solution.lostReason}
            </Typography.Text>
          )}
        </Space>
      )}
    </Drawer>
  );
}

function Summary({ solution: s }: { solution: Solution }) {
  const { t } = useI18n();
  const dates = [
    { key: 'createdAt', label: t('solutions.createdAt'), children: formatDateTime(s.createdAt) },
    ...(s.proposedAt ? [{ key: 'proposedAt', label: t('solutions.proposedAt'), children: formatDateTime(s.proposedAt) }] : []),
    ...(s.signedAt ? [{ key: 'signedAt', label: t('solutions.signedAt'), children: formatDateTime(s.signedAt) }] : []),
    ...(s.closedAt && !s.signedAt ? [{ key: 'closedAt', label: t('solutions.closedAt'), children: formatDateTime(s.closedAt) }] : []),
  ];
  return (
    <Descriptions
      size="small"
      bordered
      column={2}
      {...tid('solution-summary')}
      items={[
        { key: 'customer', label: t('solutions.customer'), children: <Link to={`/customers/${s.customerId}`}>{`${s.customerName}（${s.customerNo}）`}</Link> },
        { key: 'status', label: t('common.status'), children: <StatusTag status={s.status} id={s.id} /> },
        { key: 'kind', label: t('solutions.kind'), children: kindName(t, s.kind) },
        { key: 'owner', label: t('solutions.owner'), children: s.ownerName ?? s.owner ?? '-' },
        { key: 'revenue', label: t('solutions.revenue'), children: <span {...tid('solution-revenue')}>{formatMoney(s.expectedMonthlyRevenue)}</span> },
        ...dates,
        ...(s.note ? [{ key: 'note', label: t('solutions.note'), children: s.note, span: 2 }] : []),
      ]}
    />
  );
}

/** The items of a closed solution (or for a reader who may not edit). */
function Items({ solution: s }: { solution: Solution }) {
  const { t, locale } = useI18n();
  return (
    <Table
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={s.items}
      {...tid('solution-items')}
      columns={[
        { title: t('solutions.editor.product'), dataIndex: 'name', render: (_, i) => localName(locale, i) },
        { title: t('solutions.editor.quantity'), dataIndex: 'quantity', align: 'right', width: 90 },
        { title: t('solutions.editor.fee'), dataIndex: 'monthlyFee', align: 'right', width: 170, render: formatMoney },
        { title: t('solutions.editor.amount'), dataIndex: 'amount', align: 'right', width: 140, render: formatMoney },
      ]}
    />
  );
}

/** The catalogue's products for the items: offered ones, and withdrawn ones a solution already lists. */
function useCatalogue(listed: number[]) {
  const { locale } = useI18n();
  const { data = [] } = useApi('/api/solution-products', { query: { limit: 1000 } });
  return useMemo(() => {
    const byId = new Map<number, SolutionProduct>(data.map((p) => [p.id, p]));
    const options = data
      .filter((p) => p.active || listed.includes(p.id))
      .map((p) => ({ value: p.id, label: `${localName(locale, p)}（¥${formatMoney(p.monthlyFee)}）` }));
    return { byId, options };
  }, [data, listed, locale]);
}

function EditForm({ solution, customer, onSaved, onConflict }: { solution?: Solution; customer?: CustomerRef; onSaved: (s: Solution) => Promise<void>; onConflict: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const submit = useSubmit();
  const [saving, setSaving] = useState(false);
  const [picked, setPicked] = useState<CustomerRef | undefined>(customer);
  const listed = useMemo(() => solution?.items.map((i) => i.productId) ?? [], [solution]);
  const catalogue = useCatalogue(listed);
  const items = Form.useWatch('items', form) ?? [];

  const feeOf = (item: ItemValues) => (item.monthlyFee?.trim() ? toFen(item.monthlyFee) : toFen(item.productId === undefined ? null : catalogue.byId.get(item.productId)?.monthlyFee));
  const amountOf = (item: ItemValues) => {
    const fee = feeOf(item);
    return fee === null || !item.quantity ? null : fee * item.quantity;
  };
  const total = items.reduce((sum, i) => sum + (amountOf(i ?? {}) ?? 0), 0);

  const initialValues: Values = solution
    ? { title: solution.title, ownerId: solution.ownerId, note: solution.note ?? undefined, items: solution.items.map((i) => ({ productId: i.productId, quantity: i.quantity, monthlyFee: i.monthlyFee })) }
    : { title: '', items: [{ quantity: 1 }] };

  const save = async (v: Values) => {
    const body = {
      title: v.title.trim(),
      note: v.note?.trim() || null,
      items: (v.items ?? []).map((i) => ({ productId: i.productId!, quantity: i.quantity!, monthlyFee: i.monthlyFee?.trim() || null })),
    };
    if (solution) {
      return call(
        api.PATCH('/api/solutions/{id}', {
          params: { path: { id: solution.id } },
          body: { version: solution.version, ...body, ...(v.ownerId && v.ownerId !== solution.ownerId && { ownerId: v.ownerId }) },
        }),
      );
    }
    const customerId = customer?.id ?? v.customerId!;
    return call(api.POST('/api/customers/{id}/solutions', { params: { path: { id: customerId } }, body: { ...body, ownerId: v.ownerId ?? null } }));
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={initialValues}
      {...tid('solution-form')}
      onFinish={async (v) => {
        setSaving(true);
        let saved: Solution | undefined;
        await submit(form, async () => (saved = await save(v)), { success: t('common.saved'), onConflict });
        setSaving(false);
        if (saved) await onSaved(saved);
      }}
    >
      {!solution && (
        <Space align="start" size="large" wrap>
          {customer ? (
            <Form.Item label={t('solutions.customer')} style={{ minWidth: 360 }}>
              <Typography.Text {...tid('solution-form-customer')}>{`${customer.name}（${customer.customerNo}）`}</Typography.Text>
            </Form.Item>
          ) : (
            <Form.Item name="customerId" label={t('solutions.customer')} rules={[{ required: true, message: t('common.required') }]} style={{ minWidth: 360 }}>
              <CustomerSelect testId="solution-form-customer" placeholder={t('solutions.customerSearch')} onChange={(_, c) => setPicked(c)} />
            </Form.Item>
          )}
          <Form.Item label={t('solutions.kind')} tooltip={t('solutions.editor.kindByCustomer')}>
            <Typography.Text {...tid('solution-form-kind')}>{picked ? kindName(t, kindOfCustomer(picked.kind)) : '-'}</Typography.Text>
          </Form.Item>
        </Space>
      )}
      <Form.Item name="title" label={t('solutions.titleField')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input maxLength={100} {...tid('solution-form-title')} />
      </Form.Item>
      <Space align="start" size="large" wrap>
        <Form.Item name="ownerId" label={t('solutions.owner')} tooltip={t('solutions.ownerHint')}>
          <ManagerSelect current={solution?.ownerId ? { id: solution.ownerId, name: solution.ownerName } : null} style={{ width: 280 }} data-testid="solution-form-owner" />
        </Form.Item>
        <Form.Item name="note" label={t('solutions.note')} style={{ minWidth: 420 }}>
          <Input.TextArea rows={1} maxLength={1000} {...tid('solution-form-note')} />
        </Form.Item>
      </Space>
      <Typography.Title level={5}>{t('solutions.items')}</Typography.Title>
      <Form.List name="items">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field, index) => {
              const item = items[index] ?? {};
              const listFee = item.productId === undefined ? undefined : catalogue.byId.get(item.productId)?.monthlyFee;
              const amount = amountOf(item);
              return (
                <Space key={field.key} align="start" wrap {...tid(`solution-item-${index}`)}>
                  <Form.Item name={[field.name, 'productId']} rules={[{ required: true, message: t('common.required') }]} style={{ width: 300 }}>
                    <Select showSearch optionFilterProp="label" options={catalogue.options} placeholder={t('solutions.editor.productPlaceholder')} {...tid(`solution-item-product-${index}`)} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'quantity']} rules={[{ required: true, message: t('common.required') }]}>
                    <InputNumber min={1} max={10000} precision={0} placeholder={t('solutions.editor.quantity')} style={{ width: 100 }} {...tid(`solution-item-quantity-${index}`)} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'monthlyFee']}
                    rules={[{ pattern: /^\d{1,6}(\.\d{1,2})?$/, message: t('solutions.editor.fee') }]}
                    extra={listFee && t('solutions.editor.listFee', { fee: formatMoney(listFee) })}
                  >
                    <Input placeholder={listFee ?? t('solutions.editor.fee')} style={{ width: 150 }} {...tid(`solution-item-fee-${index}`)} />
                  </Form.Item>
                  <Typography.Text style={{ display: 'inline-block', width: 120, textAlign: 'right', lineHeight: '32px' }} {...tid(`solution-item-amount-${index}`)}>
                    {amount === null ? '-' : formatMoney(fenToYuan(amount))}
                  </Typography.Text>
                  <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} {...tid(`solution-item-remove-${index}`)} />
                </Space>
              );
            })}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ quantity: 1 })} {...tid('solution-item-add')}>
              {t('solutions.editor.addItem')}
            </Button>
          </>
        )}
      </Form.List>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginTop: 16 }}>
        <Typography.Text strong {...tid('solution-form-total')}>
          {t('solutions.editor.total', { total: formatMoney(fenToYuan(total)) })}
        </Typography.Text>
        <Button type="primary" htmlType="submit" loading={saving} {...tid('solution-form-submit')}>
          {t('common.save')}
        </Button>
      </Space>
    </Form>
  );
}
