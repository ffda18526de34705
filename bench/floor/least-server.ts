/**
 * The least server that can answer a read (bench/floor-reads.ts): Fastify with no plugin, hook or schema, no
 * session and no check. For each path of its plan (the JSON file FLOOR_PLAN) it sends the statements the
 * system's server sends for that path, all at once: the hot reads named, on a pool with the hot reads' settings
 * (db/prepared.ts), the others unnamed on a plain pool. It answers the rows of the last statement as JSON, or,
 * when that statement renders the answer itself (one row whose `answer` is a text), that text as it comes. A path
 * under `/memory` answers that path's first answer again, without the database: the HTTP alone.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import pg from 'pg';
import { HOT_READ_SETTINGS } from '../../server/src/db/prepared.js';
import { statementNames } from '../../server/src/db/statements.js';

export interface Statement {
  hot: boolean;
  text: string;
  params: unknown[];
}

export interface FloorPlan {
  url: string;
  hotConnections: number;
  paths: Record<string, Statement[]>;
}

const plan = JSON.parse(readFileSync(process.env.FLOOR_PLAN!, 'utf8')) as FloorPlan;
const hot = new pg.Pool({ connectionString: plan.url, max: plan.hotConnections, options: HOT_READ_SETTINGS });
const main = new pg.Pool({ connectionString: plan.url, max: 20 });
// every statement of the plan named, as the server names its hot reads
const nameOf = statementNames(Object.values(plan.paths).flat().length);

async function answer(statements: Statement[]): Promise<string> {
  const results = await Promise.all(
    statements.map((s) => (s.hot ? hot.query({ name: nameOf(s.text), text: s.text, values: s.params }) : main.query(s.text, s.params))),
  );
  const rows: Record<string, unknown>[] = results.at(-1)?.rows ?? [];
  const rendered = rows.length === 1 ? rows[0]!.answer : undefined;
  return typeof rendered === 'string' ? rendered : JSON.stringify(rows);
}

const remembered = new Map<string, string>();
for (const [path, statements] of Object.entries(plan.paths)) remembered.set(path, await answer(statements));

const app = Fastify({ logger: false });
app.get('/api/health', async () => ({ ok: true }));
app.get('/*', async (req, reply) => {
  const fromMemory = req.url.startsWith('/memory/');
  const path = fromMemory ? req.url.slice('/memory'.length) : req.url;
  const statements = plan.paths[path];
  if (!statements) return reply.code(404).send();
  reply.type('application/json');
  return fromMemory ? remembered.get(path) : answer(statements);
});

const close = async () => {
  await app.close();
  await Promise.all([hot.end(), main.end()]);
  process.exit(0);
};
process.on('SIGINT', close);
process.on('SIGTERM', close);

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 3998) });
