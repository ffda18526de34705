import { PageContainer, ProForm, ProFormDependency, ProFormDigit, ProFormRadio, ProFormSelect, ProFormSwitch, ProFormTextArea, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Tag, Tooltip, type FormInstance } from 'antd';
import { useCallback, useRef } from 'react';
import { api, call, callList } from '../../../api/client';
import { useSession } from '../../../app/session';
import { changedFields } from '../../../components/changes';
import { EntityModalForm, tid, useEditor } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { activeColumn, createTool, editToggleColumn, listTableProps, useActiveToggle, valueEnumOf } from '../../../components/listTable';
import { usePagedRequest } from '../../../components/pagedRequest';
import { useI18n, type MessageKey } from '../../../i18n';
import { DurationInput } from './DurationInput';
import { AREA_KINDS, CLOCKS, formatTarget, LEVELS, levelName, areaName, policyName, REQUEST_TYPES, typeName, type Clock, type SlaPolicy } from './names';

// a select cannot hold null: "any level / any area" is this value in the form
const ANY = 'any';

interface PolicyValues {
  requestType: SlaPolicy['requestType'];
  level: string;
  areaKind: string;
  clock: Clock;
  respondMinutes: number;
  resolveMinutes: number;
  warnPercent: number;
  waivesFee: boolean;
  note?: string;
}

const toValues = (p: SlaPolicy): PolicyValues => ({
  requestType: p.requestType,
  level: p.level ?? ANY,
  areaKind: p.areaKind ?? ANY,
  clock: p.clock,
  respondMinutes: p.respondMinutes,
  resolveMinutes: p.resolveMinutes,
  warnPercent: p.warnPercent,
  waivesFee: p.waivesFee,
  note: p.note ?? undefined,
});
const toBody = (v: PolicyValues) => ({
  requestType: v.requestType,
  level: v.level === ANY ? null : (v.level as SlaPolicy['level']),
  areaKind: v.areaKind === ANY ? null : (v.areaKind as SlaPolicy['areaKind']),
  clock: v.clock,
  respondMinutes: v.respondMinutes,
  resolveMinutes: v.resolveMinutes,
  warnPercent: v.warnPercent,
  waivesFee: v.waivesFee,
  note: v.note?.trim() || null,
});
const NEW_POLICY: Partial<PolicyValues> = { level: ANY, areaKind: ANY, clock: 'calendar', warnPercent: 80, waivesFee: false };

/** 服务时限策略: the response and resolution targets per request type, level and area; edited with services.sla, retired rather than deleted. */
export function PoliciesPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const manage = can('services.sla');
  const table = useRef<ActionType>(null);
  const editor = useEditor<SlaPolicy>();
  const reload = () => table.current?.reload();

  const load = useCallback(async (query: Record<string, unknown> & { offset: number; limit: number }) => {
    const active = query.active === 'true' || query.active === 'false' ? query.active : undefined;
    const requestType = REQUEST_TYPES.find((r) => r === query.requestType);
    return callList(api.GET('/api/services/sla/policies', { params: { query: { offset: query.offset, limit: query.limit, active, requestType } } }));
  }, []);
  const request = usePagedRequest<SlaPolicy>(load);

  const toggle = useActiveToggle<SlaPolicy>((p) => call(api.PATCH('/api/services/sla/policies/{id}', { params: { path: { id: p.id } }, body: { version: p.version, active: !p.active } })), reload);

  const columns: ProColumns<SlaPolicy>[] = [
    {
      title: t('sla.requestType'),
      dataIndex: 'requestType',
      valueType: 'select',
      valueEnum: valueEnumOf(REQUEST_TYPES, (r) => typeName(t, r)),
      hideInTable: true,
    },
    { title: t('sla.policy'), dataIndex: 'name', search: false, width: 190, render: (_, p) => <span {...tid(`policy-name-${p.id}`)}>{policyName(t, p)}</span> },
    { title: t('sla.respond'), dataIndex: 'respondMinutes', search: false, width: 130, render: (_, p) => formatTarget(t, p.respondMinutes, p.clock) },
    { title: t('sla.resolve'), dataIndex: 'resolveMinutes', search: false, width: 130, render: (_, p) => <span {...tid(`policy-resolve-${p.id}`)}>{formatTarget(t, p.resolveMinutes, p.clock)}</span> },
    {
      title: t('sla.clock'),
      dataIndex: 'clock',
      search: false,
      width: 110,
      render: (_, p) => (p.clock === 'business' ? <Tooltip title={t('sla.clock.hint')}>{t('sla.clock.business')}</Tooltip> : t('sla.clock.calendar')),
    },
    { title: t('sla.warnPercent'), dataIndex: 'warnPercent', search: false, width: 100, render: (_, p) => t('sla.warnPercentValue', { n: p.warnPercent }) },
    { title: t('sla.waivesFee'), dataIndex: 'waivesFee', search: false, width: 110, render: (_, p) => (p.waivesFee ? <Tag color="orange">{t('sla.waivesFee.yes')}</Tag> : '-') },
    activeColumn<SlaPolicy>(t, { names: { active: t('sla.active'), inactive: t('sla.inactive') }, width: 100 }),
    { title: t('sla.note'), dataIndex: 'note', search: false, width: 220, ellipsis: true, render: (_, p) => p.note ?? '-' },
    { title: t('sla.updatedAt'), dataIndex: 'updatedAt', search: false, width: 170, render: (_, p) => formatDateTime(p.updatedAt) },
    editToggleColumn<SlaPolicy>(t, {
      width: 130,
      hideInTable: !manage,
      testIds: { prefix: 'policy', key: (p) => String(p.id) },
      onEdit: editor.open,
      onToggle: toggle,
      off: { action: t('sla.policies.deactivate'), confirm: t('sla.policies.confirmDeactivate') },
      on: { action: t('sla.policies.activate'), confirm: t('sla.policies.confirmActivate') },
    }),
  ];

  const record = editor.record;
  return (
    <PageContainer title={t('sla.policies.title')} content={t('sla.policies.intro')} {...tid('sla-policies-page')}>
      <ProTable<SlaPolicy>
        {...tid('policies-table')}
        rowKey="id"
        actionRef={table}
        columns={columns}
        request={request}
        scroll={{ x: 1400 }}
        {...listTableProps(t, { defaultPageSize: 50 })}
        toolBarRender={createTool({ text: t('sla.policies.create'), testId: 'policy-create', onClick: () => editor.open(), allowed: manage })}
      />
      <EntityModalForm<PolicyValues>
        open={editor.isOpen}
        onClose={editor.close}
        testId="policy-form"
        width={640}
        title={record ? t('sla.policies.editTitle', { name: policyName(t, record) }) : t('sla.policies.create')}
        initialValues={record ? toValues(record) : NEW_POLICY}
        success={t('common.saved')}
        onConflict={reload}
        onSubmit={async (v) => {
          const body = toBody(v);
          if (record) {
            const changed = changedFields(toBody(toValues(record)), body);
            if (Object.keys(changed).length > 0) {
              await call(api.PATCH('/api/services/sla/policies/{id}', { params: { path: { id: record.id } }, body: { version: record.version, ...changed } }));
            }
          } else {
            await call(api.POST('/api/services/sla/policies', { body }));
          }
          reload();
        }}
      >
        <ProForm.Group>
          <ProFormSelect
            name="requestType"
            label={t('sla.requestType')}
            width="sm"
            allowClear={false}
            rules={[{ required: true, message: t('common.required') }]}
            options={REQUEST_TYPES.map((r) => ({ value: r, label: typeName(t, r) }))}
            fieldProps={tid('policy-form-type')}
          />
          <ProFormSelect
            name="level"
            label={t('sla.level')}
            width="sm"
            allowClear={false}
            options={[{ value: ANY, label: t('sla.anyLevel') }, ...LEVELS.map((l) => ({ value: l, label: levelName(t, l) }))]}
            fieldProps={tid('policy-form-level')}
          />
          <ProFormSelect
            name="areaKind"
            label={t('sla.areaKind')}
            width="xs"
            allowClear={false}
            options={[{ value: ANY, label: t('sla.anyArea') }, ...AREA_KINDS.map((a) => ({ value: a, label: areaName(t, a) }))]}
            fieldProps={tid('policy-form-area')}
          />
        </ProForm.Group>
        <ProFormRadio.Group
          name="clock"
          label={t('sla.clock')}
          tooltip={t('sla.clock.hint')}
          options={CLOCKS.map((c) => ({ value: c, label: t(`sla.clock.${c}` as MessageKey) }))}
          fieldProps={tid('policy-form-clock')}
        />
        <ProFormDependency name={['clock']}>{(values) => <TargetFields clock={values.clock as Clock} />}</ProFormDependency>
        <ProForm.Group>
          <ProFormDigit
            name="warnPercent"
            label={t('sla.warnPercent')}
            tooltip={t('sla.warnPercentHint')}
            width="xs"
            min={1}
            max={99}
            fieldProps={{ precision: 0, addonAfter: '%', ...tid('policy-form-warn') }}
            rules={[{ required: true, message: t('common.required') }]}
          />
          <ProFormSwitch name="waivesFee" label={t('sla.waivesFee')} fieldProps={tid('policy-form-waives')} />
        </ProForm.Group>
        <ProFormTextArea name="note" label={t('sla.note')} fieldProps={{ rows: 2, maxLength: 500, ...tid('policy-form-note') }} />
      </EntityModalForm>
    </PageContainer>
  );
}

/** The response and resolution targets, in the units of the clock chosen; the resolution no shorter than the response. */
function TargetFields({ clock }: { clock: Clock }) {
  const { t } = useI18n();
  return (
    <ProForm.Group>
      <ProForm.Item name="respondMinutes" label={t('sla.respond')} rules={[{ required: true, message: t('common.required') }]}>
        <DurationInput clock={clock} testId="policy-form-respond" />
      </ProForm.Item>
      <ProForm.Item
        name="resolveMinutes"
        label={t('sla.resolve')}
        dependencies={['respondMinutes']}
        rules={[
          { required: true, message: t('common.required') },
          ({ getFieldValue }: FormInstance) => ({
            validator: (_: unknown, value?: number) =>
              value === undefined || !(getFieldValue('respondMinutes') > value) ? Promise.resolve() : Promise.reject(new Error(t('sla.policies.resolveShorter'))),
          }),
        ]}
      >
        <DurationInput clock={clock} testId="policy-form-resolve" />
      </ProForm.Item>
    </ProForm.Group>
  );
}
