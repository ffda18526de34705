import { ProFormDatePicker, ProFormDependency, ProFormRadio, ProFormSelect, ProFormText, ProFormTextArea, ProForm } from '@ant-design/pro-components';
import { Alert, Button, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, call, type Schemas } from '../../../api/client';
import type { paths } from '../../../api/schema';
import { useApi } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { EntityModalForm, tid } from '../../../components/EntityModalForm';
import { UnitTreeSelect } from '../../../components/units';
import { useAction } from '../../../components/useSubmit';
import { localUnit, useI18n } from '../../../i18n';
import { TARGET_KINDS, type TargetKind, type TaskDetail } from './common';

type TargetBody = paths['/api/managers/tasks/preview']['post']['requestBody']['content']['application/json']['target'];
type FilterBody = Extract<TargetBody, { kind: 'filter' }>['filter'];
type Values = {
  title: string;
  description?: string;
  expectedOutcome?: string;
  dueOn: string;
  targetKind: TargetKind;
  managerId?: number;
  unitId?: number;
  segmentId?: number;
  industry?: string;
  kind?: 'group' | 'individual';
  level?: string[];
  archive?: 'in_network' | 'retained';
  brand?: string;
  filterUnitId?: number;
  arrears?: 'yes' | 'no';
};

const INDUSTRIES = 'ABCDEFGHIJKLMNOPQRST'.split('');
const LEVELS = ['unrated', '1', '2', '3', '4', '5s', '5g', '5d'] as const;
const TARGET_FIELDS = ['targetKind', 'managerId', 'unitId', 'segmentId', 'industry', 'kind', 'level', 'archive', 'brand', 'filterUnitId', 'arrears'];

const previewOf = (target: TargetBody) => call(api.POST('/api/managers/tasks/preview', { body: { target } }));

/** The target of the form's values, or null while it is incomplete. */
function targetOf(v: Partial<Values>): TargetBody | null {
  switch (v.targetKind) {
    case 'manager':
      return v.managerId ? { kind: 'manager' as const, managerId: v.managerId } : null;
    case 'team':
      return v.unitId ? { kind: 'team' as const, unitId: v.unitId } : null;
    case 'segment':
      return v.segmentId ? { kind: 'segment' as const, segmentId: v.segmentId } : null;
    case 'filter': {
      const filter = {
        ...(v.industry && { industry: v.industry }),
        ...(v.kind && { kind: v.kind }),
        ...(v.level?.length && { level: v.level.join(',') }),
        ...(v.archive && { archive: v.archive }),
        ...(v.brand && { brand: v.brand }),
        ...(v.filterUnitId && { unitId: v.filterUnitId }),
        ...(v.arrears && { arrears: v.arrears }),
      };
      return { kind: 'filter' as const, filter: filter as FilterBody };
    }
    default:
      return null;
  }
}

/** 预览: how many managers the target reaches, and who. */
function Preview({ values }: { values: Partial<Values> }) {
  const { t } = useI18n();
  const act = useAction();
  const [shown, setShown] = useState<{ key: string; preview: Schemas['ManagerTaskPreview'] } | null>(null);
  const target = targetOf(values);
  const key = JSON.stringify(target);
  const preview = shown?.key === key ? shown.preview : null;
  return (
    <Space direction="vertical" style={{ width: '100%', marginBottom: 16 }}>
      <Button disabled={!target} onClick={() => act(async () => setShown({ key, preview: await previewOf(target!) }), {})} {...tid('task-preview')}>
        {t('tasks.preview')}
      </Button>
      {preview && (
        <Alert
          type={preview.count ? 'info' : 'warning'}
          {...tid('task-preview-result')}
          data-count={preview.count}
          message={preview.count ? t('tasks.previewCount', { count: preview.count }) : t('tasks.previewEmpty')}
          description={
            preview.count ? (
              <Typography.Text type="secondary">
                {preview.managers
                  .slice(0, 12)
                  .map((m) => `${m.displayName}（${m.unitName}）`)
                  .join('、')}
                {preview.count > 12 ? ` ${t('tasks.previewMore', { count: preview.count })}` : ''}
              </Typography.Text>
            ) : undefined
          }
        />
      )}
    </Space>
  );
}

/** 下达任务: title, what is expected, the due day and whom it is for (a manager, a team, a customer filter or a saved one), with a preview. */
export function CreateTaskForm({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (task: TaskDetail) => void }) {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const assignees = useApi('/api/managers/tasks/assignees', open ? {} : null);
  const segments = useApi('/api/customer-filters', open ? {} : null);
  return (
    <EntityModalForm<Values>
      open={open}
      onClose={onClose}
      title={t('tasks.createTitle')}
      testId="task-create-form"
      width={680}
      initialValues={{ targetKind: 'team', unitId: me?.unitId, dueOn: dayjs().add(7, 'day').format('YYYY-MM-DD') }}
      onSubmit={async (v) => {
        const target = targetOf(v);
        const task = await call(
          api.POST('/api/managers/tasks', {
            body: { title: v.title, description: v.description || null, expectedOutcome: v.expectedOutcome || null, dueOn: dayjs(v.dueOn).format('YYYY-MM-DD'), target: target! },
          }),
        );
        onCreated(task);
      }}
      success={t('tasks.created')}
    >
      <ProFormText name="title" label={t('tasks.title')} rules={[{ required: true, max: 200 }]} fieldProps={tid('task-title')} />
      <ProFormTextArea name="description" label={t('tasks.description')} fieldProps={{ rows: 3, maxLength: 5000, ...tid('task-description') }} />
      <ProFormTextArea name="expectedOutcome" label={t('tasks.expectedOutcome')} fieldProps={{ rows: 2, maxLength: 2000, ...tid('task-expected') }} />
      <ProFormDatePicker
        name="dueOn"
        label={t('tasks.dueOn')}
        rules={[{ required: true }]}
        fieldProps={{ disabledDate: (d: dayjs.Dayjs) => d.isBefore(dayjs(), 'day'), ...tid('task-due') }}
      />
      <ProFormRadio.Group
        name="targetKind"
        label={t('tasks.targetKind')}
        radioType="button"
        options={TARGET_KINDS.map((k) => ({ value: k, label: t(`tasks.targetKind.${k}`) }))}
        fieldProps={tid('task-target-kind')}
      />
      <ProFormDependency name={['targetKind']}>
        {({ targetKind }: Partial<Values>) => (
          <>
            {targetKind === 'manager' && (
              <ProFormSelect
                name="managerId"
                label={t('tasks.manager')}
                rules={[{ required: true }]}
                showSearch
                options={(assignees.data ?? []).map((m) => ({ value: m.id, label: `${m.displayName} · ${localUnit(locale, m)}` }))}
                fieldProps={tid('task-manager')}
              />
            )}
            {targetKind === 'team' && (
              <ProForm.Item name="unitId" label={t('tasks.team')} rules={[{ required: true }]}>
                <UnitTreeSelect data-testid="task-team" style={{ width: '100%' }} />
              </ProForm.Item>
            )}
            {targetKind === 'segment' && (
              <ProFormSelect
                name="segmentId"
                label={t('tasks.segment')}
                rules={[{ required: true }]}
                options={(segments.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
                fieldProps={tid('task-segment')}
              />
            )}
            {targetKind === 'filter' && (
              <Space wrap align="start">
                <ProFormSelect name="industry" label={t('tasks.filter.industry')} width="sm" options={INDUSTRIES.map((k) => ({ value: k, label: t(`customers.industry.${k}` as never) }))} fieldProps={tid('task-filter-industry')} />
                <ProFormSelect name="kind" label={t('tasks.filter.kind')} width="xs" options={(['group', 'individual'] as const).map((k) => ({ value: k, label: t(`customers.kind.${k}`) }))} />
                <ProFormSelect name="level" label={t('tasks.filter.level')} width="sm" mode="multiple" options={LEVELS.map((k) => ({ value: k, label: t(`rules.level.${k}` as never) }))} fieldProps={tid('task-filter-level')} />
                <ProFormSelect name="archive" label={t('tasks.filter.archive')} width="xs" options={(['in_network', 'retained'] as const).map((k) => ({ value: k, label: t(`customers.archive.${k}`) }))} />
                <ProFormSelect name="brand" label={t('tasks.filter.brand')} width="xs" options={(['gotone', 'mzone', 'easyown'] as const).map((k) => ({ value: k, label: t(`customers.brand.${k}`) }))} />
                <ProFormSelect name="arrears" label={t('tasks.filter.arrears')} width="xs" options={(['yes', 'no'] as const).map((k) => ({ value: k, label: t(`tasks.filter.arrears.${k}`) }))} />
                <ProForm.Item name="filterUnitId" label={t('tasks.filter.unit')}>
                  <UnitTreeSelect forCustomers style={{ width: 200 }} />
                </ProForm.Item>
              </Space>
            )}
          </>
        )}
      </ProFormDependency>
      <ProFormDependency name={TARGET_FIELDS}>{(values: Partial<Values>) => <Preview values={values} />}</ProFormDependency>
    </EntityModalForm>
  );
}
