import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvRecords } from '../../modules/integration/csv-reader.js';
import { contentDisposition, neutralise, writeTabular, type TabularColumn } from './tabular.js';

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
