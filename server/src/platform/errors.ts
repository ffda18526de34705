import { isMessageCode, messageRef, type MessageCode } from './i18n/messages.js';

/** One problem with one input field: `field` is a dotted path (`body.unitId`, `query.limit`). */
export interface FieldError {
  field: string;
  code: string;
  /** Empty when `code` is a catalogue code: the answer then carries its text in the requester's language. */
  message: string;
  params?: Record<string, unknown>;
}

/** A domain error the HTTP layer turns into problem+json; services throw these and know nothing of HTTP. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: MessageCode,
    readonly params: Record<string, unknown> = {},
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(code);
  }
}

/** The kind of record a problem names, by its name in the reader's language (`entity_<kind>` in the catalogue). */
export const entityName = (entity: string) => {
  const code = `entity_${entity}`;
  return isMessageCode(code) ? messageRef(code) : entity;
};

export const notFound = (entity: string) => new AppError(404, 'not_found', { entity: entityName(entity) });
export const versionConflict = () => new AppError(409, 'version_conflict');
export const forbidden = (code: MessageCode = 'forbidden', params: Record<string, unknown> = {}) =>
  new AppError(403, code, params);
/** One field refused for a reason of the catalogue, worded in the reader's language in the title and beside the field. */
export const invalid = (field: string, code: MessageCode, params: Record<string, unknown> = {}) =>
  new AppError(400, code, params, [{ field, code, message: '', params }]);
export const duplicate = (field: string) =>
  new AppError(409, 'duplicate', { field }, [{ field, code: 'duplicate', message: '', params: { field } }]);

/**
 * 数据范围 policy: a record outside the reader's scope answers exactly as one that does not exist (404
 * not_found), so that nobody can probe which ids exist. The refusal is still told apart here, for the
 * audit trail of refused accesses.
 */
export class ScopeRefusal extends AppError {
  constructor(readonly entity: string) {
    super(404, 'not_found', { entity: entityName(entity) });
  }
}
export const outOfScope = (entity: string) => new ScopeRefusal(entity);
