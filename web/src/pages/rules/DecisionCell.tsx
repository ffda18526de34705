import { Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { formatDateTime } from '../../components/format';

interface Decided {
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

/** A decided request of an inbox (折扣审批, 潜在大客户): its outcome's tag, who decided and when, and the note given. */
export function DecisionCell({ tag, decided: d }: { tag: ReactNode; decided: Decided }) {
  return (
    <Space direction="vertical" size={0}>
      {tag}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {d.decidedByName ?? d.decidedBy ?? '-'} {formatDateTime(d.decidedAt)}
      </Typography.Text>
      {d.decisionNote && <Typography.Text style={{ fontSize: 12 }}>{d.decisionNote}</Typography.Text>}
    </Space>
  );
}
