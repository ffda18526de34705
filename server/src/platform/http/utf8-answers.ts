import type { FastifyInstance } from 'fastify';

/**
 * Answers leave as UTF-8 bytes rather than as strings. Node writes a long string holding Chinese text to the socket
 * several times slower than it encodes the same string and writes the bytes: a page of 100 TMF629 customers (126 KB)
 * from a bare Fastify at 32 connections, 860–914 a second as a string against 2,285–4,091 encoded on each answer
 * (docs/decisions.md). Registered after the hooks that read the serialised string (`fields=`).
 */
export function installUtf8Answers(app: FastifyInstance) {
  app.addHook('onSend', (_req, _reply, payload, done) => done(null, typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload));
}
