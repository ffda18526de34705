import { PlusOutlined } from '@ant-design/icons';
import { PageContainer, ProFormCheckbox, ProFormText, ProFormTextArea, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Alert, Button, Popconfirm, Space, Tag, Typography } from 'antd';
import { useRef } from 'react';
import { api, call, type Role } from '../../api/client';
import { useSession } from '../../app/session';
import { changedFields } from '../../components/changes';
import { EntityModalForm, tid, useEditor } from '../../components/EntityModalForm';
import { usePermissions } from '../../components/roles';
import { useAction } from '../../components/useSubmit';
import { localName, useI18n } from '../../i18n';

interface RoleValues {
  code: string;
  name: string;
  nameEn: string | null;
  description: string | null;
  permissions: string[];
}

export function RolesPage() {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const manage = can('roles.manage');
  const permissions = usePermissions();
  const table = useRef<ActionType>(null);
  const editor = useEditor<Role>();
  const act = useAction();
  const reload = () => table.current?.reload();

  const columns: ProColumns<Role>[] = [
    { title: t('roles.code'), dataIndex: 'code', width: 160 },
    { title: t('roles.name'), dataIndex: 'name', render: (_, r) => localName(locale, r) },
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
        <Typography.Link key="edit" onClick={() => editor.open(r)} {...tid(`role-edit-${r.code}`)}>
          {t('common.edit')}
        </Typography.Link>,
        !r.builtin && (
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
        title={role ? `${t('roles.edit')} · ${role.code}` : t('roles.create')}
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
                body: { code: v.code, name: v.name, nameEn: v.nameEn || undefined, description: v.description || undefined, permissions: v.permissions ?? [] },
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
        {role?.builtin && <Alert type="info" showIcon message={t('roles.builtinReadOnly')} style={{ marginBottom: 12 }} />}
        <ProFormCheckbox.Group
          name="permissions"
          label={t('roles.permissions')}
          layout="vertical"
          disabled={role?.builtin}
          options={permissions.permissions.map((p) => ({ value: p.code, label: `${permissions.label(p.code)} (${p.code})` }))}
        />
      </EntityModalForm>
    </PageContainer>
  );
}
