import type { Cell, TabularColumn } from '../../platform/export/tabular.js';
import { isMessageCode, translate, type Locale } from '../../platform/i18n/messages.js';
import type { CustomerSummary } from './schemas.js';

/** A row of a customer export: the summary with phones and ID numbers masked, or in clear for a permitted reader. */
export type ExportRow = Omit<CustomerSummary, 'updatedAt' | 'version'>;

/** The name of a code in the reader's language (kind_group → 集团客户); empty without a code. */
function nameOf(prefix: string, code: string | null, locale: Locale): string | null {
  if (code === null) return null;
  const key = `${prefix}_${code}`;
  return isMessageCode(key) ? translate(key, locale) : code;
}

/** The columns of a customer list export (客户清单), every code written as its name in the reader's language. */
export function exportColumns(locale: Locale): TabularColumn<ExportRow>[] {
  const col = (key: keyof ExportRow, zh: string, en: string, width = 16, value?: (row: ExportRow) => Cell): TabularColumn<ExportRow> => ({
    key,
    header: { 'zh-CN': zh, 'en-US': en },
    width,
    value,
  });
  const named = (prefix: string) => (row: ExportRow) => nameOf(prefix, row[prefix as keyof ExportRow] as string | null, locale);
  return [
    col('customerNo', '客户编号', 'Customer no.'),
    col('name', '客户名称', 'Name', 32),
    col('kind', '客户类型', 'Kind', 14, named('kind')),
    col('archive', '档案库', 'Archive', 12, named('archive')),
    col('unitName', '归属单位', 'Unit', 20, (r) => (locale === 'en-US' ? (r.unitNameEn ?? r.unitName) : r.unitName)),
    col('managerName', '客户经理', 'Account manager', 12),
    col('industry', '行业', 'Industry', 24, named('industry')),
    col('brand', '品牌', 'Brand', 10, named('brand')),
    col('level', '级别', 'Level', 12, named('level')),
    col('creditGrade', '信誉度等级', 'Credit grade', 10),
    col('points', '积分', 'Points', 10),
    { ...col('arrears', '欠费（元）', 'Arrears (yuan)', 12, (r) => (r.arrears === null ? null : Number(r.arrears))), decimals: 2 },
    col('contactPhone', '联系电话', 'Phone', 14),
    col('idNumber', '证件号码', 'ID number', 20),
    col('creditCode', '统一社会信用代码', 'Credit code', 20),
    col('joinedOn', '入网日期', 'Joined on', 12),
  ];
}
