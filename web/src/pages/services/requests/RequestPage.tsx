import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { PageContainer, ProFormSelect, ProFormTextArea } from '@ant-design/pro-components';
import { App, Button, Card, Checkbox, Col, Descriptions, Empty, Input, List, Rate, Result, Row, Segmented, Space, Spin, Tag, Timeline, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError, call } from '../../../api/client';
import { useApi } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { EntityModalForm, tid, useEditor } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { useAction } from '../../../components/useSubmit';
import { localName, useI18n } from '../../../i18n';
import { SlaTag, StatusTag, typeName, type RequestDetail, type RequestStatus } from './common';

type Move = { to: Exclude<RequestStatus, 'new'>; reopen: boolean };

/** 工单详情: the request with its SLA clock, the moves open to the reader, assignment, the timeline, notes and replies, attachments. */
export function RequestPage() {
  const { id } = useParams();
  const requestId = Number(id);
  const remote = useApi('/api/services/requests/{id}', { path: { id: requestId } });
  const r = remote.data as RequestDetail | undefined;
  const reload = () => void remote.mutate();

  if (remote.error?.status === 404) return <Result status="404" title={remote.error.message} />;
  if (!r) return <Spin style={{ margin: 48 }} />;
  return (
    <PageContainer
      title={
        <Space>
          <span {...tid('request-no')}>{r.requestNo}</span>
          <StatusTag request={r} />
          <SlaTag request={r} />
        </Space>
      }
      content={r.title}
      {...tid('request-page')}
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <RequestFacts request={r} />
          <Timeline_ request={r} />
        </Col>
        <Col xs={24} xl={9}>
          <Actions request={r} onChanged={reload} />
          {r.survey && <SurveyCard request={r} onChanged={reload} />}
          <Attachments request={r} onChanged={reload} />
        </Col>
      </Row>
    </PageContainer>
  );
}

function RequestFacts({ request: r }: { request: RequestDetail }) {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const unit = (name: string, nameEn: string | null) => localName(locale, { name, nameEn });
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          {
            key: 'customer',
            label: t('requests.customer'),
            children: (
              <Space size={4} {...tid('request-customer')}>
                {can('customers.read') ? <Link to={`/customers/${r.customerId}`}>{r.customerName}</Link> : r.customerName}
                {r.customerLevel && <Tag color="gold">{t(`rules.level.${r.customerLevel}` as never)}</Tag>}
              </Space>
            ),
          },
          { key: 'type', label: t('requests.type'), children: typeName(t, r.type) },
          { key: 'channel', label: t('requests.channel'), children: t(`requests.channel.${r.channel}`) },
          { key: 'priority', label: t('requests.priority'), children: t(`requests.priority.${r.priority}`) },
          { key: 'area', label: t('requests.areaKind'), children: t(`sla.area.${r.areaKind}`) },
          {
            key: 'raised',
            label: t('requests.raisedUnit'),
            children: (
              <Space size={4}>
                {unit(r.raisedUnitName, r.raisedUnitNameEn)}
                {r.crossRegion && <Tag color="purple">{t('requests.crossRegion')}</Tag>}
              </Space>
            ),
          },
          { key: 'handling', label: t('requests.handlingUnit'), children: unit(r.handlingUnitName, r.handlingUnitNameEn) },
          { key: 'owner', label: t('requests.owner'), children: <span {...tid('request-owner')}>{r.ownerName ?? t('requests.unassigned')}</span> },
          { key: 'created', label: t('requests.createdAt'), children: `${formatDateTime(r.createdAt)} · ${r.createdByName ?? '-'}` },
          { key: 'respond', label: t('requests.respondDueAt'), children: r.respondDueAt ? formatDateTime(r.respondDueAt) : t('requests.noDeadline') },
          { key: 'resolve', label: t('requests.resolveDueAt'), children: <span {...tid('request-resolve-due')}>{r.resolveDueAt ? formatDateTime(r.resolveDueAt) : t('requests.noDeadline')}</span> },
          ...(r.feeWaivedMonth ? [{ key: 'waived', label: t('requests.event.fee_waived'), children: <Tag color="green" {...tid('request-fee-waived')}>{t('requests.feeWaived', { month: r.feeWaivedMonth })}</Tag> }] : []),
          ...(r.breachReason ? [{ key: 'breach', label: t('requests.breachReason'), children: r.breachReason }] : []),
          ...(r.reopenCount ? [{ key: 'reopened', label: t('requests.event.reopened'), children: t('requests.reopenCount', { n: r.reopenCount }) }] : []),
          { key: 'description', label: t('requests.description'), span: 2, children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{r.description || '-'}</Typography.Paragraph> },
        ]}
      />
    </Card>
  );
}

// named with an underscore: antd's Timeline is used inside
function Timeline_({ request: r }: { request: RequestDetail }) {
  const { t } = useI18n();
  const color = (kind: string) => (kind === 'sla_breach' ? 'red' : kind === 'sla_warning' ? 'orange' : kind === 'reply' || kind === 'fee_waived' ? 'green' : 'blue');
  return (
    <Card size="small" title={t('requests.timeline')} {...tid('request-timeline')}>
      <Timeline
        items={r.events.map((e) => ({
          color: color(e.kind),
          children: (
            <div {...tid(`request-event-${e.id}`)} data-kind={e.kind}>
              <Space size={6} wrap>
                <Typography.Text strong>{t(`requests.event.${e.kind}`)}</Typography.Text>
                {e.fromStatus && e.toStatus && (
                  <Typography.Text type="secondary">
                    {t(`requests.status.${e.fromStatus}`)} → {t(`requests.status.${e.toStatus}`)}
                  </Typography.Text>
                )}
                {e.kind === 'fee_waived' && typeof e.detail?.month === 'string' && <Tag color="green">{t('requests.feeWaived', { month: e.detail.month })}</Tag>}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(e.createdAt)} {e.actorName ?? ''}
                </Typography.Text>
              </Space>
              {e.body && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0 0' }}>{e.body}</Typography.Paragraph>}
            </div>
          ),
        }))}
      />
    </Card>
  );
}

function Actions({ request: r, onChanged }: { request: RequestDetail; onChanged: () => void }) {
  const { t } = useI18n();
  const { can, me } = useSession();
  const act = useAction();
  const mover = useEditor<Move>();
  const assigner = useEditor<void>();
  const [kind, setKind] = useState<'note' | 'reply'>('note');
  const [body, setBody] = useState('');
  const handles = can('services.handle');
  const open = r.status !== 'closed';
  const handlers = useApi('/api/services/requests/{id}/handlers', assigner.isOpen ? { path: { id: r.id } } : null);

  const moveTo = (to: Move['to']) => {
    const reopen = (r.status === 'resolved' || r.status === 'closed') && to === 'in_progress';
    if (reopen || to === 'resolved') mover.open({ to, reopen });
    else void act(() => call(api.POST('/api/services/requests/{id}/transition', { params: { path: { id: r.id } }, body: { version: r.version, to } })).then(onChanged), { success: t('requests.moved', { status: t(`requests.status.${to}`) }), onConflict: onChanged });
  };
  const take = () =>
    act(() => call(api.POST('/api/services/requests/{id}/assignment', { params: { path: { id: r.id } }, body: { version: r.version, ownerId: me!.id } })).then(onChanged), { success: t('requests.assigned'), onConflict: onChanged });
  const addNote = () =>
    act(
      () =>
        call(api.POST('/api/services/requests/{id}/comments', { params: { path: { id: r.id } }, body: { kind, body } })).then(() => {
          setBody('');
          onChanged();
        }),
      {},
    );

  if (!handles) return null;
  return (
    <Card size="small" style={{ marginBottom: 16 }} {...tid('request-actions')}>
      <Space wrap style={{ marginBottom: 12 }}>
        {r.allowedMoves.filter((to): to is Move['to'] => to !== 'new').map((to) => {
          const reopen = (r.status === 'resolved' || r.status === 'closed') && to === 'in_progress';
          return (
            <Button key={to} type={to === 'resolved' ? 'primary' : 'default'} onClick={() => moveTo(to)} {...tid(`request-move-${to}`)}>
              {reopen ? t('requests.move.reopen') : t(`requests.move.${to}`)}
            </Button>
          );
        })}
        {open && r.ownerId !== me?.id && (
          <Button onClick={take} {...tid('request-take')}>
            {t('requests.take')}
          </Button>
        )}
        {open && can('services.manage') && (
          <Button onClick={() => assigner.open()} {...tid('request-assign')}>
            {t('requests.assign')}
          </Button>
        )}
      </Space>
      {open && (
        <Space.Compact direction="vertical" style={{ width: '100%' }}>
          <Segmented<'note' | 'reply'> value={kind} onChange={setKind} options={[{ value: 'note', label: t('requests.event.note') }, { value: 'reply', label: t('requests.event.reply') }]} {...tid('request-note-kind')} />
          <Input.TextArea rows={3} value={body} maxLength={5000} onChange={(e) => setBody(e.target.value)} placeholder={t('requests.notePlaceholder')} style={{ marginTop: 8 }} {...tid('request-note-body')} />
          <Button disabled={!body.trim()} onClick={addNote} style={{ marginTop: 8, alignSelf: 'flex-end' }} {...tid('request-note-add')}>
            {t('requests.addNote')}
          </Button>
        </Space.Compact>
      )}
      <EntityModalForm<{ note?: string }>
        // a fresh form for each move of each version: no note left over from the last one
        key={`${r.version}-${mover.record?.to ?? ''}`}
        open={mover.isOpen}
        onClose={mover.close}
        title={mover.record ? (mover.record.reopen ? t('requests.move.reopen') : t(`requests.move.${mover.record.to}`)) : ''}
        testId="request-move-form"
        onSubmit={(v) =>
          call(api.POST('/api/services/requests/{id}/transition', { params: { path: { id: r.id } }, body: { version: r.version, to: mover.record!.to, note: v.note } })).then(onChanged)
        }
        success={mover.record ? t('requests.moved', { status: t(`requests.status.${mover.record.to}`) }) : ''}
        onConflict={onChanged}
      >
        <ProFormTextArea
          name="note"
          label={mover.record?.reopen ? t('requests.moveNoteReopen') : t('requests.moveNoteResolved')}
          rules={mover.record?.reopen ? [{ required: true }] : []}
          fieldProps={{ maxLength: 2000, rows: 4, ...tid('request-move-note') }}
        />
      </EntityModalForm>
      <EntityModalForm<{ ownerId: number }>
        open={assigner.isOpen}
        onClose={assigner.close}
        title={t('requests.assignTitle')}
        testId="request-assign-form"
        onSubmit={(v) => call(api.POST('/api/services/requests/{id}/assignment', { params: { path: { id: r.id } }, body: { version: r.version, ownerId: v.ownerId } })).then(onChanged)}
        success={t('requests.assigned')}
        onConflict={onChanged}
      >
        <ProFormSelect
          name="ownerId"
          label={t('requests.assignTo')}
          rules={[{ required: true }]}
          showSearch
          options={(handlers.data ?? []).map((h) => ({ value: h.id, label: `${h.displayName} · ${h.unitName}` }))}
          fieldProps={tid('request-assign-owner')}
        />
      </EntityModalForm>
    </Card>
  );
}

function Attachments({ request: r, onChanged }: { request: RequestDetail; onChanged: () => void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const upload = async (file: File) => {
    const form = new FormData();
    form.append('file', file);
    try {
      await call(api.POST('/api/services/requests/{id}/attachments', { params: { path: { id: r.id } }, body: form as never, bodySerializer: (b: unknown) => b as FormData }));
      message.success(t('requests.uploaded', { name: file.name }));
      onChanged();
    } catch (e) {
      message.error(e instanceof ApiError ? [e.message, ...e.fieldErrors.map((f) => f.message)].join('；') : String(e));
    }
  };
  return (
    <Card
      size="small"
      title={t('requests.attachments')}
      {...tid('request-attachments')}
      extra={
        can('services.handle') && r.status !== 'closed' ? (
          <Upload showUploadList={false} beforeUpload={(file) => (void upload(file), false)} accept=".png,.jpg,.jpeg,.gif,.pdf,.xlsx,.docx,.txt,.csv">
            <Button size="small" icon={<UploadOutlined />} {...tid('request-upload')}>
              {t('requests.upload')}
            </Button>
          </Upload>
        ) : null
      }
    >
      {r.attachments.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('requests.uploadHint')} />
      ) : (
        <List
          size="small"
          dataSource={r.attachments}
          renderItem={(a) => (
            <List.Item>
              <Space>
                <PaperClipOutlined />
                <a href={`/api/services/requests/${r.id}/attachments/${a.id}`} {...tid(`request-attachment-${a.id}`)}>
                  {a.fileName}
                </a>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {Math.ceil(a.size / 1024)} KB · {a.uploadedByName ?? ''} · {formatDateTime(a.createdAt)}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

/** 满意度回访: the survey sent at closing; an agent keys in the customer's answer (a low score or a complaint reopens the request). */
function SurveyCard({ request: r, onChanged }: { request: RequestDetail; onChanged: () => void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const act = useAction();
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [complaint, setComplaint] = useState(false);
  const s = r.survey!;
  const save = () =>
    act(() => call(api.POST('/api/services/requests/{id}/survey', { params: { path: { id: r.id } }, body: { score, comment: comment || null, complaint } })).then(onChanged), {
      success: t('requests.surveySaved'),
    });
  return (
    <Card size="small" title={t('requests.survey')} style={{ marginBottom: 16 }} {...tid('request-survey')}>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t(`requests.survey.${s.channel}`)} · {formatDateTime(s.sentAt)}
      </Typography.Paragraph>
      {s.answeredAt ? (
        <Space direction="vertical" size={4}>
          <Rate disabled value={s.score ?? 0} {...tid('request-survey-score')} />
          {s.complaint && <Tag color="red">{t('requests.surveyComplaint')}</Tag>}
          {s.comment && <Typography.Text>{s.comment}</Typography.Text>}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatDateTime(s.answeredAt)}
          </Typography.Text>
        </Space>
      ) : can('services.handle') ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Rate value={score} onChange={setScore} {...tid('request-survey-rate')} />
          <Input.TextArea rows={2} maxLength={1000} value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('requests.surveyComment')} />
          <Checkbox checked={complaint} onChange={(e) => setComplaint(e.target.checked)} {...tid('request-survey-complaint')}>
            {t('requests.surveyComplaint')}
          </Checkbox>
          <Button type="primary" disabled={score === 0} onClick={save} {...tid('request-survey-save')}>
            {t('requests.surveySave')}
          </Button>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('requests.surveyHint')}
          </Typography.Text>
        </Space>
      ) : (
        <Typography.Text type="secondary">{t('requests.surveyWaiting')}</Typography.Text>
      )}
    </Card>
  );
}
