/** Validates the façade's answers against the TMF schemas (definitions.ts) with ajv: for the tests. */
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { TMF_SCHEMA, type TmfDefinition } from './definitions.js';

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
ajv.addSchema(TMF_SCHEMA);

const validators = new Map<string, ReturnType<typeof ajv.compile>>();

/** The schema errors of `value` as a `definition` (or an array of them, for a list): empty when it validates. */
export function schemaErrors(definition: TmfDefinition, value: unknown, list = false): string[] {
  const key = `${definition}${list ? '[]' : ''}`;
  let validate = validators.get(key);
  if (!validate) {
    const ref = { $ref: `${TMF_SCHEMA.$id}#/definitions/${definition}` };
    validate = ajv.compile(list ? { type: 'array', items: ref } : ref);
    validators.set(key, validate);
  }
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
