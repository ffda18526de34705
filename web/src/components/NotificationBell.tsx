import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, call } from '../api/client';
import { useApiList } from '../api/swr';
import { useI18n } from '../i18n';
import { tid } from './EntityModalForm';
import { formatDateTime } from './format';

/** 消息: the unread count on a bell in the header; the latest messages in a popover, each opening its page. */
export function NotificationBell() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const unread = useApiList('/api/me/notifications', { query: { unread: 'true', limit: 10 } }, { refreshInterval: 60_000 });
  const items = unread.data?.items ?? [];
  const count = unread.data?.total ?? 0;
  const [open, setOpen] = useState(false);
  const markRead = async (ids?: number[]) => {
    await call(api.POST('/api/me/notifications/read', { body: ids ? { ids } : {} }));
    await unread.mutate();
  };
  const content = (
    <div style={{ width: 340 }} {...tid('notifications')}>
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notify.empty')} />
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(n) => (
            <List.Item
              style={{ cursor: n.link ? 'pointer' : undefined }}
              onClick={() => {
                void markRead([n.id]);
                setOpen(false);
                if (n.link) navigate(n.link);
              }}
              {...tid(`notification-${n.id}`)}
            >
              <List.Item.Meta title={<Typography.Text style={{ fontSize: 13 }}>{n.text}</Typography.Text>} description={formatDateTime(n.createdAt)} />
            </List.Item>
          )}
        />
      )}
      {count > 0 && (
        <Button type="link" size="small" onClick={() => void markRead()} {...tid('notifications-read-all')}>
          {t('notify.markAllRead')}
        </Button>
      )}
    </div>
  );
  return (
    <Popover open={open} onOpenChange={setOpen} trigger="click" placement="bottomRight" title={count ? `${t('notify.title')} · ${t('notify.unread', { n: count })}` : t('notify.title')} content={content}>
      <Badge count={count} size="small" offset={[-2, 2]}>
        <Button type="text" size="small" icon={<BellOutlined />} aria-label={t('notify.title')} {...tid('notification-bell')} />
      </Badge>
    </Popover>
  );
}
