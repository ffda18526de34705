import { ProForm, ProFormText, ProFormTextArea } from '@ant-design/pro-components';
import { Popconfirm, Space, Tooltip, Typography } from 'antd';
import { api, call } from '../../../api/client';
import { useSession } from '../../../app/session';
import { EntityModalForm, tid, useEditor } from '../../../components/EntityModalForm';
import { useAction } from '../../../components/useSubmit';
import { useI18n } from '../../../i18n';
import { hasStarted, refreshAppointments, type Appointment } from './common';
import { CustomerSelect } from '../../../components/CustomerSelect';
import { SlotPicker } from './pickers';

interface BookingValues {
  customerId: number;
  slotId: number;
  purpose: string;
  note?: string;
}

/**
 * 预约: a place for a customer. From the calendar the slot is fixed and the customer is searched; from the
 * customer's page the customer is fixed and a resource, day and slot are picked.
 */
export function BookingForm({ open, onClose, slotId, customer }: { open: boolean; onClose: () => void; slotId?: number; customer?: { id: number; name: string } }) {
  const { t } = useI18n();
  const required = [{ required: true, message: t('common.required') }];
  return (
    <EntityModalForm<BookingValues>
      open={open}
      onClose={onClose}
      testId="booking-form"
      title={customer ? `${t('appointments.bookTitle')} · ${customer.name}` : t('appointments.bookTitle')}
      success={t('appointments.booked')}
      initialValues={{ customerId: customer?.id, slotId }}
      onSubmit={async (v) => {
        await call(api.POST('/api/appointments', { body: { slotId: v.slotId, customerId: v.customerId, purpose: v.purpose.trim(), note: v.note?.trim() || null } }));
        await refreshAppointments();
      }}
    >
      {customer ? (
        <ProFormText name="customerId" hidden />
      ) : (
        <ProForm.Item name="customerId" label={t('appointments.customer')} rules={required}>
          <CustomerSelect testId="booking-form-customer" placeholder={t('appointments.customerSearch')} />
        </ProForm.Item>
      )}
      {slotId ? (
        <ProFormText name="slotId" hidden />
      ) : (
        <ProForm.Item name="slotId" label={t('appointments.slot')} rules={required}>
          <SlotPicker />
        </ProForm.Item>
      )}
      <ProFormText name="purpose" label={t('appointments.purpose')} placeholder={t('appointments.purposePlaceholder')} rules={[{ required: true, whitespace: true, min: 2, message: t('common.required') }]} fieldProps={{ maxLength: 200, ...tid('booking-form-purpose') }} />
      <ProFormTextArea name="note" label={t('appointments.note')} fieldProps={{ rows: 2, maxLength: 500 }} />
    </EntityModalForm>
  );
}

type Editing = { kind: 'move' | 'cancel'; appointment: Appointment };

/**
 * The actions on a booking while it is booked: move, cancel, and once its slot has started, attended or
 * no-show; each at the version the row was read at.
 */
export function BookingActions({ appointment: a }: { appointment: Appointment }) {
  const { t } = useI18n();
  const { can } = useSession();
  const act = useAction();
  const editor = useEditor<Editing>();
  if (!can('appointments.book') || a.status !== 'booked') return null;
  const started = hasStarted(a);
  const outcome = (value: 'attended' | 'no_show') =>
    act(() => call(api.POST('/api/appointments/{id}/outcome', { params: { path: { id: a.id } }, body: { version: a.version, outcome: value } })).then(refreshAppointments), {
      success: t('appointments.outcomeSaved'),
      onConflict: () => void refreshAppointments(),
    });
  const outcomeLink = (value: 'attended' | 'no_show', label: string) =>
    started ? (
      <Popconfirm key={value} title={t(value === 'attended' ? 'appointments.confirmAttended' : 'appointments.confirmNoShow', { customer: a.customerName })} onConfirm={() => outcome(value)} okButtonProps={tid(`appointment-${value}-confirm-${a.id}`)}>
        <Typography.Link type={value === 'no_show' ? 'danger' : undefined} {...tid(`appointment-${value}-${a.id}`)}>
          {label}
        </Typography.Link>
      </Popconfirm>
    ) : (
      <Tooltip key={value} title={t('appointments.notStarted')}>
        <Typography.Link disabled>{label}</Typography.Link>
      </Tooltip>
    );
  const editing = editor.record;
  return (
    <Space size="small" wrap>
      <Typography.Link onClick={() => editor.open({ kind: 'move', appointment: a })} {...tid(`appointment-move-${a.id}`)}>
        {t('appointments.move')}
      </Typography.Link>
      <Typography.Link type="danger" onClick={() => editor.open({ kind: 'cancel', appointment: a })} {...tid(`appointment-cancel-${a.id}`)}>
        {t('appointments.cancel')}
      </Typography.Link>
      {outcomeLink('attended', t('appointments.attended'))}
      {outcomeLink('no_show', t('appointments.noShow'))}
      <EntityModalForm<{ slotId: number }>
        open={editor.isOpen && editing?.kind === 'move'}
        onClose={editor.close}
        testId="move-form"
        title={t('appointments.moveTitle', { customer: a.customerName })}
        success={t('appointments.moved')}
        onConflict={() => void refreshAppointments()}
        onSubmit={async (v) => {
          await call(api.POST('/api/appointments/{id}/move', { params: { path: { id: a.id } }, body: { version: a.version, slotId: v.slotId } }));
          await refreshAppointments();
        }}
      >
        <ProForm.Item name="slotId" label={t('appointments.slot')} rules={[{ required: true, message: t('common.required') }]}>
          <SlotPicker resourceId={a.resourceId} exclude={a.slotId} />
        </ProForm.Item>
      </EntityModalForm>
      <EntityModalForm<{ reason?: string }>
        open={editor.isOpen && editing?.kind === 'cancel'}
        onClose={editor.close}
        testId="cancel-form"
        title={t('appointments.cancelTitle', { customer: a.customerName })}
        success={t('appointments.cancelled')}
        onConflict={() => void refreshAppointments()}
        onSubmit={async (v) => {
          await call(api.POST('/api/appointments/{id}/cancel', { params: { path: { id: a.id } }, body: { version: a.version, reason: v.reason?.trim() || null } }));
          await refreshAppointments();
        }}
      >
        <ProFormTextArea name="reason" label={t('appointments.cancelReason')} fieldProps={{ rows: 2, maxLength: 200, ...tid('cancel-form-reason') }} />
      </EntityModalForm>
    </Space>
  );
}
