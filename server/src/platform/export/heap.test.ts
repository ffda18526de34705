import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { bulkWorkRunning, smallHeapItems, withSmallHeap } from './heap.js';
import { writeTabular } from './tabular.js';

async function* numbers(n: number) {
  for (let i = 0; i < n; i++) yield i;
}

describe('the small heap of bulk work', () => {
  it('holds while an export is written and is let go when it ends', async () => {
    const out = new PassThrough();
    out.resume();
    let during = -1;
    async function* rows() {
      during = bulkWorkRunning();
      yield { no: 'C-1' };
    }
    await writeTabular(out, { format: 'csv', columns: [{ key: 'no', header: { 'zh-CN': '客户编号', 'en-US': 'Customer no.' } }], rows: rows() });
    expect(during).toBe(1);
    expect(bulkWorkRunning()).toBe(0);
  });

  it('is let go when the work fails', async () => {
    await expect(withSmallHeap(() => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    expect(bulkWorkRunning()).toBe(0);
  });

  it('lasts until the last of several downloads at once ends', async () => {
    const first = smallHeapItems(numbers(3));
    const second = smallHeapItems(numbers(3));
    await first.next();
    await second.next();
    expect(bulkWorkRunning()).toBe(2);
    for await (const _ of first) void _;
    expect(bulkWorkRunning()).toBe(1);
    for await (const _ of second) void _;
    expect(bulkWorkRunning()).toBe(0);
  });

  it('is let go when a reader leaves a download half-way', async () => {
    const body = Readable.from(smallHeapItems(numbers(1_000)));
    await new Promise<void>((resolve) => body.once('data', () => resolve()));
    expect(bulkWorkRunning()).toBe(1);
    body.destroy();
    await new Promise((resolve) => body.once('close', resolve));
    expect(bulkWorkRunning()).toBe(0);
  });

  it('is not taken by a download never read', () => {
    smallHeapItems(numbers(3));
    expect(bulkWorkRunning()).toBe(0);
  });
});
