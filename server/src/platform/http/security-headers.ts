import type { FastifyInstance } from 'fastify';

/**
 * The security headers of every answer, computed once. @fastify/helmet rebuilds its middleware on
 * every request, which cost half the throughput of a bare route (docs/performance.md).
 */
export function installSecurityHeaders(app: FastifyInstance, opts: { hsts: boolean }) {
  const headers: Record<string, string> = {
    'content-security-policy': [
      "default-src 'self'",
      "base-uri 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      "object-src 'none'",
      "frame-ancestors 'self'",
      "form-action 'self'",
    ].join('; '),
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'SAMEORIGIN',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
    ...(opts.hsts && { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }),
  };
  app.addHook('onRequest', (req, reply, done) => {
    reply.headers(headers);
    // API answers carry personal data (the 360° view, reveals, /api/me, exports, the user detail):
    // no browser or proxy may keep them. A route may still set its own caching; the web console's
    // static files are left to their own caching rules.
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    done();
  });
}
