/**
 * Why a row or a file was refused, in the reader's language.
 *
 * A row reason is stored in `import_rejects.reason` as JSON, `{"code":"import_bad_month"}` or
 * `{"code":"import_duplicate_in_file","params":{"rows":"7, 8"}}`: the code is a key of the server's message
 * catalogue (`platform/i18n/messages.ts`) and stays stable, the words are chosen when the report is read
 * (zh-CN or en-US). Reports written before reasons had codes hold English text; it is shown as it is, without
 * a code. A whole-file error (`import_jobs.error`) keeps `{code, message, params}`; its catalogue key is
 * `import_error_<code>`, and `message` (English) is what a reader sees when the catalogue has no such key.
 */
import { sql, type SQL } from 'drizzle-orm';
import { isMessageCode, translate, type Locale, type MessageCode } from '../../platform/i18n/messages.js';
import { CUSTOMER_MERGED } from '../customers/service.js';
import { IMPORT_KINDS, LAYOUTS, type ImportKind } from './layouts.js';

/** A reason of the import catalogue, or the customers area's own for a row naming a merged customer. */
export type ReasonCode = Extract<MessageCode, `import_${string}`> | typeof CUSTOMER_MERGED;
export type ReasonParams = Record<string, string | number>;

/** The stored form of a reason. */
export function storedReason(code: ReasonCode, params?: ReasonParams): string {
  return JSON.stringify(params ? { code, params } : { code });
}

/** The stored form of a reason without parameters, as a bound value. */
export const reasonValue = (code: ReasonCode): SQL => sql`${storedReason(code)}::text`;

/** The stored form of a reason whose parameters are SQL expressions (text), as an SQL expression. */
export function reasonSql(code: ReasonCode, params: Record<string, SQL>): SQL {
  const pairs = Object.entries(params).map(([k, expr]) => sql`${k}::text, ${expr}`);
  return sql`json_build_object('code', ${code}::text, 'params', json_build_object(${sql.join(pairs, sql`, `)}))::text`;
}

export interface RenderedReason {
  /** The stable reason code, or null for a reason stored as plain text by an older version. */
  code: string | null;
  /** The reason in words, prefixed with the column (its Chinese header in zh-CN). */
  reason: string;
}

function parse(stored: string): { code: ReasonCode; params: ReasonParams } | null {
  if (!stored.startsWith('{')) return null;
  try {
    const v = JSON.parse(stored) as { code?: unknown; params?: unknown };
    if (typeof v.code !== 'string' || !(v.code.startsWith('import_') || v.code === CUSTOMER_MERGED) || !isMessageCode(v.code)) return null;
    const params = v.params && typeof v.params === 'object' ? (v.params as ReasonParams) : {};
    return { code: v.code as ReasonCode, params };
  } catch {
    return null;
  }
}

/** The header of a column as the reader's language names it: 实收金额 in zh-CN, paid in en-US. */
export function columnLabel(kind: ImportKind, column: string, locale: Locale): string {
  if (locale !== 'zh-CN') return column;
  return LAYOUTS[kind].find((c) => c.key === column)?.zh ?? column;
}

/** A stored reason in the reader's language, with its code. */
export function renderReason(stored: string, kind: ImportKind, column: string | null, locale: Locale): RenderedReason {
  const parsed = parse(stored);
  if (!parsed) return { code: null, reason: stored };
  const text = translate(parsed.code, locale, parsed.params);
  if (!column) return { code: parsed.code, reason: text };
  const label = columnLabel(kind, column, locale);
  return { code: parsed.code, reason: locale === 'zh-CN' ? `${label}：${text}` : `${column}: ${text}` };
}

/** The name of a kind of import in the reader's language. */
export const kindLabel = (kind: string, locale: Locale) =>
  (IMPORT_KINDS as readonly string[]).includes(kind) ? translate(`import_kind_${kind as ImportKind}`, locale) : kind;

export interface JobError {
  code: string;
  message: string;
  params?: Record<string, unknown>;
}

/** A whole-file error in the reader's language (its code unchanged). */
export function renderJobError(error: JobError, locale: Locale): { code: string; message: string } {
  // a file's own errors are import_error_<code>; an upload's limits (upload_<code>) are also met while reading
  const key = [`import_error_${error.code}`, `upload_${error.code}`].find(isMessageCode);
  if (!key) return { code: error.code, message: error.message };
  const params = error.params ?? {};
  if (error.code === 'columns') {
    const list = (k: string) => (Array.isArray(params[k]) ? (params[k] as string[]) : []);
    const parts: string[] = [];
    const sep = locale === 'zh-CN' ? '、' : ', ';
    if (list('missing').length) parts.push(translate('import_columns_missing', locale, { columns: list('missing').join(sep) }));
    if (list('extra').length) parts.push(translate('import_columns_unknown', locale, { columns: list('extra').join(sep) }));
    if (list('repeated').length) parts.push(translate('import_columns_repeated', locale, { columns: list('repeated').join(sep) }));
    if (!parts.length) return { code: error.code, message: error.message };
    const kind = kindLabel(String(params.kind ?? ''), locale);
    return { code: error.code, message: translate(key, locale, { kind, details: parts.join(locale === 'zh-CN' ? '；' : '; ') }) };
  }
  // a parameter the message needs but the stored error lacks (an older row): the stored English text
  if (/\{detail\}/.test(translate(key, 'en-US')) && params.detail === undefined) return { code: error.code, message: error.message };
  return { code: error.code, message: translate(key, locale, params) };
}
