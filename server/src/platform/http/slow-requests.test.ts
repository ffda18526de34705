/**
 * Slow clients (issue 12 item 9): a body or headers sent a byte at a time hold a connection only until
 * the configured limit, here set short. Real sockets against the listening server: `inject` has no wire.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';

let sys: TestSystem;
let port: number;
let admin: Session;
beforeAll(async () => {
  sys = await startTestSystem({ DEMO_CUSTOMERS: 10, HEADERS_TIMEOUT_SECONDS: 1, BODY_TIMEOUT_SECONDS: 0.5, REQUEST_TIMEOUT_SECONDS: 60 });
  admin = await sys.login('admin');
  await sys.app.listen({ host: '127.0.0.1', port: 0 });
  port = (sys.app.server.address() as AddressInfo).port;
});
afterAll(() => sys.close());

interface Exchange {
  /** Everything the server sent before it closed the connection. */
  answer: string;
  /** Bytes of the trickle written before the close. */
  trickled: number;
}

/**
 * Sends `head` at once, then `trickle` one byte per tick until the server closes the connection (or
 * the trickle ends, then waits for the close). Resolves when the server has closed it.
 */
function exchange(head: string, trickle: string, tickMs = 100): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    let trickled = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, trickled });
    });
    socket.write(head, () => {
      timer = setInterval(() => {
        if (trickled < trickle.length && !socket.destroyed && socket.writable) socket.write(trickle[trickled++]!);
      }, tickMs);
    });
  });
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { code: string };

describe('slow requests', () => {
  it('a JSON body trickled a byte at a time is cut off with 408 and the connection closed', async () => {
    const body = JSON.stringify({ username: 'admin', password: 'x'.repeat(200) });
    const head = `POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const { answer, trickled } = await exchange(head, body);
    expect(statusOf(answer), answer).toBe(408);
    expect(bodyOf(answer).code).toBe('request_timeout');
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(trickled).toBeLessThan(body.length);
  });

  it('headers trickled a byte at a time are cut off by the headers limit', async () => {
    const { answer, trickled } = await exchange('GET /api/health HTTP/1.1\r\nHost: localhost\r\n', `X-Slow: ${'a'.repeat(500)}\r\n\r\n`);
    expect(statusOf(answer), answer).toBe(408);
    expect(trickled).toBeLessThan(500);
  });

  it('a request refused before its body is read (401) closes the connection instead of reading the rest', async () => {
    const head = 'POST /api/customers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n';
    const { answer, trickled } = await exchange(head, '{'.repeat(100_000));
    expect(statusOf(answer), answer).toBe(401);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(trickled).toBeLessThan(100_000);
  });

  it('an import upload streams for longer than a JSON body may take', async () => {
    const boundary = 'kamBoundary';
    // an empty file: read to its end by the import's handler, then refused (so that no import starts)
    const body = [
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="customers.csv"\r\nContent-Type: text/csv\r\n\r\n\r\n`,
      `--${boundary}--\r\n`,
    ].join('');
    const length = Buffer.byteLength(body);
    const head =
      `POST /api/imports?kind=customers&dryRun=true HTTP/1.1\r\nHost: localhost\r\nCookie: ${admin.cookie}\r\nX-CSRF-Token: ${admin.csrfToken}\r\n` +
      `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;
    // the first 20 bytes a tick apart: well past the JSON body limit of 0.5 s, then the rest at once
    const slow = body.slice(0, 20);
    const { answer } = await new Promise<Exchange>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      let received = '';
      let sent = 0;
      socket.setEncoding('utf8');
      socket.on('data', (c: string) => (received += c));
      socket.on('error', reject);
      socket.on('close', () => resolve({ answer: received, trickled: sent }));
      socket.write(head);
      const timer = setInterval(() => {
        if (sent < slow.length) return void socket.write(slow[sent++]!);
        clearInterval(timer);
        socket.write(body.slice(slow.length));
      }, 100);
    });
    // the handler's own answer about the file, not the body limit's 408
    expect(statusOf(answer), answer).toBe(400);
    expect(answer).toContain('"field":"body.file"');
  });
});
