import { z } from 'zod';

/** The `:id` of a route: a positive bigint id that fits a JavaScript number. */
export const idParam = z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
