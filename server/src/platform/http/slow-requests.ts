import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

export interface RequestTimeouts {
  /** The request line and headers must arrive within this (Node's headersTimeout). */
  HEADERS_TIMEOUT_SECONDS: number;
  /** A body read before the handler (JSON, merge-patch, text) must arrive within this once the headers are in. */
  BODY_TIMEOUT_SECONDS: number;
  /** A whole request, an upload's streamed body included, must arrive within this (Node's requestTimeout). */
  REQUEST_TIMEOUT_SECONDS: number;
  /** A connection on which nothing moves either way for this long is closed (Fastify's connectionTimeout). */
  SOCKET_IDLE_TIMEOUT_SECONDS: number;
}

const ms = (seconds: number) => Math.round(seconds * 1000);

/**
 * The server's own limits (Fastify's defaults wait forever for a body): headers and whole requests
 * are timed by Node, which checks its connections every `connectionsCheckingInterval` — a quarter of
 * the headers' limit, so that a limit is kept to within a quarter.
 */
export function serverTimeouts(t: RequestTimeouts) {
  const headersTimeout = ms(Math.min(t.HEADERS_TIMEOUT_SECONDS, t.REQUEST_TIMEOUT_SECONDS));
  const requestTimeout = ms(t.REQUEST_TIMEOUT_SECONDS);
  return {
    requestTimeout,
    connectionTimeout: ms(t.SOCKET_IDLE_TIMEOUT_SECONDS),
    http: { headersTimeout, requestTimeout, connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(headersTimeout / 4))) },
  };
}

const hasBody = (req: FastifyRequest) =>
  req.method !== 'GET' && req.method !== 'HEAD' && (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined);

/** An upload (the imports', BOSS's billing batches) is streamed by its handler, under the whole request's limit: its files may take minutes. */
const isStreamedUpload = (req: FastifyRequest) => /^(multipart\/|application\/x-ndjson)/.test((req.headers['content-type'] ?? '').toLowerCase());

/**
 * A body that the server reads before the handler must arrive within BODY_TIMEOUT_SECONDS: a client
 * trickling it a byte at a time gets 408 and its connection is closed. Any answer given while a body is
 * still arriving (401 before the body was read, 413, 415, 408) closes the connection too, instead of
 * reading on to the end of a body nobody wants.
 */
export function installBodyDeadline(app: FastifyInstance, seconds: number) {
  app.addHook('preParsing', (req, reply, payload, done) => {
    if (!hasBody(req) || isStreamedUpload(req)) return done(null, payload);
    const guarded = new PassThrough();
    const timer = setTimeout(() => {
      if (reply.sent) return;
      payload.unpipe(guarded);
      guarded.destroy(new AppError(408, 'request_timeout', { seconds }));
    }, ms(seconds));
    const stop = () => clearTimeout(timer);
    guarded.once('end', stop).once('close', stop);
    payload.once('error', (err) => guarded.destroy(err));
    payload.pipe(guarded);
    done(null, guarded);
  });
  app.addHook('onSend', (req, reply, payload, done) => {
    // light-my-request's requests have no `complete`: only a real connection with a body still arriving
    if (req.raw.complete === false) reply.header('connection', 'close');
    done(null, payload);
  });
}
