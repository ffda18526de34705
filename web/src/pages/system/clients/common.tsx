import { Alert, Button, Modal, Tag, Typography } from 'antd';
import type { Schemas } from '../../../api/client';
import { useApi } from '../../../api/swr';
import { tid } from '../../../components/EntityModalForm';
import { useI18n } from '../../../i18n';

export type Client = Schemas['ApiClient'];
export type ClientDetail = Schemas['ApiClientDetail'];
export type Secret = Schemas['ApiClientSecret'];
export type Issued = Schemas['ApiClientSecretIssued'];
export type SecretStatus = Secret['status'];

/** The scopes a client may hold, by their names in the reader's language (never their codes on the Chinese side). */
export function useScopeNames() {
  const { locale } = useI18n();
  const { data = [] } = useApi('/api/system/client-scopes', {});
  const nameOf = (scope: string) => {
    const s = data.find((x) => x.scope === scope);
    return s ? (locale === 'en-US' ? s.nameEn : s.name) : scope;
  };
  return { options: data.map((s) => ({ value: s.scope, label: nameOf(s.scope) })), nameOf };
}

export function ScopeTags({ scopes }: { scopes: string[] }) {
  const { nameOf } = useScopeNames();
  return (
    <>
      {scopes.map((s) => (
        <Tag key={s} style={{ marginBottom: 4 }}>
          {nameOf(s)}
        </Tag>
      ))}
    </>
  );
}

const SECRET_COLOR: Record<SecretStatus, string> = { active: 'green', expiring: 'orange', expired: 'default', revoked: 'red' };

export function SecretStatusTag({ status }: { status: SecretStatus }) {
  const { t } = useI18n();
  return <Tag color={SECRET_COLOR[status]}>{t(`clients.secrets.status.${status}`)}</Tag>;
}

/** 密钥只显示一次: the client id and a secret just made, with copy buttons; never shown again once closed. */
export function SecretDialog({ issued, onClose }: { issued: Issued; onClose: () => void }) {
  const { t } = useI18n();
  const copyable = { tooltips: [false, t('clients.secret.copied')] as [false, string] };
  return (
    <Modal
      open
      title={t('clients.secret.title')}
      closable={false}
      maskClosable={false}
      keyboard={false}
      footer={
        <Button type="primary" onClick={onClose} {...tid('client-secret-saved')}>
          {t('clients.secret.saved')}
        </Button>
      }
      wrapProps={tid('client-secret-dialog')}
    >
      <Alert type="warning" showIcon message={t('clients.secret.warning')} style={{ marginBottom: 16 }} />
      <Typography.Paragraph strong>{t('clients.secret.clientId')}</Typography.Paragraph>
      <Typography.Paragraph code copyable={copyable} {...tid('client-secret-client-id')}>
        {issued.client.clientId}
      </Typography.Paragraph>
      <Typography.Paragraph strong>{t('clients.secret.secret')}</Typography.Paragraph>
      <Typography.Paragraph code copyable={copyable} style={{ wordBreak: 'break-all' }} {...tid('client-secret-value')}>
        {issued.secret}
      </Typography.Paragraph>
    </Modal>
  );
}
