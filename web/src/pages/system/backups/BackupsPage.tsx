import { PageContainer } from '@ant-design/pro-components';
import { useI18n } from '../../../i18n';

/** 数据备份与版本 (Backups and versions). */
export function BackupsPage() {
  const { t } = useI18n();
  return <PageContainer title={t('menu.system.backups')} />;
}
