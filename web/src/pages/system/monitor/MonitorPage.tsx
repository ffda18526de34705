import { PageContainer } from '@ant-design/pro-components';
import { Col, Result, Row, Skeleton, Space, Typography } from 'antd';
import { useSession } from '../../../app/session';
import { revalidate, useApi } from '../../../api/swr';
import { tid } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { useI18n } from '../../../i18n';
import { AlertHistory, StandingAlerts } from './Alerts';
import { Imports } from './Imports';
import { JobsTable } from './JobsTable';
import { RouteCharts } from './RouteCharts';
import { Summary } from './Summary';
import { Thresholds } from './Thresholds';

/** The console reads everything again this often. */
const REFRESH_MS = 15_000;

/** 系统监控 (System monitoring): one answer of the server, read every 15 s. */
export function MonitorPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const { data: m, error, mutate } = useApi('/api/system/monitor', {}, { refreshInterval: REFRESH_MS });
  const operate = can('system.operate');
  const reload = () => {
    void mutate();
    void revalidate('/api/system/alerts');
  };
  return (
    <PageContainer
      title={t('menu.system.monitor')}
      content={t('monitor.intro')}
      extra={m && <Typography.Text type="secondary">{t('monitor.refreshedAt', { at: formatDateTime(m.at) })}</Typography.Text>}
      {...tid('monitor-page')}
    >
      {error && !m && <Result status="warning" title={error.message} />}
      {!m && !error && <Skeleton active />}
      {m && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <StandingAlerts alerts={m.alerts} />
          <Summary m={m} />
          <JobsTable jobs={m.jobs} canRun={operate} onRan={reload} />
          <RouteCharts http={m.http} />
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              <Imports imports={m.imports} />
            </Col>
            <Col xs={24} xl={12}>
              <Thresholds current={m.thresholds} canEdit={operate} onSaved={reload} />
            </Col>
          </Row>
          <AlertHistory refresh={REFRESH_MS} />
        </Space>
      )}
    </PageContainer>
  );
}
