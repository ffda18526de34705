/** A real HTTP listener for the delivery tests (node:http on port 0): records what it is sent and answers as told. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.js';

export interface Received {
  body: { eventId: string; eventType: string; event: Record<string, { id: string } & Record<string, unknown>> } & Record<string, unknown>;
  raw: string;
  signature: string;
  timestamp: string;
}

/** How the listener answers the next request: a status, a redirect, or no answer at all (a timeout). */
export type Behaviour = { status: number } | { redirect: string } | { hang: true };

export class TestListener {
  readonly received: Received[] = [];
  /** Requests answered (any way), accepted or not. */
  calls = 0;
  behaviour: Behaviour = { status: 200 };
  /** Each answer waits this long (a slow listener). */
  delayMs = 0;
  /** The most requests it was ever working on at once. */
  maxInFlight = 0;
  private inFlight = 0;
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void this.answer(req, res, chunks));
  });

  private async answer(req: http.IncomingMessage, res: http.ServerResponse, chunks: Buffer[]) {
    this.calls++;
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
      const b = this.behaviour;
      if ('hang' in b) return; // never answers: the sender's timeout must cut it
      if ('redirect' in b) {
        res.writeHead(307, { location: b.redirect }).end();
        return;
      }
      if (b.status >= 200 && b.status < 300) {
        const raw = Buffer.concat(chunks).toString('utf8');
        this.received.push({ body: JSON.parse(raw) as Received['body'], raw, signature: String(req.headers[SIGNATURE_HEADER]), timestamp: String(req.headers[TIMESTAMP_HEADER]) });
      }
      res.writeHead(b.status).end();
    } finally {
      this.inFlight--;
    }
  }

  private port = 0;

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.url;
  }

  get url() {
    return `http://127.0.0.1:${this.port}/events`;
  }

  /**
   * The resource ids of the events received, in order, each event once: at least once means an event may come
   * again (its answer was late, on a loaded machine), right after its first time.
   */
  ids(): string[] {
    return this.unique().map((r) => Object.values(r.body.event)[0]!.id);
  }

  /** The events received, each once (the first time). */
  unique(): Received[] {
    const seen = new Set<string>();
    return this.received.filter((r) => !seen.has(r.body.eventId) && seen.add(r.body.eventId));
  }

  /** Down (connections refused) until started again, on the same port. */
  async stop() {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
