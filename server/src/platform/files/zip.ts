/**
 * Zip archives (.xlsx) read within bounds. A 1.5 MB file can inflate to gigabytes (a zip bomb), so before
 * anything is inflated the central directory at the end of the file is read: the number of entries, each
 * entry's declared sizes and compression ratio, and their total are held against limits (`ZipLimits`). What
 * passes is then read entry by entry through the central directory (`storedEntries`), each inflated with a
 * bound: an entry that inflates past the size it declared (a lying header) stops the read at that byte.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';

export interface ZipLimits {
  /** Bytes the entries may inflate to, all together. */
  maxInflatedBytes: number;
  /** Entries in the archive. */
  maxEntries: number;
  /** Inflated size per compressed byte of an entry larger than RATIO_GRACE_BYTES. */
  maxRatio: number;
}

/** Entries smaller than this inflate to too little to matter, whatever their ratio (a run of blanks in a small sheet). */
export const RATIO_GRACE_BYTES = 1 << 20;

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export type ZipLimitCode = 'xlsx_too_many_entries' | 'xlsx_inflated_too_large' | 'xlsx_ratio_too_high' | 'xlsx_size_mismatch';

/** The archive is beyond a limit (or an entry lied about its size): the code names which, the params the figures. */
export class ZipLimitError extends Error {
  constructor(
    readonly code: ZipLimitCode,
    readonly params: Record<string, string | number>,
  ) {
    super(`${code} ${JSON.stringify(params)}`);
  }
}

/** The archive cannot be read as a zip (no central directory, several disks, encrypted entries …). */
export class ZipFormatError extends Error {}

/** Bytes as a person reads a limit: 1 GB, 512 MB, 64 KB. */
export function formatBytes(n: number): string {
  const units = [
    [1 << 30, 'GB'],
    [1 << 20, 'MB'],
    [1 << 10, 'KB'],
  ] as const;
  for (const [size, unit] of units) if (n >= size) return `${Number((n / size).toFixed(n % size ? 1 : 0))} ${unit}`;
  return `${n} B`;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;
/** A central directory larger than this is not an .xlsx of ours (each entry takes ~100 bytes). */
const MAX_DIRECTORY_BYTES = 64 << 20;

async function readAt(fh: Awaited<ReturnType<typeof open>>, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

const u64 = (buf: Buffer, at: number) => {
  const n = buf.readBigUInt64LE(at);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('a size beyond 2^53');
  return Number(n);
};

/** Where the central directory lies and how many entries it declares (ZIP64 included). */
async function directoryOf(fh: Awaited<ReturnType<typeof open>>, fileSize: number) {
  const tailLength = Math.min(fileSize, 22 + MAX16);
  const tail = await readAt(fh, fileSize - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipFormatError('no end of central directory');
  if (tail.readUInt16LE(at + 4) !== 0 || tail.readUInt16LE(at + 6) !== 0) throw new ZipFormatError('an archive of several disks');
  let entries = tail.readUInt16LE(at + 10);
  let size = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  if (entries === MAX16 || size === MAX32 || offset === MAX32) {
    const locatorAt = fileSize - tailLength + at - 20;
    const locator = locatorAt >= 0 ? await readAt(fh, locatorAt, 20) : Buffer.alloc(0);
    if (locator.length < 20 || locator.readUInt32LE(0) !== EOCD64_LOCATOR) throw new ZipFormatError('no ZIP64 end of central directory');
    const record = await readAt(fh, u64(locator, 8), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== EOCD64) throw new ZipFormatError('no ZIP64 end of central directory');
    entries = u64(record, 32);
    size = u64(record, 40);
    offset = u64(record, 48);
  }
  if (offset + size > fileSize) throw new ZipFormatError('the central directory lies outside the file');
  return { entries, size, offset };
}

/** The ZIP64 extra field's sizes and offset, for the fields the entry set to 0xFFFFFFFF. */
function zip64Fields(extra: Buffer, e: ZipEntry) {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(i);
    const len = extra.readUInt16LE(i + 2);
    if (id === 0x0001) {
      let p = i + 4;
      const next = () => {
        if (p + 8 > i + 4 + len) throw new ZipFormatError('a short ZIP64 field');
        const v = u64(extra, p);
        p += 8;
        return v;
      };
      if (e.size === MAX32) e.size = next();
      if (e.compressedSize === MAX32) e.compressedSize = next();
      if (e.localOffset === MAX32) e.localOffset = next();
      return;
    }
    i += 4 + len;
  }
  if (e.size === MAX32 || e.compressedSize === MAX32 || e.localOffset === MAX32) throw new ZipFormatError('no ZIP64 field');
}

/**
 * The entries of the zip at `path`, read from its central directory, after the limits that the directory alone
 * can show: the number of entries (before they are read), each one's ratio, their total inflated size.
 */
export async function readZipDirectory(path: string, limits: ZipLimits): Promise<ZipEntry[]> {
  const fh = await open(path, 'r');
  try {
    const { size: fileSize } = await fh.stat();
    const dir = await directoryOf(fh, fileSize);
    if (dir.entries > limits.maxEntries) throw new ZipLimitError('xlsx_too_many_entries', { entries: dir.entries, limit: limits.maxEntries });
    if (dir.size > MAX_DIRECTORY_BYTES) throw new ZipFormatError('a central directory larger than 64 MB');
    const buf = await readAt(fh, dir.offset, dir.size);
    const entries: ZipEntry[] = [];
    let total = 0;
    for (let p = 0; entries.length < dir.entries; ) {
      if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw new ZipFormatError('a broken central directory');
      const nameLength = buf.readUInt16LE(p + 28);
      const extraLength = buf.readUInt16LE(p + 30);
      const commentLength = buf.readUInt16LE(p + 32);
      if (p + 46 + nameLength + extraLength + commentLength > buf.length) throw new ZipFormatError('a broken central directory');
      const e: ZipEntry = {
        name: buf.toString('utf8', p + 46, p + 46 + nameLength),
        flags: buf.readUInt16LE(p + 8),
        method: buf.readUInt16LE(p + 10),
        crc32: buf.readUInt32LE(p + 16),
        compressedSize: buf.readUInt32LE(p + 20),
        size: buf.readUInt32LE(p + 24),
        localOffset: buf.readUInt32LE(p + 42),
      };
      zip64Fields(buf.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength), e);
      total += e.size;
      if (total > limits.maxInflatedBytes) {
        throw new ZipLimitError('xlsx_inflated_too_large', { size: formatBytes(total), limit: formatBytes(limits.maxInflatedBytes) });
      }
      if (e.size > RATIO_GRACE_BYTES && e.size > e.compressedSize * limits.maxRatio) {
        const ratio = Math.round(e.size / Math.max(1, e.compressedSize));
        throw new ZipLimitError('xlsx_ratio_too_high', { entry: e.name.slice(0, 100), ratio, limit: limits.maxRatio });
      }
      entries.push(e);
      p += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/** One entry's data as it inflates, never past its declared size (ZipLimitError) nor short of it, with its CRC checked. */
async function* inflated(path: string, e: ZipEntry, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  if (e.flags & 0x1) throw new ZipFormatError(`${e.name} is encrypted`);
  if (e.method !== 0 && e.method !== 8) throw new ZipFormatError(`${e.name}: compression method ${e.method}`);
  const fh = await open(path, 'r');
  let start: number;
  try {
    const head = await readAt(fh, e.localOffset, 30);
    if (head.length < 30 || head.readUInt32LE(0) !== LOCAL) throw new ZipFormatError(`${e.name}: no local header`);
    const name = await readAt(fh, e.localOffset + 30, head.readUInt16LE(26));
    // the local header must name the same entry as the directory (two views of one archive are refused)
    if (name.toString('utf8') !== e.name) throw new ZipFormatError(`${e.name}: the local header names another entry`);
    start = e.localOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  } finally {
    await fh.close();
  }
  if (e.compressedSize === 0 && e.size === 0) return;
  const raw = createReadStream(path, { start, end: start + e.compressedSize - 1, highWaterMark: 1 << 16 });
  const stored = e.method === 0;
  // a piped stream flows: counting its chunks as they pass takes nothing from the inflater
  if (!stored) raw.on('data', (chunk) => onBytes(chunk.length));
  const data = stored ? raw : raw.pipe(zlib.createInflateRaw({ chunkSize: 1 << 16 }));
  if (!stored) raw.on('error', (err) => data.destroy(err)); // a pipe does not pass an error on
  let out = 0;
  let crc = 0;
  try {
    for await (const chunk of data as AsyncIterable<Buffer>) {
      out += chunk.length;
      if (stored) onBytes(chunk.length);
      if (out > e.size) throw new ZipLimitError('xlsx_size_mismatch', { entry: e.name.slice(0, 100), size: formatBytes(e.size) });
      crc = zlib.crc32(chunk, crc);
      yield chunk;
    }
  } catch (err) {
    if (err instanceof ZipLimitError) throw err;
    if ((err as { code?: string }).code?.startsWith('Z_')) throw new ZipFormatError(`${e.name}: ${(err as Error).message}`);
    throw err;
  } finally {
    raw.destroy();
    if (data !== raw) data.destroy();
  }
  if (out !== e.size) throw new ZipFormatError(`${e.name}: ${out} bytes, ${e.size} declared`);
  if (crc >>> 0 !== e.crc32 >>> 0) throw new ZipFormatError(`${e.name}: CRC mismatch`);
}

function localHeader(name: Buffer, size: number, crc: number): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(LOCAL, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(0x0800, 6); // UTF-8 name
  h.writeUInt16LE(0, 8); // stored
  h.writeUInt16LE(0, 10);
  h.writeUInt16LE(0x21, 12); // 1980-01-01
  h.writeUInt32LE(crc >>> 0, 14);
  h.writeUInt32LE(size, 18);
  h.writeUInt32LE(size, 22);
  h.writeUInt16LE(name.length, 26);
  h.writeUInt16LE(0, 28);
  return Buffer.concat([h, name]);
}

/**
 * A zip stream of the chosen entries, in the order given, each inflated within its bound and written stored
 * (sizes in its header, no data descriptor), for a streaming zip reader: it then reads them in that order
 * without a temporary file, and never more than they declared. `made` supplies an entry the archive lacks.
 * The entries must be below 4 GB each (the limits keep them far below). `onBytes` counts the file's bytes read.
 * A streaming reader does not see a piped stream's error, and waits for ever for an archive cut short: on an
 * error the stream ends where it is and `failed` rejects with it, for the reader's consumer to stop waiting.
 */
export function storedEntries(
  path: string,
  entries: ZipEntry[],
  order: { name: string; made?: Buffer }[],
  onBytes: (n: number) => void = () => undefined,
): { stream: Readable; failed: Promise<never> } {
  let fail: (err: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined); // awaited by whoever races it
  async function* parts(): AsyncGenerator<Buffer> {
    try {
      for (const want of order) {
        const e = entries.find((x) => x.name === want.name);
        const name = Buffer.from(want.name, 'utf8');
        if (e) {
          if (e.size >= MAX32) throw new ZipFormatError(`${e.name}: 4 GB or more`);
          yield localHeader(name, e.size, e.crc32);
          yield* inflated(path, e, onBytes);
        } else if (want.made) {
          yield localHeader(name, want.made.length, zlib.crc32(want.made));
          yield want.made;
        }
      }
    } catch (err) {
      fail(err as Error);
      return;
    }
    // an end of central directory without entries: the streaming reader stops there
    const end = Buffer.alloc(22);
    end.writeUInt32LE(EOCD, 0);
    yield end;
  }
  return { stream: Readable.from(parts(), { objectMode: false }), failed };
}

/**
 * The items of `source` until `failed` rejects: then its error, however long `source` would have waited. One
 * subscription to `failed` for the whole iteration (a race per item would pile a reaction on it per item).
 */
export async function* until<T>(source: AsyncIterable<T>, failed: Promise<never>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let failure: { err: unknown } | null = null;
  let stop: ((err: unknown) => void) | null = null;
  failed.catch((err: unknown) => {
    failure = { err };
    stop?.(err);
  });
  try {
    for (;;) {
      if (failure) throw (failure as { err: unknown }).err;
      const next = await new Promise<IteratorResult<T>>((resolve, reject) => {
        stop = reject;
        it.next().then(resolve, reject);
      });
      stop = null;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // a source still waiting is left to the collector: asking it to return would wait as long
    void it.return?.()?.catch(() => undefined);
  }
}
