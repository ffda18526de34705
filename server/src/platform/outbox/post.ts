/**
 * One POST of an event to a listener, over kept-alive connections: any 2xx is a delivery; any other answer, a
 * redirect (never followed: the hub registered this address, not another), a dropped connection or no whole
 * answer within the timeout is a failure, told in a short line for the administrator.
 */
import http from 'node:http';
import https from 'node:https';

export class Poster {
  private readonly agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  constructor(private readonly timeoutMs: number) {}

  post(url: URL, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<void> {
    const tls = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const req = (tls ? https : http).request(
        url,
        {
          method: 'POST',
          agent: tls ? this.agents.https : this.agents.http,
          signal,
          headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'kam-events/1', ...headers },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          res.resume(); // the answer's body is not read, only drained so that the connection can be kept
          res.on('error', settle);
          res.on('end', () => {
            if (status >= 200 && status < 300) return settle();
            settle(new Error(status >= 300 && status < 400 ? `HTTP ${status}: redirect to ${res.headers.location ?? '?'} refused` : `HTTP ${status}`));
          });
        },
      );
      const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      const settle = (err?: Error) => {
        clearTimeout(deadline);
        if (err) reject(err);
        else resolve();
      };
      req.on('error', settle);
      req.end(body);
    });
  }

  close() {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}
