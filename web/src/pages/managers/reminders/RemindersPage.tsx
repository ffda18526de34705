import { ClockCircleOutlined, CloseOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Avatar, Badge, Button, Card, DatePicker, Empty, List, Popover, Segmented, Select, Space, Spin, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import useSWR from 'swr';
import { api, call, callList } from '../../../api/client';
import { tid } from '../../../components/EntityModalForm';
import { today as todayInShanghai } from '../../../components/format';
import { useAction } from '../../../components/useSubmit';
import { useI18n, type Translate } from '../../../i18n';
import type { Locale } from '../../../api/client';
import { REMINDER_TYPES, reminderLink, reminderText, TYPE_ICONS, typeName, type Reminder, type ReminderType } from './common';

type StatusFilter = 'todo' | 'snoozed' | 'dismissed';
type GroupBy = 'day' | 'type';

const WEEKDAYS: Record<Locale, string[]> = {
  'zh-CN': ['周日', '周一', '周二', '周三', '周四', '周五', '周六'],
  'en-US': ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
};

function dayTitle(t: Translate, locale: Locale, day: string, today: string): string {
  const d = dayjs(day);
  const diff = d.diff(dayjs(today), 'day');
  const base = `${day} ${WEEKDAYS[locale][d.day()]}`;
  if (diff === 0) return `${t('reminders.today')} · ${base}`;
  if (diff === 1) return `${t('reminders.tomorrow')} · ${base}`;
  if (diff < 0) return `${t('reminders.overdue')} · ${base}`;
  return base;
}

/** 稍后提醒: a date from tomorrow to 30 days ahead. */
function SnoozePicker({ reminder, today, onPick }: { reminder: Reminder; today: string; onPick: (day: string) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const first = dayjs(today).add(1, 'day');
  const last = dayjs(today).add(30, 'day');
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      title={t('reminders.snoozeUntil')}
      content={
        <Space direction="vertical">
          <Typography.Text type="secondary">{t('reminders.snoozeHint')}</Typography.Text>
          <DatePicker
            {...tid(`reminder-snooze-date-${reminder.id}`)}
            open={open}
            getPopupContainer={(node) => node.parentElement ?? document.body}
            disabledDate={(d: Dayjs) => d.isBefore(first, 'day') || d.isAfter(last, 'day')}
            onChange={(d) => {
              if (!d) return;
              setOpen(false);
              onPick(d.format('YYYY-MM-DD'));
            }}
          />
        </Space>
      }
    >
      <Button size="small" icon={<ClockCircleOutlined />} {...tid(`reminder-snooze-${reminder.id}`)}>
        {t('reminders.snooze')}
      </Button>
    </Popover>
  );
}

/** 日常事务提醒: the manager's reminders, grouped by day or by type; dismiss one, or snooze it to a later day. */
export function RemindersPage() {
  const { t, locale } = useI18n();
  const act = useAction();
  const today = todayInShanghai();
  const [status, setStatus] = useState<StatusFilter>('todo');
  const [type, setType] = useState<ReminderType | undefined>();
  const [groupBy, setGroupBy] = useState<GroupBy>('day');

  const key = ['/api/me/reminders', status, type] as const;
  const { data, isLoading, mutate } = useSWR(key, () =>
    callList(api.GET('/api/me/reminders', { params: { query: { limit: 1000, ...(status !== 'todo' && { status }), ...(type && { type }) } } })),
  );
  const items = useMemo(() => data?.items ?? [], [data]);

  const groups = useMemo(() => {
    const map = new Map<string, Reminder[]>();
    for (const r of items) {
      const k = groupBy === 'day' ? r.dueOn : r.type;
      map.set(k, [...(map.get(k) ?? []), r]);
    }
    const keys = [...map.keys()];
    if (groupBy === 'type') keys.sort((a, b) => REMINDER_TYPES.indexOf(a as ReminderType) - REMINDER_TYPES.indexOf(b as ReminderType));
    return keys.map((k) => ({ key: k, items: map.get(k)! }));
  }, [items, groupBy]);

  const reload = () => void mutate();
  const dismiss = (r: Reminder) =>
    act(() => call(api.POST('/api/reminders/{id}/dismiss', { params: { path: { id: r.id } }, body: { version: r.version } })).then(reload), {
      success: t('reminders.dismissed'),
      onConflict: reload,
    });
  const snooze = (r: Reminder, until: string) =>
    act(() => call(api.POST('/api/reminders/{id}/snooze', { params: { path: { id: r.id } }, body: { version: r.version, until } })).then(reload), {
      success: t('reminders.snoozed', { day: until }),
      onConflict: reload,
    });

  const renderItem = (r: Reminder) => {
    const link = reminderLink(r);
    const look = TYPE_ICONS[r.type];
    return (
      <List.Item
        key={r.id}
        {...tid(`reminder-${r.id}`)}
        actions={
          status === 'dismissed'
            ? []
            : [
                <SnoozePicker key="snooze" reminder={r} today={today} onPick={(day) => snooze(r, day)} />,
                <Button key="dismiss" size="small" icon={<CloseOutlined />} onClick={() => dismiss(r)} {...tid(`reminder-dismiss-${r.id}`)}>
                  {t('reminders.dismiss')}
                </Button>,
              ]
        }
      >
        <List.Item.Meta
          avatar={<Avatar style={{ backgroundColor: look.color }} icon={look.icon} />}
          title={
            <Space wrap size={4}>
              <Tag color={look.color}>{typeName(t, r.type)}</Tag>
              <span {...tid(`reminder-text-${r.id}`)}>{reminderText(t, r)}</span>
            </Space>
          }
          description={
            <Space wrap size={8}>
              {r.customerName && (link ? <Link to={link}>{r.customerName}</Link> : <span>{r.customerName}</span>)}
              {!r.customerName && link && <Link to={link}>{String(r.params.requestNo ?? '')}</Link>}
              {groupBy === 'type' && <span>{r.dueOn}</span>}
              {r.leadDays !== null && r.leadDays > 0 && <Tag>{t('reminders.lead', { n: r.leadDays })}</Tag>}
              {r.status === 'snoozed' && r.snoozedUntil && <Tag icon={<ClockCircleOutlined />}>{t('reminders.snoozedUntil', { day: r.snoozedUntil })}</Tag>}
            </Space>
          }
        />
      </List.Item>
    );
  };

  return (
    <PageContainer title={t('reminders.title')} content={t('reminders.intro')} {...tid('reminders-page')}>
      <Card {...tid('reminders-list')}>
        <Space wrap style={{ marginBottom: 16 }}>
          <Segmented<StatusFilter>
            {...tid('reminders-status')}
            value={status}
            onChange={setStatus}
            options={(['todo', 'snoozed', 'dismissed'] as const).map((s) => ({ value: s, label: t(`reminders.status.${s}`) }))}
          />
          <Select<ReminderType>
            {...tid('reminders-type')}
            allowClear
            placeholder={t('reminders.allTypes')}
            style={{ width: 180 }}
            value={type}
            onChange={setType}
            options={REMINDER_TYPES.map((k) => ({ value: k, label: typeName(t, k) }))}
          />
          <Segmented<GroupBy>
            {...tid('reminders-group')}
            value={groupBy}
            onChange={setGroupBy}
            options={(['day', 'type'] as const).map((g) => ({ value: g, label: t(`reminders.groupBy.${g}`) }))}
          />
        </Space>
        <Spin spinning={isLoading}>
          {!isLoading && groups.length === 0 && <Empty description={t('reminders.empty')} />}
          {groups.map((g) => (
            <div key={g.key} {...tid(`reminders-group-${g.key}`)} style={{ marginBottom: 16 }}>
              <Typography.Title level={5} style={{ marginBottom: 4 }}>
                <Space>
                  {groupBy === 'type' && TYPE_ICONS[g.key as ReminderType]?.icon}
                  {groupBy === 'day' ? dayTitle(t, locale, g.key, today) : typeName(t, g.key as ReminderType)}
                  <Badge count={g.items.length} color="#8c8c8c" />
                </Space>
              </Typography.Title>
              <List size="small" bordered dataSource={g.items} renderItem={renderItem} />
            </div>
          ))}
        </Spin>
      </Card>
    </PageContainer>
  );
}
