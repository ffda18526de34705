import { PageContainer } from '@ant-design/pro-components';
import { useI18n } from '../../../i18n';

/** TM Forum 开放接口 (TM Forum Open APIs). */
export function TmfPage() {
  const { t } = useI18n();
  return <PageContainer title={t('menu.system.tmf')} />;
}
