import {
  AlertOutlined,
  CalendarOutlined,
  FallOutlined,
  FileProtectOutlined,
  GiftOutlined,
  PayCircleOutlined,
  RiseOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Schemas } from '../../../api/client';
import type { MessageKey, Translate } from '../../../i18n';
import { reasonText } from '../../analysis/churn/common';

export type Reminder = Schemas['Reminder'];
export type ReminderType = Reminder['type'];
export type ReminderSetting = Schemas['ReminderSetting'];
export type UnitSettings = Schemas['ReminderSettings'];

export const REMINDER_TYPES: ReminderType[] = ['birthday', 'contract_expiry', 'appointment', 'sla_warning', 'arrears', 'level_change', 'certification_expiry', 'churn_warning'];
/** Types reminded on the day they are noticed: no lead days to set. */
export const ON_THE_DAY: ReadonlySet<ReminderType> = new Set(['sla_warning', 'arrears', 'level_change', 'churn_warning']);

export const typeName = (t: Translate, type: ReminderType) => t(`reminders.type.${type}` as MessageKey);

export const TYPE_ICONS: Record<ReminderType, { icon: ReactNode; color: string }> = {
  birthday: { icon: <GiftOutlined />, color: '#eb2f96' },
  contract_expiry: { icon: <FileProtectOutlined />, color: '#fa8c16' },
  appointment: { icon: <CalendarOutlined />, color: '#1677ff' },
  sla_warning: { icon: <AlertOutlined />, color: '#f5222d' },
  arrears: { icon: <PayCircleOutlined />, color: '#faad14' },
  level_change: { icon: <RiseOutlined />, color: '#52c41a' },
  certification_expiry: { icon: <SafetyCertificateOutlined />, color: '#722ed1' },
  churn_warning: { icon: <FallOutlined />, color: '#cf1322' },
};

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const level = (t: Translate, v: unknown) => (v ? t(`rules.level.${String(v)}` as MessageKey) : '-');

/** What a reminder says, in the reader's language, from its type and parameters. */
export function reminderText(t: Translate, r: Reminder): string {
  const p = r.params;
  const due = r.dueOn;
  switch (r.type) {
    case 'birthday':
      return r.entity === 'key_person'
        ? t('reminders.text.birthday.key_person', { name: str(p.name), title: p.title ? `（${str(p.title)}）` : '', due })
        : t('reminders.text.birthday.customer', { name: str(p.name), due });
    case 'contract_expiry':
      return t('reminders.text.contract_expiry', { contractNo: str(p.contractNo), title: str(p.title), due });
    case 'appointment':
      return t('reminders.text.appointment', { at: str(p.at), resource: str(p.resource), purpose: str(p.purpose) });
    case 'sla_warning':
      return t(p.slaState === 'breached' ? 'reminders.text.sla_warning.breached' : 'reminders.text.sla_warning.warning', { requestNo: str(p.requestNo), title: str(p.title), dueAt: str(p.dueAt) });
    case 'arrears':
      return t('reminders.text.arrears', { amount: str(p.amount) });
    case 'level_change':
      return t(p.direction === 'up' ? 'reminders.text.level_change.up' : 'reminders.text.level_change.down', { month: str(p.month), from: level(t, p.from), to: level(t, p.to) });
    case 'certification_expiry':
      return t('reminders.text.certification_expiry', { name: str(p.name), due });
    case 'churn_warning':
      return t('reminders.text.churn_warning', {
        month: str(p.month),
        score: str(p.score),
        reason: typeof p.reason === 'string' ? reasonText(t, p.reason, Number(p.value ?? 0)) : '-',
      });
  }
}

/** Where a reminder leads: the request, the customer, or nowhere. */
export function reminderLink(r: Reminder): string | null {
  if (r.type === 'sla_warning' && r.entityId) return `/services/requests/${r.entityId}`;
  if (r.customerId) return `/customers/${r.customerId}`;
  return null;
}
