import { Alert, Card, Col, Empty, Row, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { CustomerView } from '../../api/client';
import { useApi } from '../../api/swr';
import { tid } from '../../components/EntityModalForm';
import { formatMoney } from '../../components/format';
import { useI18n } from '../../i18n';
import { BenefitsPanel } from '../rules/BenefitsPanel';
import { versionsText, type Rating } from '../rules/common';
import { DiscountsPanel } from '../rules/DiscountsPanel';
import { PointsPanel } from '../rules/PointsPanel';

/**
 * 规则: the customer's level, credit grade and points with the reason for each value (the inputs and
 * the rule version, as the server words them), and the history of the monthly runs.
 */
export function CustomerRulesTab({ customer }: { customer: CustomerView }) {
  const { t } = useI18n();
  const remote = useApi('/api/customers/{id}/rules', { path: { id: customer.id } });

  if (remote.isLoading) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (remote.error && !remote.data) return <Alert type="error" showIcon message={t('common.loadFailed')} />;
  const data = remote.data;
  if (!data) return null;
  const cur = data.current;
  // a customer merged into another one changes no more
  const canChange = customer.mergedInto === null;

  const columns: ColumnsType<Rating> = [
    { title: t('rules.month'), dataIndex: 'month', width: 100 },
    {
      title: t('rules.level'),
      dataIndex: 'levelName',
      width: 150,
      render: (name: string, r) => (
        <Space size={4}>
          <Tag color="gold">{name}</Tag>
          {r.level !== r.computedLevel && <Tag color="orange">{t('rules.customer.held')}</Tag>}
        </Space>
      ),
    },
    { title: t('rules.customer.credit'), key: 'credit', width: 130, render: (_, r) => t('rules.customer.gradeScore', { grade: r.creditGrade, score: r.creditScore }) },
    { title: t('rules.customer.avgPaid'), dataIndex: 'avgPaid', width: 120, align: 'right', render: formatMoney },
    { title: t('rules.customer.pointsEarned'), dataIndex: 'pointsEarned', width: 100, align: 'right' },
    { title: t('rules.customer.pointsPromo'), dataIndex: 'pointsPromo', width: 100, align: 'right' },
    { title: t('rules.customer.pointsExpired'), dataIndex: 'pointsExpired', width: 100, align: 'right' },
    { title: t('rules.runs.versions'), dataIndex: 'versions', ellipsis: true, render: (v: Rating['versions']) => <Typography.Text style={{ fontSize: 12 }}>{versionsText(t, v)}</Typography.Text> },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} {...tid('customer-rules')}>
      {cur ? (
        <Row gutter={16}>
          <Col xs={24} lg={8}>
            <Card size="small" style={{ height: '100%' }}>
              <Statistic title={t('rules.customer.level', { month: cur.month })} value={cur.levelName} {...tid('rules-current-level')} />
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }} {...tid('rules-explain-level')}>
                {cur.explanations.level}
              </Typography.Paragraph>
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            <Card size="small" style={{ height: '100%' }}>
              <Statistic
                title={t('rules.customer.credit')}
                value={cur.creditGrade}
                suffix={<span style={{ fontSize: 14 }}>{t('rules.customer.score', { score: cur.creditScore })}</span>}
                {...tid('rules-current-credit')}
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('rules.customer.overdraft', { limit: formatMoney(cur.overdraftLimit), days: cur.suspendGraceDays })}
              </Typography.Text>
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }} {...tid('rules-explain-credit')}>
                {cur.explanations.credit}
              </Typography.Paragraph>
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            <Card size="small" style={{ height: '100%' }}>
              <Statistic title={t('rules.customer.pointsBalance')} value={data.pointsBalance} {...tid('rules-points-balance')} />
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }} {...tid('rules-explain-points')}>
                {cur.explanations.points}
              </Typography.Paragraph>
            </Card>
          </Col>
        </Row>
      ) : (
        <Empty description={t('rules.customer.notRated')} {...tid('rules-not-rated')}>
          <Typography.Text type="secondary">{t('rules.customer.pointsBalanceIs', { points: data.pointsBalance })}</Typography.Text>
        </Empty>
      )}
      <PointsPanel customerId={customer.id} canChange={canChange} onChanged={() => void remote.mutate()} />
      <BenefitsPanel customerId={customer.id} canChange={canChange} />
      <DiscountsPanel customerId={customer.id} canChange={canChange} />
      <Card size="small" title={t('rules.customer.history')}>
        <Table<Rating>
          {...tid('rules-history')}
          size="small"
          rowKey="month"
          columns={columns}
          dataSource={data.history}
          pagination={{ pageSize: 12, hideOnSinglePage: true }}
          scroll={{ x: 1000 }}
          expandable={{
            expandedRowRender: (r) => (
              <ul style={{ margin: 0, paddingLeft: 20 }}>
                <li>{r.explanations.level}</li>
                <li>{r.explanations.credit}</li>
                <li>{r.explanations.points}</li>
              </ul>
            ),
          }}
        />
      </Card>
    </Space>
  );
}
