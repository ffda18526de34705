import { DownloadOutlined, ExperimentOutlined, SendOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { ModalForm, PageContainer, ProFormDatePicker, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Card, Col, Descriptions, Empty, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import useSWR from 'swr';
import { api, call, callList } from '../../../api/client';
import { useSession } from '../../../app/session';
import { tid } from '../../../components/EntityModalForm';
import { usePagedRequest } from '../../../components/pagedRequest';
import { UnitTreeSelect } from '../../../components/units';
import { localUnit, useI18n, type MessageKey } from '../../../i18n';
import { BAND_COLORS, BANDS, reasonsText, type Band, type ChurnModel, type ChurnScore } from './common';

const percent = (v: number, digits = 1) => `${(v * 100).toFixed(digits)}%`;

/** 流失预警: the model's validation figures next to the scored customers, with their reasons in words. */
export function ChurnPage() {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const table = useRef<ActionType>(null);
  const { data: models, mutate: setModels } = useSWR('/api/analysis/churn/models', () => call(api.GET('/api/analysis/churn/models')));
  const model = models?.[0] ?? null;
  const setModel = (m: ChurnModel) => void setModels([m, ...(models ?? [])], { revalidate: false });
  const [busy, setBusy] = useState<'train' | 'score' | null>(null);
  const filters = useRef<{ band?: Band; unitId?: number; month?: string }>({});

  const load = useCallback(async (query: Record<string, unknown> & { offset: number; limit: number }) => {
    const band = typeof query.band === 'string' ? (query.band as Band) : undefined;
    const unitId = typeof query.unitId === 'number' ? query.unitId : undefined;
    const month = typeof query.month === 'string' && /^\d{4}-\d{2}$/.test(query.month) ? query.month : undefined;
    filters.current = { band, unitId, month };
    return callList(api.GET('/api/analysis/churn/scores', { params: { query: { offset: query.offset, limit: query.limit, band, unitId, month } } }));
  }, []);
  const request = usePagedRequest<ChurnScore>(load);

  const train = async () => {
    setBusy('train');
    try {
      const m = await call(api.POST('/api/analysis/churn/train', { body: { horizonMonths: 2 } }));
      setModel(m);
      message.success(t('churn.trained', { auc: m.figures.auc.toFixed(3) }));
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const score = async () => {
    setBusy('score');
    try {
      const r = await call(api.POST('/api/analysis/churn/score', { body: {} }));
      message.success(t('churn.scored', { month: r.month, scored: r.scored, high: r.high }));
      table.current?.reload();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  /** The list as filtered, every page of it, as CSV with the reasons in words (UTF-8 with a BOM for Excel). */
  const exportCsv = async () => {
    const rows: ChurnScore[] = [];
    for (let offset = 0; offset < 50_000; offset += 1000) {
      const page = await callList(api.GET('/api/analysis/churn/scores', { params: { query: { offset, limit: 1000, ...filters.current } } }));
      rows.push(...page.items);
      if (rows.length >= page.total || !page.items.length) break;
    }
    const esc = (v: string | number | null) => `"${String(v ?? '').replace(/"/g, '""')}"`;
    const head = [t('churn.month'), t('churn.customer'), t('churn.band'), t('churn.scoreValue'), t('churn.reasons'), t('churn.manager'), t('churn.unit')];
    const lines = rows.map((r) =>
      [r.month, `${r.customerNo} ${r.customerName}`, t(`churn.band.${r.band}` as MessageKey), percent(r.score, 2), reasonsText(t, r.reasons).join('；'), r.managerName, localUnit(locale, r)].map(esc).join(','),
    );
    const blob = new Blob(['\uFEFF' + [head.map(esc).join(','), ...lines].join('\r\n')], { type: 'text/csv;charset=utf-8' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `churn-${rows[0]?.month ?? 'scores'}.csv`;
    a.click();
    URL.revokeObjectURL(a.href);
  };

  const columns: ProColumns<ChurnScore>[] = [
    { title: t('churn.month'), dataIndex: 'month', hideInTable: true, fieldProps: { placeholder: 'YYYY-MM' } },
    {
      title: t('churn.customer'),
      dataIndex: 'customerName',
      search: false,
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Link to={`/customers/${r.customerId}`}>{r.customerName}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.customerNo}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('churn.band'),
      dataIndex: 'band',
      width: 100,
      valueType: 'select',
      valueEnum: Object.fromEntries(BANDS.map((b) => [b, { text: t(`churn.band.${b}` as MessageKey) }])),
      render: (_, r) => <Tag color={BAND_COLORS[r.band]}>{t(`churn.band.${r.band}` as MessageKey)}</Tag>,
    },
    { title: t('churn.scoreValue'), dataIndex: 'score', width: 120, search: false, render: (_, r) => percent(r.score) },
    {
      title: t('churn.reasons'),
      dataIndex: 'reasons',
      search: false,
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          {reasonsText(t, r.reasons).map((text) => (
            <span key={text}>{text}</span>
          ))}
        </Space>
      ),
    },
    { title: t('churn.manager'), dataIndex: 'managerName', width: 120, search: false },
    {
      title: t('churn.unit'),
      dataIndex: 'unitId',
      width: 160,
      render: (_, r) => localUnit(locale, r),
      renderFormItem: () => <UnitTreeSelect forCustomers />,
    },
  ];

  return (
    <PageContainer title={t('menu.analysis.churn')} content={t('churn.intro')} {...tid('churn-page')}>
      <ModelCard model={model} />
      <ProTable<ChurnScore>
        {...tid('churn-table')}
        actionRef={table}
        rowKey="customerId"
        columns={columns}
        request={request}
        search={{ labelWidth: 'auto' }}
        locale={{ emptyText: <Empty description={t('churn.noScores')} /> }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (total) => t('common.total', { total }) }}
        options={{ reload: true, density: false, setting: false }}
        toolBarRender={() => [
          can('analysis.indicators') && (
            <Button key="train" icon={<ExperimentOutlined />} loading={busy === 'train'} onClick={() => void train()} {...tid('churn-train')}>
              {t('churn.train')}
            </Button>
          ),
          can('analysis.indicators') && (
            <Button key="score" icon={<ThunderboltOutlined />} loading={busy === 'score'} disabled={!model} onClick={() => void score()} {...tid('churn-score')}>
              {t('churn.score')}
            </Button>
          ),
          can('tasks.assign') && <HandToTasks key="hand" filters={filters} />,
          <Button key="csv" icon={<DownloadOutlined />} onClick={() => void exportCsv().catch((e: Error) => message.error(e.message))} {...tid('churn-export')}>
            {t('churn.export')}
          </Button>,
        ]}
      />
    </PageContainer>
  );
}

function ModelCard({ model }: { model: ChurnModel | null }) {
  const { t } = useI18n();
  if (!model)
    return (
      <Card style={{ marginBottom: 16 }}>
        <Empty description={t('churn.model.none')} />
      </Card>
    );
  const f = model.figures;
  return (
    <Card style={{ marginBottom: 16 }} {...tid('churn-model')}>
      <Row gutter={24}>
        <Col xs={12} md={6}>
          <Tooltip title={t('churn.auc.help')}>
            <Statistic title={t('churn.auc')} value={f.auc} precision={3} {...tid('churn-auc')} />
          </Tooltip>
        </Col>
        <Col xs={12} md={6}>
          <Tooltip title={t('churn.topDecile.help')}>
            <Statistic title={t('churn.topDecile')} value={percent(f.topDecilePrecision)} />
          </Tooltip>
        </Col>
        <Col xs={12} md={6}>
          <Tooltip title={t('churn.lift.help')}>
            <Statistic title={t('churn.lift')} value={f.lift} precision={1} suffix="×" />
          </Tooltip>
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('churn.baseRate')} value={percent(f.baseRate, 2)} />
        </Col>
      </Row>
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginTop: 16 }}>
        <Descriptions.Item label={t('churn.model.trainMonths')}>
          {model.trainFrom} ~ {model.trainTo}
        </Descriptions.Item>
        <Descriptions.Item label={t('churn.model.validationMonth')}>{model.validationMonth}</Descriptions.Item>
        <Descriptions.Item label={t('churn.model')}>{t('churn.model.horizon', { n: model.horizonMonths })}</Descriptions.Item>
      </Descriptions>
      <Typography.Text type="secondary">{t('churn.rows', { train: f.trainRows, trainPos: f.trainPositives, val: f.validationRows, valPos: f.validationPositives })}</Typography.Text>
      <Table
        style={{ marginTop: 12 }}
        size="small"
        pagination={false}
        rowKey="feature"
        title={() => t('churn.coefficients')}
        dataSource={model.features.map((feature, i) => ({ feature, coefficient: model.coefficients[i]! }))}
        columns={[
          { title: t('churn.feature'), dataIndex: 'feature', render: (f: string) => t(`churn.feature.${f}` as MessageKey) },
          { title: t('churn.coefficient'), dataIndex: 'coefficient', render: (c: number) => <span style={{ color: c > 0 ? '#cf1322' : undefined }}>{c.toFixed(3)}</span> },
        ]}
      />
    </Card>
  );
}

function HandToTasks({ filters }: { filters: React.RefObject<{ band?: Band; unitId?: number; month?: string }> }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  return (
    <ModalForm<{ dueOn: string }>
      title={t('churn.handTitle')}
      trigger={
        <Button type="primary" icon={<SendOutlined />} {...tid('churn-hand')}>
          {t('churn.handToTasks')}
        </Button>
      }
      modalProps={{ destroyOnHidden: true }}
      initialValues={{ dueOn: dayjs().add(14, 'day').format('YYYY-MM-DD') }}
      onFinish={async (v) => {
        const { unitId, month } = filters.current ?? {};
        const r = await call(api.POST('/api/analysis/churn/tasks', { body: { dueOn: dayjs(v.dueOn).format('YYYY-MM-DD'), unitId, month } }));
        message.success(t('churn.handed', { n: r.tasks.length }));
        return true;
      }}
    >
      <Typography.Paragraph>{t('churn.handIntro')}</Typography.Paragraph>
      <ProFormDatePicker name="dueOn" label={t('churn.dueOn')} rules={[{ required: true }]} fieldProps={{ format: 'YYYY-MM-DD' }} />
    </ModalForm>
  );
}
