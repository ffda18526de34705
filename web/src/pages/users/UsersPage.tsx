import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Popconfirm, Space, Tag, Typography } from 'antd';
import { useCallback, useRef } from 'react';
import { api, call, callList, type User } from '../../api/client';
import { useSession } from '../../app/session';
import { tid, useEditor } from '../../components/EntityModalForm';
import { formatDateTime } from '../../components/format';
import { createTool, listTableProps, useActiveToggle } from '../../components/listTable';
import { usePagedRequest } from '../../components/pagedRequest';
import { useRoles } from '../../components/roles';
import { UnitTreeSelect } from '../../components/units';
import { useAction } from '../../components/useSubmit';
import { localUnit, useI18n } from '../../i18n';
import { ResetPasswordForm, UserForm } from './UserForm';

export function UsersPage() {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const manage = can('users.manage');
  const roles = useRoles();
  const table = useRef<ActionType>(null);
  const editor = useEditor<User>();
  const resetter = useEditor<User>();
  const act = useAction();
  const reload = () => table.current?.reload();

  const load = useCallback(
    (query: Record<string, unknown> & { offset: number; limit: number }) =>
      callList(api.GET('/api/users', { params: { query: query as never } })),
    [],
  );
  const request = usePagedRequest<User>(load);
  const toggle = useActiveToggle<User>((u) => call(api.PATCH('/api/users/{id}', { params: { path: { id: u.id } }, body: { version: u.version, active: !u.active } })), reload);

  const roleLabel = (user: User, i: number) => {
    const role = roles.roles.find((r) => r.id === user.roleIds[i]);
    return role ? roles.label(role) : '-';
  };

  const columns: ProColumns<User>[] = [
    { title: t('common.keyword'), dataIndex: 'q', hideInTable: true, fieldProps: tid('users-search-q') },
    { title: t('users.username'), dataIndex: 'username', search: false, copyable: true },
    { title: t('users.displayName'), dataIndex: 'displayName', search: false },
    {
      title: t('users.unit'),
      dataIndex: 'unitId',
      render: (_, u) => localUnit(locale, u),
      renderFormItem: () => <UnitTreeSelect {...tid('users-search-unit')} />,
    },
    {
      title: t('users.roles'),
      dataIndex: 'roleId',
      valueType: 'select',
      fieldProps: { options: roles.options, showSearch: true, optionFilterProp: 'label' },
      render: (_, u) => (
        <Space size={[0, 4]} wrap>
          {u.roleIds.map((id, i) => (
            <Tag key={id}>{roleLabel(u, i)}</Tag>
          ))}
        </Space>
      ),
    },
    { title: t('users.phone'), dataIndex: 'phone', search: false },
    {
      title: t('common.status'),
      dataIndex: 'active',
      valueType: 'select',
      valueEnum: { true: { text: t('common.active') }, false: { text: t('common.inactive') } },
      render: (_, u) => (
        <Space size={4}>
          <Tag color={u.active ? 'green' : 'default'}>{u.active ? t('common.active') : t('common.inactive')}</Tag>
          {u.locked && <Tag color="red">{t('users.locked')}</Tag>}
        </Space>
      ),
    },
    { title: t('users.lastLogin'), dataIndex: 'lastLoginAt', search: false, render: (_, u) => formatDateTime(u.lastLoginAt) },
    {
      title: t('common.actions'),
      valueType: 'option',
      hideInTable: !manage,
      render: (_, u) => [
        <Typography.Link key="edit" onClick={() => editor.open(u)} {...tid(`user-edit-${u.username}`)}>
          {t('common.edit')}
        </Typography.Link>,
        u.locked && (
          <Typography.Link
            key="unlock"
            {...tid(`user-unlock-${u.username}`)}
            onClick={() => act(() => call(api.POST('/api/users/{id}/unlock', { params: { path: { id: u.id } } })).then(reload), { success: t('users.unlocked') })}
          >
            {t('users.unlock')}
          </Typography.Link>
        ),
        <Typography.Link key="reset" onClick={() => resetter.open(u)} {...tid(`user-reset-${u.username}`)}>
          {t('users.resetPassword')}
        </Typography.Link>,
        <Popconfirm
          key="sessions"
          title={t('users.confirmEndSessions')}
          onConfirm={() => act(() => call(api.DELETE('/api/users/{id}/sessions', { params: { path: { id: u.id } } })), { success: t('users.sessionsEnded') })}
        >
          <Typography.Link {...tid(`user-end-sessions-${u.username}`)}>{t('users.endSessions')}</Typography.Link>
        </Popconfirm>,
        <Popconfirm
          key="active"
          title={u.active ? t('users.confirmDeactivate') : t('users.activate')}
          onConfirm={() => toggle(u)}
        >
          <Typography.Link type={u.active ? 'danger' : undefined} {...tid(`user-toggle-${u.username}`)}>
            {u.active ? t('users.deactivate') : t('users.activate')}
          </Typography.Link>
        </Popconfirm>,
      ],
    },
  ];

  return (
    <PageContainer title={t('users.title')}>
      <ProTable<User>
        rowKey="id"
        actionRef={table}
        columns={columns}
        request={request}
        // this list pages with a size changer and without the total
        {...listTableProps(t, { showSizeChanger: true, showTotal: undefined })}
        toolBarRender={createTool({ text: t('users.create'), testId: 'user-create', onClick: () => editor.open(), allowed: manage })}
      />
      <UserForm editor={editor} roleOptions={roles.options} onSaved={reload} />
      <ResetPasswordForm editor={resetter} />
    </PageContainer>
  );
}
