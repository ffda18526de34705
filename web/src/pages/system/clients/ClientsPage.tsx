import { PageContainer } from '@ant-design/pro-components';
import { useI18n } from '../../../i18n';

/** 接口客户端 (API clients). */
export function ClientsPage() {
  const { t } = useI18n();
  return <PageContainer title={t('menu.system.clients')} />;
}
