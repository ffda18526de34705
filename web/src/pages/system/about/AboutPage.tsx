import { PageContainer } from '@ant-design/pro-components';
import { Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useApi } from '../../../api/swr';
import { formatDateTime } from '../../../components/format';
import { useI18n } from '../../../i18n';

/** 关于: the version, commit and build that run, the database and its migrations (GET /api/system/version). */
export function AboutPage() {
  const { t } = useI18n();
  const { data: v } = useApi('/api/system/version', {});

  return (
    <PageContainer title={t('about.title')}>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card loading={!v}>
          {v && (
            <Descriptions column={1} size="small" title={t('about.system')}>
              <Descriptions.Item label={t('about.version')}>
                <span data-testid="about-version">{v.version}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('about.commit')}>
                {v.commit ? (
                  <Typography.Text code copyable data-testid="about-commit">
                    {v.commit}
                  </Typography.Text>
                ) : (
                  <span data-testid="about-commit">{t('about.commitUnknown')}</span>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('about.builtAt')}>{v.builtAt ? formatDateTime(v.builtAt) : t('about.fromSources')}</Descriptions.Item>
              <Descriptions.Item label={t('about.database')}>{t(`database.${v.database}`)}</Descriptions.Item>
              <Descriptions.Item label={t('about.schema')}>
                {v.schemaCurrent ? (
                  <Tag color="green" data-testid="about-schema">{t('about.schemaCurrent')}</Tag>
                ) : (
                  <Tag color="orange" data-testid="about-schema">{t('about.schemaPending', { n: v.pending.length })}</Tag>
                )}
              </Descriptions.Item>
            </Descriptions>
          )}
        </Card>
        {v && (
          <Card title={t('about.migrations')} size="small">
            <Table
              rowKey="tag"
              size="small"
              pagination={false}
              dataSource={[...v.migrations].reverse()}
              columns={[
                { title: t('about.migration'), dataIndex: 'tag' },
                { title: t('about.migrationTime'), dataIndex: 'createdAt', width: 200, render: (x: string) => formatDateTime(x) },
              ]}
            />
          </Card>
        )}
      </Space>
    </PageContainer>
  );
}
