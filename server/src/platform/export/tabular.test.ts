import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvRecords } from '../../modules/integration/csv-reader.js';
import { contentDisposition, neutralise, writeTabular, type TabularColumn, type TabularSpec } from './tabular.js';
import { sheetNameOf } from './xlsx.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kam-export-test-'));
interface Row {
  no: string;
  name: string;
  amount: string;
  n: number;
  at: Date | null;
}
const columns: TabularColumn<Row>[] = [
  { key: 'no', header: { 'zh-CN': '客户编号', 'en-US': 'Customer no.' } },
  { key: 'name', header: { 'zh-CN': '客户名称', 'en-US': 'Name' } },
  { key: 'amount', header: { 'zh-CN': '金额', 'en-US': 'Amount' } },
  { key: 'n', header: { 'zh-CN': '数量', 'en-US': 'Count' } },
  { key: 'at', header: { 'zh-CN': '日期', 'en-US': 'Date' } },
];
const rows: Row[] = [
  { no: 'C-1', name: '=HYPERLINK("http://x","y")', amount: '-12.50', n: 3, at: new Date(Date.UTC(2026, 0, 31)) },
  { no: 'C-2', name: '广州测试,有限"公司"\n第二行', amount: '0.00', n: 0, at: null },
  { no: '+86', name: '@SUM(A1)', amount: '\tx', n: -1, at: null },
];
async function* slowly<T>(items: T[]) {
  for (const i of items) yield i;
}

/** The one sheet of the .xlsx that `spec` makes, as exceljs reads it back. */
async function xlsxSheet<T>(spec: Omit<TabularSpec<T>, 'format'>): Promise<ExcelJS.Worksheet> {
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on('data', (b: Buffer) => chunks.push(b));
  await writeTabular(out, { ...spec, format: 'xlsx' });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  expect(wb.worksheets).toHaveLength(1);
  return wb.worksheets[0]!;
}

/** Excel reads `_xHHHH_` in a text as the character HHHH (ECMA-376 22.9.2.19); exceljs's inline strings do not. */
const asExcelReads = (text: unknown) => (typeof text === 'string' ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text);

/** The characters of XML 1.0 (its Char production): text keeps these and loses the others. */
const xmlChars = (text: string) =>
  [...text].filter((ch) => {
    const cp = ch.codePointAt(0)!;
    return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000;
  }).join('');

describe('tabular export', () => {
  it('neutralises formula injection but leaves numbers alone', () => {
    expect(neutralise('=HYPERLINK("http://x","y")')).toBe('\'=HYPERLINK("http://x","y")');
    for (const s of ['+1+1', '-1+1', '@A1', '\tA', '\rA']) expect(neutralise(s)).toBe(`'${s}`);
    for (const s of ['-12.50', '+86', '广州', 'a=b']) expect(neutralise(s)).toBe(s);
  });

  it('CSV: UTF-8 with BOM, headers in the locale, injection neutralised, quoting round-trips', async () => {
    const file = path.join(dir, 'out.csv');
    const n = await writeTabular(createWriteStream(file), { format: 'csv', columns, rows: slowly(rows), locale: 'zh-CN' });
    expect(n).toBe(3);
    const buf = readFileSync(file);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records: string[][] = [];
    for await (const r of csvRecords((async function* () { yield buf.toString('utf8').slice(1).trimEnd(); })())) records.push(r);
    expect(records).toEqual([
      ['客户编号', '客户名称', '金额', '数量', '日期'],
      ['C-1', '\'=HYPERLINK("http://x","y")', '-12.50', '3', '2026-01-31'],
      ['C-2', '广州测试,有限"公司"\n第二行', '0.00', '0', ''],
      ['+86', '\'@SUM(A1)', '\'\tx', '-1', ''],
    ]);
  });

  it('.xlsx: streamed, injection stored as text with an apostrophe', async () => {
    const file = path.join(dir, 'out.xlsx');
    await writeTabular(createWriteStream(file), { format: 'xlsx', columns, rows, locale: 'en-US', sheetName: 'Customers' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('Customers')!;
    expect(ws.getRow(1).getCell(1).value).toBe('Customer no.');
    const cell = ws.getRow(2).getCell(2);
    expect(cell.value).toBe('\'=HYPERLINK("http://x","y")');
    expect(cell.formula).toBeUndefined();
    expect(ws.getRow(2).getCell(4).value).toBe(3);
  });

  it('.xlsx: bold frozen header, numbers with their format, booleans, empty cells, text as written', async () => {
    interface Mixed { name: string | null; amount: number | null; count: number; ok: boolean | null; note: string }
    const mixed: TabularColumn<Mixed>[] = [
      { key: 'name', header: { 'zh-CN': '客户名称', 'en-US': 'Name' }, width: 30 },
      { key: 'amount', header: { 'zh-CN': '金额（元）', 'en-US': 'Amount' }, decimals: 2 },
      { key: 'count', header: { 'zh-CN': '数量', 'en-US': 'Count' }, decimals: 0 },
      { key: 'ok', header: { 'zh-CN': '是否有效', 'en-US': 'Valid' } },
      { key: 'note', header: { 'zh-CN': '备注说明备注说明备注说明备注说明备注说明备注说明', 'en-US': 'Note' } },
    ];
    const ws = await xlsxSheet({
      columns: mixed,
      sheetName: 'Q1/Q2 [销售]: 客户*清单? 以及很长很长很长很长的名称',
      rows: [
        { name: '广州测试有限公司', amount: 1234.5, count: 3, ok: true, note: '<&>"\'' },
        { name: null, amount: NaN, count: -0, ok: false, note: 'a\u0001b\u0008c\u001f' },
        { name: '  两端空格 ', amount: Infinity, count: 1e21, ok: null, note: 'line1\r\nline2\rend\n' },
        { name: '=1+2', amount: -12.345, count: 0.5, ok: null, note: '_x0041_ 😀 \uFFFF' },
        { name: '', amount: null, count: 7, ok: null, note: ']]> </t></is>' },
      ],
    });
    expect(ws.name).toBe('Q1_Q2 _销售__ 客户_清单_ 以及很长很长很长很长的名');
    expect(ws.getRow(1).values).toEqual([undefined, '客户名称', '金额（元）', '数量', '是否有效', '备注说明备注说明备注说明备注说明备注说明备注说明']);
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.getRow(2).getCell(1).font?.bold).toBeFalsy();
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, topLeftCell: 'A2' });
    expect([1, 2, 3, 4, 5].map((i) => ws.getColumn(i).width)).toEqual([30, 12, 10, 10, 40]);
    const cells = (r: number) => [1, 2, 3, 4, 5].map((c) => asExcelReads(ws.getRow(r).getCell(c).value));
    expect(cells(2)).toEqual(['广州测试有限公司', 1234.5, 3, true, '<&>"\'']);
    expect(cells(3)).toEqual([null, null, 0, false, 'abc']);
    expect(cells(4)).toEqual(['  两端空格 ', null, 1e21, null, 'line1\r\nline2\rend\n']);
    expect(cells(5)).toEqual(['\'=1+2', -12.345, 0.5, null, '_x0041_ 😀 ']);
    expect(ws.getRow(5).getCell(1).formula).toBeUndefined();
    expect(cells(6)).toEqual([null, null, 7, null, ']]> </t></is>']);
    expect(ws.getRow(2).getCell(2).numFmt).toBe('0.00');
    expect(ws.getRow(2).getCell(3).numFmt).toBe('0');
    expect(ws.getRow(2).getCell(1).numFmt).toBeUndefined();
    expect(ws.rowCount).toBe(6);
  });

  it('.xlsx sheet names follow Excel\'s rules', () => {
    expect(sheetNameOf('客户清单')).toBe('客户清单');
    expect(sheetNameOf('a[b]c:d*e?f/g\\h')).toBe('a_b_c_d_e_f_g_h');
    expect(sheetNameOf("'quoted'")).toBe('_quoted_');
    expect(sheetNameOf('  ')).toBe('Sheet1');
    expect(sheetNameOf('\u0000')).toBe('Sheet1');
    expect(sheetNameOf('History')).toBe('History_');
    expect(sheetNameOf('x'.repeat(30) + '😀')).toBe('x'.repeat(30));
    expect(sheetNameOf('<&>"')).toBe('<&>"');
  });

  it('.xlsx: any text reads back as written, less what XML cannot hold (property)', async () => {
    const unit = fc.constantFrom('a', '中', ' ', '\t', '\n', '\r', '\r\n', '\u0000', '\u000b', '\u001f', '\ufffe', '\ud800', '\udc00', '😀', '<', '&', '>', '"', "'", '=', '-', '1', '_', 'x', '_x0041_', '_x005F_', '_xd83d_', ']]>');
    const text = fc.string({ unit, maxLength: 12 });
    const cols: TabularColumn<string[]>[] = [0, 1, 2].map((i) => ({ key: String(i), header: { 'zh-CN': `列${i}`, 'en-US': `c${i}` }, value: (r) => r[i] }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(text, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }), async (table) => {
        const ws = await xlsxSheet({ columns: cols, rows: table });
        table.forEach((r, i) => {
          const back = [1, 2, 3].map((c) => asExcelReads(ws.getRow(i + 2).getCell(c).value));
          expect(back).toEqual(r.map((v) => xmlChars(neutralise(v)) || null));
        });
      }),
      { numRuns: 100 },
    );
  });

  it.each(['csv', 'xlsx'] as const)('%s: a reader that goes away stops the export and lets its rows go', async (format) => {
    let made = 0;
    let released = false;
    function* endless() {
      try {
        for (;;) yield { no: `C-${++made}`, name: '广州测试有限公司'.repeat(8), amount: '1.00', n: made, at: null };
      } finally {
        released = true;
      }
    }
    const out = new PassThrough();
    let received = 0;
    out.on('data', (b: Buffer) => {
      received += b.length;
      if (received > 50_000) out.destroy();
    });
    await expect(writeTabular(out, { format, columns, rows: endless() })).rejects.toThrow('export output closed');
    expect(released).toBe(true);
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThan(100_000);
  });

  it('.xlsx: a reader that goes away while the file is being finished stops the export too', async () => {
    const out = new PassThrough(); // read by nobody
    async function* thenGone() {
      // text that does not compress, more than the streams between the rows and the reader hold
      for (let i = 0; i < 400; i++) yield { ...rows[0]!, name: randomBytes(512).toString('hex') };
      setTimeout(() => out.destroy(), 50);
    }
    await expect(writeTabular(out, { format: 'xlsx', columns, rows: thenGone() })).rejects.toThrow();
  });

  it('.xlsx: rows that fail fail the export and leave the file unfinished', async () => {
    async function* failing() {
      yield* rows;
      throw new Error('database went away');
    }
    const out = new PassThrough();
    out.resume();
    await expect(writeTabular(out, { format: 'xlsx', columns, rows: failing() })).rejects.toThrow('database went away');
    expect(out.writableEnded).toBe(false);
  });

  it('Content-Disposition carries the UTF-8 file name', () => {
    expect(contentDisposition('客户清单.xlsx')).toBe(`attachment; filename="____.xlsx"; filename*=UTF-8''${encodeURIComponent('客户清单.xlsx')}`);
  });

  it('the CSV reader reads back whatever csv-stringify writes (property)', async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '中', ',', '"', '\n', '\r\n', ' ', '=', '1') , maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 7 }), async (table, cut) => {
        // rows whose cells are all empty are written as an empty line; keep one non-empty marker cell
        const data = table.map((r) => ['x', ...r]);
        const text = stringify(data, { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
        const chunks = async function* () {
          for (let i = 0; i < text.length; i += cut) yield text.slice(i, i + cut);
        };
        const back: string[][] = [];
        for await (const r of csvRecords(chunks())) back.push(r);
        expect(back).toEqual(data);
      }),
      { numRuns: 300 },
    );
  });

  it('CSV: any cells, in rows or in batches, read back as written (property)', async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '中', ',', '"', '\n', '\r', '\r\n', ' ', '1', '😀'), maxLength: 10 });
    const cols: TabularColumn<string[]>[] = [0, 1, 2].map((i) => ({ key: String(i), header: { 'zh-CN': `列${i}`, 'en-US': `c${i}` }, value: (r) => r[i] }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 12 }), fc.boolean(), async (table, batched) => {
        const data = table.map(([a, b, c]) => ['x', b!, c!].map((v, i) => (i === 0 ? a + 'x' : v)));
        const chunks: Buffer[] = [];
        const out = new PassThrough();
        out.on('data', (b: Buffer) => chunks.push(b));
        const rows = batched ? { batches: (async function* () { yield data.slice(0, 5); yield data.slice(5); })() } : data;
        await writeTabular(out, { format: 'csv', columns: cols, rows });
        const text = Buffer.concat(chunks).toString('utf8');
        expect(text.startsWith('\uFEFF列0,列1,列2\r\n')).toBe(true);
        const back: string[][] = [];
        for await (const r of csvRecords((async function* () { yield text.slice(1, -2); })())) back.push(r);
        expect(back.slice(1)).toEqual(data.map((r) => r.map(neutralise)));
      }),
      { numRuns: 200 },
    );
  });
});
