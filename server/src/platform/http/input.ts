import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../errors.js';
import type { MessageCode } from '../i18n/messages.js';
import { sendProblem } from './problem.js';

/**
 * Shapes no request of this API needs, refused while the body is still text: nesting (every walk of a
 * parsed body, ours and the libraries', recurses), array length (below PostgreSQL's 65,535 bound
 * parameters of one statement) and members of one object.
 */
export const JSON_LIMITS = { depth: 32, arrayLength: 10_000, keys: 1_000 } as const;

export interface ShapeProblem {
  code: Extract<MessageCode, 'json_too_deep' | 'json_array_too_long' | 'json_too_many_keys'>;
  max: number;
}

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * One pass over JSON text, before JSON.parse builds anything: the first limit it breaks, or null.
 * Counts the commas of each open container (n commas, n + 1 entries); text that is not JSON passes
 * and is refused by the parser itself.
 */
export function jsonShapeProblem(text: string, limits = JSON_LIMITS): ShapeProblem | null {
  const isArray: boolean[] = [];
  const commas: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (isArray.length === limits.depth) return { code: 'json_too_deep', max: limits.depth };
      isArray.push(c === OPEN_ARRAY);
      commas.push(0);
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      isArray.pop();
      commas.pop();
    } else if (c === COMMA && commas.length) {
      const top = commas.length - 1;
      const entries = ++commas[top]! + 1;
      if (isArray[top] && entries > limits.arrayLength) return { code: 'json_array_too_long', max: limits.arrayLength };
      if (!isArray[top] && entries > limits.keys) return { code: 'json_too_many_keys', max: limits.keys };
    }
  }
  return null;
}

/**
 * The JSON parsers of `application/json` and `application/merge-patch+json` (RFC 7396): the shape is
 * checked before Fastify's own parser (which refuses `__proto__` and `constructor.prototype`) runs.
 */
export function installJsonParsers(app: FastifyInstance) {
  const parse = app.getDefaultJsonParser('error', 'error');
  const guarded = (req: FastifyRequest, body: string, done: (err: Error | null, body?: unknown) => void) => {
    const problem = jsonShapeProblem(body);
    if (!problem) return parse(req, body, done);
    done(new AppError(400, problem.code, { max: problem.max }, [{ field: 'body', code: problem.code, message: '', params: { max: problem.max } }]));
  };
  app.removeContentTypeParser('application/json');
  for (const type of ['application/json', 'application/merge-patch+json']) app.addContentTypeParser(type, { parseAs: 'string' }, guarded);
}

const NUL = '\u0000';
/** With the u flag a well-formed pair is one code point: only a lone surrogate matches. */
const LONE_SURROGATE = /\p{Cs}/u;

function textProblem(s: string): MessageCode | null {
  if (s.includes(NUL)) return 'text_nul_character';
  if (LONE_SURROGATE.test(s)) return 'text_ill_formed';
  return null;
}

/** The first key or string under `value` that PostgreSQL cannot store (NUL) or that is not Unicode (a lone surrogate). */
export function illFormedText(value: unknown, where: string): FieldError | null {
  const stack: [unknown, string][] = [[value, where]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const code = textProblem(v);
      if (code) return { field: path, code, message: '' };
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const code = textProblem(k);
        if (code) return { field: `${path}.${k}`, code, message: '' };
        stack.push([child, `${path}.${k}`]);
      }
    }
  }
  return null;
}

/**
 * One gate for the text of every route, before a schema, a query or the audit trail sees it: NUL
 * characters and lone UTF-16 surrogates (JSON's `\udfff`) in the query, the path parameters and the
 * body are refused, naming the field. Nesting is bounded by the JSON parsers above.
 */
export function installInputSanitiser(app: FastifyInstance) {
  app.addHook('preValidation', (req, reply, done) => {
    const parts = [
      ['query', req.query],
      ['params', req.params],
      ['body', req.body],
    ] as const;
    for (const [where, value] of parts) {
      const error = illFormedText(value, where);
      if (error) return sendProblem(req, reply, 400, 'validation_failed', {}, [error]);
    }
    done();
  });
}
