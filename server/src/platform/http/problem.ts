import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, type FieldError } from '../errors.js';
import { isMessageCode, localeFrom, translate, type Locale, type MessageCode } from '../i18n/messages.js';

/** RFC 9457 problem details, as every error of the API is answered. */
export const problemSchema = z
  .object({
    type: z.string(),
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
    type: `https://kam.example.cn/problems/${code}`,
    title: translate(code, locale, params),
    status,
    code,
    instance: req.url.split('?')[0],
    requestId: String(req.id),
    ...(errors.length ? { errors: errors.map((e) => localisedFieldError(e, locale)) } : {}),
  };
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

function fieldErrorsOf(items: ValidationItem[], context: string, locale: Locale): FieldError[] {
  const where = context === 'querystring' ? 'query' : context;
  return items.flatMap((item) => {
    const path = item.instancePath.split('/').filter(Boolean);
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

/** The first string in a parsed body or query that holds a NUL character, which PostgreSQL text cannot store. */
function nulPath(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = nulPath(v, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}

/** Rejects NUL characters in any input before a schema or the database sees them. */
export function installInputSanitiser(app: FastifyInstance) {
  app.addHook('preValidation', async (req, reply) => {
    for (const [where, value] of [['query', req.query], ['body', req.body]] as const) {
      const path = nulPath(value);
      if (path) {
        return sendProblem(req, reply, 400, 'validation_failed', {}, [
          { field: [where, ...path].join('.'), code: 'invalid_string', message: 'NUL characters are not allowed' },
        ]);
      }
    }
  });
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
          { field: 'body', code: 'malformed_json', message: error.message },
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
