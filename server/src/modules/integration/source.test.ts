/**
 * The one pass over a CSV that tells its encoding and whether it holds quotes: a character cut by the
 * read's chunk boundary is still UTF-8, a GBK file is GBK wherever its first non-UTF-8 byte lies.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { scanCsv } from './source.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kam-scan-test-'));
const file = (name: string, data: Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, data);
  return p;
};
const CHUNK = 1 << 20;

describe('scanCsv', () => {
  it('reads UTF-8 whose characters straddle the chunk boundary, at every offset of a character', async () => {
    for (const pad of [1, 2, 3, 4]) {
      const data = Buffer.concat([Buffer.alloc(CHUNK - pad, 'a'), Buffer.from('中文,𠀋\n月份', 'utf8')]);
      expect(await scanCsv(file(`utf8-${pad}.csv`, data))).toEqual({ encoding: 'utf-8', quoted: false });
    }
  });

  it('tells GBK, a BOM and quotes', async () => {
    const gbk = Buffer.concat([Buffer.alloc(CHUNK - 1, 'a'), iconv.encode('月份,手机号码\n', 'gbk')]);
    expect(await scanCsv(file('gbk.csv', gbk))).toEqual({ encoding: 'gbk', quoted: false });
    expect(await scanCsv(file('gbk-short.csv', iconv.encode('月份\n2026-01', 'gbk')))).toEqual({ encoding: 'gbk', quoted: false });
    expect(await scanCsv(file('bom.csv', Buffer.from('\uFEFF月份,"a"\n', 'utf8')))).toEqual({ encoding: 'utf-8-bom', quoted: true });
    // a character cut off at the very end of the file is not UTF-8
    expect(await scanCsv(file('cut.csv', Buffer.from('月份').subarray(0, 5)))).toEqual({ encoding: 'gbk', quoted: false });
  });
});
