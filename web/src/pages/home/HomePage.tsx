import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Descriptions, Tag } from 'antd';
import { useSession } from '../../app/session';
import { formatDateTime } from '../../components/format';
import { useI18n } from '../../i18n';

export function HomePage() {
  const { t } = useI18n();
  const { me } = useSession();
  if (!me) return null;
  return (
    <PageContainer title={t('home.welcome', { name: me.displayName })}>
      <ProCard bordered data-testid="home">
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('home.unit')}>{me.unitName}</Descriptions.Item>
          <Descriptions.Item label={t('home.roles')}>
            {me.roleCodes.map((r) => (
              <Tag key={r}>{r}</Tag>
            ))}
          </Descriptions.Item>
          <Descriptions.Item label={t('home.lastLogin')}>{formatDateTime(me.lastLoginAt)}</Descriptions.Item>
          <Descriptions.Item label={t('home.permissions')}>
            {me.permissions.map((p) => (
              <Tag color="blue" key={p}>
                {p}
              </Tag>
            ))}
          </Descriptions.Item>
        </Descriptions>
      </ProCard>
    </PageContainer>
  );
}
