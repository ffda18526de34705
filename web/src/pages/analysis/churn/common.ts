import type { Schemas } from '../../../api/client';
import type { MessageKey, Translate } from '../../../i18n';

export type ChurnModel = Schemas['ChurnModel'];
export type ChurnScore = Schemas['ChurnScore'];
export type ChurnReason = Schemas['ChurnReason'];
export type Band = ChurnScore['band'];
export const BANDS: Band[] = ['high', 'medium', 'low'];
export const BAND_COLORS: Record<Band, string> = { high: 'red', medium: 'orange', low: 'default' };

const pct = (v: number) => Math.round(Math.abs(v) * 100);

/** A reason in words, from its feature and value (changes are fractions: −0.42 reads “down 42 %”). */
export function reasonText(t: Translate, feature: string, value: number): string {
  switch (feature) {
    case 'spend_change':
    case 'spend_last_change':
    case 'usage_change':
      return t(`churn.reason.${feature}.${value < 0 ? 'down' : 'up'}` as MessageKey, { pct: pct(value) });
    case 'silent_share':
      return t('churn.reason.silent_share', { pct: pct(value) });
    case 'arrears_months':
    case 'complaints':
      return t(`churn.reason.${feature}` as MessageKey, { n: Math.round(value) });
    case 'tenure_years':
      return t('churn.reason.tenure_years', { n: value.toFixed(1) });
    case 'spend_level':
      // the feature is ln(1 + average monthly spend in yuan): shown back in yuan
      return t('churn.reason.spend_level', { n: Math.round(Math.expm1(value)) });
    case 'competitor':
    case 'contract_expiring':
      return t(`churn.reason.${feature}` as MessageKey);
    default:
      return t(`churn.feature.${feature}` as MessageKey);
  }
}

export const reasonsText = (t: Translate, reasons: ChurnReason[]) => reasons.map((r) => reasonText(t, r.feature, r.value));
