import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installUtf8Answers } from './utf8-answers.js';

const app = Fastify({ logger: false });
let base: string;
const long = { name: '广州市天河区移动大客户'.repeat(20_000) };

beforeAll(async () => {
  installUtf8Answers(app);
  app.get('/long', async () => long);
  app.get('/text', async (_req, reply) => reply.type('text/plain; charset=utf-8').send('满意度 ✓'));
  app.get('/stream', async (_req, reply) => reply.type('text/csv; charset=utf-8').send(Readable.from(['客户,等级\n', '张三,五星钻\n'])));
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(() => app.close());

describe('answers sent as UTF-8 bytes', () => {
  it('delivers a long Chinese JSON answer whole, as JSON, with its length in bytes', async () => {
    const res = await fetch(`${base}/long`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(long);
  });

  it('keeps the type a route set, and leaves streams as they are', async () => {
    const text = await fetch(`${base}/text`);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await text.text()).toBe('满意度 ✓');
    const csv = await fetch(`${base}/stream`);
    expect(csv.headers.get('transfer-encoding')).toBe('chunked');
    expect(await csv.text()).toBe('客户,等级\n张三,五星钻\n');
  });
});
