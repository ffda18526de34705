import { ProFormTextArea } from '@ant-design/pro-components';
import { Button, Popconfirm, Space } from 'antd';
import { api, call } from '../../../api/client';
import { useSession } from '../../../app/session';
import { EntityModalForm, tid, useEditor } from '../../../components/EntityModalForm';
import { useAction } from '../../../components/useSubmit';
import { useI18n } from '../../../i18n';
import type { Solution, SolutionStatus } from './common';

/** A move forward along the flow (confirmed with one click); lost asks for its reason instead. */
type Forward = Exclude<SolutionStatus, 'draft' | 'lost'>;
const isForward = (s: SolutionStatus): s is Forward => s !== 'draft' && s !== 'lost';

interface Props {
  solution: Solution;
  /** The solution as the server answered the move. */
  onChanged: (s: Solution) => void;
  /** A stale version: read the solution again. */
  onConflict: () => void;
}

/** 推进方案: the moves the status flow allows from here (提交客户, 进入洽谈, 签约 after a confirmation; 标记丢单 with its reason). */
export function StatusActions({ solution: s, onChanged, onConflict }: Props) {
  const { t } = useI18n();
  const { can } = useSession();
  const act = useAction();
  const loser = useEditor<void>();
  if (!can('solutions.edit') || s.nextStatuses.length === 0) return null;

  const move = (status: SolutionStatus, reason?: string) =>
    call(api.POST('/api/solutions/{id}/status', { params: { path: { id: s.id } }, body: { version: s.version, status, ...(reason && { reason }) } })).then(onChanged);

  return (
    <Space wrap>
      {s.nextStatuses.filter(isForward).map((to) => (
        <Popconfirm
          key={to}
          title={t(`solutions.confirm.${to}`)}
          okButtonProps={tid(`solution-move-confirm-${to}`)}
          onConfirm={() => act(() => move(to), { success: t(`solutions.done.${to}`), onConflict })}
        >
          <Button type={to === 'signed' ? 'primary' : 'default'} {...tid(`solution-move-${to}`)}>
            {t(`solutions.action.${to}`)}
          </Button>
        </Popconfirm>
      ))}
      {s.nextStatuses.includes('lost') && (
        <Button danger onClick={() => loser.open()} {...tid('solution-move-lost')}>
          {t('solutions.action.lost')}
        </Button>
      )}
      <EntityModalForm<{ reason: string }>
        open={loser.isOpen}
        onClose={loser.close}
        testId="solution-lost-form"
        title={t('solutions.lost.title', { title: s.title })}
        success={t('solutions.done.lost')}
        onConflict={onConflict}
        onSubmit={(v) => move('lost', v.reason.trim())}
      >
        <ProFormTextArea
          name="reason"
          label={t('solutions.lost.reason')}
          placeholder={t('solutions.lost.placeholder')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          fieldProps={{ rows: 3, maxLength: 500, showCount: true, ...tid('solution-lost-reason') }}
        />
      </EntityModalForm>
    </Space>
  );
}
