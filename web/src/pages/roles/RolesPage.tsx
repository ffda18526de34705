import { PlusOutlined } from '@ant-design/icons';
import { PageContainer, ProForm, ProFormCheckbox, ProFormText, ProFormTextArea, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Alert, Button, Popconfirm, Space, Tag, Typography } from 'antd';
import { useRef } from 'react';
import { api, call, type Role } from '../../api/client';
import { useSession } from '../../app/session';
import { changedFields } from '../../components/changes';
import { EntityModalForm, tid, useEditor } from '../../components/EntityModalForm';
import { usePermissions } from '../../components/roles';
import { UnitTreeSelect } from '../../components/units';
import { useAction } from '../../components/useSubmit';
import { localName, useI18n } from '../../i18n';

interface RoleValues {
  code: string;
  name: string;
  nameEn: string | null;
  description: string | null;
  permissions: string[];
  unitId?: number;
}

export function RolesPage() {
  const { t, locale } = useI18n();
  const { can, me } = useSession();
  const manage = can('roles.manage');
  // the server's rule, to offer only what it allows: a custom role with its unit in one's scope; a
  // built-in (global) one only at the organisation's root
  const myPath = me?.unitPath ?? '';
  const mayChange = (r: Role) => (r.unitPath ? r.unitPath.startsWith(myPath) : myPath.split('/').filter(Boolean).length <= 1);
  const permissions = usePermissions();
  const table = useRef<ActionType>(null);
  const editor = useEditor<Role>();
  const act = useAction();
  const reload = () => table.current?.reload();

  const columns: ProColumns<Role>[] = [
    // a role by its name; its code (what the API takes) only in the form that creates it
    { title: t('roles.name'), dataIndex: 'name', width: 200, render: (_, r) => localName(locale, r) },
    {
      title: t('roles.permissions'),
      dataIndex: 'permissions',
      render: (_, r) => (
        <Space size={[0, 4]} wrap>
          {r.permissions.map((p) => (
            <Tag color="blue" key={p}>
              {permissions.label(p)}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('roles.userCount'), dataIndex: 'userCount', width: 90, align: 'right' },
    { title: t('roles.unit'), dataIndex: 'unitName', width: 160, render: (_, r) => r.unitName ?? t('roles.global') },
    {
      title: t('roles.type'),
      dataIndex: 'builtin',
      width: 100,
      render: (_, r) => (r.builtin ? <Tag color="gold">{t('roles.builtin')}</Tag> : <Tag>{t('roles.custom')}</Tag>),
    },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 140,
      hideInTable: !manage,
      render: (_, r) => [
        mayChange(r) && (
          <Typography.Link key="edit" onClick={() => editor.open(r)} {...tid(`role-edit-${r.code}`)}>
            {t('common.edit')}
          </Typography.Link>
        ),
        !r.builtin && mayChange(r) && (
          <Popconfirm
            key="delete"
            title={t('common.confirmDelete')}
            onConfirm={() => act(() => call(api.DELETE('/api/roles/{id}', { params: { path: { id: r.id } } })).then(reload), { success: t('common.deleted') })}
          >
            <Typography.Link type="danger" {...tid(`role-delete-${r.code}`)}>
              {t('common.delete')}
            </Typography.Link>
          </Popconfirm>
        ),
      ],
    },
  ];

  const role = editor.record;
  const initial: Partial<RoleValues> = role
    ? { name: role.name, nameEn: role.nameEn, description: role.description, permissions: role.permissions }
    : { permissions: [] };

  return (
    <PageContainer title={t('roles.title')}>
      <ProTable<Role>
        rowKey="id"
        actionRef={table}
        columns={columns}
        search={false}
        pagination={false}
        options={{ reload: true, density: false, setting: false }}
        request={async () => ({ data: await call(api.GET('/api/roles')), success: true })}
        toolBarRender={() =>
          manage
            ? [
                <Button key="create" type="primary" icon={<PlusOutlined />} onClick={() => editor.open()} {...tid('role-create')}>
                  {t('roles.create')}
                </Button>,
              ]
            : []
        }
      />
      <EntityModalForm<RoleValues>
        key={role?.id ?? 'new'}
        open={editor.isOpen}
        testId="role-form"
        title={role ? `${t('roles.edit')} · ${localName(locale, role)}` : t('roles.create')}
        onClose={editor.close}
        initialValues={initial}
        success={t('common.saved')}
        onConflict={reload}
        onSubmit={async (v) => {
          if (role) {
            const { permissions: perms, ...rest } = changedFields(initial, v);
            const body = { version: role.version, ...rest, ...(role.builtin || !perms ? {} : { permissions: perms }) };
            await call(api.PATCH('/api/roles/{id}', { params: { path: { id: role.id } }, body }));
          } else {
            await call(
              api.POST('/api/roles', {
                body: {
                  code: v.code,
                  name: v.name,
                  nameEn: v.nameEn || undefined,
                  description: v.description || undefined,
                  permissions: v.permissions ?? [],
                  unitId: v.unitId,
                },
              }),
            );
          }
          reload();
        }}
      >
        {!role && <ProFormText name="code" label={t('roles.code')} rules={[{ required: true, message: t('common.required') }]} fieldProps={tid('role-form-code')} />}
        <ProFormText name="name" label={t('roles.name')} rules={[{ required: true, message: t('common.required') }]} fieldProps={tid('role-form-name')} />
        <ProFormText name="nameEn" label={t('roles.nameEn')} />
        <ProFormTextArea name="description" label={t('roles.description')} fieldProps={{ rows: 2 }} />
        {!role && (
          <ProForm.Item name="unitId" label={t('roles.unit')} extra={t('roles.unitHint')}>
            <UnitTreeSelect {...tid('role-form-unit')} style={{ width: '100%' }} />
          </ProForm.Item>
        )}
        {role?.builtin && <Alert type="info" showIcon message={t('roles.builtinReadOnly')} style={{ marginBottom: 12 }} />}
        <ProFormCheckbox.Group
          name="permissions"
          label={t('roles.permissions')}
          layout="vertical"
          disabled={role?.builtin}
          options={permissions.permissions.map((p) => ({ value: p.code, label: permissions.label(p.code) }))}
        />
      </EntityModalForm>
    </PageContainer>
  );
}
