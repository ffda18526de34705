import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';

/** TMF630-style paging: `offset`, `limit`, `fields`; the totals travel in headers. */
export const pageQuery = z.object({
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(20),
  fields: z
    .string()
    .max(500)
    .regex(/^[A-Za-z][A-Za-z0-9]*(,[A-Za-z][A-Za-z0-9]*)*$/, 'comma-separated attribute names')
    .optional()
    .describe('Top-level attributes to return (id is always returned)'),
});
export type PageQuery = z.infer<typeof pageQuery>;

export interface Page<T> {
  items: T[];
  total: number;
  /** True when `total` is not an exact count: the planner's estimate (a very large list), or with `more` a lower bound. */
  estimated?: boolean;
  /** True when there are more matches than `total`, which counts those that can be listed (a search of a common fragment). */
  more?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    listFields: string[] | null;
  }
}

export function sendPage<T>(reply: FastifyReply, page: Page<T>, fields?: string) {
  reply.header('X-Total-Count', String(page.total));
  if (page.estimated) reply.header('X-Total-Estimated', 'true');
  if (page.more) reply.header('X-Total-More', 'true');
  reply.header('X-Result-Count', String(page.items.length));
  if (fields) reply.request.listFields = ['id', ...fields.split(',')];
  return page.items;
}

/** Applies `fields=` after the response schema has serialised the full items (or the one resource: the TM Forum APIs select on both). */
export function installFieldSelection(app: FastifyInstance) {
  app.decorateRequest('listFields', null);
  app.addHook('onSend', (req, reply, payload, done) => {
    if (!req.listFields || typeof payload !== 'string' || reply.statusCode >= 300) return done(null, payload);
    const keep = new Set(req.listFields);
    const pick = (item: Record<string, unknown>) => Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k)));
    const parsed = JSON.parse(payload) as Record<string, unknown>[] | Record<string, unknown>;
    done(null, JSON.stringify(Array.isArray(parsed) ? parsed.map(pick) : pick(parsed)));
  });
}
