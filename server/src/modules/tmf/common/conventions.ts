/**
 * The conventions of the TM Forum Open APIs (TMF630 design guidelines, v4) shared by every API of the façade:
 * where each lives, how a resource names itself (`id`, `href`, `@type`), paging with its headers and 206,
 * `fields=` selection, versions as ETags, and the TMF `Error` body of every refusal.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, notFound, versionConflict } from '../../../platform/errors.js';
import { sendPage, type Page } from '../../../platform/http/list.js';
import { tmfErrorResponses } from '../../../platform/http/openapi.js';
import type { Problem } from '../../../platform/http/problem.js';
import { API_BASE } from '../../../platform/outbox/renderers.js';
import type { TmfApi } from '../../../platform/outbox/types.js';

export const TMF_ROOT = '/tmf-api';

/** Each API's base path, as the official specifications name them (the outbox's, where the hubs live too). */
export const BASE = API_BASE;
export type TmfApiName = TmfApi;

/** The official v4 definition each resource follows (`@schemaLocation`). */
const SWAGGERS: Record<TmfApiName, string> = {
  tmf629: 'https://raw.githubusercontent.com/tmforum-apis/TMF629_CustomerManagement/master/TMF629-Customer-v4.0.0.swagger.json',
  tmf632: 'https://raw.githubusercontent.com/tmforum-apis/TMF632_PartyManagement/master/TMF632-Party-v4.0.0.swagger.json',
  tmf621: 'https://raw.githubusercontent.com/tmforum-apis/TMF621_TroubleTicket/master/TMF621_Trouble_Ticket_Management_API_v4.0.0_swagger.json',
  tmf658: 'https://raw.githubusercontent.com/tmforum-apis/TMF658_LoyaltyManagement/master/TMF658-Loyalty-v4.0.0.swagger.json',
};

export const hrefOf = (api: TmfApiName, resource: string, id: number | string) => `${BASE[api]}/${resource}/${id}`;

/** `@type`, `@baseType` and `@schemaLocation` of a resource of an API. */
export const typed = (api: TmfApiName, type: string, baseType?: string) => ({
  '@type': type,
  ...(baseType ? { '@baseType': baseType } : {}),
  '@schemaLocation': `${SWAGGERS[api]}#/definitions/${type}`,
});

/** A date of ours (YYYY-MM-DD, Asia/Shanghai) as the date-time the specifications use. */
export const dateTimeOf = (day: string | null | undefined) => (day ? `${day}T00:00:00+08:00` : undefined);
export const isoOf = (at: Date | string | null | undefined) => (at ? new Date(at).toISOString() : undefined);

/** Leaves out the attributes that have no value (the specifications have no nulls). */
export function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

// ---- lists: paging, attribute filters, fields= ----

export const TMF_DEFAULT_LIMIT = 20;
export const TMF_MAX_LIMIT = 100;

const fieldsParam = z
  .string()
  .max(500)
  .regex(/^@?[A-Za-z][A-Za-z0-9]*(,@?[A-Za-z][A-Za-z0-9]*)*$/, 'comma-separated attribute names')
  .optional()
  .describe('First-level attributes to return (id, href and @type always are)');

/** The query of a list: paging, `fields`, and exactly the attribute filters given (any other is refused with 400). */
export const listQuery = <F extends z.ZodRawShape>(filters: F) =>
  z.strictObject({
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(TMF_MAX_LIMIT).default(TMF_DEFAULT_LIMIT),
    fields: fieldsParam,
    ...filters,
  });

/** `@type`, `@baseType` and `@schemaLocation` a client may send back in a body (TMF630): accepted, not stored. */
export const tmfMeta = { '@type': z.string().max(60).optional(), '@baseType': z.string().max(60).optional(), '@schemaLocation': z.string().max(500).optional() };

/** The query of one resource: `fields` only. */
export const oneQuery = z.strictObject({ fields: fieldsParam });

/** The `{id}` of a resource: our ids are positive integers (any other names nothing: 404 as for a missing one). */
/**
 * What a route of the façade answers, for the OpenAPI document: the resource (its JSON Schema, written from the
 * official v4 swagger, is in schemas/definitions.ts and checked by the tests) and the TMF Error of a refusal.
 */
export const tmfResponses = {
  200: z.unknown().describe('The TMF resource, or a page of them (206 when partial); see docs/tmf-api.md'),
  201: z.unknown().describe('The TMF resource created'),
  ...tmfErrorResponses,
} as const;

export const tmfIdParam = z.strictObject({ id: z.string().max(40) });

/** The numeric id a path names, or the 404 of a missing `entity` for any other text (nothing can exist under it). */
export function idOf(raw: string, entity: string): number {
  const id = /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id)) throw notFound(entity);
  return id;
}

/** `fields=` of a resource or list: the attributes kept, besides id, href and @type. */
export function selectFields(req: FastifyRequest, fields: string | undefined) {
  if (fields) req.listFields = ['id', 'href', '@type', ...fields.split(',')];
}

/** A page as TMF630 answers it: the totals in headers, 206 Partial Content when it holds fewer than the total. */
export function sendTmfPage<T>(req: FastifyRequest, reply: FastifyReply, page: Page<T>, fields: string | undefined) {
  // the console's headers (X-Total-Count, X-Result-Count; X-Total-Estimated for a very large manager's list)
  const items = sendPage(reply, page);
  selectFields(req, fields);
  return reply.code(items.length < page.total ? 206 : 200).send(items);
}

// ---- versions ----

/** A resource's version as its ETag (weak: the representation may differ in its selected fields). */
export const etagOf = (version: number) => `W/"${version}"`;

/**
 * The version a change was read at, from `If-Match` (the ETag of a GET): null without one; a malformed one
 * names no version (0), refused as a stale one.
 */
export function ifMatchOf(req: FastifyRequest): number | null {
  const header = req.headers['if-match'];
  if (!header) return null;
  const m = /^(?:W\/)?"(\d{1,9})"$/.exec(String(header).trim());
  return m ? Number(m[1]) : 0;
}

/**
 * The version a change must be made at, checked once the resource is found (so that a missing resource is a 404
 * first): If-Match is required, so that nobody overwrites a change they never saw (428), and a stale one is a 409.
 */
export function checkVersion(ifMatch: number | null, current: number) {
  if (ifMatch === null) throw new AppError(428, 'tmf_if_match_required');
  if (ifMatch !== current) throw versionConflict();
}

// ---- errors ----

/** The TMF `Error` of a problem: its code, its title as reason, the field errors as message, the problem page as referenceError. */
export function tmfErrorOf(req: FastifyRequest, problem: Problem) {
  const message = problem.errors?.length ? problem.errors.map((e) => `${e.field}: ${e.message}`).join('; ') : problem.detail;
  const host = req.host || 'localhost';
  return {
    contentType: 'application/json; charset=utf-8',
    body: compact({
      code: problem.code,
      reason: problem.title,
      message,
      status: String(problem.status),
      referenceError: problem.type.startsWith('/') ? `${req.protocol}://${host}${problem.type}` : undefined,
      '@type': 'Error',
    }),
  };
}
