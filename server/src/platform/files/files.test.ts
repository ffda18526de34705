/**
 * The zip reader's own cases, which an .xlsx from Excel seldom shows: ZIP64 records, and what it hands on
 * (entries inflated within bounds, in the order asked, an entry the archive lacks made up); the uploads
 * folder's modes and what a start removes.
 */
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UploadFolder } from './uploads.js';
import { readZipDirectory, storedEntries, ZipFormatError, ZipLimitError } from './zip.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kam-files-test-'));
const LIMITS = { maxEntries: 10, maxInflatedBytes: 1 << 20, maxRatio: 100 };

/** A ZIP64 archive of one deflated entry: its sizes and offset only in the ZIP64 extra field, the directory found through the ZIP64 end record. */
function zip64(name: string, data: Buffer): Buffer {
  const packed = zlib.deflateRawSync(data);
  const nameBuf = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(45, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(zlib.crc32(data), 14);
  local.writeUInt32LE(0xffffffff, 18);
  local.writeUInt32LE(0xffffffff, 22);
  local.writeUInt16LE(nameBuf.length, 26);
  const extra = Buffer.alloc(28);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(24, 2);
  extra.writeBigUInt64LE(BigInt(data.length), 4);
  extra.writeBigUInt64LE(BigInt(packed.length), 12);
  extra.writeBigUInt64LE(0n, 20);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(45, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(zlib.crc32(data), 16);
  central.writeUInt32LE(0xffffffff, 20);
  central.writeUInt32LE(0xffffffff, 24);
  central.writeUInt16LE(nameBuf.length, 28);
  central.writeUInt16LE(extra.length, 30);
  central.writeUInt32LE(0xffffffff, 42);
  const body = Buffer.concat([local, nameBuf, packed]);
  const directory = Buffer.concat([central, nameBuf, extra]);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeBigUInt64LE(1n, 24);
  record.writeBigUInt64LE(1n, 32);
  record.writeBigUInt64LE(BigInt(directory.length), 40);
  record.writeBigUInt64LE(BigInt(body.length), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(body.length + directory.length), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([body, directory, record, locator, end]);
}

const file = (name: string, data: Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, data);
  return p;
};

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

describe('the zip reader', () => {
  const sheet = Buffer.from(`<worksheet>${'<row/>'.repeat(2000)}</worksheet>`);

  it('reads ZIP64 records: sizes and offsets from the extra field, the directory through the ZIP64 end record', async () => {
    const p = file('zip64.xlsx', zip64('xl/worksheets/sheet1.xml', sheet));
    const [entry] = await readZipDirectory(p, LIMITS);
    expect(entry).toMatchObject({ name: 'xl/worksheets/sheet1.xml', size: sheet.length, localOffset: 0, method: 8 });
    const { stream, failed } = storedEntries(p, [entry!], [{ name: 'made.xml', made: Buffer.from('<x/>') }, { name: entry!.name }]);
    const out = await collect(stream);
    await expect(Promise.race([failed, 'ok'])).resolves.toBe('ok');
    // two stored entries, the made one first, then the inflated sheet, then an empty end record
    expect(out.readUInt32LE(0)).toBe(0x04034b50);
    expect(out.subarray(30 + 8, 30 + 8 + 4).toString()).toBe('<x/>');
    const second = 30 + 8 + 4;
    expect(out.readUInt32LE(second + 22)).toBe(sheet.length);
    expect(out.subarray(second + 30 + entry!.name.length, second + 30 + entry!.name.length + sheet.length)).toEqual(sheet);
    expect(out.length).toBe(second + 30 + entry!.name.length + sheet.length + 22);
  });

  it('holds the ZIP64 sizes against the limits too', async () => {
    const p = file('zip64-big.xlsx', zip64('xl/worksheets/sheet1.xml', Buffer.alloc(2 << 20, 0x20)));
    await expect(readZipDirectory(p, LIMITS)).rejects.toBeInstanceOf(ZipLimitError);
    await expect(readZipDirectory(p, { ...LIMITS, maxInflatedBytes: 4 << 20 })).rejects.toMatchObject({ code: 'xlsx_ratio_too_high' });
  });

  it('refuses what is not a zip, and a local header naming another entry', async () => {
    await expect(readZipDirectory(file('text.xlsx', Buffer.from('月份,手机号码\n')), LIMITS)).rejects.toBeInstanceOf(ZipFormatError);
    const archive = zip64('xl/worksheets/sheet1.xml', sheet);
    archive.write('xl/worksheets/sheetX.xml', 30); // the local header's name, not the directory's
    const p = file('two-views.xlsx', archive);
    const { stream, failed } = storedEntries(p, await readZipDirectory(p, LIMITS), [{ name: 'xl/worksheets/sheet1.xml' }]);
    await collect(stream);
    await expect(failed).rejects.toThrow(/names another entry/);
  });
});

describe('the uploads folder', () => {
  it('is the owner’s alone, and a start removes only uploads from it', async () => {
    const folder = path.join(dir, 'uploads');
    const first = await UploadFolder.open({ DATA_DIR: '', UPLOAD_DIR: folder });
    const { path: upload, stream } = first.create();
    await new Promise<void>((resolve, reject) => stream.end('客户编号\n', () => resolve()).on('error', reject));
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(upload).mode & 0o777).toBe(0o600);
    writeFileSync(path.join(folder, 'notes.txt'), 'kept');
    await UploadFolder.open({ DATA_DIR: '', UPLOAD_DIR: folder });
    expect(readdirSync(folder)).toEqual(['notes.txt']);
    // without a setting, under DATA_DIR
    expect((await UploadFolder.open({ DATA_DIR: path.join(dir, 'data'), UPLOAD_DIR: '' })).dir).toBe(path.join(dir, 'data', 'uploads'));
  });
});
