import { ProForm, ProFormSelect, ProFormText } from '@ant-design/pro-components';
import { App, Spin } from 'antd';
import { useEffect } from 'react';
import { api, call, type Locale, type User } from '../../api/client';
import { useFreshApi } from '../../api/swr';
import { changedFields } from '../../components/changes';
import { EntityModalForm, tid, type useEditor } from '../../components/EntityModalForm';
import { UnitTreeSelect } from '../../components/units';
import { reportError } from '../../components/useSubmit';
import { LOCALES, useI18n } from '../../i18n';

interface UserValues {
  username: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  unitId: number;
  roleIds: number[];
  locale: Locale;
  password: string;
}

type Editor = ReturnType<typeof useEditor<User>>;

/** Create (record undefined) or edit a user; the edit reads the detail first (full phone, fresh version). */
export function UserForm({ editor, roleOptions, onSaved }: { editor: Editor; roleOptions: { value: number; label: string }[]; onSaved: () => void }) {
  if (!editor.isOpen) return null;
  return <UserFormDialog key={editor.record?.id ?? 'new'} editor={editor} roleOptions={roleOptions} onSaved={onSaved} />;
}

function UserFormDialog({ editor, roleOptions, onSaved }: { editor: Editor; roleOptions: { value: number; label: string }[]; onSaved: () => void }) {
  const { t } = useI18n();
  const id = editor.record?.id;
  const detail = useFreshApi('/api/users/{id}', id === undefined ? null : { path: { id } });
  const { message } = App.useApp();
  const { close } = editor;
  useEffect(() => {
    // The read failed (user gone, out of scope): report it and close instead of spinning forever.
    if (detail.error) {
      reportError(detail.error, { message, t });
      close();
    }
  }, [detail.error, message, t, close]);
  if (id !== undefined && !detail.data) return detail.error ? null : <Spin fullscreen />;
  const user = detail.data;
  const initial: Partial<UserValues> = user
    ? { displayName: user.displayName, email: user.email, phone: user.phone, unitId: user.unitId, roleIds: user.roleIds, locale: user.locale }
    : { locale: 'zh-CN', roleIds: [] };
  const required = [{ required: true, message: t('common.required') }];

  return (
    <EntityModalForm<UserValues>
      open
      testId="user-form"
      title={user ? `${t('users.edit')} · ${user.username}` : t('users.create')}
      onClose={editor.close}
      initialValues={initial}
      success={user ? t('common.saved') : t('users.created')}
      onConflict={() => void detail.mutate()}
      onSubmit={async (values) => {
        if (user) {
          const changes = changedFields(initial, values);
          await call(api.PATCH('/api/users/{id}', { params: { path: { id: user.id } }, body: { version: user.version, ...changes } }));
        } else {
          await call(
            api.POST('/api/users', {
              body: {
                username: values.username,
                displayName: values.displayName,
                email: values.email || undefined,
                phone: values.phone || undefined,
                unitId: values.unitId,
                roleIds: values.roleIds ?? [],
                password: values.password,
                locale: values.locale,
              },
            }),
          );
        }
        onSaved();
      }}
    >
      {!user && <ProFormText name="username" label={t('users.username')} rules={required} fieldProps={tid('user-form-username')} />}
      <ProFormText name="displayName" label={t('users.displayName')} rules={required} fieldProps={tid('user-form-displayName')} />
      <ProForm.Group>
        <ProFormText name="email" label={t('users.email')} width="md" fieldProps={tid('user-form-email')} />
        <ProFormText name="phone" label={t('users.phone')} width="sm" fieldProps={tid('user-form-phone')} />
      </ProForm.Group>
      <ProForm.Item name="unitId" label={t('users.unit')} rules={required}>
        <UnitTreeSelect {...tid('user-form-unit')} style={{ width: '100%' }} />
      </ProForm.Item>
      <ProFormSelect
        name="roleIds"
        label={t('users.roles')}
        mode="multiple"
        options={roleOptions}
        fieldProps={{ ...tid('user-form-roles'), optionFilterProp: 'label' }}
      />
      <ProFormSelect
        name="locale"
        label={t('users.locale')}
        allowClear={false}
        options={LOCALES.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
      />
      {!user && (
        <ProFormText.Password
          name="password"
          label={t('users.initialPassword')}
          extra={t('users.initialPasswordHint')}
          rules={required}
          fieldProps={{ ...tid('user-form-password'), autoComplete: 'new-password' }}
        />
      )}
    </EntityModalForm>
  );
}

/** An administrator sets a new password; the user must change it at the next sign-in. */
export function ResetPasswordForm({ editor }: { editor: Editor }) {
  const { t } = useI18n();
  const user = editor.record;
  return (
    <EntityModalForm<{ newPassword: string }>
      open={editor.isOpen && !!user}
      testId="reset-password-form"
      width={420}
      title={`${t('users.resetPassword')} · ${user?.username ?? ''}`}
      onClose={editor.close}
      success={t('users.passwordReset')}
      onSubmit={(v) => call(api.POST('/api/users/{id}/password', { params: { path: { id: user!.id } }, body: { newPassword: v.newPassword } }))}
    >
      <ProFormText.Password
        name="newPassword"
        label={t('me.newPassword')}
        rules={[{ required: true, message: t('common.required') }]}
        fieldProps={{ ...tid('reset-password-new'), autoComplete: 'new-password' }}
      />
    </EntityModalForm>
  );
}
