import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { useSession } from '../../app/session';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { useI18n } from '../../i18n';

interface Credentials {
  username: string;
  password: string;
}

/** Only same-site paths are accepted as the place to return to after sign-in. */
function safeNext(value: string | null): string {
  return value && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

export function LoginPage() {
  const { t } = useI18n();
  const { status, me, login } = useSession();
  const [form] = Form.useForm<Credentials>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));

  if (status === 'signedIn' && me && !busy) return <Navigate to={me.mustChangePassword ? '/change-password' : next} replace />;

  const submit = async (values: Credentials) => {
    setBusy(true);
    setError(null);
    try {
      const signedIn = await login(values.username, values.password);
      navigate(signedIn.mustChangePassword ? '/change-password' : next, { replace: true });
    } catch (e) {
      if (e instanceof ApiError) {
        setError(e.message);
        if (e.fieldErrors.length) form.setFields(e.fieldErrors.map((f) => ({ name: f.field as keyof Credentials, errors: [f.message] })));
      } else {
        setError(t('error.network'));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="kam-login">
      <Card style={{ width: 380 }} data-testid="login-card">
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'start' }}>
            <div>
              <Typography.Title level={3} style={{ margin: 0 }}>
                {t('login.title')}
              </Typography.Title>
              <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
            </div>
            <LanguageSwitch />
          </div>
          {error && (
            <Alert type="error" showIcon data-testid="login-error" message={error} />
          )}
          <Form<Credentials> form={form} layout="vertical" onFinish={submit} requiredMark={false} autoComplete="on">
            <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" data-testid="login-username" autoFocus />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
        </Space>
      </Card>
    </div>
  );
}
