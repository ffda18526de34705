import { EyeOutlined } from '@ant-design/icons';
import { Button, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n';
import { useAction } from './useSubmit';

interface Props {
  /** The masked value as the server sent it (e.g. 138****5678). */
  value: string | null | undefined;
  /** Whether the user may reveal it (customers.reveal_pii); without it only the mask shows. */
  canReveal: boolean;
  /** Asks the server for the clear value (the server writes the audit record). */
  reveal: () => Promise<string | null>;
  testId: string;
}

/** A masked personal-data value with a 显示 button that reveals this one value on request. */
export function MaskedValue({ value, canReveal, reveal, testId }: Props) {
  const { t } = useI18n();
  const act = useAction();
  const [clear, setClear] = useState<string | null | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  if (!value) return <span data-testid={testId}>-</span>;
  const shown = clear ?? value;
  return (
    <Space size={4}>
      <Typography.Text data-testid={testId} copyable={clear ? { text: clear } : false}>
        {shown}
      </Typography.Text>
      {canReveal && clear === undefined && (
        <Tooltip title={t('pii.revealHint')}>
          <Button
            size="small"
            type="link"
            icon={<EyeOutlined />}
            loading={busy}
            data-testid={`${testId}-reveal`}
            onClick={async () => {
              setBusy(true);
              await act(async () => setClear((await reveal()) ?? value));
              setBusy(false);
            }}
          >
            {t('pii.reveal')}
          </Button>
        </Tooltip>
      )}
    </Space>
  );
}
