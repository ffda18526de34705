/**
 * A minimal streaming SpreadsheetML (.xlsx, ECMA-376) writer for tabular exports: one sheet, a bold frozen
 * header row, column widths, numbers (with a number format where a column has decimals), booleans and inline
 * strings. Memory stays constant: each batch of rows becomes one piece of sheet XML, compressed by archiver,
 * and the next batch waits until the output has taken it.
 *
 *   writeXlsx(out: Writable, sheet: XlsxSheet, batches: AsyncIterable<XlsxCell[][]>): Promise<void>
 *
 *   interface XlsxSheet { name: string; columns: { header: string; width: number; decimals?: number }[] }
 *
 * A cell is null (no cell), a number (a non-finite one is left empty), a boolean or a string (an empty one is
 * left empty). Callers (tabular.ts) neutralise formula injection; this writer stores text as text.
 * Why not exceljs's WorkbookWriter: three times the time and CPU, 40 % more memory (docs/decisions.md, Exports).
 */
import type { Writable } from 'node:stream';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import archiver from 'archiver';
import { drained } from './tabular.js';

export type XlsxCell = string | number | boolean | null;

export interface XlsxColumn {
  header: string;
  /** In characters. */
  width: number;
  decimals?: number;
}

export interface XlsxSheet {
  name: string;
  columns: XlsxColumn[];
}

/** deflate level 1: see docs/decisions.md, Exports, for the measurements against 6. */
const ZIP_LEVEL = 1;

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

const CONTENT_TYPES_XML =
  XML_HEAD +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
  '</Types>';

const ROOT_RELS_XML =
  XML_HEAD +
  `<Relationships xmlns="${PKG_REL_NS}">` +
  `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
  '</Relationships>';

const WORKBOOK_RELS_XML =
  XML_HEAD +
  `<Relationships xmlns="${PKG_REL_NS}">` +
  `<Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>` +
  `<Relationship Id="rId2" Type="${REL_NS}/styles" Target="styles.xml"/>` +
  '</Relationships>';

const workbookXml = (sheetName: string) =>
  XML_HEAD +
  `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
  '<bookViews><workbookView/></bookViews>' +
  `<sheets><sheet name="${escapeText(sheetName).replace(/"/g, '&quot;')}" sheetId="1" r:id="rId1"/></sheets>` +
  '</workbook>';

/** Cell style 0 is the default, 1 the bold header, 2 + i the number format of `formats[i]` decimals. */
const HEADER_STYLE = 1;
const FIRST_NUMBER_STYLE = 2;
/** Custom number formats are numbered from 164 (ids below are built in). */
const FIRST_CUSTOM_FORMAT = 164;

const numberFormat = (decimals: number) => (decimals > 0 ? `0.${'0'.repeat(decimals)}` : '0');

function stylesXml(formats: number[]): string {
  const xf = (numFmtId: number, fontId: number, apply: string) =>
    `<xf numFmtId="${numFmtId}" fontId="${fontId}" fillId="0" borderId="0" xfId="0"${apply}/>`;
  const font = (bold: boolean) => `<font>${bold ? '<b/>' : ''}<sz val="11"/><name val="Calibri"/><family val="2"/></font>`;
  return (
    XML_HEAD +
    `<styleSheet xmlns="${MAIN_NS}">` +
    (formats.length
      ? `<numFmts count="${formats.length}">` +
        formats.map((d, i) => `<numFmt numFmtId="${FIRST_CUSTOM_FORMAT + i}" formatCode="${numberFormat(d)}"/>`).join('') +
        '</numFmts>'
      : '') +
    `<fonts count="2">${font(false)}${font(true)}</fonts>` +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${FIRST_NUMBER_STYLE + formats.length}">` +
    xf(0, 0, '') +
    xf(0, 1, ' applyFont="1"') +
    formats.map((_, i) => xf(FIRST_CUSTOM_FORMAT + i, 0, ' applyNumberFormat="1"')).join('') +
    '</cellXfs>' +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
    '</styleSheet>'
  );
}

/** A, B, …, Z, AA, AB, … */
export function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

// XML 1.0 allows no C0 control character but tab, LF and CR, nor U+FFFE, U+FFFF or a lone surrogate
// eslint-disable-next-line no-control-regex
const ILLEGAL = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex
const NEEDS_WORK = /[&<>\r\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]|_x[0-9A-Fa-f]{4}_/;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };

/**
 * Text as XML character data. Characters XML cannot hold are dropped; CR is written as a reference, which a
 * parser does not turn into LF as it does a literal CR; an underscore starting `_xHHHH_` is escaped as
 * `_x005F_`, since spreadsheets read `_xHHHH_` as the character HHHH (ECMA-376 Part 1, 22.9.2.19 ST_Xstring).
 */
export function escapeText(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return text
    .replace(ILLEGAL, '')
    .replace(/[&<>\r]/g, (c) => ENTITIES[c]!)
    .replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_');
}

/** A spreadsheet trims whitespace at either end of a text unless told to keep it. */
const KEEP_SPACE = /^\s|\s$|\n/;

const inlineString = (ref: string, style: string, text: string) =>
  `<c r="${ref}"${style} t="inlineStr"><is><t${KEEP_SPACE.test(text) ? ' xml:space="preserve"' : ''}>${escapeText(text)}</t></is></c>`;

/** Excel's rules for a sheet name: at most 31 characters, none of []:*?/\, no apostrophe at either end. */
export function sheetNameOf(name: string): string {
  const clean = name.replace(ILLEGAL, '').replace(/[[\]:*?/\\]/g, '_').replace(/^'|'$/g, '_');
  const cut = clean.slice(0, 31).replace(/[\uD800-\uDBFF]$/, '');
  if (!cut.trim()) return 'Sheet1';
  // "History" is reserved by Excel (the change history of a shared workbook)
  return cut.toLowerCase() === 'history' ? `${cut}_` : cut;
}

interface ColumnXml {
  letters: string;
  /** ` s="n"` for the column's numbers, or nothing. */
  numberStyle: string;
}

function rowXml(n: number, cells: XlsxCell[], columns: ColumnXml[]): string {
  let xml = `<row r="${n}">`;
  for (let i = 0; i < columns.length; i++) {
    const v = cells[i];
    if (v === null || v === undefined || v === '') continue;
    const col = columns[i]!;
    if (typeof v === 'number') {
      if (Number.isFinite(v)) xml += `<c r="${col.letters}${n}"${col.numberStyle}><v>${v}</v></c>`;
    } else if (typeof v === 'boolean') xml += `<c r="${col.letters}${n}" t="b"><v>${v ? 1 : 0}</v></c>`;
    else xml += inlineString(col.letters + n, '', v);
  }
  return xml + '</row>';
}

/** Writes the workbook to `out` (which is ended). Stops, with an error, when `out` closes or fails first. */
export async function writeXlsx(out: Writable, sheet: XlsxSheet, batches: AsyncIterable<XlsxCell[][]>): Promise<void> {
  const formats = [...new Set(sheet.columns.flatMap((c) => (c.decimals === undefined ? [] : [c.decimals])))];
  const columns: ColumnXml[] = sheet.columns.map((c, i) => ({
    letters: columnLetters(i),
    numberStyle: c.decimals === undefined ? '' : ` s="${FIRST_NUMBER_STYLE + formats.indexOf(c.decimals)}"`,
  }));
  const zip = archiver('zip', { zlib: { level: ZIP_LEVEL } });
  // a failing archive fails the output, which ends any wait for it to drain
  zip.on('error', (err) => out.destroy(err));
  zip.pipe(out);
  zip.append(CONTENT_TYPES_XML, { name: '[Content_Types].xml' });
  zip.append(ROOT_RELS_XML, { name: '_rels/.rels' });
  zip.append(workbookXml(sheetNameOf(sheet.name)), { name: 'xl/workbook.xml' });
  zip.append(WORKBOOK_RELS_XML, { name: 'xl/_rels/workbook.xml.rels' });
  zip.append(stylesXml(formats), { name: 'xl/styles.xml' });
  const xml = new PassThrough();
  zip.append(xml, { name: 'xl/worksheets/sheet1.xml' });
  try {
    xml.write(
      XML_HEAD +
        `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
        (sheet.columns.length ? `<cols>${sheet.columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join('')}</cols>` : '') +
        '<sheetData>' +
        `<row r="1">${sheet.columns.map((c, i) => (c.header ? inlineString(`${columns[i]!.letters}1`, ` s="${HEADER_STYLE}"`, c.header) : '')).join('')}</row>`,
    );
    let n = 1;
    for await (const batch of batches) {
      let chunk = '';
      for (const cells of batch) chunk += rowXml(++n, cells, columns);
      if (!xml.write(chunk) || out.destroyed) await drained(out, xml);
    }
    xml.end('</sheetData></worksheet>');
    // the output closing before the end leaves the archive waiting: it must not leave this one waiting too
    await Promise.all([zip.finalize(), finished(out)]);
  } catch (err) {
    // leave `out` to the caller, unended: a cut-off file must not look complete
    zip.unpipe(out);
    zip.abort();
    xml.destroy();
    throw err;
  }
}
