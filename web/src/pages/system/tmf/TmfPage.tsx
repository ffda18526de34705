import { PageContainer } from '@ant-design/pro-components';
import { Card, Space, Table, Tag, Typography } from 'antd';
import { useI18n, type MessageKey } from '../../../i18n';
import { ScopeTags } from '../clients/common';

interface TmfApi {
  api: 'tmf629' | 'tmf632' | 'tmf621' | 'tmf658';
  basePath: string;
  resources: string[];
  scopes: string[];
}

/** The APIs the server serves (server/src/modules/tmf): their base paths and resources, as docs/tmf-api.md lists them. */
const APIS: TmfApi[] = [
  { api: 'tmf629', basePath: '/tmf-api/customerManagement/v4', resources: ['customer'], scopes: ['tmf629.read', 'tmf629.write'] },
  { api: 'tmf632', basePath: '/tmf-api/partyManagement/v4', resources: ['organization', 'individual'], scopes: ['tmf632.read'] },
  { api: 'tmf621', basePath: '/tmf-api/troubleTicket/v4', resources: ['troubleTicket'], scopes: ['tmf621.read', 'tmf621.write'] },
  { api: 'tmf658', basePath: '/tmf-api/loyaltyManagement/v4', resources: ['loyaltyAccount', 'loyaltyTransaction'], scopes: ['tmf658.read'] },
];

/** TM Forum 开放接口: which APIs the system serves, where, and where their documentation is. */
export function TmfPage() {
  const { t } = useI18n();
  return (
    <PageContainer title={t('menu.system.tmf')}>
      <Card>
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Paragraph>{t('tmf.intro')}</Typography.Paragraph>
          <Table<TmfApi>
            rowKey="api"
            pagination={false}
            dataSource={APIS}
            columns={[
              { title: t('tmf.col.api'), dataIndex: 'api', render: (_, r) => t(`tmf.api.${r.api}` as MessageKey) },
              { title: t('tmf.col.basePath'), dataIndex: 'basePath', render: (v: string) => <Typography.Text code copyable>{v}</Typography.Text> },
              { title: t('tmf.col.resources'), dataIndex: 'resources', render: (_, r) => r.resources.map((x) => <Tag key={x}>/{x}</Tag>) },
              { title: t('tmf.col.scopes'), dataIndex: 'scopes', render: (_, r) => <ScopeTags scopes={r.scopes} /> },
              { title: t('tmf.col.backedBy'), dataIndex: 'api', key: 'backed', render: (_, r) => t(`tmf.backed.${r.api}` as MessageKey) },
            ]}
          />
          <Space size="large">
            <Typography.Link href="/api/docs" target="_blank">{t('tmf.docs')}</Typography.Link>
            <Typography.Link href="/api/openapi.json" target="_blank">{t('tmf.openapi')}</Typography.Link>
          </Space>
          <Typography.Text type="secondary">{t('tmf.guide')}</Typography.Text>
        </Space>
      </Card>
    </PageContainer>
  );
}
