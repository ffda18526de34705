import { ProFormCheckbox, ProFormDatePicker, ProFormDependency, ProFormSelect, ProFormTextArea } from '@ant-design/pro-components';
import { Alert, Button, Dropdown, Form, Radio, Space, Spin, Typography } from 'antd';
import { DownOutlined, EditOutlined, FormOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { api, call, type CustomerView } from '../../api/client';
import { useApi } from '../../api/swr';
import { useSession } from '../../app/session';
import { changedFields } from '../../components/changes';
import { EntityModalForm, tid, useEditor } from '../../components/EntityModalForm';
import { today } from '../../components/format';
import { ManagerSelect } from '../../components/ManagerSelect';
import { useI18n } from '../../i18n';
import { REASONS_TO, VISIT_CHANNELS, codeLabel, codeOptions, profileValues, type ProfileValues } from './codes';
import { EditCustomerForm, ProfileFields } from './CustomerForm';

type Dialog = 'edit' | 'visit' | 'archive' | 'manager' | 'merge';

interface Props {
  customer: CustomerView;
  /** A write returned the new state of the customer. */
  onChanged: (c: CustomerView) => void;
  /** Re-read after a 409. */
  reload: () => void;
}

/** The 360° page's actions, each shown only with its permission: edit, visit, archive move, assign, merge. */
export function CustomerActions({ customer, onChanged, reload }: Props) {
  const { t } = useI18n();
  const { can } = useSession();
  const dialog = useEditor<Dialog>();
  const is = (d: Dialog) => dialog.isOpen && dialog.record === d;
  const toRetained = customer.archive === 'in_network';
  if (customer.mergedInto !== null) return null;

  const more = [
    can('customers.lifecycle') && {
      key: 'archive',
      label: <span {...tid('customer-action-archive')}>{toRetained ? t('customers.archive.toRetained') : t('customers.archive.toInNetwork')}</span>,
    },
    can('customers.assign') && { key: 'manager', label: <span {...tid('customer-action-manager')}>{t('customers.assign')}</span> },
    can('customers.merge') && { key: 'merge', label: <span {...tid('customer-action-merge')}>{t('customers.merge')}</span> },
  ].filter((x): x is { key: Dialog; label: JSX.Element } => !!x);

  const common = { customer, onClose: dialog.close, onChanged, onConflict: reload };
  return (
    <Space>
      {can('customers.edit') && (
        <>
          <Button type="primary" icon={<EditOutlined />} onClick={() => dialog.open('edit')} {...tid('customer-action-edit')}>
            {t('customers.edit')}
          </Button>
          <Button icon={<FormOutlined />} onClick={() => dialog.open('visit')} {...tid('customer-action-visit')}>
            {t('customers.visit.record')}
          </Button>
        </>
      )}
      {more.length > 0 && (
        <Dropdown menu={{ items: more, onClick: ({ key }) => dialog.open(key as Dialog) }}>
          <Button {...tid('customer-action-more')}>
            {t('customers.moreActions')} <DownOutlined />
          </Button>
        </Dropdown>
      )}
      {is('edit') && <EditCustomerForm customer={customer} open onClose={dialog.close} onSaved={onChanged} onConflict={reload} />}
      {is('visit') && <VisitForm {...common} />}
      {is('archive') && <ArchiveForm {...common} />}
      {is('manager') && <ManagerForm {...common} />}
      {is('merge') && <MergeForm {...common} />}
    </Space>
  );
}

interface DialogProps {
  customer: CustomerView;
  onClose: () => void;
  onChanged: (c: CustomerView) => void;
  onConflict: () => void;
}

interface VisitValues {
  visitedOn: string;
  channel: (typeof VISIT_CHANNELS)[number];
  summary: string;
  withUpdates?: boolean;
  updates?: ProfileValues;
}

/** 记录走访: the visit, and optionally the fields it updated (recorded with source 客户经理走访). */
function VisitForm({ customer, onClose, onChanged, onConflict }: DialogProps) {
  const { t } = useI18n();
  const initial = profileValues(customer);
  return (
    <EntityModalForm<VisitValues>
      open
      testId="visit-form"
      width={760}
      title={`${t('customers.visit.record')} · ${customer.name}`}
      onClose={onClose}
      initialValues={{ visitedOn: today(), channel: 'visit', updates: initial }}
      success={t('customers.visit.recorded')}
      onConflict={onConflict}
      onSubmit={async (v) => {
        const updates = v.withUpdates ? changedFields<ProfileValues>(initial, v.updates ?? {}) : {};
        const withUpdates = Object.keys(updates).length > 0;
        onChanged(
          await call(
            api.POST('/api/customers/{id}/visits', {
              params: { path: { id: customer.id } },
              body: {
                visitedOn: v.visitedOn,
                channel: v.channel,
                summary: v.summary,
                ...(withUpdates ? { version: customer.version, updates: updates as never } : {}),
              },
            }),
          ),
        );
      }}
    >
      <Space size="large" wrap>
        <ProFormDatePicker name="visitedOn" label={t('customers.visit.on')} rules={[{ required: true, message: t('common.required') }]} />
        <ProFormSelect name="channel" label={t('customers.visit.channel')} width="sm" allowClear={false} options={codeOptions(t, 'channel', VISIT_CHANNELS)} />
      </Space>
      <ProFormTextArea
        name="summary"
        label={t('customers.visit.summary')}
        rules={[{ required: true, message: t('common.required') }, { max: 2000 }]}
        fieldProps={{ rows: 3, ...tid('visit-form-summary') }}
      />
      <ProFormCheckbox name="withUpdates">
        <span {...tid('visit-form-with-updates')}>{t('customers.visit.withUpdates')}</span>
      </ProFormCheckbox>
      <ProFormDependency name={['withUpdates']}>
        {({ withUpdates }) => (withUpdates ? <ProfileFields kind={customer.kind} prefix="updates" masked={customer} /> : null)}
      </ProFormDependency>
    </EntityModalForm>
  );
}

/** 移入保留档案库 / 恢复到在网档案库: a lifecycle event with reason and date. */
function ArchiveForm({ customer, onClose, onChanged, onConflict }: DialogProps) {
  const { t } = useI18n();
  const to = customer.archive === 'in_network' ? 'retained' : 'in_network';
  return (
    <EntityModalForm<{ reason: string; effectiveOn: string; note?: string }>
      open
      testId="archive-form"
      title={`${to === 'retained' ? t('customers.archive.toRetained') : t('customers.archive.toInNetwork')} · ${customer.name}`}
      onClose={onClose}
      initialValues={{ effectiveOn: today(), reason: REASONS_TO[to][0] }}
      success={t('common.saved')}
      onConflict={onConflict}
      onSubmit={async (v) =>
        onChanged(
          await call(
            api.POST('/api/customers/{id}/archive', {
              params: { path: { id: customer.id } },
              body: { version: customer.version, toArchive: to, reason: v.reason as never, effectiveOn: v.effectiveOn, note: v.note || null },
            }),
          ),
        )
      }
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message={to === 'retained' ? t('customers.archive.toRetainedHint') : t('customers.archive.toInNetworkHint')} />
      <ProFormSelect name="reason" label={t('customers.archive.reason')} allowClear={false} options={codeOptions(t, 'reason', REASONS_TO[to])} fieldProps={tid('archive-form-reason')} />
      <ProFormDatePicker name="effectiveOn" label={t('customers.archive.effectiveOn')} rules={[{ required: true, message: t('common.required') }]} />
      <ProFormTextArea name="note" label={t('customers.archive.note')} fieldProps={{ rows: 2, maxLength: 500 }} />
    </EntityModalForm>
  );
}

/** 分配客户经理: the portfolio history is kept by the server. */
function ManagerForm({ customer, onClose, onChanged, onConflict }: DialogProps) {
  const { t } = useI18n();
  return (
    <EntityModalForm<{ managerId: number; fromDate: string }>
      open
      testId="manager-form"
      width={480}
      title={`${t('customers.assign')} · ${customer.name}`}
      onClose={onClose}
      initialValues={{ managerId: customer.managerId ?? undefined, fromDate: today() }}
      success={t('common.saved')}
      onConflict={onConflict}
      onSubmit={async (v) =>
        onChanged(
          await call(
            api.POST('/api/customers/{id}/manager', {
              params: { path: { id: customer.id } },
              body: { version: customer.version, managerId: v.managerId, fromDate: v.fromDate },
            }),
          ),
        )
      }
    >
      <Form.Item name="managerId" label={t('customers.manager')} rules={[{ required: true, message: t('common.required') }]}>
        <ManagerSelect current={customer.managerId ? { id: customer.managerId, name: customer.managerName } : null} {...tid('manager-form-user')} style={{ width: '100%' }} />
      </Form.Item>
      <ProFormDatePicker name="fromDate" label={t('customers.assignFrom')} />
    </EntityModalForm>
  );
}

/**
 * 合并重复客户: pick one of the possible duplicates; the dialog then says what will happen and the
 * submit confirms it. The duplicate is merged into this customer (both histories kept).
 */
function MergeForm({ customer, onClose, onChanged, onConflict }: DialogProps) {
  const { t } = useI18n();
  const duplicates = useApi('/api/customers/{id}/duplicates', { path: { id: customer.id } });
  const found = duplicates.data ?? [];
  const name = (id: number | undefined) => {
    const d = found.find((x) => x.id === id);
    return d ? `${d.customerNo} ${d.name}` : '';
  };
  return (
    <EntityModalForm<{ duplicateId: number }>
      open
      testId="merge-form"
      width={640}
      title={`${t('customers.merge')} · ${customer.name}`}
      onClose={onClose}
      success={t('customers.merged')}
      onConflict={onConflict}
      onSubmit={async ({ duplicateId }) => {
        // The duplicate's own version, read now, so that a concurrent change to it is detected.
        const dup = await call(api.GET('/api/customers/{id}', { params: { path: { id: duplicateId } } }));
        onChanged(
          await call(
            api.POST('/api/customers/{id}/merge', {
              params: { path: { id: customer.id } },
              body: { version: customer.version, duplicateId: dup.id, duplicateVersion: dup.version },
            }),
          ),
        );
      }}
    >
      {duplicates.isLoading ? (
        <Spin />
      ) : found.length === 0 ? (
        <Alert type="success" showIcon message={t('customers.noDuplicates')} {...tid('merge-none')} />
      ) : (
        <>
          <Typography.Paragraph>{t('customers.mergeHint')}</Typography.Paragraph>
          <Form.Item name="duplicateId" rules={[{ required: true, message: t('customers.mergePick') }]}>
            <Radio.Group {...tid('merge-pick')}>
              <Space direction="vertical">
                {found.map((d) => (
                  <Radio key={d.id} value={d.id} {...tid(`merge-pick-${d.customerNo}`)}>
                    <Link to={`/customers/${d.id}`} target="_blank">
                      {d.customerNo} {d.name}
                    </Link>{' '}
                    · {codeLabel(t, 'archive', d.archive)} · {codeLabel(t, 'dupReason', d.reason)}
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
          <ProFormDependency name={['duplicateId']}>
            {({ duplicateId }) =>
              duplicateId ? (
                <Alert
                  type="warning"
                  showIcon
                  {...tid('merge-confirm')}
                  message={t('customers.mergeConfirm', { dup: name(duplicateId as number), into: `${customer.customerNo} ${customer.name}` })}
                />
              ) : null
            }
          </ProFormDependency>
        </>
      )}
    </EntityModalForm>
  );
}
