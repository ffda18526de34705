/**
 * The column layouts of the BOSS extracts (documented in docs/import-formats.md): headers in Chinese or English,
 * a check per cell that returns the value as staged (normalised text, null for empty) or a reason.
 */

import { hasVisibleCharacter, stripBidiControls } from '../../platform/http/text.js';
import { CUSTOMER_NO_PATTERN } from '../customers/service.js';
import type { FastKind } from './facts-fast.js';
import type { ReasonCode } from './reasons.js';

export const IMPORT_KINDS = ['customers', 'subscriptions', 'facts'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** A cell longer than this is refused (row error), whatever the column. */
export const MAX_CELL_CHARS = 2000;

/** Why a cell is refused: a reason code of the message catalogue and its parameters (see reasons.ts). */
export class Bad {
  constructor(
    readonly code: ReasonCode,
    readonly params?: Record<string, string | number>,
  ) {}
}
type Check = (v: string) => string | null | Bad;

export interface ColumnDef {
  key: string;
  zh: string;
  /** Other accepted headers (case-insensitive for Latin letters). */
  aliases?: string[];
  required: boolean;
  check: Check;
  /** Staging column type. */
  type: string;
}

const re = (pattern: RegExp, what: ReasonCode, max = 200): Check => (v) =>
  v.length > max ? new Bad('import_too_long', { max }) : pattern.test(v) ? v : new Bad(what);
const text = (max: number): Check => (v) => (v.length > max ? new Bad('import_too_long', { max }) : v);
/** A name as the console takes it (platform/http/text.ts): without direction controls, with a visible character. */
const name = (max: number): Check => (v) => {
  const s = stripBidiControls(v).trim();
  if (s.length > max) return new Bad('import_too_long', { max });
  return hasVisibleCharacter(s) ? s : new Bad('import_name_not_readable');
};

/**
 * The grammar of the facts' figures, in one place: the checks below, the byte scanner of the fast path
 * (facts-fast.ts) and the direct load's amounts in fen (facts-direct.ts) are written from these numbers, and a
 * property test (cells.test.ts) proves that the three agree on generated cells.
 */
export const CELL_GRAMMAR = {
  /** 金额: at most 12 digits before the point and 2 after it (numeric(14,2)), no sign, no separators. */
  money: { intDigits: 12, fracDigits: 2 },
  /** 计数: a whole number up to PostgreSQL's integer; the scanner takes up to 9 digits, which are always below it. */
  count: { max: 2_147_483_647, digits: 10, fastDigits: 9 },
  /** 月份: YYYY-MM within these years. */
  month: { minYear: 2000, maxYear: 2100 },
} as const;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const checkDate: Check = (v) => {
  const m = DATE.exec(v);
  if (!m) return new Bad('import_bad_date');
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900 || y > 2100 || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return new Bad('import_bad_date');
  return v;
};

const MONTH = /^(\d{4})-(\d{2})(-01)?$/;
/** YYYY-MM (a first-of-month date, as Excel stores a typed month, is accepted too); staged as the first day. */
export const checkMonth: Check = (v) => {
  const m = MONTH.exec(v);
  if (!m) return new Bad('import_bad_month');
  const y = Number(m[1]);
  const mo = Number(m[2]);
  if (y < CELL_GRAMMAR.month.minYear || y > CELL_GRAMMAR.month.maxYear || mo < 1 || mo > 12) return new Bad('import_bad_month');
  return `${m[1]}-${m[2]}-01`;
};

const { money: M, count: N } = CELL_GRAMMAR;
const MONEY = new RegExp(`^\\d{1,${M.intDigits}}(\\.\\d{1,${M.fracDigits}})?$`);
const TOO_MANY_DECIMALS = new RegExp(`\\.\\d{${M.fracDigits + 1},}$`);
const NUMBERISH = /^[+-]?(\d+\.?\d*|\.\d+)$/;
/** A non-negative decimal with up to 2 places (numeric(14,2)). */
export const checkMoney: Check = (v) => {
  if (MONEY.test(v)) return v;
  if (!NUMBERISH.test(v)) return new Bad('import_not_a_number');
  if (v.startsWith('-') && Number(v) !== 0) return new Bad('import_negative_amount');
  if (TOO_MANY_DECIMALS.test(v)) return new Bad('import_too_many_decimals');
  if (v.startsWith('-') || v.startsWith('+')) return checkMoney(v.slice(1));
  return new Bad('import_amount_too_large');
};

const INT = new RegExp(`^\\d{1,${N.digits}}$`);
export const checkCount: Check = (v) => {
  if (INT.test(v) && Number(v) <= N.max) return v;
  if (!NUMBERISH.test(v)) return new Bad('import_not_whole_number');
  if (v.startsWith('-') && Number(v) !== 0) return new Bad('import_negative_number');
  if (v.includes('.')) return new Bad('import_not_whole_number');
  return new Bad('import_number_too_large');
};

export const checkMsisdn: Check = (v) => (/^1[3-9]\d{9}$/.test(v) ? v : new Bad('import_bad_msisdn'));

const oneOf = (map: Record<string, string>, allowed: string): Check => (v) => map[v.toLowerCase()] ?? new Bad('import_not_one_of', { allowed });

const KINDS = { group: 'group', individual: 'individual', 集团: 'group', 集团客户: 'group', 个人: 'individual', 个人客户: 'individual' };
const BRANDS = { gotone: 'gotone', mzone: 'mzone', easyown: 'easyown', 全球通: 'gotone', 动感地带: 'mzone', 神州行: 'easyown' };
const GENDERS = { male: 'male', female: 'female', m: 'male', f: 'female', 男: 'male', 女: 'female' };
const ID_TYPES = {
  resident_id: 'resident_id', passport: 'passport', hk_macao_pass: 'hk_macao_pass', taiwan_pass: 'taiwan_pass', other: 'other',
  身份证: 'resident_id', 居民身份证: 'resident_id', 护照: 'passport', 港澳通行证: 'hk_macao_pass', 台胞证: 'taiwan_pass', 其他: 'other',
};
const STATUSES = {
  normal: 'normal', suspended: 'suspended', ported_out: 'ported_out', closed: 'closed',
  正常: 'normal', 停机: 'suspended', 携出: 'ported_out', 携号转网: 'ported_out', 销户: 'closed',
};

const col = (key: string, zh: string, required: boolean, check: Check, type = 'text', aliases: string[] = []): ColumnDef => ({
  key, zh, required, check, type, aliases,
});

export const LAYOUTS: Record<ImportKind, ColumnDef[]> = {
  customers: [
    col('customer_no', '客户编号', true, re(CUSTOMER_NO_PATTERN, 'import_bad_customer_no'), 'text', ['customerNo']),
    col('kind', '客户类型', true, oneOf(KINDS, 'group, individual, 集团, 个人')),
    col('name', '客户名称', true, name(200)),
    col('unit_code', '归属单位编码', true, text(50), 'text', ['unitCode']),
    col('manager', '客户经理', false, text(32), 'text', ['客户经理账号']),
    col('industry', '行业', false, re(/^[A-T]$/, 'import_bad_industry')),
    col('brand', '品牌', false, oneOf(BRANDS, 'gotone, mzone, easyown, 全球通, 动感地带, 神州行')),
    col('contact_phone', '联系电话', false, re(/^[0-9+\- ]{5,20}$/, 'import_bad_phone'), 'text', ['contactPhone']),
    col('address', '地址', false, text(300)),
    col('joined_on', '入网日期', false, checkDate, 'date', ['joinedOn']),
    col('credit_code', '统一社会信用代码', false, re(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'import_bad_credit_code'), 'text', ['creditCode']),
    col('employees', '员工人数', false, checkCount, 'integer'),
    col('gender', '性别', false, oneOf(GENDERS, 'male, female, 男, 女')),
    col('birthday', '出生日期', false, checkDate, 'date'),
    col('id_type', '证件类型', false, oneOf(ID_TYPES, 'resident_id, passport, hk_macao_pass, taiwan_pass, other, 身份证, 护照 …'), 'text', ['idType']),
    col('id_number', '证件号码', false, re(/^[0-9A-Za-z]{6,30}$/, 'import_bad_id_number'), 'text', ['idNumber']),
  ],
  subscriptions: [
    col('msisdn', '手机号码', true, checkMsisdn, 'text', ['号码', '服务号码']),
    col('customer_no', '客户编号', true, re(CUSTOMER_NO_PATTERN, 'import_bad_customer_no'), 'text', ['customerNo']),
    col('group_customer_no', '集团客户编号', false, re(CUSTOMER_NO_PATTERN, 'import_bad_customer_no'), 'text', ['groupCustomerNo']),
    col('plan', '套餐', true, text(100)),
    col('status', '状态', true, oneOf(STATUSES, 'normal, suspended, ported_out, closed, 正常, 停机, 携出, 销户')),
    col('opened_on', '开户日期', true, checkDate, 'date', ['openedOn']),
  ],
  facts: [
    col('month', '月份', true, checkMonth, 'date', ['账期']),
    col('msisdn', '手机号码', true, checkMsisdn, 'text', ['号码', '服务号码']),
    col('rev_voice', '语音收入', true, checkMoney, 'numeric(14,2)'),
    col('rev_sms', '短信收入', true, checkMoney, 'numeric(14,2)'),
    col('rev_data', '流量收入', true, checkMoney, 'numeric(14,2)', ['数据收入']),
    col('rev_vas', '增值业务收入', true, checkMoney, 'numeric(14,2)'),
    col('rev_roaming', '漫游收入', true, checkMoney, 'numeric(14,2)'),
    col('min_local', '本地通话分钟', true, checkCount, 'integer'),
    col('min_long_distance', '长途通话分钟', true, checkCount, 'integer'),
    col('min_roaming', '漫游通话分钟', true, checkCount, 'integer'),
    col('sms_count', '短信条数', true, checkCount, 'integer'),
    col('data_mb', '流量MB', true, checkMoney, 'numeric(14,2)', ['数据流量MB', '流量(MB)']),
    col('billed', '出账金额', true, checkMoney, 'numeric(14,2)', ['应收金额']),
    col('paid', '实收金额', true, checkMoney, 'numeric(14,2)'),
    col('arrears', '欠费金额', true, checkMoney, 'numeric(14,2)'),
  ],
};

/** The natural key of a row, as shown in the report. */
export const KEY_COLUMNS: Record<ImportKind, string[]> = {
  customers: ['customer_no'],
  subscriptions: ['msisdn'],
  facts: ['month', 'msisdn'],
};

const norm = (h: string) => h.trim().replace(/^\uFEFF/, '').toLowerCase().replace(/[\s_]+/g, '_');

export interface HeaderMap {
  /** For each layout column, the index of its cell in a record. */
  index: number[];
  width: number;
}

/** Matches a header row to the layout; missing or unknown columns fail the whole file, naming them. */
export function mapHeader(kind: ImportKind, header: string[]): HeaderMap | { missing: string[]; extra: string[]; repeated: string[] } {
  const layout = LAYOUTS[kind];
  const lookup = new Map<string, number>();
  layout.forEach((c, i) => [c.key, c.zh, ...(c.aliases ?? [])].forEach((name) => lookup.set(norm(name), i)));
  const index = new Array<number>(layout.length).fill(-1);
  const extra: string[] = [];
  const repeated: string[] = [];
  let width = header.length;
  while (width > 0 && header[width - 1]!.trim() === '') width--;
  for (let i = 0; i < width; i++) {
    const h = header[i]!;
    const at = lookup.get(norm(h));
    if (at === undefined) extra.push(h.trim() === '' ? `(empty header in column ${i + 1})` : h.trim());
    else if (index[at] !== -1) repeated.push(h.trim());
    else index[at] = i;
  }
  const missing = layout.filter((_, i) => index[i] === -1).map((c) => `${c.zh} ${c.key}`);
  if (missing.length || extra.length || repeated.length) return { missing, extra, repeated };
  return { index, width };
}

/** The grammar each facts column follows, for the byte scanner (layout order): known by the column's check. */
export function factsKinds(): FastKind[] {
  const kinds = new Map<Check, FastKind>([
    [checkMonth, 'month'],
    [checkMsisdn, 'msisdn'],
    [checkMoney, 'money'],
    [checkCount, 'count'],
  ]);
  return LAYOUTS.facts.map((c) => kinds.get(c.check)!);
}
