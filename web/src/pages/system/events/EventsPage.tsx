import { PageContainer } from '@ant-design/pro-components';
import { useI18n } from '../../../i18n';

/** 事件订阅与投递 (Event subscriptions and delivery). */
export function EventsPage() {
  const { t } = useI18n();
  return <PageContainer title={t('menu.system.events')} />;
}
