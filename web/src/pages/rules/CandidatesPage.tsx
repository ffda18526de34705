import { PageContainer, ProFormSelect, ProFormTextArea, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Space, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, call, callList, type Schemas } from '../../api/client';
import type { paths } from '../../api/schema';
import { useSession } from '../../app/session';
import { EntityModalForm, tid, useEditor } from '../../components/EntityModalForm';
import { formatMoney } from '../../components/format';
import { listTableProps, valueEnumOf } from '../../components/listTable';
import { usePagedRequest } from '../../components/pagedRequest';
import { localUnit, useI18n } from '../../i18n';
import { codeLabel } from '../customers/codes';
import { GROUP_CLASSES, RATED_STARS, levelLabel, type Level } from './common';
import { DecisionCell } from './DecisionCell';

type Candidate = Schemas['PotentialCandidate'];
type Query = NonNullable<paths['/api/rules/candidates']['get']['parameters']['query']>;
type Decision = 'confirm' | 'reject';

const STATUS_COLOR: Record<Candidate['status'], string> = { open: 'blue', confirmed: 'green', rejected: 'default' };
const BY = ['spend', 'growth', 'employees', 'members'] as const;

/** What qualified a candidate, from the run's `reasons` (spend, growth, employees, members). */
function Reasons({ c }: { c: Candidate }) {
  const { t } = useI18n();
  const r = c.reasons as { by?: string[]; avgPaid?: string; earlierAvgPaid?: string; growthPct?: number | null; employees?: number | null; members?: number };
  const by = new Set(r.by ?? []);
  const text: Record<(typeof BY)[number], string> = {
    spend: t('rules.candidates.by.spend', { avg: formatMoney(r.avgPaid ?? null) }),
    growth: t('rules.candidates.by.growth', { pct: r.growthPct ?? '-', earlier: formatMoney(r.earlierAvgPaid ?? null) }),
    employees: t('rules.candidates.by.employees', { n: r.employees ?? '-' }),
    members: t('rules.candidates.by.members', { n: r.members ?? 0 }),
  };
  return (
    <Space size={[4, 4]} wrap>
      {BY.filter((k) => by.has(k)).map((k) => (
        <Tag key={k} color="purple">
          {text[k]}
        </Tag>
      ))}
      <Tooltip title={BY.filter((k) => !by.has(k)).map((k) => text[k]).join('；')}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('rules.candidates.more')}
        </Typography.Text>
      </Tooltip>
    </Space>
  );
}

interface DecisionValues {
  level?: Level;
  note?: string;
}

/** 潜在大客户: the candidates the monthly runs found; confirm with a level or reject with a reason. */
export function CandidatesPage() {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const decide = can('candidates.decide');
  const table = useRef<ActionType>(null);
  const editor = useEditor<{ candidate: Candidate; decision: Decision }>();
  const [status, setStatus] = useState<Candidate['status']>('open');
  const reload = () => table.current?.reload();

  const load = useCallback(async (query: Record<string, unknown> & { offset: number; limit: number }) => {
    const q: Query = { offset: query.offset, limit: query.limit };
    if (typeof query.status === 'string') q.status = query.status as Query['status'];
    if (typeof query.month === 'string' && /^\d{4}-\d{2}/.test(query.month)) q.month = query.month.slice(0, 7);
    setStatus(q.status ?? 'open');
    return callList(api.GET('/api/rules/candidates', { params: { query: q } }));
  }, []);
  const request = usePagedRequest<Candidate>(load);

  const columns: ProColumns<Candidate>[] = [
    {
      title: t('common.status'),
      dataIndex: 'status',
      hideInTable: true,
      valueType: 'select',
      initialValue: 'open',
      fieldProps: { allowClear: false, ...tid('candidates-search-status') },
      valueEnum: valueEnumOf(['open', 'confirmed', 'rejected'] as const, (s) => t(`rules.candidates.status.${s}`)),
    },
    { title: t('rules.month'), dataIndex: 'month', valueType: 'dateMonth', width: 100, render: (_, c) => c.month },
    { title: t('rules.customerNo'), dataIndex: 'customerNo', search: false, width: 150 },
    {
      title: t('rules.customerName'),
      dataIndex: 'customerName',
      search: false,
      ellipsis: true,
      render: (_, c) => (
        <Link to={`/customers/${c.customerId}`} {...tid(`candidate-link-${c.id}`)}>
          {c.customerName}
        </Link>
      ),
    },
    { title: t('rules.candidates.kind'), dataIndex: 'kind', search: false, width: 100, render: (_, c) => codeLabel(t, 'kind', c.kind) },
    { title: t('rules.candidates.unit'), dataIndex: 'unitName', search: false, width: 140, render: (_, c) => localUnit(locale, c) },
    { title: t('rules.candidates.manager'), dataIndex: 'managerName', search: false, width: 100, render: (_, c) => c.managerName ?? '-' },
    { title: t('rules.candidates.reasons'), dataIndex: 'reasons', search: false, width: 320, render: (_, c) => <Reasons c={c} /> },
    {
      title: t('rules.candidates.decision'),
      dataIndex: 'decidedAt',
      search: false,
      hideInTable: status === 'open',
      render: (_, c) => (
        <DecisionCell
          decided={c}
          tag={
            <Tag color={STATUS_COLOR[c.status]}>
              {t(`rules.candidates.status.${c.status}`)}
              {c.confirmedLevel ? ` · ${levelLabel(t, c.confirmedLevel)}` : ''}
            </Tag>
          }
        />
      ),
    },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 130,
      fixed: 'right',
      hideInTable: !decide || status !== 'open',
      render: (_, c) =>
        c.status === 'open'
          ? [
              <Typography.Link key="confirm" onClick={() => editor.open({ candidate: c, decision: 'confirm' })} {...tid(`candidate-confirm-${c.id}`)}>
                {t('rules.candidates.confirm')}
              </Typography.Link>,
              <Typography.Link key="reject" type="danger" onClick={() => editor.open({ candidate: c, decision: 'reject' })} {...tid(`candidate-reject-${c.id}`)}>
                {t('rules.candidates.reject')}
              </Typography.Link>,
            ]
          : [],
    },
  ];

  const target = editor.record;
  const levels = target?.candidate.kind === 'group' ? GROUP_CLASSES : RATED_STARS;
  return (
    <PageContainer title={t('rules.candidates.title')} content={t('rules.candidates.intro')} {...tid('rules-candidates-page')}>
      <ProTable<Candidate>
        {...tid('candidates-table')}
        rowKey="id"
        actionRef={table}
        columns={columns}
        request={request}
        {...listTableProps(t)}
        scroll={{ x: 1200 }}
      />
      <EntityModalForm<DecisionValues>
        open={editor.isOpen}
        onClose={editor.close}
        testId="candidate-form"
        title={
          target
            ? t(target.decision === 'confirm' ? 'rules.candidates.confirmTitle' : 'rules.candidates.rejectTitle', { name: target.candidate.customerName })
            : ''
        }
        success={target?.decision === 'confirm' ? t('rules.candidates.confirmed') : t('rules.candidates.rejected')}
        onConflict={reload}
        onSubmit={async (v) => {
          if (!target) return;
          await call(
            api.POST('/api/rules/candidates/{id}/decision', {
              params: { path: { id: target.candidate.id } },
              body: { version: target.candidate.version, decision: target.decision, level: target.decision === 'confirm' ? v.level : undefined, note: v.note?.trim() || null },
            }),
          );
          reload();
        }}
      >
        {target?.decision === 'confirm' && (
          <>
            <Typography.Paragraph type="secondary">{t('rules.candidates.confirmHint')}</Typography.Paragraph>
            <ProFormSelect
              name="level"
              label={t('rules.level')}
              rules={[{ required: true, message: t('common.required') }]}
              options={levels.map((l) => ({ value: l, label: levelLabel(t, l) }))}
              fieldProps={tid('candidate-form-level')}
            />
          </>
        )}
        <ProFormTextArea
          name="note"
          label={target?.decision === 'reject' ? t('rules.candidates.rejectReason') : t('rules.note')}
          fieldProps={{ rows: 3, maxLength: 500, showCount: true, ...tid('candidate-form-note') }}
          rules={target?.decision === 'reject' ? [{ required: true, whitespace: true, min: 2, message: t('rules.candidates.reasonRequired') }] : undefined}
        />
      </EntityModalForm>
    </PageContainer>
  );
}
