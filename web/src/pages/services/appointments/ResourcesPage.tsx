import {
  PageContainer,
  ProForm,
  ProFormCheckbox,
  ProFormDateRangePicker,
  ProFormDependency,
  ProFormDigit,
  ProFormSelect,
  ProFormText,
  ProTable,
  type ActionType,
  type ProColumns,
} from '@ant-design/pro-components';
import { App, Popconfirm, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useRef } from 'react';
import { Link } from 'react-router-dom';
import { api, call, callList } from '../../../api/client';
import { useSession } from '../../../app/session';
import { EntityModalForm, tid, useEditor } from '../../../components/EntityModalForm';
import { activeColumn, createTool, listTableProps, valueEnumOf } from '../../../components/listTable';
import { ManagerSelect } from '../../../components/ManagerSelect';
import { usePagedRequest } from '../../../components/pagedRequest';
import { UnitTreeSelect } from '../../../components/units';
import { useAction } from '../../../components/useSubmit';
import { localName, localUnit, useI18n, type MessageKey } from '../../../i18n';
import { KindTag, kindName, refreshAppointments, RESOURCE_KINDS, type Resource, type ResourceKind } from './common';

interface ResourceValues {
  kind: ResourceKind;
  name: string;
  nameEn?: string;
  unitId: number;
  userId?: number;
}

interface SeriesValues {
  range: [string, string];
  weekdays: number[];
  times: string[];
  durationMinutes: number;
  capacity: number;
}

/** Start times offered by the series form: every half hour of the working day. */
const TIMES = Array.from({ length: 25 }, (_, i) => `${String(7 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`);
const asDay = (v: unknown) => dayjs(v as string).format('YYYY-MM-DD');

type Editing = { kind: 'resource'; resource?: Resource } | { kind: 'series'; resource: Resource };

/** 预约资源: a manager's time, an outlet's counter, a VIP lounge; heads create and edit them and lay out their slots (排班). */
export function ResourcesPage() {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const manage = can('appointments.manage');
  const table = useRef<ActionType>(null);
  const editor = useEditor<Editing>();
  const act = useAction();
  const reload = () => {
    table.current?.reload();
    void refreshAppointments();
  };

  const load = useCallback(async (query: Record<string, unknown> & { offset: number; limit: number }) => {
    const pick = <T extends string>(v: unknown, allowed: readonly T[]) => (allowed.includes(v as T) ? (v as T) : undefined);
    return callList(
      api.GET('/api/appointment-resources', {
        params: {
          query: {
            offset: query.offset,
            limit: query.limit,
            kind: pick(query.kind, RESOURCE_KINDS),
            active: pick(query.active, ['true', 'false'] as const),
            q: typeof query.name === 'string' ? query.name : undefined,
          },
        },
      }),
    );
  }, []);
  const request = usePagedRequest<Resource>(load);

  const setActive = (r: Resource, active: boolean) =>
    act(() => call(api.PATCH('/api/appointment-resources/{id}', { params: { path: { id: r.id } }, body: { version: r.version, active } })).then(reload), {
      success: t(active ? 'appointments.resources.activated' : 'appointments.resources.deactivated'),
      onConflict: reload,
    });
  const remove = (r: Resource) =>
    act(() => call(api.DELETE('/api/appointment-resources/{id}', { params: { path: { id: r.id } } })).then(reload), { success: t('appointments.resources.deleted') });

  const columns: ProColumns<Resource>[] = [
    {
      title: t('appointments.resources.name'),
      dataIndex: 'name',
      render: (_, r) => (
        <Link to={`/services/appointments?resource=${r.id}`} {...tid(`resource-${r.id}`)}>
          {localName(locale, r)}
        </Link>
      ),
    },
    {
      title: t('appointments.resources.kind'),
      dataIndex: 'kind',
      width: 130,
      valueType: 'select',
      valueEnum: valueEnumOf(RESOURCE_KINDS, (k) => kindName(t, k)),
      render: (_, r) => <KindTag kind={r.kind} />,
    },
    { title: t('appointments.resources.unit'), dataIndex: 'unitName', search: false, render: (_, r) => localUnit(locale, r) },
    { title: t('appointments.resources.manager'), dataIndex: 'userName', search: false, width: 120, render: (_, r) => r.userName ?? '-' },
    activeColumn<Resource>(t, { names: { active: t('appointments.resources.active'), inactive: t('appointments.resources.inactive') }, width: 100 }),
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 230,
      hideInTable: !manage,
      render: (_, r) => [
        <Typography.Link key="series" onClick={() => editor.open({ kind: 'series', resource: r })} {...tid(`resource-series-${r.id}`)}>
          {t('appointments.series')}
        </Typography.Link>,
        <Typography.Link key="edit" onClick={() => editor.open({ kind: 'resource', resource: r })} {...tid(`resource-edit-${r.id}`)}>
          {t('common.edit')}
        </Typography.Link>,
        <Typography.Link key="active" onClick={() => setActive(r, !r.active)} {...tid(`resource-active-${r.id}`)}>
          {t(r.active ? 'appointments.resources.deactivate' : 'appointments.resources.activate')}
        </Typography.Link>,
        <Popconfirm key="delete" title={t('appointments.resources.confirmDelete', { name: r.name })} onConfirm={() => remove(r)} okButtonProps={tid(`resource-delete-confirm-${r.id}`)}>
          <Typography.Link type="danger" {...tid(`resource-delete-${r.id}`)}>
            {t('appointments.resources.delete')}
          </Typography.Link>
        </Popconfirm>,
      ],
    },
  ];

  const editing = editor.record;
  const editedResource = editing?.kind === 'resource' ? editing.resource : undefined;
  return (
    <PageContainer title={t('appointments.resources.title')} content={t('appointments.resources.intro')} {...tid('appointment-resources-page')}>
      <ProTable<Resource>
        {...tid('resources-table')}
        rowKey="id"
        actionRef={table}
        columns={columns}
        request={request}
        {...listTableProps(t)}
        toolBarRender={createTool({ allowed: manage, text: t('appointments.resources.new'), testId: 'resource-new', onClick: () => editor.open({ kind: 'resource' }) })}
      />
      <EntityModalForm<ResourceValues>
        open={editor.isOpen && editing?.kind === 'resource'}
        onClose={editor.close}
        testId="resource-form"
        title={t(editedResource ? 'appointments.resources.edit' : 'appointments.resources.new')}
        success={t(editedResource ? 'appointments.resources.saved' : 'appointments.resources.created')}
        onConflict={reload}
        initialValues={editedResource ? { ...editedResource, nameEn: editedResource.nameEn ?? undefined, userId: editedResource.userId ?? undefined } : { kind: 'vip_lounge' }}
        onSubmit={async (v) => {
          const userId = v.kind === 'manager' ? (v.userId ?? null) : null;
          if (editedResource) {
            await call(
              api.PATCH('/api/appointment-resources/{id}', {
                params: { path: { id: editedResource.id } },
                body: { version: editedResource.version, name: v.name, nameEn: v.nameEn || null, ...(editedResource.kind === 'manager' && { userId }) },
              }),
            );
          } else {
            await call(api.POST('/api/appointment-resources', { body: { kind: v.kind, name: v.name, nameEn: v.nameEn || null, unitId: v.unitId, userId } }));
          }
          reload();
        }}
      >
        <ProFormSelect
          name="kind"
          label={t('appointments.resources.kind')}
          allowClear={false}
          disabled={!!editedResource}
          options={RESOURCE_KINDS.map((k) => ({ value: k, label: kindName(t, k) }))}
          fieldProps={tid('resource-form-kind')}
        />
        <ProFormText name="name" label={t('appointments.resources.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]} fieldProps={{ maxLength: 100, ...tid('resource-form-name') }} />
        <ProFormText name="nameEn" label={t('appointments.resources.nameEn')} fieldProps={{ maxLength: 100 }} />
        <ProForm.Item name="unitId" label={t('appointments.resources.unit')} rules={[{ required: true, message: t('common.required') }]}>
          <UnitTreeSelect disabled={!!editedResource} data-testid="resource-form-unit" />
        </ProForm.Item>
        <ProFormDependency name={['kind']}>
          {({ kind }) =>
            kind === 'manager' && (
              <ProForm.Item name="userId" label={t('appointments.resources.manager')} rules={[{ required: true, message: t('common.required') }]}>
                <ManagerSelect data-testid="resource-form-manager" current={editedResource?.userId ? { id: editedResource.userId, name: editedResource.userName } : null} />
              </ProForm.Item>
            )
          }
        </ProFormDependency>
      </EntityModalForm>
      {editing?.kind === 'series' && (
        <EntityModalForm<SeriesValues>
          open={editor.isOpen}
          onClose={editor.close}
          testId="series-form"
          title={t('appointments.series.title', { name: localName(locale, editing.resource) })}
          initialValues={{ weekdays: [1, 2, 3, 4, 5], times: ['09:00', '10:00', '11:00', '14:00', '15:00', '16:00'], durationMinutes: 60, capacity: editing.resource.kind === 'manager' ? 1 : 3 }}
          onSubmit={async (v) => {
            const done = await call(
              api.POST('/api/appointment-resources/{id}/slots', {
                params: { path: { id: editing.resource.id } },
                body: { from: asDay(v.range[0]), to: asDay(v.range[1]), weekdays: v.weekdays, times: v.times, durationMinutes: v.durationMinutes, capacity: v.capacity },
              }),
            );
            message.success(t('appointments.series.done', { created: done.created, skipped: done.skipped }));
            void refreshAppointments();
          }}
        >
          <Typography.Paragraph type="secondary">{t('appointments.series.intro')}</Typography.Paragraph>
          <ProFormDateRangePicker
            name="range"
            label={t('appointments.series.range')}
            rules={[{ required: true, message: t('common.required') }]}
            fieldProps={{ disabledDate: (d) => d.isBefore(dayjs().startOf('day')), ...tid('series-form-range') }}
          />
          <ProFormCheckbox.Group
            name="weekdays"
            label={t('appointments.series.weekdays')}
            rules={[{ required: true, message: t('common.required') }]}
            options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: t(`appointments.weekday.${d}` as MessageKey) }))}
          />
          <ProFormSelect
            name="times"
            label={t('appointments.series.times')}
            mode="tags"
            rules={[{ required: true, message: t('common.required') }]}
            options={TIMES.map((time) => ({ value: time, label: time }))}
            fieldProps={tid('series-form-times')}
          />
          <ProFormDigit name="durationMinutes" label={t('appointments.series.duration')} min={5} max={480} fieldProps={{ precision: 0 }} rules={[{ required: true, message: t('common.required') }]} />
          <ProFormDigit name="capacity" label={t('appointments.series.capacity')} min={1} max={500} fieldProps={{ precision: 0, ...tid('series-form-capacity') }} rules={[{ required: true, message: t('common.required') }]} />
        </EntityModalForm>
      )}
    </PageContainer>
  );
}
