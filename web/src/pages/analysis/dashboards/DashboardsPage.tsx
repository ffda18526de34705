import { PageContainer } from '@ant-design/pro-components';
import { Card, Col, Row, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useApi } from '../../../api/swr';
import { tid } from '../../../components/EntityModalForm';
import { useI18n } from '../../../i18n';

/** 高级分析: the dashboards as cards. */
export function DashboardsPage() {
  const { t, locale } = useI18n();
  const { data = [], isLoading } = useApi('/api/analysis/dashboards', {});
  return (
    <PageContainer title={t('menu.analysis.dashboards')} loading={isLoading}>
      <Row gutter={[16, 16]}>
        {data.map((d) => (
          <Col key={d.id} xs={24} md={12} xl={8}>
            <Link to={`/analysis/dashboards/${d.id}`} {...tid(`dashboard-card-${d.id}`)}>
              <Card hoverable title={d.title[locale]}>
                <Typography.Paragraph type="secondary">{d.description[locale]}</Typography.Paragraph>
                <Typography.Text type="secondary">{t('dash.panels', { count: d.panels })}</Typography.Text>
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </PageContainer>
  );
}
