import { Alert, Button, Form, Input } from 'antd';
import { api, call } from '../../api/client';
import { useSubmit } from '../../components/useSubmit';
import { useI18n } from '../../i18n';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Changes one's own password; the server's policy errors land on the fields. */
export function PasswordForm({ onChanged }: { onChanged?: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const submit = useSubmit();
  const required = [{ required: true, message: t('common.required') }];

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      style={{ maxWidth: 420 }}
      onFinish={async (v) => {
        const ok = await submit(
          form,
          () => call(api.POST('/api/me/password', { body: { currentPassword: v.currentPassword, newPassword: v.newPassword } })),
          { success: t('me.passwordChanged') },
        );
        if (ok) {
          form.resetFields();
          onChanged?.();
        }
      }}
    >
      <Alert type="info" showIcon message={t('me.passwordHint')} style={{ marginBottom: 16 }} />
      <Form.Item name="currentPassword" label={t('me.currentPassword')} rules={required}>
        <Input.Password autoComplete="current-password" data-testid="pwd-current" />
      </Form.Item>
      <Form.Item name="newPassword" label={t('me.newPassword')} rules={required}>
        <Input.Password autoComplete="new-password" data-testid="pwd-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('me.confirmPassword')}
        dependencies={['newPassword']}
        rules={[
          ...required,
          ({ getFieldValue }) => ({
            validator: (_, value) =>
              !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('me.passwordMismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="pwd-confirm" />
      </Form.Item>
      <Button type="primary" htmlType="submit" data-testid="pwd-submit">
        {t('me.changePassword')}
      </Button>
    </Form>
  );
}
