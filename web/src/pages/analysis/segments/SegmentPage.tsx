import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, Col, DatePicker, Descriptions, Dropdown, Form, Input, Modal, Row, Select, Space, Statistic, Table } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, call, callList, download, downloadUrl, type Schemas } from '../../../api/client';
import { useSession } from '../../../app/session';
import { Chart } from '../../../components/Chart';
import { formatDateTime } from '../../../components/format';
import { useAction } from '../../../components/useSubmit';
import { localName, localUnit, useI18n } from '../../../i18n';
import { useValueName } from '../query/conditions';
import { ModeTag } from './SegmentsPage';

type Detail = Schemas['AnalysisSegmentDetail'];
type Bucket = Detail['profile']['byLevel'][number];
type Member = { id: number; customerNo: string; name: string; kind: string; unitName: string; unitNameEn: string | null; managerName: string | null; level: string | null };
const CHANNELS = ['sms', 'phone', 'visit', 'wechat', 'email', 'outlet'] as const;

function ProfileChart({ title, buckets, name }: { title: string; buckets: Bucket[]; name: (b: Bucket) => string }) {
  const top = buckets.slice(0, 12);
  return (
    <Card size="small" title={title}>
      <Chart
        height={240}
        option={{
          grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
          tooltip: { trigger: 'axis' },
          xAxis: { type: 'value' },
          yAxis: { type: 'category', inverse: true, data: top.map(name) },
          series: [{ type: 'bar', data: top.map((b) => b.customers) }],
        }}
      />
    </Card>
  );
}

/** 目标客户群: size and profile at once, live or frozen, the customers, export, hand-off to managers, a campaign. */
export function SegmentPage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const { can } = useSession();
  const action = useAction();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const [params] = useSearchParams();
  const managerId = params.get('managerId') ? Number(params.get('managerId')) : undefined;
  const valueName = useValueName();
  const [seg, setSeg] = useState<Detail>();
  const [members, setMembers] = useState<{ items: Member[]; total: number }>();
  const [page, setPage] = useState(1);
  const [dialog, setDialog] = useState<'tasks' | 'campaign'>();
  const [form] = Form.useForm();

  const load = useCallback(() => call(api.GET('/api/analysis/segments/{id}', { params: { path: { id } } })).then(setSeg), [id]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    void callList(api.GET('/api/analysis/segments/{id}/members', { params: { path: { id }, query: { offset: (page - 1) * 20, limit: 20, managerId } } })).then(setMembers);
  }, [id, page, managerId, seg?.version]);

  if (!seg) return <PageContainer loading />;
  const p = seg.profile;
  const setMode = (mode: 'live' | 'frozen') => void action(() => call(api.POST('/api/analysis/segments/{id}/mode', { params: { path: { id } }, body: { version: seg.version, mode } })).then(load));
  const exportAs = (format: 'csv' | 'xlsx', pii = false) => {
    // the server refuses a larger group (413) and a download link would only fail: said here instead
    if (p.size > seg.exportLimit) {
      message.error(t('seg.exportTooLarge', { size: p.size.toLocaleString(), limit: seg.exportLimit.toLocaleString() }));
      return;
    }
    download(downloadUrl(`/api/analysis/segments/${id}/export`, { format, pii: pii ? 'true' : undefined }));
  };

  const submit = async () => {
    const v = await form.validateFields();
    if (dialog === 'tasks') {
      await action(async () => {
        const r = await call(api.POST('/api/analysis/segments/{id}/tasks', { params: { path: { id } }, body: { title: v.title, description: v.description, dueOn: v.dueOn.format('YYYY-MM-DD') } }));
        message.success(t('seg.handOffDone', { tasks: r.tasks.length, skipped: r.skipped.length, unassigned: r.unassigned }));
        setDialog(undefined);
      });
    } else {
      await action(async () => {
        const c = await call(
          api.POST('/api/analysis/campaigns', { body: { name: v.name, channel: v.channel, offer: v.offer, startsOn: v.period[0].format('YYYY-MM-DD'), endsOn: v.period[1].format('YYYY-MM-DD'), segmentId: id } }),
        );
        navigate(`/analysis/campaigns/${c.id}`);
      }, { success: t('camp.created') });
    }
  };

  return (
    <PageContainer
      title={seg.name}
      subTitle={<ModeTag segment={seg} />}
      onBack={() => navigate('/analysis/segments')}
      data-testid="seg-page"
      extra={
        <Space wrap>
          {seg.mine && (seg.mode === 'live' ? <Button onClick={() => setMode('frozen')}>{t('seg.freeze')}</Button> : <Button onClick={() => setMode('live')}>{t('seg.makeLive')}</Button>)}
          {seg.mine && seg.mode === 'frozen' && <Button onClick={() => setMode('frozen')}>{t('seg.refreeze')}</Button>}
          {can('customers.export') && (
            <Dropdown
              menu={{
                items: [
                  { key: 'csv', label: 'CSV', onClick: () => exportAs('csv') },
                  { key: 'xlsx', label: 'Excel (.xlsx)', onClick: () => exportAs('xlsx') },
                  ...(can('customers.export_pii') ? [{ key: 'pii', label: t('seg.exportPii'), onClick: () => exportAs('xlsx', true) }] : []),
                ],
              }}
            >
              <Button data-testid="seg-export">{t('seg.export')}</Button>
            </Dropdown>
          )}
          {can('analysis.campaigns') && (
            <Button
              onClick={() => {
                form.resetFields();
                setDialog('tasks');
              }}
            >
              {t('seg.handOff')}
            </Button>
          )}
          {can('analysis.campaigns') && (
            <Button
              type="primary"
              onClick={() => {
                form.resetFields();
                setDialog('campaign');
              }}
            >
              {t('seg.makeCampaign')}
            </Button>
          )}
          {seg.mine && (
            <Button danger onClick={() => void action(() => call(api.DELETE('/api/analysis/segments/{id}', { params: { path: { id }, query: { version: seg.version } } })).then(() => navigate('/analysis/segments')))}>
              {t('seg.delete')}
            </Button>
          )}
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Card size="small">
          <Row gutter={16}>
            <Col span={6}>
              <Statistic title={t('seg.size')} value={p.size} data-testid="seg-size" />
            </Col>
            <Col span={6}>
              <Statistic title={t('seg.avgBilled', { month: p.latestMonth })} value={p.avgBilled ?? '—'} precision={2} />
            </Col>
            <Col span={12}>
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('seg.owner')}>{`${seg.ownerName} · ${localUnit(locale, seg)}`}</Descriptions.Item>
                {seg.frozenAt && <Descriptions.Item label={t('seg.mode')}>{t('seg.frozenAt', { at: formatDateTime(seg.frozenAt), count: (seg.frozenSize ?? 0).toLocaleString() })}</Descriptions.Item>}
              </Descriptions>
            </Col>
          </Row>
        </Card>
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <ProfileChart title={t('seg.byLevel')} buckets={p.byLevel} name={(b) => (b.key ? valueName('level', b.key) : t('aq.unrated'))} />
          </Col>
          <Col xs={24} lg={12}>
            <ProfileChart title={t('seg.byIndustry')} buckets={p.byIndustry} name={(b) => (b.key ? valueName('industry', b.key) : t('seg.none'))} />
          </Col>
          <Col xs={24} lg={12}>
            <ProfileChart title={t('seg.byCity')} buckets={p.byCity} name={(b) => localName(locale, { name: b.label ?? t('seg.none'), nameEn: b.labelEn })} />
          </Col>
          <Col xs={24} lg={12}>
            <ProfileChart title={t('seg.byKind')} buckets={p.byKind} name={(b) => valueName('kind', b.key)} />
          </Col>
        </Row>
        <Card size="small" title={t('seg.members')}>
          <Table
            rowKey="id"
            size="small"
            dataSource={members?.items}
            loading={!members}
            pagination={{ current: page, pageSize: 20, total: members?.total, showSizeChanger: false, onChange: setPage }}
            columns={[
              { title: t('aq.col.customerNo'), dataIndex: 'customerNo', width: 150 },
              { title: t('aq.col.name'), dataIndex: 'name' },
              { title: t('aq.col.kind'), dataIndex: 'kind', width: 110, render: (v: string) => valueName('kind', v) },
              { title: t('aq.col.unit'), dataIndex: 'unitName', width: 140, render: (_: string, m: Member) => localUnit(locale, m) },
              { title: t('aq.col.manager'), dataIndex: 'managerName', width: 100 },
              { title: t('aq.col.level'), dataIndex: 'level', width: 90, render: (v: string | null) => (v ? valueName('level', v) : t('aq.unrated')) },
            ]}
          />
        </Card>
      </Space>
      <Modal open={dialog !== undefined} title={dialog === 'tasks' ? t('seg.handOff') : t('seg.makeCampaign')} onOk={() => void submit()} onCancel={() => setDialog(undefined)} destroyOnHidden>
        <Form form={form} layout="vertical">
          {dialog === 'tasks' ? (
            <>
              <p>{t('seg.handOffHint')}</p>
              <Form.Item name="title" label={t('seg.title')} rules={[{ required: true, max: 200 }]}>
                <Input />
              </Form.Item>
              <Form.Item name="description" label={t('seg.description')}>
                <Input.TextArea rows={3} />
              </Form.Item>
              <Form.Item name="dueOn" label={t('seg.dueOn')} rules={[{ required: true }]} initialValue={dayjs().add(14, 'day')}>
                <DatePicker />
              </Form.Item>
            </>
          ) : (
            <>
              <Form.Item name="name" label={t('camp.name')} rules={[{ required: true, max: 100 }]}>
                <Input />
              </Form.Item>
              <Form.Item name="channel" label={t('camp.channel')} rules={[{ required: true }]} initialValue="visit">
                <Select options={CHANNELS.map((c) => ({ value: c, label: t(`camp.channel.${c}`) }))} />
              </Form.Item>
              <Form.Item name="period" label={t('camp.period')} rules={[{ required: true }]} initialValue={[dayjs(), dayjs().add(30, 'day')]}>
                <DatePicker.RangePicker />
              </Form.Item>
              <Form.Item name="offer" label={t('camp.offer')} rules={[{ required: true, max: 2000 }]}>
                <Input.TextArea rows={3} />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </PageContainer>
  );
}
