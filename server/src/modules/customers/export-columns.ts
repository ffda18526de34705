import type { TabularColumn } from '../../platform/export/tabular.js';
import type { ExportRow } from './service.js';

const col = (key: keyof ExportRow, zh: string, en: string, width = 16): TabularColumn<ExportRow> => ({
  key,
  header: { 'zh-CN': zh, 'en-US': en },
  width,
});

/** The columns of a customer list export (客户清单). */
export const EXPORT_COLUMNS: TabularColumn<ExportRow>[] = [
  col('customerNo', '客户编号', 'Customer no.'),
  col('name', '客户名称', 'Name', 32),
  col('kind', '客户类型', 'Kind', 10),
  col('archive', '档案库', 'Archive', 12),
  col('unitName', '归属单位', 'Unit', 20),
  col('managerName', '客户经理', 'Account manager', 12),
  col('industry', '行业', 'Industry', 8),
  col('brand', '品牌', 'Brand', 10),
  col('contactPhone', '联系电话', 'Phone', 14),
  col('idNumber', '证件号码', 'ID number', 20),
  col('creditCode', '统一社会信用代码', 'Credit code', 20),
  col('joinedOn', '入网日期', 'Joined on', 12),
];
