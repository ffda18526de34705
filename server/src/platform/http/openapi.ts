import { z } from 'zod';
import { problemSchema } from './problem.js';

/**
 * The media types of a spreadsheet download (an export route's `produces`): the document's tidy pass declares the
 * file as the route's 200 (openapi-tidy.ts), which a streamed reply has no schema for.
 */
export const TABULAR_FILES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

/** The error answers every API route may give, for the OpenAPI document. */
export const problemResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
} as const;

/**
 * The TM Forum error body (TMF630), in which the routes under /tmf-api answer every refusal (the TMF façade
 * registers its renderer with `registerProblemRenderer`): declared on those routes for the OpenAPI document.
 */
export const tmfErrorSchema = z.object({
  code: z.string(),
  reason: z.string(),
  message: z.string().optional(),
  status: z.string(),
  referenceError: z.string().optional(),
  '@type': z.literal('Error'),
});

export const tmfErrorResponses = {
  400: tmfErrorSchema,
  401: tmfErrorSchema,
  403: tmfErrorSchema,
  404: tmfErrorSchema,
  409: tmfErrorSchema,
} as const;
