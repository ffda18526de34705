import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../../i18n';

function ErrorPage({ status }: { status: 403 | 404 }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <div data-testid={`page-${status}`}>
    <Result
      status={status}
      title={t(`error.${status}.title`)}
      subTitle={t(`error.${status}.text`)}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('common.backHome')}
        </Button>
      }
    />
    </div>
  );
}

export const ForbiddenPage = () => <ErrorPage status={403} />;
export const NotFoundPage = () => <ErrorPage status={404} />;
