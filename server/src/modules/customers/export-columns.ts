import type { Cell, TabularColumn } from '../../platform/export/tabular.js';
import { isMessageCode, translate, type Locale } from '../../platform/i18n/messages.js';
import type { CustomerSummary } from './schemas.js';

/** A row of a customer export: phones and ID numbers masked, or in clear for a permitted reader; arrears in yuan. */
export type ExportRow = Pick<
  CustomerSummary,
  'customerNo' | 'name' | 'kind' | 'archive' | 'unitName' | 'unitNameEn' | 'managerName' | 'industry' | 'brand' | 'level' | 'creditGrade' | 'points' | 'contactPhone' | 'idNumber' | 'creditCode' | 'joinedOn'
> & { arrears: number | null };

/** The columns of a customer list export (客户清单), every code written as its name in the reader's language. */
export function exportColumns(locale: Locale): TabularColumn<ExportRow>[] {
  // a million rows name the same few codes: each is translated once
  const names = new Map<string, string>();
  const nameOf = (prefix: string, code: string | null) => {
    if (code === null) return null;
    const key = `${prefix}_${code}`;
    let name = names.get(key);
    if (name === undefined) names.set(key, (name = isMessageCode(key) ? translate(key, locale) : code));
    return name;
  };
  const col = (key: keyof ExportRow, zh: string, en: string, width = 16, value?: (row: ExportRow) => Cell): TabularColumn<ExportRow> => ({
    key,
    header: { 'zh-CN': zh, 'en-US': en },
    width,
    value,
  });
  const named = (key: 'kind' | 'archive' | 'industry' | 'brand' | 'level') => (row: ExportRow) => nameOf(key, row[key]);
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
    { ...col('arrears', '欠费（元）', 'Arrears (yuan)', 12), decimals: 2 },
    col('contactPhone', '联系电话', 'Phone', 14),
    col('idNumber', '证件号码', 'ID number', 20),
    col('creditCode', '统一社会信用代码', 'Credit code', 20),
    col('joinedOn', '入网日期', 'Joined on', 12),
  ];
}
