import { PageContainer, ProCard, ProForm, ProFormSelect, ProFormText } from '@ant-design/pro-components';
import { Descriptions, Form } from 'antd';
import { api, call, type Locale } from '../../api/client';
import { useSession } from '../../app/session';
import { changedFields } from '../../components/changes';
import { useSubmit } from '../../components/useSubmit';
import { tid } from '../../components/EntityModalForm';
import { LOCALES, localUnit, useI18n } from '../../i18n';
import { PasswordForm } from './PasswordForm';

interface ProfileValues {
  displayName: string;
  email: string | null;
  phone: string | null;
  locale: Locale;
}

export function ProfilePage() {
  const { t, locale } = useI18n();
  const { me, setMe, refresh } = useSession();
  const [form] = Form.useForm<ProfileValues>();
  const submit = useSubmit();
  if (!me) return null;
  const initial: ProfileValues = { displayName: me.displayName, email: me.email, phone: me.phone, locale: me.locale };

  return (
    <PageContainer title={t('me.profile')}>
      <ProCard direction="column" gutter={[0, 16]}>
        <ProCard title={t('me.profile')} bordered>
          <Descriptions column={2} size="small" style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('me.username')}>{me.username}</Descriptions.Item>
            <Descriptions.Item label={t('me.unit')}>{localUnit(locale, me)}</Descriptions.Item>
          </Descriptions>
          <ProForm<ProfileValues>
            key={me.version}
            form={form}
            initialValues={initial}
            style={{ maxWidth: 420 }}
            submitter={{ searchConfig: { submitText: t('common.save') }, resetButtonProps: false, submitButtonProps: tid('profile-save') }}
            onFinish={(values) =>
              submit(
                form,
                async () => {
                  // The phone arrives masked: it is sent only when the user typed a new one.
                  const changes = changedFields(initial, values);
                  setMe(await call(api.PATCH('/api/me', { body: { version: me.version, ...changes } })));
                },
                { success: t('common.saved'), onConflict: () => void refresh() },
              )
            }
          >
            <ProFormText name="displayName" label={t('me.displayName')} rules={[{ required: true, message: t('common.required') }]} />
            <ProFormText name="email" label={t('me.email')} />
            <ProFormText name="phone" label={t('me.phone')} />
            <ProFormSelect
              name="locale"
              label={t('me.locale')}
              allowClear={false}
              options={LOCALES.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
            />
          </ProForm>
        </ProCard>
        <ProCard title={t('me.changePassword')} bordered>
          <PasswordForm />
        </ProCard>
      </ProCard>
    </PageContainer>
  );
}
