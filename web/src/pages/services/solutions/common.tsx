import { Tag } from 'antd';
import type { Schemas } from '../../../api/client';
import { tid } from '../../../components/EntityModalForm';
import { useI18n, type MessageKey } from '../../../i18n';

export type Solution = Schemas['Solution'];
export type SolutionStatus = Solution['status'];
export type SolutionKind = Solution['kind'];
export type SolutionProduct = Schemas['SolutionProduct'];
export type ProductCategory = SolutionProduct['category'];
export type Pipeline = Schemas['SolutionPipeline'];

export const STATUSES: SolutionStatus[] = ['draft', 'proposed', 'negotiating', 'signed', 'lost'];
export const KINDS: SolutionKind[] = ['group', 'personal'];
export const CATEGORIES: ProductCategory[] = ['connectivity', 'cloud', 'ict', 'voice', 'messaging', 'iot', 'video', 'personal'];

export const STATUS_COLOR: Record<SolutionStatus, string> = { draft: 'default', proposed: 'blue', negotiating: 'orange', signed: 'green', lost: 'red' };
/** The same colours as the tags', for the pipeline's columns. */
export const STATUS_HEX: Record<SolutionStatus, string> = { draft: '#bfbfbf', proposed: '#1677ff', negotiating: '#fa8c16', signed: '#52c41a', lost: '#ff4d4f' };

export const statusName = (t: (k: MessageKey) => string, s: SolutionStatus) => t(`solutions.status.${s}`);
export const kindName = (t: (k: MessageKey) => string, k: SolutionKind) => t(`solutions.kind.${k}`);
export const categoryName = (t: (k: MessageKey) => string, c: ProductCategory) => t(`solutions.category.${c}`);

export function StatusTag({ status, id }: { status: SolutionStatus; id?: number }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOR[status]} {...(id !== undefined && tid(`solution-status-${id}`))}>
      {statusName(t, status)}
    </Tag>
  );
}

/** The select options of a code list, named through the catalogue. */
export const optionsOf = <T extends string>(codes: T[], name: (c: T) => string) => codes.map((c) => ({ value: c, label: name(c) }));

// Money in the browser is added up in whole fen (integers), never in floating yuan.
const MONEY = /^(\d+)(?:\.(\d{1,2}))?$/;

/** A decimal string of yuan in fen, or null when it is not one. */
export function toFen(value: string | null | undefined): number | null {
  const m = MONEY.exec((value ?? '').trim());
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
}

/** Fen as a decimal string of yuan with two decimals. */
export const fenToYuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
