import { ProForm, ProFormSelect, ProFormSwitch, ProFormText } from '@ant-design/pro-components';
import { Button, Descriptions, Divider, Form, Popconfirm, Space, Tooltip, TreeSelect } from 'antd';
import { useMemo } from 'react';
import { api, call, type OrgUnit } from '../../api/client';
import { changedFields } from '../../components/changes';
import { EntityModalForm, tid, useEditor } from '../../components/EntityModalForm';
import { buildUnitTree } from '../../components/units';
import { useAction, useSubmit } from '../../components/useSubmit';
import { localName, useI18n } from '../../i18n';
import { deeperKinds, subtreeIds, type UnitKind } from './kinds';

interface Props {
  unit: OrgUnit;
  units: OrgUnit[];
  canManage: boolean;
  /** Reload the tree; `select` (when given) is the unit to select afterwards (null: none). */
  onChanged: (select?: number | null) => Promise<void>;
}

interface EditValues {
  name: string;
  nameEn: string | null;
  active: boolean;
}

export function UnitPanel({ unit, units, canManage, onChanged }: Props) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<EditValues>();
  const submit = useSubmit();
  const act = useAction();
  const creator = useEditor<OrgUnit>();
  const mover = useEditor<OrgUnit>();
  const parent = units.find((u) => u.id === unit.parentId);
  // the unit and its ancestors in scope, from the top: where it sits, by name (not its path of ids)
  const trail = useMemo(() => {
    const byId = new Map(units.map((u) => [u.id, u]));
    const out: OrgUnit[] = [];
    for (let u: OrgUnit | undefined = unit; u; u = u.parentId === null ? undefined : byId.get(u.parentId)) out.unshift(u);
    return out;
  }, [units, unit]);
  const childKinds = deeperKinds(unit.kind);
  const deletable = unit.userCount === 0 && !units.some((u) => u.parentId === unit.id);
  const reloadOnConflict = () => void onChanged();
  const path = { params: { path: { id: unit.id } } };

  const moveTargets = useMemo(() => {
    const excluded = subtreeIds(units, unit.id);
    return buildUnitTree(
      units.filter((u) => !excluded.has(u.id) && deeperKinds(u.kind).includes(unit.kind)),
      (u) => localName(locale, u),
    );
  }, [units, unit, locale]);

  const initial: EditValues = { name: unit.name, nameEn: unit.nameEn, active: unit.active };
  const patch = (body: Partial<EditValues> & { parentId?: number }) =>
    call(api.PATCH('/api/org/units/{id}', { ...path, body: { version: unit.version, ...body } }));

  return (
    <div {...tid('org-unit-panel')}>
      <Descriptions column={2} size="small" bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('org.code')}>{unit.code}</Descriptions.Item>
        <Descriptions.Item label={t('org.kind')}>{t(`org.kind.${unit.kind}`)}</Descriptions.Item>
        <Descriptions.Item label={t('org.parent')}>{parent ? localName(locale, parent) : '-'}</Descriptions.Item>
        <Descriptions.Item label={t('org.userCount')}>{unit.userCount}</Descriptions.Item>
        <Descriptions.Item label={t('org.path')} span={2}>
          {trail.map((u) => localName(locale, u)).join(' / ')}
        </Descriptions.Item>
      </Descriptions>

      <ProForm<EditValues>
        form={form}
        initialValues={initial}
        readonly={!canManage}
        layout="horizontal"
        labelCol={{ span: 5 }}
        style={{ maxWidth: 520 }}
        submitter={canManage ? { searchConfig: { submitText: t('common.save') }, resetButtonProps: false, submitButtonProps: tid('org-save') } : false}
        onFinish={(v) =>
          submit(
            form,
            async () => {
              await patch(changedFields(initial, v));
              await onChanged();
            },
            { success: t('common.saved'), onConflict: reloadOnConflict },
          )
        }
      >
        <ProFormText name="name" label={t('org.name')} rules={[{ required: true, message: t('common.required') }]} fieldProps={tid('org-name')} />
        <ProFormText name="nameEn" label={t('org.nameEn')} fieldProps={tid('org-nameEn')} />
        <ProFormSwitch name="active" label={t('common.active')} fieldProps={tid('org-active')} />
      </ProForm>

      {canManage && (
        <>
          <Divider />
          <Space wrap>
            <Button type="primary" ghost disabled={childKinds.length === 0} onClick={() => creator.open(unit)} {...tid('org-create-child')}>
              {t('org.createChild')}
            </Button>
            <Button disabled={unit.parentId === null} onClick={() => mover.open(unit)} {...tid('org-move')}>
              {t('org.move')}
            </Button>
            <Button
              {...tid('org-toggle-active')}
              onClick={() =>
                act(() => patch({ active: !unit.active }).then(() => onChanged()), { success: t('common.saved'), onConflict: reloadOnConflict })
              }
            >
              {unit.active ? t('org.deactivate') : t('org.activate')}
            </Button>
            <Popconfirm
              title={t('common.confirmDelete')}
              onConfirm={() =>
                act(() => call(api.DELETE('/api/org/units/{id}', path)).then(() => onChanged(unit.parentId)), { success: t('common.deleted') })
              }
            >
              <Tooltip title={deletable ? undefined : t('org.deleteEmptyOnly')}>
                <Button danger disabled={!deletable} {...tid('org-delete')}>
                  {t('common.delete')}
                </Button>
              </Tooltip>
            </Popconfirm>
          </Space>
        </>
      )}

      <EntityModalForm<{ code: string; name: string; nameEn: string | null; kind: UnitKind }>
        open={creator.isOpen}
        testId="org-create-form"
        title={`${t('org.createChild')} · ${localName(locale, unit)}`}
        onClose={creator.close}
        initialValues={{ kind: childKinds[0] }}
        success={t('common.saved')}
        onSubmit={async (v) => {
          const created = await call(
            api.POST('/api/org/units', { body: { code: v.code, name: v.name, nameEn: v.nameEn || undefined, kind: v.kind, parentId: unit.id } }),
          );
          await onChanged(created.id);
        }}
      >
        <ProFormText name="code" label={t('org.code')} rules={[{ required: true, message: t('common.required') }]} fieldProps={tid('org-create-code')} />
        <ProFormText name="name" label={t('org.name')} rules={[{ required: true, message: t('common.required') }]} fieldProps={tid('org-create-name')} />
        <ProFormText name="nameEn" label={t('org.nameEn')} />
        <ProFormSelect
          name="kind"
          label={t('org.kind')}
          allowClear={false}
          rules={[{ required: true, message: t('common.required') }]}
          options={childKinds.map((k) => ({ value: k, label: t(`org.kind.${k}`) }))}
        />
      </EntityModalForm>

      <EntityModalForm<{ parentId: number }>
        open={mover.isOpen}
        testId="org-move-form"
        width={480}
        title={`${t('org.move')} · ${localName(locale, unit)}`}
        onClose={mover.close}
        initialValues={{ parentId: unit.parentId ?? undefined }}
        success={t('common.saved')}
        onConflict={reloadOnConflict}
        onSubmit={async (v) => {
          await patch({ parentId: v.parentId });
          await onChanged();
        }}
      >
        <ProForm.Item name="parentId" label={t('org.moveTo')} rules={[{ required: true, message: t('common.required') }]}>
          <TreeSelect<number> showSearch treeNodeFilterProp="title" treeData={moveTargets} treeDefaultExpandAll={false} {...tid('org-move-parent')} />
        </ProForm.Item>
      </EntityModalForm>
    </div>
  );
}
