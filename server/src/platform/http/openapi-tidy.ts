/**
 * The last pass over the OpenAPI document (the swagger plugin's `transformObject`), so that it passes an
 * OpenAPI linter's recommended rules (Redocly CLI, `redocly.yaml`, `npm run lint:openapi`) and other teams'
 * client generators read it as meant. It works on the whole finished document, so every route any module
 * registers gets the same treatment without declaring anything:
 *
 *  - every operation has an `operationId`: the route's own when its schema declares one, else camelCase from
 *    the method and the path (`GET /api/customers/{id}/history` → `getCustomersByIdHistory`), unique;
 *  - `nullable: true` always has a `type` beside it (OpenAPI 3.0.3 ignores `nullable` without one, and
 *    zod's 3.0 output puts it next to `allOf`/`anyOf` of references);
 *  - an object whose `required` names keys that only `additionalProperties` describes (a `z.record` over an
 *    enum) lists them as properties too;
 *  - components that nothing references (the input twins of output-only schemas) are left out, and a schema
 *    used only as input (a request body) keeps its registered name rather than the `…Input` twin's;
 *  - a file download (a route whose `produces` names a file's media types and whose streamed reply declares no
 *    200) gets its 200, the file in each of those types, and its refusals are JSON problems, not files.
 */

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** camelCase words of one path segment: `customerManagement` stays, `by-unit` → `ByUnit`, `{id}` → `ById`. */
function segmentWords(segment: string): string {
  const param = /^\{(.+)\}$/.exec(segment);
  const words = (param ? `by-${param[1]}` : segment).split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map(capitalise).join('');
}

/** `GET /api/customers/{id}` → `getCustomersById`; the `/api` prefix every internal route shares is left out. */
export function operationIdFor(method: string, path: string): string {
  const segments = path.split('/').filter(Boolean);
  if (segments[0] === 'api') segments.shift();
  return method.toLowerCase() + segments.map(segmentWords).join('');
}

function nameOperations(paths: Json) {
  const taken = new Set<string>();
  const unnamed: Array<[Json, string, string]> = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      if (typeof op.operationId === 'string') taken.add(op.operationId);
      else unnamed.push([op, method, path]);
    }
  }
  for (const [op, method, path] of unnamed) {
    const base = operationIdFor(method, path);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}${n}`;
    taken.add(id);
    op.operationId = id;
  }
}

const JSON_TYPE = 'application/json';

/** The downloads' 200 and their refusals' media type (see the header). */
function describeDownloads(paths: Json) {
  for (const item of Object.values(paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op) || !isObject(op.responses)) continue;
      const responses = op.responses;
      if (Object.keys(responses).some((code) => code.startsWith('2'))) continue;
      const files = new Set<string>();
      for (const answer of Object.values(responses)) {
        if (!isObject(answer) || !isObject(answer.content)) continue;
        const types = Object.keys(answer.content).filter((type) => type !== JSON_TYPE);
        if (!types.length) continue;
        types.forEach((type) => files.add(type));
        answer.content = { [JSON_TYPE]: answer.content[types[0]!] };
      }
      if (!files.size) continue;
      const file = { schema: { type: 'string', format: 'binary' } };
      responses['200'] = { description: 'The file, streamed', content: Object.fromEntries([...files].map((type) => [type, file])) };
    }
  }
}

const refName = (ref: unknown) => (typeof ref === 'string' && ref.startsWith('#/components/schemas/') ? ref.slice(21) : null);

/** The `type` a schema (or the component it references) has, if it says. */
function typeOf(schema: unknown, components: Json): string | undefined {
  if (!isObject(schema)) return undefined;
  if (typeof schema.type === 'string') return schema.type;
  const name = refName(schema.$ref);
  if (name) return typeOf(components[name], components);
  return undefined;
}

/** `nullable` next to `type`, as OpenAPI 3.0.3 wants it. */
function fixNullable(schema: Json, components: Json) {
  if (schema.nullable !== true || typeof schema.type === 'string') return;
  const list = (['allOf', 'anyOf', 'oneOf'] as const).find((k) => Array.isArray(schema[k]));
  if (!list) {
    // no type at all (z.unknown().nullable()): the empty schema already admits null
    delete schema.nullable;
    return;
  }
  const branches = schema[list] as unknown[];
  const types = new Set(branches.map((b) => typeOf(b, components)));
  const [only] = types;
  if (types.size === 1 && only) {
    schema.type = only; // one kind of value, or null (a nullable reference)
    return;
  }
  // several kinds: each branch may be null instead
  delete schema.nullable;
  schema[list] = branches.map((b) => {
    if (!isObject(b)) return b;
    if (typeof b.type === 'string') return { ...b, nullable: true };
    const type = typeOf(b, components);
    return type ? { type, nullable: true, allOf: [b] } : b;
  });
}

/** A `z.record` over an enum: the keys it requires become properties described by `additionalProperties`. */
function listRequiredKeys(schema: Json) {
  if (!Array.isArray(schema.required) || !isObject(schema.additionalProperties)) return;
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const key of schema.required) if (typeof key === 'string' && !(key in properties)) properties[key] = schema.additionalProperties;
  schema.properties = properties;
}

/** Visits every object in the document, children first. */
function walk(value: unknown, visit: (o: Json) => void) {
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit));
  else if (isObject(value)) {
    Object.values(value).forEach((v) => walk(v, visit));
    visit(value);
  }
}

/** The schemas the paths reach, through references at any depth. */
function reachableSchemas(doc: Json, components: Json): Set<string> {
  const reached = new Set<string>();
  const follow = (value: unknown) =>
    walk(value, (o) => {
      const name = refName(o.$ref);
      if (name && !reached.has(name)) {
        reached.add(name);
        follow(components[name]);
      }
    });
  follow(doc.paths);
  return reached;
}

/**
 * fastify-type-provider-zod emits every registered schema twice, `X` as answered and `XInput` as accepted. When
 * only `XInput` is used, it takes the name `X` (what a client generator's users look for).
 */
function nameInputOnlySchemas(doc: Json, schemas: Json, reached: Set<string>) {
  const renamed = new Map<string, string>();
  for (const name of reached) {
    const base = name.endsWith('Input') ? name.slice(0, -5) : null;
    if (!base || reached.has(base)) continue;
    schemas[base] = schemas[name];
    renamed.set(`#/components/schemas/${name}`, `#/components/schemas/${base}`);
    reached.delete(name);
    reached.add(base);
  }
  if (renamed.size)
    walk(doc, (o) => {
      const to = typeof o.$ref === 'string' ? renamed.get(o.$ref) : undefined;
      if (to) o.$ref = to;
    });
}

export function tidyOpenApi<T extends object>(document: T): T {
  const doc = document as Json;
  const componentsObject = isObject(doc.components) ? doc.components : {};
  const schemas = isObject(componentsObject.schemas) ? componentsObject.schemas : {};
  if (isObject(doc.paths)) {
    nameOperations(doc.paths);
    describeDownloads(doc.paths);
  }
  walk(doc, (o) => {
    fixNullable(o, schemas);
    listRequiredKeys(o);
  });
  const reached = reachableSchemas(doc, schemas);
  nameInputOnlySchemas(doc, schemas, reached);
  for (const name of Object.keys(schemas)) if (!reached.has(name)) delete schemas[name];
  return document;
}
