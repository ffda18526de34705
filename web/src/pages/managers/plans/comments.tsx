import { Button, Empty, Input, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { tid } from '../../../components/EntityModalForm';
import { formatDateTime } from '../../../components/format';
import { useAction } from '../../../components/useSubmit';
import { useI18n } from '../../../i18n';
import type { WorkComment } from './common';

/** The comments as a timeline, oldest first; a decision shows as its tag. */
export function CommentTimeline({ comments }: { comments: WorkComment[] }) {
  const { t } = useI18n();
  if (!comments.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('plans.comment.none')} />;
  return (
    <Timeline
      items={comments.map((c) => ({
        color: c.decision === 'approved' ? 'green' : c.decision === 'returned' ? 'orange' : 'blue',
        children: (
          <div {...tid(`work-comment-${c.id}`)}>
            <Space size={6} wrap>
              <Typography.Text strong>{c.authorName}</Typography.Text>
              {c.decision && <Tag color={c.decision === 'approved' ? 'green' : 'orange'}>{t(`plans.decision.${c.decision}`)}</Tag>}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDateTime(c.createdAt)}
              </Typography.Text>
            </Space>
            {c.body && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{c.body}</Typography.Paragraph>}
          </div>
        ),
      }))}
    />
  );
}

/** A box to add a comment; `post` sends it. */
export function CommentBox({ post, onAdded, testId }: { post: (body: string) => Promise<unknown>; onAdded: () => void; testId: string }) {
  const { t } = useI18n();
  const act = useAction();
  const [body, setBody] = useState('');
  const send = () =>
    act(
      () =>
        post(body.trim()).then(() => {
          setBody('');
          onAdded();
        }),
      { success: t('plans.comment.added') },
    );
  return (
    <Space.Compact direction="vertical" style={{ width: '100%' }}>
      <Input.TextArea rows={3} maxLength={2000} value={body} onChange={(e) => setBody(e.target.value)} placeholder={t('plans.comment.placeholder')} {...tid(`${testId}-body`)} />
      <Button disabled={!body.trim()} onClick={send} style={{ marginTop: 8, alignSelf: 'flex-end' }} {...tid(`${testId}-add`)}>
        {t('plans.comment.add')}
      </Button>
    </Space.Compact>
  );
}
