import fastJson, { type Schema } from 'fast-json-stringify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type SerializerCompiler = typeof zodSerializerCompiler;

/**
 * How answers are written: by a writer compiled from the route's zod schema (fast-json-stringify, as Fastify does
 * for JSON Schema) where the schema holds only objects, arrays, strings, numbers, booleans, dates, enums, string
 * literals, nullables, optionals and values of any kind; by zod's encoding then JSON.stringify for any other schema.
 * Zod's encoding copies and checks every field of every row: a search's page of 20 customers took 217–281 µs,
 * 123–149 µs compiled (docs/decisions.md, "Answers written by compiled writers"). The compiled
 * writer does not check what it writes (an enum's value, an integer): with `verify` (the tests) each answer is also
 * encoded by zod, which throws as before on an answer outside its schema, and the two texts must be equal.
 */
export function answerSerializer(opts: { verify: boolean }): SerializerCompiler {
  // one writer per schema: the routes share the problem answers' schemas (2,209 of the 2,668 route answers)
  const writers = new WeakMap<z.ZodType, ((data: unknown) => string) | null>();
  const writerOf = (schema: z.ZodType) => {
    if (!writers.has(schema)) {
      const jsonSchema = writable(schema);
      writers.set(schema, jsonSchema && fastJson(jsonSchema as Schema));
    }
    return writers.get(schema)!;
  };
  return (route) => {
    const write = route.schema instanceof z.ZodType ? writerOf(route.schema) : null;
    if (!write) return zodSerializerCompiler(route);
    if (!opts.verify) return write;
    const viaZod = zodSerializerCompiler(route);
    return (data) => {
      const expected = viaZod(data);
      const written = write(data);
      if (written !== expected) throw new Error(`the compiled writer of ${route.method} ${route.url} wrote ${written} where zod wrote ${expected}`);
      return written;
    };
  };
}

/** The part of JSON Schema the compiled writers use. */
interface WriterSchema {
  /** None: any value, written by JSON.stringify. */
  type?: string | [string, 'null'];
  format?: 'date-time';
  items?: WriterSchema;
  properties?: Record<string, WriterSchema>;
}

type Def = { type: string } & Record<string, unknown>;
const defOf = (schema: z.ZodType): Def => schema._zod.def as unknown as Def;

/**
 * The JSON Schema a compiled writer writes `schema`'s output with, or null when zod's encoding may write something
 * else (a transform, a codec, a default, a union, an object that keeps unknown keys, a record: zod leaves out a key
 * named `__proto__`, fast-json-stringify writes it, …).
 */
export function writable(schema: z.ZodType): WriterSchema | null {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return { type: 'string' };
    case 'enum':
      return allText(Object.values(def.entries as object)) ? { type: 'string' } : null;
    case 'literal':
      return allText(def.values as unknown[]) ? { type: 'string' } : null;
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'unknown':
    case 'any':
      return {};
    case 'date':
      return { type: 'string', format: 'date-time' };
    case 'nullable': {
      const inner = writable(def.innerType as z.ZodType);
      return inner && typeof inner.type === 'string' ? { ...inner, type: [inner.type, 'null'] } : null;
    }
    case 'array': {
      const items = writable(def.element as z.ZodType);
      return items && { type: 'array', items };
    }
    case 'object':
      return def.catchall === undefined ? objectSchema(def.shape as Record<string, z.ZodType>) : null;
    default:
      return null;
  }
}

const allText = (values: unknown[]) => values.every((v) => typeof v === 'string');

/**
 * An object's JSON Schema without `required`: fast-json-stringify writes required properties before the others,
 * zod in the shape's order, and the text must be the same. A required property left undefined is then omitted
 * where zod would have refused the answer (the tests' `verify` refuses it).
 */
function objectSchema(shape: Record<string, z.ZodType>): WriterSchema | null {
  const properties: Record<string, WriterSchema> = {};
  for (const [key, field] of Object.entries(shape)) {
    const property = writable(defOf(field).type === 'optional' ? (defOf(field).innerType as z.ZodType) : field);
    if (!property) return null;
    properties[key] = property;
  }
  return { type: 'object', properties };
}
