import { UploadOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Col, DatePicker, Empty, Form, Input, List, Modal, Row, Select, Space, Statistic, Table, Tag, Upload } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, call, callList, type Schemas } from '../../../api/client';
import { formatDateTime } from '../../../components/format';
import { useAction } from '../../../components/useSubmit';
import { localUnit, useI18n } from '../../../i18n';

type Campaign = Schemas['AnalysisCampaign'];
type Member = { customerId: number; customerNo: string; name: string; unitName: string; unitNameEn: string | null; managerName: string | null; response: Response | null; respondedAt: string | null; recordedByName: string | null; note: string | null };
const RESPONSES = ['responded', 'accepted', 'declined', 'no_answer'] as const;
type Response = (typeof RESPONSES)[number];
const STATUS_COLOR = { draft: 'default', running: 'processing', closed: 'success' } as const;
const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);

function StatusTag({ status }: { status: Campaign['status'] }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLOR[status]}>{t(`camp.status.${status}`)}</Tag>;
}

/** 营销活动: the campaigns of the reader's unit and the units above it, with their figures. */
export function CampaignsPage() {
  const { t } = useI18n();
  const [rows, setRows] = useState<Campaign[]>();
  useEffect(() => {
    void call(api.GET('/api/analysis/campaigns')).then(setRows);
  }, []);
  return (
    <PageContainer title={t('menu.analysis.campaigns')} content={t('camp.listIntro')} data-testid="camp-list">
      <Table
        rowKey="id"
        loading={!rows}
        dataSource={rows}
        locale={{ emptyText: <Empty description={t('camp.empty')} /> }}
        scroll={{ x: true }}
        columns={[
          { title: t('camp.name'), dataIndex: 'name', render: (v: string, c: Campaign) => <Link to={`/analysis/campaigns/${c.id}`}>{v}</Link> },
          { title: t('camp.channel'), dataIndex: 'channel', width: 100, render: (v: Campaign['channel']) => t(`camp.channel.${v}`) },
          { title: t('camp.period'), key: 'period', width: 210, render: (_: unknown, c: Campaign) => `${c.startsOn} ～ ${c.endsOn}` },
          { title: t('camp.status'), dataIndex: 'status', width: 90, render: (v: Campaign['status']) => <StatusTag status={v} /> },
          { title: t('camp.members'), key: 'members', width: 90, align: 'right' as const, render: (_: unknown, c: Campaign) => c.figures.members.toLocaleString() },
          { title: t('camp.reachRate'), key: 'reach', width: 90, align: 'right' as const, render: (_: unknown, c: Campaign) => pct(c.figures.reachRate) },
          { title: t('camp.responseRate'), key: 'resp', width: 90, align: 'right' as const, render: (_: unknown, c: Campaign) => pct(c.figures.responseRate) },
          { title: t('camp.acceptanceRate'), key: 'acc', width: 90, align: 'right' as const, render: (_: unknown, c: Campaign) => pct(c.figures.acceptanceRate) },
        ]}
      />
    </PageContainer>
  );
}

/** One campaign: its figures, its members and their responses (recorded one by one or from a CSV file), its moves. */
export function CampaignPage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const action = useAction();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const [campaign, setCampaign] = useState<Campaign>();
  const [members, setMembers] = useState<{ items: Member[]; total: number }>();
  const [page, setPage] = useState(1);
  const [filter, setFilter] = useState<Response | 'none'>();
  const [recording, setRecording] = useState<Member>();
  const [importErrors, setImportErrors] = useState<string[]>([]);
  const [form] = Form.useForm<{ response: Response; at?: dayjs.Dayjs; note?: string }>();

  const load = useCallback(() => call(api.GET('/api/analysis/campaigns/{id}', { params: { path: { id } } })).then(setCampaign), [id]);
  const loadMembers = useCallback(
    () => callList(api.GET('/api/analysis/campaigns/{id}/members', { params: { path: { id }, query: { offset: (page - 1) * 20, limit: 20, response: filter } } })).then((r) => setMembers(r as unknown as { items: Member[]; total: number })),
    [id, page, filter],
  );
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    void loadMembers();
  }, [loadMembers]);

  if (!campaign) return <PageContainer loading />;
  const f = campaign.figures;
  const move = (status: 'running' | 'closed') => void action(() => call(api.POST('/api/analysis/campaigns/{id}/status', { params: { path: { id } }, body: { version: campaign.version, status } })).then(setCampaign));
  const record = async () => {
    const v = await form.validateFields();
    const ok = await action(() =>
      call(api.PUT('/api/analysis/campaigns/{id}/members/{customerId}/response', { params: { path: { id, customerId: recording!.customerId } }, body: { response: v.response, at: v.at?.toISOString(), note: v.note } })).then(setCampaign),
    );
    if (ok) {
      setRecording(undefined);
      void loadMembers();
    }
  };
  const upload = async (file: File) => {
    setImportErrors([]);
    const body = new FormData();
    body.append('file', file);
    try {
      const r = await call(api.POST('/api/analysis/campaigns/{id}/responses/import', { params: { path: { id } }, body: body as never, bodySerializer: (b: unknown) => b as FormData }));
      message.success(t('camp.imported', { count: r.recorded }));
      void load();
      void loadMembers();
    } catch (e) {
      if (e instanceof ApiError && e.fieldErrors.length) setImportErrors(e.fieldErrors.map((x) => `${x.field.replace(/^file\.line\[(\d+)\]\./, '#$1 ')}：${x.message}`));
      else message.error(e instanceof Error ? e.message : String(e));
    }
    return false;
  };

  return (
    <PageContainer
      title={campaign.name}
      subTitle={<StatusTag status={campaign.status} />}
      onBack={() => navigate('/analysis/campaigns')}
      data-testid="camp-page"
      extra={
        <Space>
          {campaign.status === 'draft' && (
            <Button type="primary" onClick={() => move('running')} data-testid="camp-start">
              {t('camp.start')}
            </Button>
          )}
          {campaign.status === 'running' && <Button onClick={() => move('closed')}>{t('camp.close')}</Button>}
          {campaign.status === 'running' && (
            <Upload accept=".csv,text/csv" showUploadList={false} beforeUpload={(file) => void upload(file) as unknown as boolean}>
              <Button icon={<UploadOutlined />}>{t('camp.import')}</Button>
            </Upload>
          )}
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Card size="small">
          <p>
            {t(`camp.channel.${campaign.channel}`)} · {campaign.startsOn} ～ {campaign.endsOn} · {t('camp.segment')}：{campaign.segmentId ? <Link to={`/analysis/segments/${campaign.segmentId}`}>{campaign.segmentName}</Link> : '—'}
          </p>
          <p>{campaign.offer}</p>
          <Row gutter={16}>
            {(
              [
                ['camp.members', f.members],
                ['camp.contacted', f.contacted],
                ['camp.responded', f.responded],
                ['camp.accepted', f.accepted],
                ['camp.declined', f.declined],
                ['camp.noAnswer', f.noAnswer],
              ] as const
            ).map(([k, v]) => (
              <Col key={k} span={4}>
                <Statistic title={t(k)} value={v} />
              </Col>
            ))}
          </Row>
          <Row gutter={16} style={{ marginTop: 12 }}>
            <Col span={8}>
              <Statistic title={t('camp.reachRate')} value={pct(f.reachRate)} />
            </Col>
            <Col span={8}>
              <Statistic title={t('camp.responseRate')} value={pct(f.responseRate)} />
            </Col>
            <Col span={8}>
              <Statistic title={t('camp.acceptanceRate')} value={pct(f.acceptanceRate)} />
            </Col>
          </Row>
        </Card>
        {campaign.status === 'running' && <Alert type="info" showIcon message={t('camp.importHint')} />}
        {importErrors.length > 0 && <Alert type="error" showIcon message={t('camp.importErrors')} description={<List size="small" dataSource={importErrors} renderItem={(e) => <List.Item>{e}</List.Item>} />} />}
        <Card
          size="small"
          title={t('camp.members')}
          extra={
            <Select
              allowClear
              style={{ width: 140 }}
              placeholder={t('camp.response')}
              value={filter}
              onChange={(v) => {
                setFilter(v);
                setPage(1);
              }}
              options={[...RESPONSES, 'none' as const].map((r) => ({ value: r, label: t(`camp.response.${r}`) }))}
            />
          }
        >
          <Table
            rowKey="customerId"
            size="small"
            dataSource={members?.items}
            loading={!members}
            pagination={{ current: page, pageSize: 20, total: members?.total, showSizeChanger: false, onChange: setPage }}
            columns={[
              { title: t('aq.col.customerNo'), dataIndex: 'customerNo', width: 150 },
              { title: t('aq.col.name'), dataIndex: 'name' },
              { title: t('aq.col.unit'), dataIndex: 'unitName', width: 130, render: (_: string, m: Member) => localUnit(locale, m) },
              { title: t('aq.col.manager'), dataIndex: 'managerName', width: 100 },
              { title: t('camp.response'), dataIndex: 'response', width: 90, render: (v: Response | null) => t(`camp.response.${v ?? 'none'}`) },
              { title: t('camp.respondedAt'), dataIndex: 'respondedAt', width: 160, render: (v: string | null) => (v ? formatDateTime(v) : '') },
              { title: t('camp.recordedBy'), dataIndex: 'recordedByName', width: 100 },
              { title: t('camp.note'), dataIndex: 'note', ellipsis: true },
              {
                title: '',
                key: 'act',
                width: 100,
                render: (_: unknown, m: Member) =>
                  campaign.status === 'running' && (
                    <a
                      onClick={() => {
                        form.setFieldsValue({ response: m.response ?? 'responded', note: m.note ?? undefined, at: undefined });
                        setRecording(m);
                      }}
                    >
                      {t('camp.record')}
                    </a>
                  ),
              },
            ]}
          />
        </Card>
      </Space>
      <Modal open={recording !== undefined} title={`${t('camp.record')} · ${recording?.name ?? ''}`} onOk={() => void record()} onCancel={() => setRecording(undefined)} destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item name="response" label={t('camp.response')} rules={[{ required: true }]}>
            <Select options={RESPONSES.map((r) => ({ value: r, label: t(`camp.response.${r}`) }))} />
          </Form.Item>
          <Form.Item name="at" label={t('camp.respondedAt')}>
            <DatePicker showTime />
          </Form.Item>
          <Form.Item name="note" label={t('camp.note')}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
