import { LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { PageContainer, ProFormDatePicker, ProFormRadio, ProFormText, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Button, Popconfirm, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useRef, useState } from 'react';
import { api, call, callList } from '../../../api/client';
import { useSession } from '../../../app/session';
import { EntityModalForm, tid, useEditor } from '../../../components/EntityModalForm';
import { today } from '../../../components/format';
import { useAction } from '../../../components/useSubmit';
import { useI18n, type MessageKey } from '../../../i18n';
import type { Holiday } from './names';

interface HolidayValues {
  day: string;
  kind: Holiday['kind'];
  name: string;
}

const KINDS = ['holiday', 'workday'] as const;
const weekdayOf = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
const isWeekend = (day: string) => [0, 6].includes(weekdayOf(day));
/** The picker holds a dayjs while editing; the form hands over `YYYY-MM-DD` on submit. */
const dayOf = (value: unknown) => (value ? dayjs(value as string).format('YYYY-MM-DD') : undefined);

/** 节假日: a year's public holidays and weekend days worked instead (调休), which the business-hours clocks follow. */
export function HolidaysPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const manage = can('services.sla');
  const [year, setYear] = useState(() => Number(today().slice(0, 4)));
  const table = useRef<ActionType>(null);
  const editor = useEditor<Holiday>();
  const act = useAction();
  const reload = () => table.current?.reload();

  const request = useCallback(async (params: { year?: number }) => {
    const { items, total } = await callList(api.GET('/api/services/sla/holidays', { params: { query: { year: params.year! } } }));
    return { data: items, total, success: true };
  }, []);

  const remove = (h: Holiday) =>
    act(() => call(api.DELETE('/api/services/sla/holidays/{day}', { params: { path: { day: h.day } } })).then(reload), { success: t('sla.holidays.removed') });

  const columns: ProColumns<Holiday>[] = [
    { title: t('sla.holidays.day'), dataIndex: 'day', width: 140, render: (_, h) => <span {...tid(`holiday-${h.day}`)}>{h.day}</span> },
    { title: t('sla.holidays.weekday'), dataIndex: 'weekday', width: 90, render: (_, h) => t(`sla.weekday.${weekdayOf(h.day)}` as MessageKey) },
    {
      title: t('sla.holidays.kind'),
      dataIndex: 'kind',
      width: 140,
      render: (_, h) => <Tag color={h.kind === 'holiday' ? 'red' : 'blue'}>{t(`sla.holidays.kind.${h.kind}`)}</Tag>,
    },
    { title: t('sla.holidays.name'), dataIndex: 'name' },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 130,
      hideInTable: !manage,
      render: (_, h) => [
        <Typography.Link key="edit" onClick={() => editor.open(h)} {...tid(`holiday-edit-${h.day}`)}>
          {t('common.edit')}
        </Typography.Link>,
        <Popconfirm key="remove" title={t('sla.holidays.confirmRemove', { day: h.day })} okButtonProps={tid(`holiday-remove-confirm-${h.day}`)} onConfirm={() => remove(h)}>
          <Typography.Link type="danger" {...tid(`holiday-remove-${h.day}`)}>
            {t('sla.holidays.remove')}
          </Typography.Link>
        </Popconfirm>,
      ],
    },
  ];

  const record = editor.record;
  return (
    <PageContainer title={t('sla.holidays.title')} content={t('sla.holidays.intro')} {...tid('sla-holidays-page')}>
      <ProTable<Holiday, { year: number }>
        {...tid('holidays-table')}
        rowKey="day"
        actionRef={table}
        columns={columns}
        params={{ year }}
        request={request}
        search={false}
        pagination={false}
        locale={{ emptyText: t('sla.holidays.empty') }}
        options={{ reload: true, density: false, setting: false }}
        headerTitle={
          <Space>
            <Button icon={<LeftOutlined />} aria-label={t('sla.holidays.prevYear')} onClick={() => setYear((y) => y - 1)} {...tid('holidays-prev-year')} />
            <Typography.Text strong {...tid('holidays-year')}>
              {t('sla.holidays.year', { year })}
            </Typography.Text>
            <Button icon={<RightOutlined />} aria-label={t('sla.holidays.nextYear')} onClick={() => setYear((y) => y + 1)} {...tid('holidays-next-year')} />
          </Space>
        }
        toolBarRender={() =>
          manage
            ? [
                <Button key="add" type="primary" icon={<PlusOutlined />} onClick={() => editor.open()} {...tid('holiday-add')}>
                  {t('sla.holidays.add')}
                </Button>,
              ]
            : []
        }
      />
      <EntityModalForm<HolidayValues>
        open={editor.isOpen}
        onClose={editor.close}
        testId="holiday-form"
        title={record ? t('sla.holidays.editTitle', { day: record.day }) : t('sla.holidays.add')}
        initialValues={record ? { day: record.day, kind: record.kind, name: record.name } : { kind: 'holiday' }}
        success={t('common.saved')}
        onSubmit={async (v) => {
          const day = dayOf(v.day)!;
          await call(api.PUT('/api/services/sla/holidays/{day}', { params: { path: { day } }, body: { kind: v.kind, name: v.name.trim() } }));
          setYear(Number(day.slice(0, 4)));
          reload();
        }}
      >
        <ProFormDatePicker
          name="day"
          label={t('sla.holidays.day')}
          disabled={!!record}
          rules={[{ required: true, message: t('common.required') }]}
          fieldProps={{ format: 'YYYY-MM-DD', ...tid('holiday-form-day') }}
        />
        <ProFormRadio.Group
          name="kind"
          label={t('sla.holidays.kind')}
          dependencies={['day']}
          options={KINDS.map((k) => ({ value: k, label: t(`sla.holidays.kind.${k}`) }))}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, kind?: string) => {
                const day = dayOf(getFieldValue('day'));
                return kind === 'workday' && day && !isWeekend(day) ? Promise.reject(new Error(t('sla.holidays.notWeekend'))) : Promise.resolve();
              },
            }),
          ]}
          fieldProps={tid('holiday-form-kind')}
        />
        <ProFormText name="name" label={t('sla.holidays.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]} fieldProps={{ maxLength: 50, ...tid('holiday-form-name') }} />
      </EntityModalForm>
    </PageContainer>
  );
}
