import { EditOutlined, PlusOutlined, SwapOutlined } from '@ant-design/icons';
import { PageContainer, ProFormDatePicker, ProFormDigit, ProFormSelect, ProFormText, ProFormTextArea, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Button, Card, Col, Descriptions, Empty, Popconfirm, Result, Row, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, call, callList, type CustomerSummary } from '../../../api/client';
import type { paths } from '../../../api/schema';
import { useApi } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { Chart, type ChartOption } from '../../../components/Chart';
import { EntityModalForm, tid, useEditor } from '../../../components/EntityModalForm';
import { formatDateTime, formatMoney, today } from '../../../components/format';
import { usePagedRequest } from '../../../components/pagedRequest';
import { useAction } from '../../../components/useSubmit';
import { localUnit, useI18n, type MessageKey } from '../../../i18n';
import { codeLabel } from '../../customers/codes';
import { ExpiryTag, GRADES, GradeTag, gradeName, monthOf, SKILLS, skillName, tenureText, type Certification, type Grade, type ManagerDetail, type Skill } from './common';
import { MoveWizard } from './MoveWizard';

const dayOf = (value: unknown) => (value ? dayjs(value as string).format('YYYY-MM-DD') : null);

/** 经理档案详情: the profile (heads edit it), certifications with their expiry, the portfolio's figures and trend, and the customers held. */
export function ManagerPage() {
  const { id } = useParams();
  const managerId = Number(id);
  const { t, locale } = useI18n();
  const { can } = useSession();
  const remote = useApi('/api/managers/{id}', { path: { id: managerId } });
  const m = remote.data as ManagerDetail | undefined;
  const reload = () => void remote.mutate();

  if (remote.error) return <Result status={remote.error.status === 404 ? '404' : 'error'} title={remote.error.message} />;
  if (!m) return <Spin style={{ margin: 48 }} />;
  return (
    <PageContainer
      title={
        <Space>
          <span {...tid('manager-name')}>{m.displayName}</span>
          <span {...tid('manager-grade')}>
            <GradeTag grade={m.grade} t={t} />
          </span>
        </Space>
      }
      content={localUnit(locale, m)}
      {...tid('manager-page')}
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Profile manager={m} canEdit={can('managers.edit')} onChanged={reload} />
        </Col>
        <Col xs={24} xl={14}>
          <Portfolio manager={m} />
        </Col>
        <Col span={24}>
          <Certifications manager={m} canEdit={can('managers.edit')} onChanged={reload} />
        </Col>
        {can('managers.read') && can('customers.read') && (
          <Col span={24}>
            <Customers manager={m} canMove={can('customers.assign')} onMoved={reload} />
          </Col>
        )}
      </Row>
    </PageContainer>
  );
}

interface ProfileValues {
  grade: Grade;
  startedOn?: string;
  skills: Skill[];
  maxPortfolio?: number;
  note?: string;
}

function Profile({ manager: m, canEdit, onChanged }: { manager: ManagerDetail; canEdit: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  const editor = useEditor<ManagerDetail>();
  return (
    <Card
      size="small"
      title={t('managerProfiles.profile')}
      extra={
        canEdit && (
          <Button size="small" icon={<EditOutlined />} onClick={() => editor.open(m)} {...tid('manager-profile-edit')}>
            {t('managerProfiles.editProfile')}
          </Button>
        )
      }
      style={{ height: '100%' }}
    >
      {m.profileVersion === 0 && <Typography.Paragraph type="secondary">{t('managerProfiles.notRecorded')}</Typography.Paragraph>}
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('managerProfiles.grade')}>
          <GradeTag grade={m.grade} t={t} />
        </Descriptions.Item>
        <Descriptions.Item label={t('managerProfiles.tenure')}>
          {tenureText(t, m.tenureMonths)}
          {m.startedOn && <Typography.Text type="secondary">{` (${t('managerProfiles.startedOn')} ${m.startedOn})`}</Typography.Text>}
        </Descriptions.Item>
        <Descriptions.Item label={t('managerProfiles.skills')}>
          <Space size={[0, 4]} wrap>
            {m.skills.length ? m.skills.map((s) => <Tag key={s}>{skillName(t, s)}</Tag>) : '-'}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('managerProfiles.maxPortfolio')}>{m.maxPortfolio ?? '-'}</Descriptions.Item>
        <Descriptions.Item label={t('managerProfiles.phone')}>{m.phone ?? '-'}</Descriptions.Item>
        <Descriptions.Item label={t('managerProfiles.email')}>{m.email ?? '-'}</Descriptions.Item>
        {m.note && <Descriptions.Item label={t('managerProfiles.note')}>{m.note}</Descriptions.Item>}
        {m.profileUpdatedAt && <Descriptions.Item label={t('managerProfiles.updatedAt')}>{formatDateTime(m.profileUpdatedAt)}</Descriptions.Item>}
      </Descriptions>
      <EntityModalForm<ProfileValues>
        open={editor.isOpen}
        onClose={editor.close}
        testId="manager-profile-form"
        title={t('managerProfiles.editTitle', { name: m.displayName })}
        initialValues={{ grade: m.grade ?? 'junior', startedOn: m.startedOn ?? undefined, skills: m.skills, maxPortfolio: m.maxPortfolio ?? undefined, note: m.note ?? undefined }}
        success={t('common.saved')}
        onConflict={onChanged}
        onSubmit={async (v) => {
          await call(
            api.PATCH('/api/managers/{id}/profile', {
              params: { path: { id: m.id } },
              body: { version: m.profileVersion, grade: v.grade, startedOn: dayOf(v.startedOn), skills: v.skills ?? [], maxPortfolio: v.maxPortfolio ?? null, note: v.note?.trim() || null },
            }),
          );
          onChanged();
        }}
      >
        <ProFormSelect
          name="grade"
          label={t('managerProfiles.grade')}
          options={GRADES.map((g) => ({ value: g, label: gradeName(t, g) }))}
          rules={[{ required: true, message: t('common.required') }]}
          fieldProps={tid('manager-profile-grade')}
        />
        <ProFormDatePicker name="startedOn" label={t('managerProfiles.startedOn')} fieldProps={{ format: 'YYYY-MM-DD', disabledDate: (d: dayjs.Dayjs) => d.isAfter(dayjs(today()), 'day'), ...tid('manager-profile-started') }} />
        <ProFormSelect name="skills" label={t('managerProfiles.skills')} mode="multiple" options={SKILLS.map((s) => ({ value: s, label: skillName(t, s) }))} fieldProps={tid('manager-profile-skills')} />
        <ProFormDigit name="maxPortfolio" label={t('managerProfiles.maxPortfolio')} min={1} max={100000} fieldProps={{ precision: 0, ...tid('manager-profile-max') }} />
        <ProFormTextArea name="note" label={t('managerProfiles.note')} fieldProps={{ maxLength: 1000, ...tid('manager-profile-note') }} />
      </EntityModalForm>
    </Card>
  );
}

function Portfolio({ manager: m }: { manager: ManagerDetail }) {
  const { t } = useI18n();
  const option: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 72, right: 16, top: 24, bottom: 28 },
      xAxis: { type: 'category', data: m.trend.map((p) => monthOf(p.month)) },
      yAxis: { type: 'value', name: t('managerProfiles.trendYuan') },
      series: [{ name: t('managerProfiles.trendYuan'), type: 'line', smooth: true, areaStyle: { opacity: 0.15 }, data: m.trend.map((p) => Number(p.value)) }],
    }),
    [m.trend, t],
  );
  const level = (l: string | null) => (l ? t(`rules.level.${l}` as MessageKey) : t('managerProfiles.notRated'));
  return (
    <Card size="small" title={t('managerProfiles.portfolio')} style={{ height: '100%' }}>
      <Row gutter={16}>
        <Col span={8}>
          <Statistic title={t('managerProfiles.portfolioSize')} value={m.portfolioSize} valueStyle={m.overMax ? { color: '#cf1322' } : undefined} suffix={m.maxPortfolio ? `/ ${m.maxPortfolio}` : undefined} />
        </Col>
        <Col span={16}>
          <Statistic title={m.valueMonth ? t('managerProfiles.portfolioValueOf', { month: monthOf(m.valueMonth) }) : t('managerProfiles.portfolioValue')} value={formatMoney(m.portfolioValue)} />
        </Col>
      </Row>
      <Descriptions size="small" column={1} style={{ marginTop: 12 }}>
        <Descriptions.Item label={t('managerProfiles.byLevel')}>
          <Space size={[0, 4]} wrap>
            {m.byLevel.length ? m.byLevel.map((b) => <Tag key={b.level ?? 'none'}>{`${level(b.level)} ${b.customers}`}</Tag>) : '-'}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('managerProfiles.byArchive')}>
          <Space size={[0, 4]} wrap>
            {m.byArchive.length ? m.byArchive.map((b) => <Tag key={b.archive}>{`${codeLabel(t, 'archive', b.archive)} ${b.customers}`}</Tag>) : '-'}
          </Space>
        </Descriptions.Item>
      </Descriptions>
      <Typography.Text type="secondary">{t('managerProfiles.trend')}</Typography.Text>
      {m.trend.some((p) => Number(p.value) > 0) ? <Chart option={option} height={220} testId="manager-trend-chart" /> : <Empty description={t('managerProfiles.noValueMonth')} />}
    </Card>
  );
}

interface CertificationValues {
  name: string;
  issuer?: string;
  certificateNo?: string;
  issuedOn?: string;
  expiresOn?: string;
}

function Certifications({ manager: m, canEdit, onChanged }: { manager: ManagerDetail; canEdit: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  const editor = useEditor<Certification>();
  const act = useAction();
  const remove = (c: Certification) =>
    act(() => call(api.DELETE('/api/managers/{id}/certifications/{certificationId}', { params: { path: { id: m.id, certificationId: c.id } } })).then(onChanged), {
      success: t('managerProfiles.cert.deleted'),
    });
  const record = editor.record;
  return (
    <Card
      size="small"
      title={t('managerProfiles.cert.title')}
      extra={
        canEdit && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => editor.open()} {...tid('manager-cert-add')}>
            {t('managerProfiles.cert.add')}
          </Button>
        )
      }
    >
      <Table<Certification>
        {...tid('manager-certs')}
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={m.certificationList}
        locale={{ emptyText: t('managerProfiles.cert.none') }}
        columns={[
          { title: t('managerProfiles.cert.name'), dataIndex: 'name' },
          { title: t('managerProfiles.cert.issuer'), dataIndex: 'issuer', render: (v: string | null) => v ?? '-' },
          { title: t('managerProfiles.cert.no'), dataIndex: 'certificateNo', render: (v: string | null) => v ?? '-' },
          { title: t('managerProfiles.cert.issuedOn'), dataIndex: 'issuedOn', width: 110, render: (v: string | null) => v ?? '-' },
          { title: t('managerProfiles.cert.expiresOn'), dataIndex: 'expiresOn', width: 110, render: (v: string | null) => v ?? '-' },
          { title: t('managerProfiles.cert.status'), key: 'status', width: 130, render: (_, c) => <ExpiryTag expiresOn={c.expiresOn} t={t} testId={`manager-cert-status-${c.id}`} /> },
          ...(canEdit
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 130,
                  render: (_: unknown, c: Certification) => (
                    <Space>
                      <Typography.Link onClick={() => editor.open(c)} {...tid(`manager-cert-edit-${c.id}`)}>
                        {t('common.edit')}
                      </Typography.Link>
                      <Popconfirm title={t('managerProfiles.cert.confirmDelete')} onConfirm={() => remove(c)} okButtonProps={tid(`manager-cert-delete-confirm-${c.id}`)}>
                        <Typography.Link type="danger" {...tid(`manager-cert-delete-${c.id}`)}>
                          {t('common.delete')}
                        </Typography.Link>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <EntityModalForm<CertificationValues>
        open={editor.isOpen}
        onClose={editor.close}
        testId="manager-cert-form"
        title={record ? t('managerProfiles.cert.edit') : t('managerProfiles.cert.add')}
        initialValues={record ? { name: record.name, issuer: record.issuer ?? undefined, certificateNo: record.certificateNo ?? undefined, issuedOn: record.issuedOn ?? undefined, expiresOn: record.expiresOn ?? undefined } : {}}
        success={t('common.saved')}
        onConflict={onChanged}
        onSubmit={async (v) => {
          const fields = { name: v.name.trim(), issuer: v.issuer?.trim() || null, certificateNo: v.certificateNo?.trim() || null, issuedOn: dayOf(v.issuedOn), expiresOn: dayOf(v.expiresOn) };
          if (record) {
            await call(api.PATCH('/api/managers/{id}/certifications/{certificationId}', { params: { path: { id: m.id, certificationId: record.id } }, body: { version: record.version, ...fields } }));
          } else {
            await call(api.POST('/api/managers/{id}/certifications', { params: { path: { id: m.id } }, body: fields }));
          }
          onChanged();
        }}
      >
        <ProFormText name="name" label={t('managerProfiles.cert.name')} rules={[{ required: true, message: t('common.required') }]} fieldProps={{ maxLength: 100, ...tid('manager-cert-name') }} />
        <ProFormText name="issuer" label={t('managerProfiles.cert.issuer')} fieldProps={{ maxLength: 100, ...tid('manager-cert-issuer') }} />
        <ProFormText name="certificateNo" label={t('managerProfiles.cert.no')} fieldProps={{ maxLength: 60, ...tid('manager-cert-no') }} />
        <ProFormDatePicker name="issuedOn" label={t('managerProfiles.cert.issuedOn')} fieldProps={{ format: 'YYYY-MM-DD', ...tid('manager-cert-issued') }} />
        <ProFormDatePicker
          name="expiresOn"
          label={t('managerProfiles.cert.expiresOn')}
          dependencies={['issuedOn']}
          rules={[
            ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
              validator: (_: unknown, value?: string) => {
                const issued = dayOf(getFieldValue('issuedOn'));
                const expires = dayOf(value);
                return issued && expires && expires <= issued ? Promise.reject(new Error(t('managerProfiles.cert.expiryAfterIssue'))) : Promise.resolve();
              },
            }),
          ]}
          fieldProps={{ format: 'YYYY-MM-DD', ...tid('manager-cert-expires') }}
        />
      </EntityModalForm>
    </Card>
  );
}

type CustomerQuery = NonNullable<paths['/api/customers']['get']['parameters']['query']>;

/** 名下客户: the manager's customers (the customers list of this manager), chosen to be moved to another manager. */
function Customers({ manager: m, canMove, onMoved }: { manager: ManagerDetail; canMove: boolean; onMoved: () => void }) {
  const { t, locale } = useI18n();
  const table = useRef<ActionType>(null);
  const [selected, setSelected] = useState<number[]>([]);
  const [moving, setMoving] = useState(false);
  const load = useCallback(
    (query: { offset: number; limit: number }) => callList(api.GET('/api/customers', { params: { query: { managerId: m.id, offset: query.offset, limit: query.limit } as CustomerQuery } })),
    [m.id],
  );
  const request = usePagedRequest<CustomerSummary>(load);
  const columns: ProColumns<CustomerSummary>[] = [
    { title: t('customers.customerNo'), dataIndex: 'customerNo', width: 150 },
    { title: t('customers.name'), dataIndex: 'name', render: (_, c) => <Link to={`/customers/${c.id}`}>{c.name}</Link> },
    { title: t('customers.kind'), dataIndex: 'kind', width: 110, render: (_, c) => codeLabel(t, 'kind', c.kind) },
    { title: t('rules.level'), dataIndex: 'level', width: 100, render: (_, c) => (c.level ? t(`rules.level.${c.level}` as MessageKey) : '-') },
    { title: t('customers.region'), dataIndex: 'unitName', width: 180, render: (_, c) => localUnit(locale, c) },
  ];
  return (
    <>
      <ProTable<CustomerSummary>
        {...tid('manager-customers')}
        headerTitle={t('managerProfiles.customers')}
        rowKey="id"
        actionRef={table}
        columns={columns}
        request={request}
        search={false}
        size="small"
        cardBordered
        options={{ reload: true, density: false, setting: false }}
        pagination={{ defaultPageSize: 10, showTotal: (total) => t('common.total', { total }) }}
        rowSelection={canMove ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(Number)), preserveSelectedRowKeys: true } : undefined}
        tableAlertRender={false}
        toolBarRender={() => [
          canMove && (
            <Button key="move" icon={<SwapOutlined />} onClick={() => setMoving(true)} {...tid('manager-customers-move')}>
              {selected.length ? `${t('managerProfiles.moveSelected')} (${selected.length})` : t('managerProfiles.move')}
            </Button>
          ),
        ]}
      />
      <MoveWizard
        open={moving}
        onClose={() => setMoving(false)}
        fromManagerId={m.id}
        customerIds={selected.length ? selected : undefined}
        onMoved={() => {
          setSelected([]);
          table.current?.reload();
          onMoved();
        }}
      />
    </>
  );
}
