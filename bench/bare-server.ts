/**
 * The baseline of the HTTP benchmarks: a bare Fastify hello-world with no plugins, hooks, schemas or
 * database, started by tsx exactly like the real server. `/api/health` and `/api/me` both answer, so
 * that the same polling and load code measures both servers.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const hello = async () => ({ hello: 'world' });
app.get('/api/health', hello);
app.get('/api/me', hello);

const close = async () => {
  await app.close();
  process.exit(0);
};
process.on('SIGINT', close);
process.on('SIGTERM', close);

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 3999) });
