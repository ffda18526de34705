import { Tag } from 'antd';
import type { Schemas } from '../../../api/client';
import { useApi } from '../../../api/swr';
import { tid } from '../../../components/EntityModalForm';
import { localName, useI18n, type MessageKey } from '../../../i18n';

export type Partner = Schemas['Partner'];
export type PartnerDetail = Schemas['PartnerDetail'];
export type Credential = Schemas['PartnerCredential'];
export type Industry = Partner['industry'];
export type KeyStatus = Credential['status'];

export const INDUSTRIES: Industry[] = ['airline', 'hotel', 'hospital', 'golf', 'rail', 'other'];
export const industryName = (t: (k: MessageKey) => string, i: Industry) => t(`partners.industry.${i}`);

const KEY_COLOR: Record<KeyStatus, string> = { active: 'green', expired: 'default', revoked: 'red' };

export function KeyStatusTag({ status, keyId }: { status: KeyStatus; keyId: string }) {
  const { t } = useI18n();
  return (
    <Tag color={KEY_COLOR[status]} {...tid(`partner-key-status-${keyId}`)}>
      {t(`partners.keys.status.${status}`)}
    </Tag>
  );
}

/** The benefits of the rules in effect, named in the reader's language (a partner's list of codes shows by name). */
export function useBenefitNames() {
  const { locale } = useI18n();
  const { data = [] } = useApi('/api/services/partner-benefits', {});
  const names = new Map(data.map((b) => [b.code, localName(locale, b)]));
  return {
    options: data.map((b) => ({ value: b.code, label: localName(locale, b) })),
    nameOf: (code: string) => names.get(code) ?? code,
  };
}
