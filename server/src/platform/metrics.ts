import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The web console's files are routes of their own (one per hashed name): one label for them all, or every build adds series. */
const routeLabel = (url: string | undefined) => (url === undefined ? 'unmatched' : /^\/(api|tmf-api)\//.test(url) ? url : 'static');

/** One registry per app instance (tests build many), with the process metrics and request timings. */
export function installMetrics(app: FastifyInstance): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kam_' });
  const duration = new Histogram({
    name: 'kam_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', (req, reply, done) => {
    duration.observe(
      { method: req.method, route: routeLabel(req.routeOptions.url), status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
  return registry;
}
