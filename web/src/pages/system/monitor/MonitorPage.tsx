import { PageContainer } from '@ant-design/pro-components';
import { useI18n } from '../../../i18n';

/** 系统监控 (System monitoring). */
export function MonitorPage() {
  const { t } = useI18n();
  return <PageContainer title={t('menu.system.monitor')} />;
}
