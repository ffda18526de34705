import { Alert, Button, Card, Space, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useSession } from '../../app/session';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { useI18n } from '../../i18n';
import { PasswordForm } from './PasswordForm';

/** Shown instead of everything else while the user must change the password. */
export function ForcePasswordPage() {
  const { t } = useI18n();
  const { me, refresh, logout } = useSession();
  const navigate = useNavigate();
  return (
    <div className="kam-login">
      <Card style={{ width: 460 }} data-testid="force-password">
        <Space direction="vertical" style={{ width: '100%' }}>
          <div style={{ display: 'flex', justifyContent: 'space-between' }}>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('me.mustChangeTitle')}
            </Typography.Title>
            <LanguageSwitch />
          </div>
          <Alert type="warning" showIcon message={t('me.mustChangeText')} description={me?.displayName} />
          <PasswordForm
            onChanged={async () => {
              await refresh();
              navigate('/', { replace: true });
            }}
          />
          <Button
            type="link"
            data-testid="logout"
            onClick={async () => {
              await logout().catch(() => undefined);
              navigate('/login', { replace: true });
            }}
          >
            {t('header.logout')}
          </Button>
        </Space>
      </Card>
    </div>
  );
}
