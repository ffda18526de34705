import { GlobalOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import type { Locale } from '../api/client';
import { LOCALES, useI18n } from '../i18n';

/**
 * Toggles between the two UI languages (the button names the language it switches to);
 * `onChange` lets the shell also store the choice in the user's profile.
 */
export function LanguageSwitch({ onChange }: { onChange?: (locale: Locale) => void }) {
  const { locale, setLocale, t } = useI18n();
  const next = LOCALES.find((l) => l !== locale) ?? locale;
  return (
    <Tooltip title={t('lang.label')}>
      <Button
        type="text"
        size="small"
        icon={<GlobalOutlined />}
        data-testid="lang-switch"
        aria-label={`${t('lang.label')}: ${t(`lang.${next}`)}`}
        onClick={() => {
          setLocale(next);
          onChange?.(next);
        }}
      >
        {t(`lang.${next}`)}
      </Button>
    </Tooltip>
  );
}
