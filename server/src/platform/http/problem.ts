import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, type FieldError } from '../errors.js';
import { PROBLEM_TYPES } from '../i18n/catalogue/problems.js';
import { isMessageCode, localeFrom, translate, type Locale, type MessageCode } from '../i18n/messages.js';

/** RFC 9457 problem details, as every error of the API is answered. */
export const problemSchema = z
  .object({
    type: z.string().describe('The page of the problem type on this system: /api/problems/{code}'),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;

const zodLocales = { 'zh-CN': z.locales.zhCN(), 'en-US': z.locales.en() };

/** An explicit Accept-Language wins (the web UI sends its own language); then the user's setting; then zh-CN. */
export function requestLocale(req: FastifyRequest): Locale {
  const header = req.headers['accept-language'];
  return header ? localeFrom(header) : (req.principal?.locale ?? 'zh-CN');
}

/** The page that documents a problem type, on this system (a relative URI: RFC 9457 resolves it against the request's). */
export function problemTypeUri(code: MessageCode): string {
  return Object.hasOwn(PROBLEM_TYPES, code) ? `/api/problems/${code}` : 'about:blank';
}

/**
 * Another body shape for the problems of a family of routes (the TM Forum APIs answer their `Error`), chosen by
 * the path's prefix. A module registers its renderer; the platform imports none.
 */
export type ProblemRenderer = (req: FastifyRequest, problem: Problem) => { contentType: string; body: unknown };
const problemRenderers = new Map<string, ProblemRenderer>();

/** Problems on paths under `prefix` are answered in the renderer's shape (registering a prefix again replaces it). */
export function registerProblemRenderer(prefix: string, render: ProblemRenderer) {
  problemRenderers.set(prefix, render);
}

function problemRendererOf(url: string): ProblemRenderer | undefined {
  for (const [prefix, render] of problemRenderers) if (url.startsWith(prefix)) return render;
  return undefined;
}

export function sendProblem(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: MessageCode,
  params: Record<string, unknown> = {},
  errors: FieldError[] = [],
) {
  const locale = requestLocale(req);
  const body: Problem = {
    type: problemTypeUri(code),
    title: translate(code, locale, params),
    status,
    code,
    instance: req.url.split('?')[0],
    requestId: String(req.id),
    ...(errors.length ? { errors: errors.map((e) => localisedFieldError(e, locale)) } : {}),
  };
  // every limit of ours counts per minute; the rate-limit plugin sets its own, more exact value
  if (status === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
  const render = problemRenderers.size ? problemRendererOf(req.url) : undefined;
  if (render) {
    const shaped = render(req, body);
    return reply.code(status).type(shaped.contentType).send(shaped.body);
  }
  return reply.code(status).type('application/problem+json; charset=utf-8').send(body);
}

function localisedFieldError({ field, code, message, params }: FieldError, locale: Locale) {
  return { field, code, message: message || (isMessageCode(code) ? translate(code, locale, params) : code) };
}

type ValidationItem = {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
};

/** A refinement of our own names its catalogue code (`refine(…, { params: { code } })`, e.g. name_not_readable). */
function catalogueCodeOf(item: ValidationItem): MessageCode | null {
  const code = item.keyword === 'custom' ? (item.params.params as { code?: string } | undefined)?.code : undefined;
  return code && isMessageCode(code) ? code : null;
}

function fieldErrorsOf(items: ValidationItem[], context: string, locale: Locale): FieldError[] {
  const where = context === 'querystring' ? 'query' : context;
  return items.flatMap((item) => {
    const path = item.instancePath.split('/').filter(Boolean);
    const own = catalogueCodeOf(item);
    if (own) return [{ field: [where, ...path].join('.'), code: own, message: translate(own, locale, item.params) }];
    const issue = { code: item.keyword, path, ...item.params } as never;
    const message = String(zodLocales[locale].localeError(issue) ?? item.message ?? item.keyword);
    const keys = item.keyword === 'unrecognized_keys' ? ((item.params.keys as string[]) ?? []) : [null];
    return keys.map((key) => ({
      field: [where, ...path, ...(key ? [key] : [])].join('.'),
      code: item.keyword,
      message,
    }));
  });
}

/** Fastify's refusals before any route is found (a path that is not percent-encoded UTF-8), as problems too. */
export function frameworkErrors(_error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  sendProblem(req, reply, 400, 'malformed_url');
}

/** Turns every error into problem+json: domain errors, validation, malformed bodies; a 500 only for bugs. */
export function installProblemHandlers(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (error instanceof AppError) {
      return sendProblem(req, reply, error.status, error.code, error.params, error.fieldErrors);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = fieldErrorsOf(error.validation as ValidationItem[], error.validationContext ?? 'body', requestLocale(req));
      return sendProblem(req, reply, 400, 'validation_failed', {}, errors);
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendProblem(req, reply, 400, 'malformed_json', {}, [
          { field: 'body', code: 'malformed_json', message: '' },
        ]);
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(req, reply, 413, 'payload_too_large');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendProblem(req, reply, 415, 'unsupported_media_type');
    }
    if (error.statusCode === 429) return sendProblem(req, reply, 429, 'rate_limited');
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(req, reply, error.statusCode, 'bad_request', {}, [
        { field: 'request', code: error.code ?? 'bad_request', message: error.message },
      ]);
    }
    req.log.error({ err: error }, 'unhandled error');
    return sendProblem(req, reply, 500, 'internal_error');
  });
  app.setNotFoundHandler((req, reply) => sendProblem(req, reply, 404, 'route_not_found'));
}
